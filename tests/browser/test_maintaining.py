"""Keeping the roadmap current: editors add records, retire them and bring them back; reporters land on «Mitt arbeid»
and confirm, finish and move their own actors' work there."""
import re

import pytest
from playwright.sync_api import expect

from conftest import EDITOR_PAGES, ERROR_STATES, RETIRED_EXAMPLE, fill_form, sign_in, submit_error_state
from test_accessibility import BLOCKING, run_axe


def blocking_violations(page):
    """Serious and critical axe findings, each with its first offending element, for a readable failure."""
    return [f"{v['id']} ({v['impact']}): {v['help']} — {v['nodes'][0]['target']} {v['nodes'][0]['html'][:200]}"
            for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]


def is_form_post(response):
    return response.request.method == "POST" and response.request.resource_type == "document"


def signed_in(page, server, email):
    sign_in(page, server, email)
    page.wait_for_url(lambda url: "/logg-inn" not in url)


def test_editor_creates_an_activity_retires_it_and_brings_it_back(page, browser, server):
    record_id, description = "pll-hv-pilot-bergen", "Pilot med legemiddellisten i Bergen"
    signed_in(page, server, "redaktor@example.no")
    page.goto(server + "/aktivitet/ny?tiltak=pll&aktor=helse-vest")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny aktivitet")
    expect(page.get_by_label("Tiltak", exact=True)).to_have_value("pll")
    expect(page.get_by_label("Aktør", exact=True)).to_have_value("helse-vest")

    # First attempt: the end lies before the start.
    page.get_by_label("Id i adressen (valgfri)").fill(record_id)
    page.get_by_label("Fase", exact=True).select_option("utvikling")
    page.get_by_label("Start", exact=True).fill("2027-Q3")
    page.get_by_label("Slutt", exact=True).fill("2027-Q1")
    page.get_by_label("Tentativ (stiplet)").check()
    page.get_by_label("Beskrivelse", exact=True).fill(description)
    page.get_by_label("Begrunnelse for endringen (valgfri)").fill("Vedtatt i porteføljemøtet")
    with page.expect_response(is_form_post) as answer:
        page.get_by_role("button", name="Opprett og publiser").click()
    assert answer.value.status == 422
    summary = page.locator("div.error-summary")
    expect(summary).to_contain_text("Slutt kan ikke være før start.")
    # /assets/veikart.js moves keyboard focus to the summary, so a screen reader starts there.
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')"), \
        page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    # Everything typed is still there, and the message sits next to the field.
    expect(page.get_by_label("Id i adressen (valgfri)")).to_have_value(record_id)
    expect(page.get_by_label("Tiltak", exact=True)).to_have_value("pll")
    expect(page.get_by_label("Aktør", exact=True)).to_have_value("helse-vest")
    expect(page.get_by_label("Fase", exact=True)).to_have_value("utvikling")
    expect(page.get_by_label("Start", exact=True)).to_have_value("2027-Q3")
    expect(page.get_by_label("Slutt", exact=True)).to_have_value("2027-Q1")
    expect(page.get_by_label("Tentativ (stiplet)")).to_be_checked()
    expect(page.get_by_label("Beskrivelse", exact=True)).to_have_value(description)
    expect(page.get_by_label("Begrunnelse for endringen (valgfri)")).to_have_value("Vedtatt i porteføljemøtet")
    expect(page.locator("#feil-end")).to_contain_text("Slutt kan ikke være før start.")
    expect(page.get_by_label("Slutt", exact=True)).to_have_attribute("aria-invalid", "true")

    # With the keyboard: from the summary to its link, and the link to the field.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="Slutt kan ikke være før start.")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Slutt", exact=True)).to_be_focused()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("2028-Q2")
    page.get_by_role("button", name="Opprett og publiser").click()
    expect(page).to_have_url(server + f"/aktivitet/{record_id}/rediger?lagret=opprettet")
    expect(page.get_by_role("status")).to_contain_text("Aktiviteten er opprettet og publisert.")
    expect(page.get_by_label("Slutt", exact=True)).to_have_value("2028-Q2")

    public = browser.new_context().new_page()
    public.goto(server + "/tiltak/pll")
    expect(public.locator(f"#aktivitet-{record_id}")).to_contain_text(description)
    expect(public.locator(f"#aktivitet-{record_id}")).to_contain_text("2. kv. 2028")

    # Retire it through the confirmation page.
    page.get_by_role("link", name="Avvikle aktivitet").click()
    expect(page).to_have_url(server + f"/aktivitet/{record_id}/avvikle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avvikle aktivitet")
    page.get_by_label("Begrunnelse (valgfri)").fill("Slått sammen med innføringen")
    page.get_by_role("button", name="Ja, avvikle aktiviteten").click()
    expect(page).to_have_url(server + f"/avviklet?avviklet=aktivitet/{record_id}")
    expect(page.get_by_role("status")).to_contain_text(f"«{description}» er avviklet")
    expect(page.locator("main table").get_by_role("row").filter(has_text=description)).to_have_count(1)
    public.reload()
    expect(public.locator(f"#aktivitet-{record_id}")).to_have_count(0)

    # A retired record keeps its id: a new one cannot take it.
    page.goto(server + "/aktivitet/ny?tiltak=pll&aktor=helse-vest")
    fill_form(page, {"id": record_id, "start": "2027", "end": "2028", "description": "Et nytt forsøk"})
    with page.expect_response(is_form_post) as answer:
        page.get_by_role("button", name="Opprett og publiser").click()
    assert answer.value.status == 422
    expect(page.locator("div.error-summary")).to_contain_text(f"«{record_id}» tilhørte en aktivitet som er avviklet")

    # Bring it back from the list of retired records.
    page.goto(server + "/avviklet")
    page.get_by_role("button", name=f"Gjeninnfør aktivitet «{description}»").click()
    expect(page).to_have_url(server + f"/aktivitet/{record_id}/rediger?lagret=gjeninnfort")
    expect(page.get_by_role("status")).to_contain_text("Aktiviteten er gjeninnført.")
    public.reload()
    expect(public.locator(f"#aktivitet-{record_id}")).to_contain_text("2. kv. 2028")
    page.goto(server + "/avviklet")
    expect(page.get_by_role("button", name=f"Gjeninnfør aktivitet «{description}»")).to_have_count(0)


