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
    page.get_by_role("button", name="Importer").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("innlimt tekst:4: «value» er ikke et tall (fikk «tja»)")
    blocking = [v["id"] for v in run_axe(page)["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    page.get_by_label("… eller lim inn innholdet").fill("periode,verdi,merknad\n2022,76,\n2023,76,\n2024,79,Ny måling\n")
    page.get_by_label("Begrunnelse (vises i historikken)").fill("Helsepersonellundersøkelsen 2024")
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
