"""What a person does, asserted on what they see."""
import re

from playwright.sync_api import expect


def test_find_an_initiative_by_searching_from_the_front_page(page, server):
    page.goto(server + "/")
    page.get_by_label("Søk i strategi, tiltak, aktiviteter og aktører").fill("legemiddel")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sok\?q=legemiddel"))
    expect(page.locator("h2#treff")).to_contain_text("treff på «legemiddel»")
    expect(page.locator("mark").first).to_be_visible()
    page.get_by_role("link", name="Pasientens legemiddelliste", exact=True).first.click()
    expect(page).to_have_url(server + "/tiltak/pll")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pasientens legemiddelliste")


def test_search_is_case_and_dash_insensitive(page, server):
    for query in ("sør-øst", "Sør-Øst"):
        page.goto(server + "/sok")
        page.get_by_label("Søk i strategi, tiltak, aktiviteter og aktører").fill(query)
        page.get_by_role("button", name="Søk").click()
        expect(page.get_by_role("link", name="Helse Sør-Øst RHF").first).to_be_visible()


def test_filter_the_roadmap_to_one_actor_and_one_phase(page, server):
    page.goto(server + "/veikart")
    all_rows = page.locator("tr.activity-row").count()
    page.get_by_label("Aktør", exact=True).select_option("helse-vest")
    page.get_by_label("Fase", exact=True).select_option("innforing")
    page.get_by_role("button", name="Vis utvalget").click()
    expect(page).to_have_url(re.compile(r"aktor=helse-vest.*fase=innforing"))
    rows = page.locator("tr.activity-row")
    bars = page.locator("svg g.bar")
    assert 0 < rows.count() < all_rows
    assert rows.count() == bars.count()
    for i in range(rows.count()):
        row = rows.nth(i)
        assert row.get_attribute("data-phase") == "innforing"
        assert row.get_attribute("data-actor") in ("helse-vest", "helse-bergen")
        expect(row.locator("td").nth(3)).to_contain_text("Innføring")
    for i in range(bars.count()):
        assert bars.nth(i).get_attribute("data-phase") == "innforing"
    # The form remembers the choice, and the download link carries the same filter.
    expect(page.get_by_label("Aktør", exact=True)).to_have_value("helse-vest")
    assert "aktor=helse-vest" in page.get_by_role("link", name="Last ned figuren som SVG").get_attribute("href")


def test_follow_a_subgoal_to_its_initiatives_and_back(page, server):
    page.goto(server + "/")
    page.get_by_role("link", name=re.compile(r"^2\.C ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delmål 2.C")
    page.locator(".initiative-list").get_by_role("link", name="Pasientens prøvesvar").click()
    expect(page).to_have_url(server + "/tiltak/pasientens-provesvar")
    page.get_by_role("navigation", name="Brødsmulesti").get_by_role("link", name="Delmål 2.C").click()
    expect(page).to_have_url(server + "/delmal/2.C")


def test_what_happens_in_a_year_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/tiltak/pll")
    page.get_by_label("Velg år").select_option("2023")
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page.get_by_role("heading", name="Hva skjer i 2023")).to_be_visible()
    table = page.locator("table.year-plan")
    expect(table).to_contain_text("Videre innføring av e-multidose.")
    expect(table).to_contain_text("2023 → 2028")
    context.close()


def test_roadmap_picture_has_a_name_and_an_equivalent_table(page, server):
    page.goto(server + "/veikart/prioriterte")
    # On the page the drawing holds links (bars and labels), so it is a graphics document, not role=img; it is
    # still named by its title and description.
    svg = page.locator("svg.gantt").first
    assert svg.get_attribute("role") is None
    expect(svg.locator("a[href^='/tiltak/']").first).to_be_attached()
    title_id = svg.get_attribute("aria-labelledby").split()[0]
    assert page.locator(f"svg title#{title_id}").text_content().strip()
    expect(page.locator("table.roadmap-table caption")).to_contain_text("Aktiviteter i veikartet")
    # Legend names every phase in words, not only colours.
    for phase in ("Konsept/mandat", "Utvikling og begrenset utprøving", "Tilpasning og utvidet utprøving", "Innføring", "Ny praksis i bruk"):
        assert phase in svg.text_content()