def test_reporter_confirms_finishes_and_moves_work_from_mitt_arbeid(page, server):
    # Sign in from the front page: a reporter lands on «Mitt arbeid», not back on the front page.
    page.goto(server + "/")
    page.get_by_role("link", name="Logg inn").click()
    page.get_by_label("E-post").fill("vest@example.no")
    page.get_by_label("Passord").fill("riktig-hest-batteri")
    page.get_by_role("button", name="Logg inn").click()
    expect(page).to_have_url(server + "/mitt-arbeid")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbeid")
    expect(page.get_by_role("heading", level=2, name="Helse Vest RHF")).to_be_visible()
    section = page.get_by_role("region", name="Helse Vest RHF", exact=True)
    # Only the reporter's own actors are listed.
    expect(page.get_by_role("heading", level=2, name="Helse Nord RHF")).to_have_count(0)

    def row(text):
        return page.locator("main tbody tr").filter(has_text=text)

    confirm_text = "Bidra til plan for tilrettelegging og innføring."  # dbep-hv-plan, ended 2023
    done_text = "Fullføre tilrettelegging etter begrenset utprøving."  # ki-hv-tilrettelegging, ended 2023
    move_text = "Starte innføring; API-et ble tatt i bruk i februar 2024."  # ki-hv-innforing, ended 2025
    expect(section.locator("tbody tr").filter(has_text=confirm_text)).to_have_count(1)
    expect(row(confirm_text)).to_contain_text("Aldri bekreftet i Veikart")
    expect(row(confirm_text)).to_contain_text("Sluttdatoen (2023) er passert")
    expect(row(move_text)).to_contain_text("Sluttdatoen (2025) er passert")

    # Confirm unchanged, from the keyboard.
    row(confirm_text).get_by_role("button", name="Bekreft uendret").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(server + "/mitt-arbeid?gjort=bekreftet")
    expect(page.get_by_role("status")).to_contain_text("Bekreftet uendret. Takk!")
    expect(row(confirm_text)).not_to_contain_text("Aldri bekreftet i Veikart")
    expect(row(confirm_text)).to_contain_text("Sluttdatoen (2023) er passert")  # confirming does not finish it

    # Mark done: Tab from «Bekreft uendret» reaches the row's «Marker ferdig».
    row(done_text).get_by_role("button", name="Bekreft uendret").focus()
    page.keyboard.press("Tab")
    expect(row(done_text).get_by_role("button", name="Marker ferdig")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(server + "/mitt-arbeid?gjort=ferdig")
    expect(page.get_by_role("status")).to_contain_text("Markert ferdig.")
    expect(row(done_text)).to_contain_text("Ferdig")
    expect(row(done_text)).not_to_contain_text("er passert")
    expect(row(done_text).get_by_role("button", name="Marker ferdig")).to_have_count(0)

    # Move: a delay kind without a cause is refused first.
    row(move_text).get_by_role("link", name="Flytt").click()
    expect(page).to_have_url(server + "/aktivitet/ki-hv-innforing/flytt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Flytt aktiviteten")
    page.get_by_label("Ny slutt").fill("2027-Q4")
    page.get_by_label("Forsinkelse i innføring").check()
    with page.expect_response(is_form_post) as answer:
        page.get_by_role("button", name="Lagre ny dato").click()
    assert answer.value.status == 422
    summary = page.locator("div.error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Velg årsaken til forsinkelsen.")
    expect(page.get_by_label("Ny slutt")).to_have_value("2027-Q4")
    expect(page.get_by_label("Forsinkelse i innføring")).to_be_checked()
    expect(page.get_by_label("Årsak til forsinkelsen")).to_have_attribute("aria-invalid", "true")
    # The rest with the keyboard: summary link → the cause → note → reason → the button.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Årsak til forsinkelsen")).to_be_focused()
    page.get_by_label("Årsak til forsinkelsen").select_option("leverandor")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Merknad om forsinkelsen")).to_be_focused()
    page.keyboard.type("Leverandøren leverer et halvt år senere")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Begrunnelse (valgfri)")).to_be_focused()
    page.keyboard.type("Ny plan fra leverandøren")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Lagre ny dato")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(server + "/mitt-arbeid?gjort=flyttet")
    expect(page.get_by_role("status")).to_contain_text("Den nye datoen er lagret og publisert.")
    expect(row(move_text)).to_contain_text("4. kv. 2027")
    expect(row(move_text)).not_to_contain_text("er passert")

    # The initiative page and the roadmap show the new end, the old plan and the delay.
    page.goto(server + "/tiltak/kritisk-informasjon")
    moved = page.locator("#aktivitet-ki-hv-innforing")
    expect(moved).to_contain_text("4. kv. 2027")
    expect(moved).to_contain_text("opprinnelig: 2025")
    expect(moved).to_contain_text("Forsinkelse i innføring (leverandørutfordringer)")
    expect(page.locator("#aktivitet-ki-hv-tilrettelegging")).to_contain_text("Ferdig")
    page.goto(server + "/veikart?aktor=helse-vest")
    bar = page.locator("g.bar[data-activity='ki-hv-innforing'] title")
    expect(bar).to_contain_text("4. kv. 2027")
    expect(bar).to_contain_text("opprinnelig planlagt slutt 2025")

    # The filter: twelve months, one actor, only what needs attention — the finished row drops out.
    page.goto(server + "/mitt-arbeid")
    page.get_by_label("Flagg det som ikke er bekreftet på").select_option("12")
    page.get_by_label("Aktør").select_option("helse-vest")
    page.get_by_label("Bare det som trenger oppmerksomhet").check()
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(re.compile(r"/mitt-arbeid\?(?=.*maneder=12)(?=.*aktor=helse-vest)(?=.*vis=flagget)"))
    expect(page.get_by_label("Bare det som trenger oppmerksomhet")).to_be_checked()
    expect(row(done_text)).to_have_count(0)
    rows = page.locator("main tbody tr")
    assert rows.count() > 0
    for i in range(rows.count()):
        expect(rows.nth(i).locator("ul.flags li").first).to_be_visible()


def test_an_initiative_with_dependants_cannot_be_retired(page, server):
    signed_in(page, server, "redaktor@example.no")
    page.goto(server + "/tiltak/pll/avvikle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avvikle tiltak")
    expect(page.get_by_role("heading", name="Tiltaket kan ikke avvikles ennå")).to_be_visible()
    dependants = page.locator("main .notice li")
    expect(dependants.first).to_contain_text("Aktiviteten «")
    assert dependants.count() >= 10
    expect(page.locator("main .notice")).to_contain_text("Milepælen «Innføring ferdigstilt 2028»")
    expect(page.get_by_role("button", name=re.compile("avvikle", re.I))).to_have_count(0)
    expect(page.locator("main button[type=submit]")).to_have_count(0)
    page.goto(server + "/tiltak/pll")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pasientens legemiddelliste")


def test_what_each_role_may_add(browser, server):
    reporter = browser.new_context().new_page()
    signed_in(reporter, server, "vest@example.no")
    reporter.goto(server + "/ny")
    expect(reporter.locator("main ul.link-list a")).to_have_text(["Ny aktivitet", "Ny milepæl"])
    reporter.get_by_role("link", name="Ny aktivitet").click()
    # A reporter can only pick their own actors.
    options = reporter.get_by_label("Aktør", exact=True).locator("option").evaluate_all("os => os.map(o => o.value)")
    assert [o for o in options if o] == ["helse-vest", "helse-bergen"], options
    assert reporter.goto(server + "/tiltak/ny").status == 403
    assert reporter.goto(server + "/tiltak/pll/avvikle").status == 403

    editor = browser.new_context().new_page()
    signed_in(editor, server, "redaktor@example.no")
    editor.goto(server + "/ny")
    links = editor.locator("main ul.link-list a")
    expect(links).to_have_text(["Ny aktivitet", "Ny milepæl", "Nytt tiltak", "Nytt delmål", "Nytt mål", "Ny aktør", "Ny indikator"])
    for name in links.all_inner_texts():
        editor.goto(server + "/ny")
        editor.get_by_role("link", name=name, exact=True).click()
        expect(editor.get_by_role("heading", level=1)).to_have_text(name)
        expect(editor.get_by_role("button", name="Opprett og publiser")).to_be_visible()


def test_signing_in_from_a_new_record_link_keeps_what_it_chose(page, server):
    # A link such as «/aktivitet/ny?tiltak=pll&aktor=helse-vest» followed while signed out must come back with its
    # choices after signing in, not as an empty form.
    page.goto(server + "/aktivitet/ny?tiltak=pll&aktor=helse-vest")
    expect(page).to_have_url(re.compile(r"/logg-inn\?neste="))
    page.get_by_label("E-post").fill("vest@example.no")
    page.get_by_label("Passord").fill("riktig-hest-batteri")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/logg-inn" not in url)
    assert "tiltak=pll" in page.url, f"came back to {page.url}"
    expect(page.get_by_label("Tiltak", exact=True)).to_have_value("pll")
    expect(page.get_by_label("Aktør", exact=True)).to_have_value("helse-vest")


@pytest.mark.parametrize("path", ["/aktivitet/ny?tiltak=pll&aktor=helse-vest", "/tiltak/ny", "/delmal/ny?mal=2"])
def test_the_instruction_on_a_new_record_form_is_not_a_link(page, server, path):
    # The lead says what to do («Fyll ut feltene og opprett.»); as a link to elsewhere its text misstates where it goes.
    signed_in(page, server, "redaktor@example.no")
    page.goto(server + path)
    expect(page.locator("main .lead")).to_contain_text("Fyll ut feltene og opprett.")
    expect(page.get_by_role("link", name="Fyll ut feltene og opprett.")).to_have_count(0)


def test_history_names_retiring_reinstating_and_confirming_in_norwegian(browser, server):
    record_id, description = "pll-hv-historikk", "Aktivitet for historikken"
    editor = browser.new_context().new_page()
    signed_in(editor, server, "redaktor@example.no")
    editor.goto(server + "/aktivitet/ny?tiltak=pll&aktor=helse-vest")
    fill_form(editor, {"id": record_id, "start": "2027", "end": "2028", "description": description})
    editor.get_by_role("button", name="Opprett og publiser").click()
    expect(editor).to_have_url(re.compile(r"lagret=opprettet"))
    editor.goto(server + f"/aktivitet/{record_id}/avvikle")
    editor.get_by_role("button", name="Ja, avvikle aktiviteten").click()
    editor.get_by_role("button", name=f"Gjeninnfør aktivitet «{description}»").click()
    expect(editor).to_have_url(re.compile(r"lagret=gjeninnfort"))
    reporter = browser.new_context().new_page()
    signed_in(reporter, server, "vest@example.no")
    reporter.locator("main tbody tr").filter(has_text=description).get_by_role("button", name="Bekreft uendret").click()
    expect(reporter.get_by_role("status")).to_contain_text("Bekreftet uendret")
    editor.goto(server + f"/aktivitet/{record_id}/historikk")
    entries = editor.locator("ol.history > li")
    expect(entries).to_have_count(4)
    texts = entries.all_inner_texts()
    english = [t for t in texts if re.search(r"\((retire|reinstate|confirm|create|update) via", t)]
    assert not english, f"raw action names in the history: {english}"


@pytest.mark.parametrize("name,path", EDITOR_PAGES.items())
def test_editor_pages_have_no_serious_axe_violations(page, server, retired_example, name, path):
    signed_in(page, server, "redaktor@example.no")
    response = page.goto(server + path)
    assert response.status == 200
    blocking = blocking_violations(page)
    assert not blocking, "\n".join(blocking)


def test_the_retired_list_shows_the_example_to_an_editor_only(browser, server, retired_example):
    _, description = RETIRED_EXAMPLE
    editor = browser.new_context().new_page()
    signed_in(editor, server, "redaktor@example.no")
    editor.goto(server + "/avviklet")
    expect(editor.get_by_role("button", name=f"Gjeninnfør aktivitet «{description}»")).to_be_visible()
    reporter = browser.new_context().new_page()
    signed_in(reporter, server, "vest@example.no")   # Helse Vest's reporter may not reinstate Helse Nord's work
    reporter.goto(server + "/avviklet")
    expect(reporter.locator("main")).not_to_contain_text(description)


@pytest.mark.parametrize("name", ERROR_STATES)
def test_forms_sent_with_errors_focus_the_summary_and_pass_axe(page, server, name):
    response = submit_error_state(page, server, name)
    assert response.status == 422
    summary = page.locator("div.error-summary")
    expect(summary).to_be_focused()
    # Every link in the summary leads to a field on the page that is marked invalid (found by id, not as a CSS
    # selector: the council forms' row fields have ids like `felt-innleder.1.navn`).
    for href in summary.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))"):
        expect(page.locator(f"[id='{href[1:]}']")).to_have_attribute("aria-invalid", "true")
    blocking = blocking_violations(page)
    assert not blocking, "\n".join(blocking)


PHONE_PAGES = [("vest@example.no", "/mitt-arbeid"), ("vest@example.no", "/aktivitet/ny?tiltak=pll&aktor=helse-vest"),
               ("vest@example.no", "/aktivitet/pll-hv-innforing/flytt"), ("redaktor@example.no", "/avviklet"),
               ("redaktor@example.no", "/tiltak/pll/avvikle"), ("redaktor@example.no", "/tiltak/ny")]


@pytest.mark.parametrize("email,path", PHONE_PAGES)
def test_new_pages_do_not_scroll_sideways_on_a_phone(browser, server, output_dir, retired_example, email, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    signed_in(page, server, email)
    page.goto(server + path)
    shots = output_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{path.strip('/').replace('/', '-').split('?')[0]}-{email.split('@')[0]}-telefon.png"), full_page=True)
    # Wide tables scroll in their own region; nothing may stick out of it and widen the page.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                     && getComputedStyle(e).position === 'absolute')
        .slice(0, 3).map(e => e.outerHTML.slice(0, 160))""")
    context.close()
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone; outside the table region: {culprits}"
