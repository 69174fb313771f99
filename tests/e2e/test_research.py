"""Research and patents in a real browser: clicking an area's bar highlights it everywhere and lands in the link."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import open_page, wait_idle

SELECTED_RGB = "rgb(213, 94, 0)"  # palette.SELECTED
MEASURES = ("patent-filings", "granted-patents")

# Every drawn bar of one chart: its area and measure (custom data), its style and its box on the page.
BARS_JS = """(el) => {
  const out = [];
  el.querySelectorAll('g.trace.bars').forEach((g) => {
    const trace = g.__data__[0].trace;
    g.querySelectorAll('g.point').forEach((pt) => {
      const path = pt.querySelector('path');
      const style = getComputedStyle(path);
      const box = path.getBoundingClientRect();
      const custom = trace.customdata[pt.__data__.i];
      out.push({area: custom[0], measure: custom[1], opacity: parseFloat(style.opacity), fill: style.fill,
                stroke: style.stroke, strokeWidth: parseFloat(style.strokeWidth),
                x: box.x + box.width / 2, y: box.y + box.height / 2, width: box.width});
    });
  });
  return out;
}"""


def bars(page, index):
    chart = page.get_by_test_id("stPlotlyChart").nth(index)
    chart.scroll_into_view_if_needed()
    return chart.evaluate(BARS_JS)


def test_clicking_china_highlights_it_in_every_chart(server, page, js_errors):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_page(page, server.url + "/research")
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(3)
    # Nothing is highlighted yet: all of China's and the United States' bars are at full opacity.
    assert {b["opacity"] for b in bars(page, 1) if b["area"] in ("China", "United States")} == {1.0}

    china = next(b for b in bars(page, 0) if b["area"] == "China")
    page.mouse.click(china["x"], china["y"])
    page.wait_for_url(re.compile(r"[?&]area=China(&|$)"))
    wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.locator(".st-key-area")).to_contain_text("China")

    share = bars(page, 0)
    assert [b["fill"] for b in share if b["area"] == "China"] == [SELECTED_RGB]
    assert {b["fill"] for b in share if b["area"] != "China" and b["width"] > 0} == {"rgb(0, 114, 178)"}
    assert {b["opacity"] for b in share if b["area"] != "China"} == {0.35}
    for index in (1, 2):
        drawn = bars(page, index)
        chinese = [b for b in drawn if b["area"] == "China"]
        assert len(chinese) >= 2
        assert all(b["opacity"] == 1.0 and b["stroke"] == SELECTED_RGB and b["strokeWidth"] == 3 for b in chinese)
        assert {b["opacity"] for b in drawn if b["area"] == "United States"} == {0.35}
    # The tick label of China is bold in every chart.
    for index in range(3):
        tick = charts.nth(index).locator("g.ytick text", has_text="China").first
        assert tick.evaluate("t => t.querySelector('tspan[style*=bold], b') !== null || t.innerHTML.includes('bold')")


def test_grouped_bars_sit_side_by_side_within_their_area(server, page, js_errors):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_page(page, server.url + "/research")
    drawn = bars(page, 1)
    for area in ("China", "United States"):
        filed, granted = (next(b for b in drawn if b["area"] == area and b["measure"] == m) for m in MEASURES)
        assert granted["y"] > filed["y"]  # filings above grants, in one group
        assert granted["y"] - filed["y"] < 30
    china = [b["y"] for b in drawn if b["area"] == "China"]
    us = [b["y"] for b in drawn if b["area"] == "United States"]
    assert max(china) < min(us)  # groups do not overlap


def test_a_click_in_the_patents_chart_replaces_the_area_everywhere(server, page, js_errors):
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_page(page, server.url + "/research?area=China")
    us = next(b for b in bars(page, 1) if b["area"] == "United States" and b["measure"] == "granted-patents")
    page.mouse.click(us["x"], us["y"])
    page.wait_for_url(re.compile(r"area=United\+States"))
    wait_idle(page)
    assert "China" not in page.url
    share = bars(page, 0)
    assert [b["fill"] for b in share if b["area"] == "United States"] == [SELECTED_RGB]
    assert [b["opacity"] for b in share if b["area"] == "China"] == [0.35]
    venues = bars(page, 2)
    assert {b["stroke"] for b in venues if b["area"] == "United States"} == {SELECTED_RGB}
