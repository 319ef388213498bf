"""The council model: the secretariat prepares a meeting, publishes the notice and the minutes; readers follow the
decision to the strategy pages; the calendar feeds parse with an independent iCalendar library."""
import re
import urllib.request

import icalendar
from playwright.sync_api import expect

from conftest import sign_in
from test_accessibility import BLOCKING, run_axe


def test_secretariat_prepares_publishes_and_records_a_meeting(page, browser, server):
    sign_in(page, server, "sekretariat@example.no")
    page.goto(server + "/rad/portefoljeradet")
    page.get_by_label("Startdato (ÅÅÅÅ-MM-DD)").fill("2026-11-12")
    page.get_by_label("Starttid (TT:MM)").fill("10:00")
    page.get_by_label("Sluttid (TT:MM)").fill("15:00")
    page.get_by_label("Sted", exact=True).fill("Helsedirektoratet, Oslo")
    page.get_by_role("button", name="Opprett møtet").click()
    expect(page).to_have_url(re.compile(r"/rad/portefoljeradet/moter/2026-11-12$"))
    public = browser.new_context().new_page()
    public.goto(server + "/rad/portefoljeradet/moter/2026-11-12")
    expect(public.locator("main")).to_contain_text("Sakslisten er ikke publisert ennå.")

    page.get_by_role("link", name="Ny sak").click()
    page.get_by_label("Tittel").fill("Status for prioriterte tiltak")
    page.get_by_label("Sakstype").select_option("drofting")
    page.get_by_label("Innledere, én per linje").fill("Jon Helge Andersen | Helsedirektoratet")
    page.get_by_label("Start (TT:MM)").fill("10:15")
    page.get_by_label("Forslag til vedtak").fill("Porteføljerådet drøfter status.")
    page.get_by_label("Koblinger til strategien").fill("initiative:pll\nreport:2024-Q1")
    blocking = [v["id"] for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.get_by_role("button", name="Opprett saken").click()
    expect(page).to_have_url(re.compile(r"/rad/portefoljeradet/moter/2026-11-12#sak-1-26$"))
    expect(page.get_by_role("heading", name="Sak 1/26: Status for prioriterte tiltak")).to_be_visible()

    page.get_by_role("button", name="Publiser innkallingen").click()
    public.reload()
    expect(public.get_by_role("table", name="Saksliste med tider")).to_contain_text("Status for prioriterte tiltak")
    public.goto(server + "/status/2024-Q1")
    expect(public.locator("#behandlet-i").locator("..")).to_contain_text("Sak 1/26 Status for prioriterte tiltak")

    page.get_by_role("link", name="Endre sak 1/26").click()
    page.get_by_label("Vedtak (etter møtet)").fill("Porteføljerådet ber aktørene rapportere forsinkelser.")
    page.get_by_label("Oppfølging, ett punkt per linje").fill("Rapportere forsinkelser | Alle aktører | 2027-01-15")
    page.get_by_role("button", name="Lagre saken").click()
    page.get_by_role("button", name="Publiser referatet").click()
    public.goto(server + "/rad/portefoljeradet/moter/2026-11-12/referat")
    expect(public.get_by_role("heading", level=1)).to_contain_text("Referat fra møte i Nasjonalt porteføljeråd")
    expect(public.locator("main")).to_contain_text("Porteføljerådet ber aktørene rapportere forsinkelser.")
    public.emulate_media(media="print")
    expect(public.locator(".site-header nav")).to_be_hidden()
    public.goto(server + "/tiltak/pll")
    expect(public.locator("#behandlet-i").locator("..")).to_contain_text("Vedtak: Porteføljerådet ber aktørene rapportere forsinkelser.")


def test_minutes_of_a_meeting_that_has_not_started_are_refused(page, server):
    sign_in(page, server, "sekretariat@example.no")
    page.goto(server + "/rad/portefoljeradet")
    page.get_by_label("Startdato (ÅÅÅÅ-MM-DD)").fill("2027-02-10")
    page.get_by_label("Sted", exact=True).fill("Oslo")
    page.get_by_role("button", name="Opprett møtet").click()
    expect(page).to_have_url(re.compile(r"/rad/portefoljeradet/moter/2027-02-10$"))
    page.get_by_role("button", name="Publiser innkallingen").click()
    # No button that cannot work: the page says when the minutes can be published (the server refuses it as well).
    expect(page.get_by_role("button", name="Publiser referatet")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Referatet kan publiseres tidligst på møtedagen, 10.02.2027.")
    public = page.context.browser.new_context().new_page()
    response = public.goto(server + "/rad/portefoljeradet/moter/2027-02-10/referat")
    assert response.status != 200


def test_a_refused_case_keeps_the_typing_and_names_the_line(page, server):
    sign_in(page, server, "sekretariat@example.no")
    page.goto(server + "/rad/fagradet/moter/2026-01-21/saker/ny")
    page.get_by_label("Tittel").fill("Sak med feil")
    page.get_by_label("Oppfølging, ett punkt per linje").fill("Første | FHI\nAndre | NHN | 15.10.2026")
    page.get_by_role("button", name="Opprett saken").click()
    expect(page.get_by_role("alert")).to_contain_text("Oppfølging, linje 2: fristen «15.10.2026» er ikke en dato ÅÅÅÅ-MM-DD")
    expect(page.get_by_label("Tittel")).to_have_value("Sak med feil")


def test_calendar_feeds_parse_with_an_independent_library(server):
    for path, expected in [("/rad/moter.ics", 9), ("/rad/strategiradet/moter.ics", 4)]:
        with urllib.request.urlopen(server + path) as response:
            assert response.headers["Content-Type"].startswith("text/calendar")
            calendar = icalendar.Calendar.from_ical(response.read())
        events = list(calendar.walk("VEVENT"))
        assert len(events) >= expected, path
        for event in events:
            assert event.get("UID") and event.get("DTSTAMP") and event.get("DTSTART") and event.get("SUMMARY")
    with urllib.request.urlopen(server + "/rad/fagradet/moter.ics") as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    january = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == "fagradet-2026-01-21@veikart")
    assert str(january.decoded("DTSTART")) == "2026-01-21"
    assert str(january["LOCATION"]) == "Clarion Hotel Oslo"
    assert "5/26 Forvaltning av metadata for kodeverk (13:45)" in str(january["DESCRIPTION"])
