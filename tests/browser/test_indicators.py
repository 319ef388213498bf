"""Indicators: from the dashboard to an indicator's chart and numbers; an editor imports new measurements."""
import re

from playwright.sync_api import expect

from conftest import sign_in
from test_accessibility import BLOCKING, run_axe


def test_from_the_dashboard_to_an_indicator_and_its_numbers(page, server):
    page.goto(server + "/dashbord")
    expect(page.get_by_role("heading", level=2, name=re.compile("Mål 2: Enklere arbeidshverdag"))).to_be_visible()
    page.get_by_role("link", name="EPJ-systemet bidrar til effektivt pasientarbeid").first.click()
    expect(page).to_have_url(re.compile(r"/indikatorer/epj-effektivt$"))
    chart = page.get_by_role("img", name=re.compile("utvikling over tid"))
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Målinger for EPJ-systemet"))).to_contain_text("region: Helse Vest")
    expect(page.get_by_role("heading", name="Slik er statusen beregnet")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned tallene (CSV)").click()
    assert download.value.suggested_filename == "indikator-epj-effektivt.csv"


def test_an_editor_imports_measurements_and_a_bad_file_is_explained(page, server):
    sign_in(page, server, "redaktor@example.no")
    page.goto(server + "/indikatorer/digitale-ferdigheter")
    page.get_by_role("link", name="Importer målinger").click()
    page.get_by_label("… eller lim inn innholdet").fill("periode,verdi\n2022,76\n2023,76\n2024,tja\n")
    page.get_by_role("button", name="Vis hva som vil endres").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("innlimt tekst:4: «verdi» er ikke et tall (fikk «tja»)")
    blocking = [v["id"] for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.get_by_label("… eller lim inn innholdet").fill("periode,verdi,merknad\n2022,76,\n2023,76,\n2024,79,Ny måling\n")
    page.get_by_label("Begrunnelse (vises i historikken)").fill("Helsepersonellundersøkelsen 2024")
    page.get_by_role("button", name="Vis hva som vil endres").click()
    # The preview: nothing saved yet; what is new and what replacing would remove, then merge or replace.
    expect(page.get_by_role("heading", level=1)).to_have_text("Forhåndsvisning av importen")
    expect(page.get_by_role("table", name="Endringer per indikator")).to_contain_text("2024 (ny): 79")
    blocking = [v["id"] for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.get_by_label("Fjern dem (erstatt)").check()
    page.get_by_role("button", name="Importer").click()
    expect(page).to_have_url(re.compile(r"/indikatorer/digitale-ferdigheter#tall$"))
    expect(page.get_by_role("table", name=re.compile("Målinger for"))).to_contain_text("79 %")
    page.get_by_role("link", name="Historikk").click()
    expect(page.locator("main")).to_contain_text("Helsepersonellundersøkelsen 2024")


def test_which_indicators_are_yellow_by_the_published_report(page, server):
    """The assessed status of a published report reaches the indicator list; the filter is a plain GET form."""
    page.goto(server + "/indikatorer")
    page.get_by_label("Vurdert status").select_option("gul")
    page.get_by_label("Sorter etter").select_option("vurdert")
    page.get_by_role("button", name="Vis utvalget").click()
    expect(page).to_have_url(re.compile(r"/indikatorer\?vurdert=gul&beregnet=&sorter=vurdert$"))
    main = page.locator("main")
    expect(main.get_by_role("link", name=re.compile("Utbredelse av tjenester på Helsenorge"))).to_be_visible()
    expect(main.get_by_role("link", name="EPJ-systemet bidrar til effektivt pasientarbeid")).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile("1. kvartal 2024|1. kv. 2024"))).to_be_visible()
    blocking = [v["id"] for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.get_by_role("link", name="Vis alle").click()
    expect(page).to_have_url(re.compile(r"/indikatorer$"))


def test_an_editor_adds_changes_and_removes_one_value(page, server):
    """One value at a time: the 2025 values and their breakdowns stay while a 2026 value comes and goes."""
    sign_in(page, server, "redaktor@example.no")
    page.goto(server + "/indikatorer/epj-effektivt")
    page.get_by_role("link", name="Endre verdier").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verdier:")
    before = page.get_by_role("table", name=re.compile("verdi")).locator("tbody tr").count()
    page.get_by_label("Periode", exact=True).fill("2026")
    page.get_by_label("Verdi", exact=True).fill("abc")
    page.get_by_role("button", name="Lagre verdien").click()
    summary = page.locator("div.error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Verdien ble ikke lagret")
    expect(page.get_by_label("Verdi", exact=True)).to_have_value("abc")
    page.get_by_label("Verdi", exact=True).fill("56,5")
    page.get_by_label("Inndeling", exact=True).fill("region")
    page.get_by_label("Gruppe i inndelingen", exact=True).fill("Helse Vest")
    page.get_by_role("button", name="Lagre verdien").click()
    expect(page.get_by_role("status")).to_contain_text("Verdien er lagret")
    rows = page.get_by_role("table", name=re.compile("verdi")).locator("tbody tr")
    expect(rows).to_have_count(before + 1)
    # Change it from its row: the form is filled and carries the value's version.
    page.get_by_role("link", name="Endre 2026 – region: Helse Vest").click()
    expect(page.get_by_label("Verdi", exact=True)).to_have_value("56.5")
    page.get_by_label("Verdi", exact=True).fill("57")
    page.get_by_role("button", name="Lagre verdien").click()
    expect(page.get_by_role("table", name=re.compile("verdi"))).to_contain_text("57")
    blocking = [v["id"] for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    # Remove it after the confirmation step.
    page.get_by_role("link", name="Fjern 2026 – region: Helse Vest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fjern verdien")
    page.get_by_role("button", name="Ja, fjern verdien").click()
    expect(page.get_by_role("status")).to_contain_text("Verdien er fjernet")
    expect(page.get_by_role("table", name=re.compile("verdi")).locator("tbody tr")).to_have_count(before)
