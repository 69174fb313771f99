"""Story in a real browser: "2 / 10", next and previous in the link, the way to the slide's full page."""

from playwright.sync_api import expect

from policylens.views import load_deck
from tests.e2e.helpers import act, open_page

_, SLIDES = load_deck()
COUNT = len(SLIDES)


def test_next_and_previous_write_the_slide_in_the_link_and_the_view_is_live(server, page, js_errors):
    open_page(page, server.url + "/story?slide=2")
    view = page.locator(".st-key-slide-view")
    position = page.locator(".st-key-slide-position")
    expect(position).to_have_text(f"2 / {COUNT}")
    expect(view.get_by_role("heading", level=1)).to_contain_text("Over 3400 enterprises")
    expect(view.locator(".js-plotly-plot")).to_have_count(1)
    expect(view).to_contain_text("3,486")
    act(page, lambda: page.get_by_role("button", name="Next").click())
    assert page.url == server.url + "/story?slide=3"
    expect(position).to_have_text(f"3 / {COUNT}")
    expect(view.get_by_role("heading", level=1)).to_contain_text("Intended deals")
    act(page, lambda: page.get_by_role("button", name="Next").click())
    assert page.url == server.url + "/story?slide=4"
    expect(position).to_have_text(f"4 / {COUNT}")
    expect(view.get_by_role("heading", level=1)).to_contain_text(SLIDES[3].title)
    act(page, lambda: page.get_by_role("button", name="Previous").click())
    assert page.url == server.url + "/story?slide=3"
    expect(position).to_have_text(f"3 / {COUNT}")


def test_open_full_page_carries_the_slide_parameters(server, page, js_errors):
    open_page(page, server.url + "/story?slide=2")
    act(page, lambda: page.get_by_role("link", name="Open this view on its full page").click())
    assert page.url.startswith(server.url + "/expo?")
    assert "metric=exhibitors" in page.url and "edition=6" in page.url
    expect(page.locator(".st-key-expo-detail-6")).to_contain_text("3,486")


def test_presenting_a_slide_hides_the_chrome(server, page, js_errors):
    open_page(page, server.url + "/story?slide=4&present=true")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.locator(".st-key-slide-view")).to_contain_text("51.7%")
    act(page, lambda: page.get_by_role("button", name="Next").click())
    assert "slide=5" in page.url and "present=true" in page.url
    expect(page.locator(".st-key-slide-position")).to_have_text(f"5 / {COUNT}")


# The slide view's charts: whether each is the node marked before the change, and whether it shows.
CHARTS = """() => [...document.querySelectorAll('.st-key-slide-view .js-plotly-plot')].map((plot) => {
  let shown = true;
  for (let e = plot; e; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || s.display === 'none') shown = false;
  }
  const box = plot.getBoundingClientRect();
  return {kept: plot.__marked === true, shown, width: Math.round(box.width), height: Math.round(box.height)};
})"""
MARK = "() => document.querySelectorAll('.js-plotly-plot').forEach((plot) => { plot.__marked = true; })"


def test_the_first_change_shows_the_chart_slide_one_drew_unseen(server, page, js_errors):
    """Slide 1 has no chart: it draws slide 2's chart card hidden, the same elements as slide 2 draws, so Next shows
    that chart (the same node, not drawn again) where slide 2's own would be, and Previous hides it again (issue 22)."""
    open_page(page, server.url + "/story")
    [unseen] = page.evaluate(CHARTS)
    assert not unseen["shown"] and unseen["width"] > 500
    page.evaluate(MARK)
    act(page, lambda: page.get_by_role("button", name="Next").click())
    assert page.url == server.url + "/story?slide=2"
    [chart] = page.evaluate(CHARTS)
    assert chart == {**unseen, "kept": True, "shown": True}
    expect(page.locator(".st-key-slide-view .js-plotly-plot")).to_be_visible()
    act(page, lambda: page.get_by_role("button", name="Previous").click())
    assert page.evaluate(CHARTS) == [{**chart, "shown": False}]
