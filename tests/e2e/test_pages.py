"""Each page in a real browser: no exception box, no JavaScript error, the values a person would read."""

import re

import pytest
from playwright.sync_api import expect

from policylens.views import PAGES
from tests.e2e.helpers import AT_ITS_OWN_ADDRESS, Visit, act, click_mark, open_page, wait_idle


def test_overview_reads_headline_figures_and_the_evidence_behind_one_opens_its_dataset(server, page, js_errors):
    open_page(page, server.url + "/")
    main = page.get_by_test_id("stMain")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    exhibitors = page.locator(".st-key-claim-c03")
    expect(exhibitors).to_contain_text("over 3400")
    expect(exhibitors).to_contain_text("3,486")
    expect(exhibitors).to_contain_text("Source is more precise")
    filings = main.locator(".st-key-claim-c07")
    # The article's claim is about filings and holds on AI Index 2022; grants name their edition. The counting basis
    # of the filings was not read (re-check 2026-12-06, 7.1).
    expect(filings).to_contain_text("China 51.7% of the world's AI patent filings in 2021 (United States 16.9%)")
    expect(filings).to_contain_text("Consistent")
    expect(filings).to_contain_text("AI Index 2022 (data year 2021) gives the United States 39.6%")
    expect(page.get_by_text(re.compile(r"data version"))).to_be_visible()
    # A claim's evidence popover shows the article's words, the figure and the row, and opens the dataset (until
    # 2026-12-07 a test of its own opened the Overview again; issue 21).
    page.locator(".st-key-claim-c03").get_by_role("button", name="Evidence").click()
    body = page.get_by_test_id("stPopoverBody")
    expect(body).to_contain_text("Over 3400 enterprises")
    expect(body).to_contain_text("3,486 companies from 128 countries and regions")
    expect(body).to_contain_text("dataset expo")
    body.get_by_role("link", name="Open the dataset: China International Import Expo, editions 1 to 8").click()
    page.wait_for_url(server.url + "/sources?dataset=expo")
    wait_idle(page)
    # The dataset's page from that link: its heading and its CSV (until 2026-12-07 a test of its own opened the same
    # link; issue 21).
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("Import Expo"))).to_be_visible()
    button = page.get_by_role("button", name="Download expo.csv")
    expect(button).to_be_visible()
    with page.expect_download() as download_info:
        button.click()
    text = open(download_info.value.path(), encoding="utf-8").read()
    assert "6,2023,exhibitors,3486," in text


def test_theme_strip_click_sets_the_shared_filter_and_it_survives_navigation(server, page, js_errors):
    open_page(page, server.url + "/")
    bars = page.locator(".st-key-card-theme_strip g.point path")
    expect(bars).to_have_count(11)
    labels = page.locator(".st-key-card-theme_strip .xtick text").evaluate_all("els => els.map(e => e.textContent)")
    privacy = labels.index("Privacy")
    research = labels.index("Research")
    click_mark(page, bars.nth(research))
    assert page.url.endswith("/?theme=research")
    # The Overview follows its own filter: the claims of the paragraphs tagged Research.
    expect(page.locator(".st-key-overview-theme-note")).to_contain_text("tagged Research")
    expect(page.locator(".st-key-claim-c03")).to_have_count(0)
    click_mark(page, bars.nth(research))
    assert "theme=" not in page.url
    expect(page.locator(".st-key-claim-c03")).to_have_count(1)
    click_mark(page, bars.nth(privacy))
    assert page.url.endswith("/?theme=privacy")
    sidebar_filter = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
    expect(sidebar_filter).to_contain_text("Privacy")  # the filter shows the theme's label, the link its id
    talent = labels.index("Talent")
    click_mark(page, bars.nth(talent))
    assert "theme=privacy" in page.url and "theme=talent" in page.url
    click_mark(page, bars.nth(privacy))  # a second click removes it again
    assert "theme=privacy" not in page.url and "theme=talent" in page.url
    act(page, lambda: page.get_by_test_id("stSidebarNavLink").filter(has_text="Sources and method").click())
    assert "/sources" in page.url and "theme=talent" in page.url
    expect(sidebar_filter).to_contain_text("Talent")


