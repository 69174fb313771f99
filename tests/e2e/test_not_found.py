"""A link with a path that is no page (`/expo/x`, `/a/b`) shows a page that says the link is not found and links home,
instead of a blank page forever; the page it starts like is one click away with the link's settings kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from policylens.views import PAGES
from tests.e2e.helpers import wait_idle
from tests.e2e.test_a11y import AXE, FAILING, run_axe


# The link home is followed from one path only: the Overview it opens is the same from every path.
@pytest.mark.parametrize(
    "path, follow_home",
    [("/expo/x", True), ("/a/b", False), ("/a", False), ("/research/%3Cb%3Ebold%3C%2Fb%3E/more", False)],
)
def test_a_path_that_is_no_page_says_so_and_links_every_page(server, page, path, follow_home):
    answer = page.goto(server.url + path)
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not found")
    assert page.locator("b").count() == 0  # the path is shown as text, never as markup
    for entry in PAGES:
        expect(page.get_by_role("listitem").get_by_role("link", name=entry.title, exact=True)).to_have_attribute(
            "href", "/" + entry.path
        )
    home = page.get_by_role("link", name="Go to the Overview")
    expect(home).to_have_attribute("href", "/")
    if not follow_home:
        return
    home.click()
    wait_idle(page)
    assert page.url == server.url + "/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Policy Lens", timeout=30_000)  # the Overview
    assert page.get_by_test_id("stException").count() == 0


def test_the_page_a_mangled_link_starts_like_opens_with_its_settings(server, page):
    page.goto(server.url + "/expo/trailing-junk?metric=visitors&edition=3")
    page.get_by_text("starts like the").get_by_role("link", name="Expo (CIIE)").click()
    wait_idle(page)
    assert page.url == server.url + "/expo?metric=visitors&edition=3"
    assert page.get_by_test_id("stException").count() == 0
    # The link's settings reached the page: its metric control shows the metric's name.
    expect(page.get_by_role("combobox", name="Metric")).to_have_value("Visitors", timeout=30_000)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_not_found_page_is_readable_in_both_themes(server, browser, scheme):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(server.url + "/a/" + "very-long-segment" * 20)
        violations = [v for v in run_axe(page, AXE.read_text(encoding="utf-8")) if v["impact"] in FAILING]
        assert violations == [], violations
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(14, 17, 23)")
    finally:
        context.close()
