"""Reporters keep their own part of the roadmap current: sign in, change a date, meet a colleague's save."""
import re

import pytest
from playwright.sync_api import expect

from conftest import SIGNED_IN_PAGES, sign_in
from test_accessibility import BLOCKING, run_axe


def test_reporter_changes_an_activity_date_and_sees_it_on_the_roadmap(page, server):
    sign_in(page, server, "vest@example.no")
    expect(page.get_by_text("Innlogget som Vest")).to_be_visible()
    page.goto(server + "/tiltak/pll")
    row = page.locator("#aktivitet-pll-hv-innforing")
    row.get_by_role("link", name="Endre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Endre aktivitet")
    page.get_by_label("Slutt", exact=True).fill("2027-Q2")
    page.get_by_label("Begrunnelse for endringen (valgfri)").fill("Justert etter porteføljemøtet")
    page.get_by_role("button", name="Lagre og publiser").click()
    expect(page.get_by_role("status")).to_contain_text("Endringen er lagret og publisert.")
    page.goto(server + "/tiltak/pll")
    expect(page.locator("#aktivitet-pll-hv-innforing")).to_contain_text("2. kv. 2027")
    page.goto(server + "/aktivitet/pll-hv-innforing/historikk")
    expect(page.locator("ol.history")).to_contain_text("Justert etter porteføljemøtet")


def test_reporter_sees_no_edit_link_for_another_actor_and_is_refused(page, server):
    sign_in(page, server, "vest@example.no")
    page.goto(server + "/tiltak/pll")
    expect(page.locator("#aktivitet-pll-hn-dips-arena").get_by_role("link", name="Endre")).to_have_count(0)
    response = page.goto(server + "/aktivitet/pll-hn-dips-arena/rediger")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("Noe gikk galt")


def test_a_colleague_saved_first_and_nothing_is_overwritten(browser, server):
    reporter = browser.new_context().new_page()
    editor = browser.new_context().new_page()
    sign_in(reporter, server, "vest@example.no")
    sign_in(editor, server, "redaktor@example.no")
    url = server + "/aktivitet/jd-hv-tillit/rediger"
    reporter.goto(url)
    editor.goto(url)
    editor.get_by_label("Beskrivelse").fill("Redaktørens versjon")
    editor.get_by_role("button", name="Lagre og publiser").click()
    expect(editor.get_by_role("status")).to_contain_text("Endringen er lagret og publisert.")
    reporter.get_by_label("Beskrivelse").fill("Rapportørens versjon")
    reporter.get_by_role("button", name="Lagre og publiser").click()
    expect(reporter.get_by_role("alert").first).to_contain_text("Noen andre har lagret en nyere versjon")
    expect(reporter.locator(".conflict table")).to_contain_text("Redaktørens versjon")
    expect(reporter.get_by_label("Beskrivelse")).to_have_value("Rapportørens versjon")
    reporter.goto(server + "/tiltak/pasientens-journaldokumenter")
    expect(reporter.locator("#aktivitet-jd-hv-tillit")).to_contain_text("Redaktørens versjon")


def test_validation_message_sits_next_to_the_field(page, server):
    sign_in(page, server, "redaktor@example.no")
    page.goto(server + "/aktivitet/pll-hv-innforing/rediger")
    page.get_by_label("Start").fill("2024-13")
    page.get_by_role("button", name="Lagre og publiser").click()
    expect(page.locator("#feil-start")).to_contain_text("er ikke en gyldig periode")
    expect(page.get_by_label("Start")).to_have_value("2024-13")


def test_sign_out(page, server):
    sign_in(page, server, "vest@example.no")
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()
    page.goto(server + "/aktivitet/pll-hv-innforing/rediger")
    expect(page).to_have_url(re.compile(r"/logg-inn\?neste="))


@pytest.mark.parametrize("name,path", SIGNED_IN_PAGES.items())
def test_signed_in_pages_have_no_serious_axe_violations(page, server, name, path):
    sign_in(page, server, "vest@example.no")
    page.goto(server + path)
    results = run_axe(page)
    blocking = [f"{v['id']} ({v['impact']}): {v['help']}" for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)


def test_a_draft_stays_hidden_until_published(browser, server):
    editor = browser.new_context().new_page()
    public = browser.new_context().new_page()
    sign_in(editor, server, "redaktor@example.no")
    editor.goto(server + "/tiltak/kritisk-informasjon/rediger")
    editor.get_by_label("Målsetting").fill("Utkast til ny målsetting for kritisk informasjon")
    editor.get_by_role("button", name="Lagre som utkast").click()
    expect(editor.get_by_role("status")).to_contain_text("Utkastet er lagret")
    public.goto(server + "/tiltak/kritisk-informasjon")
    expect(public.locator("main")).not_to_contain_text("Utkast til ny målsetting")
    editor.goto(server + "/utkast")
    editor.get_by_role("link", name=re.compile("Kritisk informasjon|kritiske informasjon")).click()
    editor.get_by_role("button", name="Lagre og publiser").click()
    expect(editor.get_by_role("status")).to_contain_text("publisert")
    public.reload()
    expect(public.locator("main")).to_contain_text("Utkast til ny målsetting for kritisk informasjon")