def test_presentation_mode_hides_the_chrome_and_the_exit_brings_it_back(server, page, js_errors):
    open_page(page, server.url + "/sources?dataset=expo&present=true")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_test_id("stHeader")).to_be_hidden()
    font_size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert font_size == "20px"
    act(page, lambda: page.get_by_role("button", name="Exit presentation").click())
    assert "present=true" not in page.url and "dataset=expo" in page.url
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    expect(page.get_by_test_id("stHeader")).to_be_visible()
    expect(page.get_by_role("button", name="Exit presentation")).to_have_count(0)


def test_share_gives_the_exact_current_link_and_a_citation(server, page, js_errors):
    open_page(page, server.url + "/sources?dataset=claims&theme=privacy&theme=talent")
    page.get_by_test_id("stPopover").filter(has_text="Share and cite").get_by_role("button").click()
    blocks = page.get_by_test_id("stPopoverBody").get_by_test_id("stCode")
    expect(blocks).to_have_count(3)
    link = blocks.nth(0).locator("code").inner_text().strip()
    assert page.url == server.url + "/sources?dataset=claims&theme=privacy&theme=talent"
    # The pinned link is the current one (every default already written) with the data version.
    assert re.fullmatch(re.escape(page.url) + r"(&present=false)?&v=[0-9a-f]{10}", link), link
    cite = blocks.nth(1).locator("code").inner_text()
    assert "“Sources and method” (data version" in cite and link in cite
    assert "\\url{" + link + "}" in blocks.nth(2).locator("code").inner_text()


def phone_expo(page):
    expect(page.locator(".st-key-expo-detail-6")).to_be_visible()
    expect(page.locator(".st-key-expo-detail-6")).to_contain_text("154")


def phone_research(page):
    expect(page.locator(".st-key-card-research_share")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(3)  # three charts for a publications measure


def phone_policy(page):
    expect(page.locator(".st-key-article-detail")).to_be_visible()


def phone_voices(page):
    expect(page.locator("[class*='st-key-statement-s']").first).to_be_visible()


def phone_themes(page):
    expect(page.locator(".st-key-opened-paragraph")).to_be_visible()
    # Every column of the keyword table fits: none is left off-screen in its own scroll box.
    table_width, box_width = page.locator(".st-key-keyword-table table").evaluate(
        "t => [t.scrollWidth, t.parentElement.clientWidth]"
    )
    assert table_width <= box_width


# Each page once, at its widest view: its details opened (an article, a paragraph with the keyword table, an
# edition's detail, three research charts, search results), so that what a link opens also fits; beside each, what
# shows that the detail is drawn.
PHONE_VIEWS = {
    "/": None,
    "/expo?edition=6&metric=countries_regions_ios": phone_expo,
    "/research?area=China&edition=AI+Index+2023&measure=journal-publications": phone_research,
    "/policy?pillar=governance&article=3": phone_policy,
    "/voices?q=data": phone_voices,
    "/themes?paragraph=12": phone_themes,
    "/sources": None,
    "/story": None,
    "/analyze": None,
}


def test_the_phone_walk_covers_every_page():
    assert sorted(link.split("?")[0] for link in PHONE_VIEWS) == sorted(p.url for p in PAGES)


@pytest.mark.parametrize("path", list(PHONE_VIEWS))
def test_no_page_scrolls_sideways_on_a_phone(server, page, path):
    """A first visit from a phone: nothing is wider than the screen. Each is a cold load (a fresh browser), so the
    same loads also check that a cold page link lives with the Content-Security-Policy and asks for the server only
    at its own address (the desktop walk of tests/e2e/test_a11y.py checks them on warm loads after its first)."""
    visit = Visit(page)
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, server.url + path)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    if PHONE_VIEWS[path]:
        PHONE_VIEWS[path](page)
    # Streamlit's main area is a scroll box of its own: content wider than the screen widens it, not the document.
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.querySelector('[data-testid=stMain]').scrollWidth]"
    )
    assert max(widths) <= 390, f"{widths} px wide (the page, its main area) on a 390 px screen"
    assert visit.violations() == [], "Content-Security-Policy violations"
    assert visit.server_addresses() == AT_ITS_OWN_ADDRESS, "asked for the server elsewhere than at its address"
    assert visit.errors == [], "JavaScript or console errors"
