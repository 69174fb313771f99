"""Data policy in a real browser: pillars from the link, clicks on the treemap, the highlighted timeline entry."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import open_page, wait_idle

SELECTED_RGB = "rgb(213, 94, 0)"  # palette.SELECTED

SLICE_BOX_JS = """(el, id) => {
  const slice = [...el.querySelectorAll('g.slice')].find(s => s.__data__.data.data.id === id);
  const box = slice.querySelector('path.surface').getBoundingClientRect();
  return {x: box.x + box.width / 2, y: box.y + box.height / 2};
}"""

POINT_FILL_JS = """(el, id) => {
  const trace = el.querySelector('g.trace.scatter').__data__[0].trace;
  const point = [...el.querySelectorAll('g.points path.point')].find(p => trace.customdata[p.__data__.i][0] === id);
  return getComputedStyle(point).fill;
}"""


def click_slice(page, slice_id):
    treemap = page.get_by_test_id("stPlotlyChart").first
    treemap.scroll_into_view_if_needed()
    box = treemap.evaluate(SLICE_BOX_JS, slice_id)
    page.mouse.click(box["x"], box["y"])


def test_governance_pillar_lists_articles_14_to_16(server, page, js_errors):
    open_page(page, server.url + "/policy?pillar=governance")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    # The pills show the pillars' names; the link keeps the id.
    pills = page.get_by_role("toolbar", name="Pillars of the article")
    expect(pills.get_by_role("button", pressed=True)).to_have_text("Security governance")
    expect(pills).to_contain_text("Data property rights")
    expect(pills).not_to_contain_text("property-rights")
    listing = page.locator(".st-key-pillar-articles")
    expect(listing).to_contain_text("14 · 创新政府数据治理机制 · Innovate government data-governance mechanisms")
    expect(listing).to_contain_text("15 · 压实企业的数据治理责任 · Enforce enterprises' data-governance responsibility")
    expect(listing).to_contain_text(
        "16 · 充分发挥社会力量多方参与的协同治理作用 · Multi-party collaborative governance"
    )
    expect(listing).to_contain_text("(working translation)")
    numbers = [line.split(" · ")[0].strip() for line in listing.inner_text().splitlines() if " · " in line]
    assert numbers == ["14", "15", "16"]
    expect(listing).not_to_contain_text("Government's guiding and regulating role")  # article 13
    expect(listing).not_to_contain_text("Strengthen organisational leadership")  # article 17
    timeline = page.get_by_test_id("stPlotlyChart").nth(1)
    timeline.scroll_into_view_if_needed()
    assert timeline.evaluate(POINT_FILL_JS, "2022-12-data-20-measures") == SELECTED_RGB
    assert timeline.evaluate(POINT_FILL_JS, "2021-06-data-security-law") == "rgb(0, 114, 178)"


def test_clicking_article_3_opens_its_detail(server, page, js_errors):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_page(page, server.url + "/policy")
    expect(page.locator(".st-key-article-detail")).to_have_count(0)
    click_slice(page, "article-3")
    page.wait_for_url(re.compile(r"[?&]article=3(&|$)"))
    wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    detail = page.locator(".st-key-article-detail")
    expect(detail).to_contain_text("Article 3: 探索数据产权结构性分置制度")
    expect(detail).to_contain_text("Explore structural separation of data property rights (working translation)")
    expect(detail).to_contain_text("Pillar: Data property rights")
    expect(detail.get_by_role("link", name=re.compile("dzrgw.cn"))).to_have_attribute(
        "href", "https://dzrgw.cn/?p=5767"
    )
    assert "pillar=" not in page.url  # an article click sets the article and nothing else
    # The select shows the article's number and title; the link says article=3.
    expect(page.get_by_role("combobox", name="Article (1 to 20)")).to_have_value(
        "Article 3: 探索数据产权结构性分置制度 · Explore structural separation of data property rights"
    )


def test_clicking_part_v_chooses_the_governance_pillar(server, page, js_errors):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_page(page, server.url + "/policy")
    treemap = page.get_by_test_id("stPlotlyChart").first
    treemap.scroll_into_view_if_needed()
    # The part's own band: its header strip above its articles.
    box = treemap.evaluate(
        """(el) => { const s = [...el.querySelectorAll('g.slice')].find(s => s.__data__.data.data.id === 'part-V');
                     const b = s.querySelector('path.surface').getBoundingClientRect();
                     return {x: b.x + 8, y: b.y + 8}; }"""
    )
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(re.compile(r"[?&]pillar=governance(&|$)"))
    wait_idle(page)
    expect(page.locator(".st-key-pillar-articles")).to_contain_text("14 · 创新政府数据治理机制")
    pills = page.get_by_role("toolbar", name="Pillars of the article")
    expect(pills.get_by_role("button", pressed=True)).to_have_text("Security governance")
    assert "article=" not in page.url  # a part click sets the pillar and nothing else


def test_clicking_a_milestone_keeps_its_type(server, page, js_errors):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_page(page, server.url + "/policy")
    timeline = page.get_by_test_id("stPlotlyChart").nth(1)
    timeline.scroll_into_view_if_needed()
    box = timeline.evaluate(
        """(el) => { const trace = el.querySelector('g.trace.scatter').__data__[0].trace;
                     const p = [...el.querySelectorAll('g.points path.point')]
                        .find(p => trace.customdata[p.__data__.i][0] === '2021-06-data-security-law');
                     const b = p.getBoundingClientRect(); return {x: b.x + b.width / 2, y: b.y + b.height / 2}; }"""
    )
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(re.compile(r"[?&]type=law(&|$)"))
    wait_idle(page)
    # The type control shows the type's name; the link keeps the id.
    chosen = page.locator(".st-key-type [data-tag]")
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_text("Law")
    table = page.get_by_test_id("stDataFrame").last
    expect(table).to_contain_text("Data Security Law adopted")
    expect(table).not_to_contain_text("Data 20 Measures")
