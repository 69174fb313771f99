"""The Expo page in a real browser: clicks land in the link and the detail, gaps read "not reported"."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.e2e.helpers import wait_idle

BARS = ".st-key-card-expo_bars g.barlayer g.point path"
POINTS = ".st-key-card-expo_scatter g.points path.point"
# The machine may be shared with other test runs: give the first draw of a page more time than open_page's 30 s.
SLOW = 90_000


def open_expo(page, url: str) -> None:
    page.goto(url)
    wait_idle(page, SLOW)


def editions_in_link(page) -> list[str]:
    return parse_qs(urlparse(page.url).query).get("edition", [])


def click_mark(page, selector: str, index: int, *, shift: bool = False) -> None:
    """Plotly's drag layer swallows locator.click(): click the mark's centre with the mouse."""
    mark = page.locator(selector).nth(index)
    mark.scroll_into_view_if_needed()
    expect(mark).to_be_visible()
    box = mark.bounding_box()
    if shift:
        page.keyboard.down("Shift")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    if shift:
        page.keyboard.up("Shift")
    # The click's rerun starts a moment after the click; wait for it to show in the link, then for the page.
    page.wait_for_timeout(300)
    wait_idle(page, SLOW)


def test_clicking_bars_chooses_editions_into_link_and_detail(server, page, js_errors):
    open_expo(page, server.url + "/expo")
    expect(page.locator(BARS)).to_have_count(8)
    click_mark(page, BARS, 5)  # 2023, the 6th edition
    page.wait_for_url(re.compile(r"edition=6"))
    assert editions_in_link(page) == ["6"]
    detail = page.locator(".st-key-expo-detail-6")
    expect(detail).to_contain_text("6th CIIE, 2023")
    expect(detail).to_contain_text("3,486")
    expect(detail).to_contain_text("USD 78.41 bn")
    expect(detail).to_contain_text("Shanghai Daily (shine.cn)")

    click_mark(page, BARS, 6, shift=True)  # 2024 joins
    page.wait_for_url(re.compile(r"edition=7"))
    assert editions_in_link(page) == ["6", "7"]
    expect(page.locator(".st-key-expo-detail-7")).to_contain_text("3,496")
    expect(page.locator(".st-key-expo-detail-6")).to_contain_text("3,486")

    click_mark(page, BARS, 5)  # a click on a chosen bar takes its edition out again
    page.wait_for_url(lambda url: "edition=6" not in url)
    assert editions_in_link(page) == ["7"]
    expect(page.locator(".st-key-expo-detail-6")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_clicking_a_scatter_point_chooses_its_edition(server, page, js_errors):
    open_expo(page, server.url + "/expo?edition=6")
    expect(page.locator(POINTS)).to_have_count(8)
    click_mark(page, POINTS, 7)  # 2025, the 8th edition
    page.wait_for_url(re.compile(r"edition=8"))
    assert editions_in_link(page) == ["6", "8"]
    expect(page.locator(".st-key-expo-detail-8")).to_contain_text("4,108")
    expect(page.locator(".st-key-expo-detail-8")).to_contain_text("USD 83.49 bn")


def test_visitors_gaps_are_labelled_not_reported(server, page, js_errors):
    open_expo(page, server.url + "/expo?metric=visitors")
    card = page.locator(".st-key-card-expo_bars")
    expect(card.locator("g.annotation text", has_text="not reported")).to_have_count(1)  # only the 3rd edition
    expect(card.locator("g.annotation text", has_text="the article's edition")).to_have_count(1)
    expect(card.locator("text.bartext", has_text="910,000+")).to_have_count(1)
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text("Definitions differ between editions")
