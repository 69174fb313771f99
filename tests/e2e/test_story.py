"""Story in a real browser: "2 / 10", next and previous in the link, the way to the slide's full page."""

from playwright.sync_api import expect

from policylens.views import load_deck
from tests.e2e.helpers import SHOWN_SLIDE, act, open_page, wait_idle

_, SLIDES = load_deck()
COUNT = len(SLIDES)


def test_next_and_previous_write_the_slide_in_the_link_and_the_view_is_live(server, page, js_errors):
    open_page(page, server.url + "/story?slide=2")
    view = page.locator(SHOWN_SLIDE)
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


# The slide view's charts: whether each is the node marked before the change, whether it shows, and the slide whose
# slot holds it.
CHARTS = """() => [...document.querySelectorAll('.st-key-slide-view .js-plotly-plot')].map((plot) => {
  const shown = plot.checkVisibility({visibilityProperty: true});
  const box = plot.getBoundingClientRect();
  const slot = plot.closest('[class*="st-key-slide-slot-"]');
  const held = slot && slot.querySelector('.pl-held');
  return {kept: plot.__marked === true, shown, width: Math.round(box.width), height: Math.round(box.height),
          slide: held ? +held.dataset.slide : 0};
})"""
MARK = "() => document.querySelectorAll('.js-plotly-plot').forEach((plot) => { plot.__marked = true; })"
# What a person can reach in the slide's container: visible headings, and elements that take the keyboard's focus.
REACHABLE = """() => {
  const view = document.querySelector('.st-key-slide-view');
  const seen = (e) => e.checkVisibility({visibilityProperty: true});
  return {
    headings: [...view.querySelectorAll('h1')].filter(seen).map((h) => h.textContent),
    focusable: [...view.querySelectorAll('a, button, [tabindex]')].filter(seen).length,
    hiddenFocusable: [...view.querySelectorAll('a, button, [tabindex]')].filter((e) => !seen(e) && e.tabIndex >= 0
      && getComputedStyle(e).visibility !== 'hidden').length,
  };
}"""


def charts_drawn(page) -> None:
    """Wait until every chart of the slide's container is drawn: the browser moves only to a slot whose charts are."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.st-key-slide-view [data-testid=stPlotlyChart]')]"
        ".every((chart) => chart.querySelector('.main-svg'))"
    )


def holding_reruns(page):
    """Route the app's websocket through the test: while ``hold["on"]``, what the page sends is kept in ``held``
    (the server hears nothing, so no run starts) until the test sends or drops it."""
    hold: dict = {"on": False, "held": [], "server": None}

    def route(ws):
        server = ws.connect_to_server()
        hold["server"] = server

        def from_page(message):
            if hold["on"]:
                hold["held"].append(message)
            else:
                server.send(message)

        ws.on_message(from_page)

    page.route_web_socket("**/_stcore/stream", route)
    return hold


def test_a_slide_change_shows_the_slide_drawn_before_at_the_key_press_before_any_run(server, page, js_errors):
    """On screen, slide n's neighbours are drawn unseen in their slots; Next (and its key) shows the next one at once,
    in the browser, before the server has heard of the change: its chart is the node drawn before, its title the only
    one a person or a screen reader meets, "2 / 10" already said. The run that follows writes the link and keeps the
    same chart (issue 22). The first change, from slide 1 (no chart), is one of these."""
    hold = holding_reruns(page)
    open_page(page, server.url + "/story")
    charts_drawn(page)
    before = page.evaluate(CHARTS)
    assert [(c["slide"], c["shown"]) for c in before] == [(2, False)] and before[0]["width"] > 500
    assert page.evaluate(REACHABLE)["headings"] == [SLIDES[0].title]
    page.evaluate(MARK)
    hold["on"] = True
    page.keyboard.press("ArrowRight")
    expect(page.locator(".st-key-slide-position")).to_have_text(f"2 / {COUNT}")
    [chart] = page.evaluate(CHARTS)
    assert chart == {**before[0], "kept": True, "shown": True}
    reach = page.evaluate(REACHABLE)
    assert reach["headings"] == [SLIDES[1].title] and reach["hiddenFocusable"] == 0
    assert page.url == server.url + "/story"  # no run yet: the server has not heard of the change
    for _ in range(50):  # the rerun the key asked for, held here (it reaches the test a moment after the page)
        if hold["held"]:
            break
        page.wait_for_timeout(100)
    assert hold["held"]
    hold["on"] = False
    for message in hold["held"]:
        hold["server"].send(message)
    page.wait_for_url(server.url + "/story?slide=2")
    wait_idle(page)
    expect(page.locator(SHOWN_SLIDE).get_by_role("heading", level=1)).to_have_text(SLIDES[1].title)
    charts = page.evaluate(CHARTS)
    assert [c for c in charts if c["shown"]] == [{**chart, "kept": True}]  # still the node drawn before the change
    assert sorted(c["slide"] for c in charts) == [2, 3]  # slide 3 drawn unseen for the next change
    act(page, lambda: page.get_by_role("button", name="Previous").click())
    assert page.url == server.url + "/story"
    assert [(c["slide"], c["shown"], c["kept"]) for c in page.evaluate(CHARTS)] == [(2, False, True)]
    assert page.evaluate(REACHABLE)["headings"] == [SLIDES[0].title]


def test_a_change_the_server_does_not_make_is_undone(server, page, js_errors):
    """The browser moved ahead, but no run came (here the test drops the page's message): after a few seconds the
    page shows again the slide the server drew, and says so in the position."""
    hold = holding_reruns(page)
    open_page(page, server.url + "/story?slide=2")
    charts_drawn(page)
    hold["on"] = True
    page.keyboard.press("Shift+ArrowRight")  # not a key of the Story's (Streamlit's shortcuts match modifiers exactly)
    page.wait_for_timeout(300)
    assert not hold["held"] and page.evaluate(REACHABLE)["headings"] == [SLIDES[1].title]
    page.keyboard.press("ArrowRight")
    expect(page.locator(".st-key-slide-position")).to_have_text(f"3 / {COUNT}")
    assert page.evaluate(REACHABLE)["headings"] == [SLIDES[2].title]
    expect(page.locator(".st-key-slide-position")).to_have_text(f"2 / {COUNT}", timeout=10_000)
    assert page.evaluate(REACHABLE)["headings"] == [SLIDES[1].title]
    assert page.url == server.url + "/story?slide=2"
