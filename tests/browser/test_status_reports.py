"""Status reports: an editor writes next quarter's report from last quarter's, reviews and publishes it; exports."""
import re
import urllib.request

from playwright.sync_api import expect

from conftest import sign_in
from test_accessibility import BLOCKING, run_axe


def test_editor_writes_reviews_and_publishes_a_quarter(page, browser, server):
    sign_in(page, server, "redaktor@example.no")
    page.goto(server + "/status")
    page.get_by_label("Periode (f.eks. 2024-Q2)").fill("2024-Q3")
    page.get_by_role("button", name="Opprett").click()
    expect(page).to_have_url(re.compile(r"/status/2024-Q3/utkast$"))
    expect(page.get_by_role("heading", level=2, name="Arbeidsflyt: Utkast")).to_be_visible()
    page.get_by_role("link", name="Rediger mål 4").click()
    page.get_by_role("group", name="Status – hele mål 4").get_by_label("Gul").check()
    page.get_by_label("Kommentar – hele mål 4").fill("Gul i tredje kvartal")
    blocking = [v["id"] for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#mal-4").locator("..")).to_contain_text("Gul i tredje kvartal")
    page.get_by_role("button", name="Send til gjennomgang").click()
    expect(page.get_by_role("heading", level=2, name="Arbeidsflyt: Til gjennomgang")).to_be_visible()
    public = browser.new_context().new_page()
    assert public.goto(server + "/status/2024-Q3").status == 404
    page.get_by_role("link", name="Publiser …").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publisere statusrapporten")
    blocking = [v["id"] for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.get_by_role("button", name="Publiser rapporten").click()
    expect(page).to_have_url(re.compile(r"/status/2024-Q3$"))
    public.reload()
    expect(public.locator("#mal-4").locator("..")).to_contain_text("Gul i tredje kvartal")
    expect(public.locator("main")).to_contain_text("Sammenlignet med 1. kv. 2024")


def test_report_exports_as_markdown_and_a4_pdf(server):
    with urllib.request.urlopen(server + "/status/2024-Q1.pdf") as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(4) == b"%PDF"
    with urllib.request.urlopen(server + "/status/2024-Q1.md") as response:
        assert response.read().decode().startswith("# Statusrapport 1. kv. 2024")


def test_print_stylesheet_hides_navigation(page, server):
    page.goto(server + "/status/2024-Q1")
    page.emulate_media(media="print")
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
