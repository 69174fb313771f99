"""The presenter view and its room, in real browsers (issue 22): the presenter's laptop (1366x900) and the audience
window on the projector (1920x1080) are two sessions that move together, by key and by jump; a follower on a phone
follows, cannot move the room, and gets a button back after moving on their own.

The lags printed (``-s``) are measured from the key press in the presenter window to the audience window showing
the new slide's number; timings are reported, never asserted (README).
"""

from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from policylens.views import load_deck
from tests.e2e.helpers import WS_COUNTER, act, console_error, wait_idle


@pytest.fixture(scope="session")
def browser(browser_with_a_process_per_tab):
    """Each tab in a renderer process of its own (tests/e2e/conftest.py): this file's windows work at once."""
    return browser_with_a_process_per_tab


_, SLIDES = load_deck()
COUNT = len(SLIDES)


def window(browser, width: int, height: int, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.add_init_script(WS_COUNTER)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: (error := console_error(msg)) and errors.append(error))
    return context, page, errors


def room_of(page) -> str:
    found = re.search(r"[?&]room=([A-Z0-9]+)", page.url)
    assert found, page.url
    return found.group(1)


def position(page):
    return page.locator(".st-key-slide-position")


def room_slide(server, code: str) -> int:
    with urllib.request.urlopen(f"{server.url}/api/rooms/{code}", timeout=5) as response:
        return json.load(response)["slide"]


def shows(page, number: int, timeout: float = 10_000) -> float:
    """Wait until ``page`` shows slide ``number``; returns when it did (time.monotonic())."""
    expect(position(page)).to_have_text(f"{number} / {COUNT}", timeout=timeout)
    return time.monotonic()


def open_presenter(server, browser):
    context, page, errors = window(browser, 1366, 900)
    page.goto(server.url + "/story?presenter=true")
    wait_idle(page)
    return context, page, errors


def test_presenter_and_audience_move_together_by_key_and_by_jump(server, browser):
    presenter, page, errors = open_presenter(server, browser)
    audience_context, audience, audience_errors = window(browser, 1920, 1080)
    try:
        code = room_of(page)
        # What the presenter sees: the slide, the next one, the notes, the clock and the list.
        expect(page.locator(".st-key-presenter-current")).to_contain_text(SLIDES[0].title)
        expect(page.locator(".st-key-presenter-next")).to_contain_text(SLIDES[1].title)
        expect(page.locator(".st-key-presenter-notes")).to_contain_text("Say what the dashboard does")
        clock = page.locator(".st-key-presenter-clock")
        expect(clock).to_have_text(re.compile(r"^\d:\d\d:\d\d · \d\d:\d\d\s*$"))
        ticked = clock.inner_text()
        expect(clock).not_to_have_text(ticked, timeout=3_000)  # the elapsed time runs
        expect(page.locator(".st-key-presenter-list button")).to_have_count(COUNT)

        # The audience window: the button opens it in a new window, with the deck presented, in the room.
        button = page.get_by_role("link", name="Open the audience window")
        href = button.get_attribute("href")
        assert button.get_attribute("target") == "_blank"
        assert f"room={code}" in href and "present=true" in href and "presenter" not in href, href
        with presenter.expect_page() as opened:
            button.click()
        opened.value.close()
        audience.goto(href)
        wait_idle(audience)
        shows(audience, 1)
        expect(audience.locator(".st-key-speaker-notes")).to_have_count(0)  # no notes on the projector
        expect(audience.get_by_test_id("stHeader")).to_be_hidden()

        lags = []
        for key, expected in [("ArrowRight", 2), ("ArrowRight", 3), ("ArrowLeft", 2), ("End", COUNT), ("Home", 1)]:
            pressed = time.monotonic()
            act(page, lambda key=key: page.keyboard.press(key))
            shows(page, expected)
            lags.append(round(shows(audience, expected) - pressed, 3))
            expect(page.locator(".st-key-presenter-notes")).to_contain_text(
                SLIDES[expected - 1].notes.split("\n")[0][:40]
            )
        for number in (7, 4):  # a jump from the slide list
            pressed = time.monotonic()
            page.locator(f".st-key-jump-{number} button").click()
            shows(page, number)
            lags.append(round(shows(audience, number) - pressed, 3))
            expect(audience.locator(".st-key-slide-title")).to_contain_text(SLIDES[number - 1].title[:20])
        assert room_slide(server, code) == 4
        print(f"\naudience lag after a key press or jump (s): {lags}")
        assert errors == [] and audience_errors == []
    finally:
        presenter.close()
        audience_context.close()


def test_a_follower_cannot_move_the_room_and_gets_a_button_back(server, browser):
    presenter, page, errors = open_presenter(server, browser)
    phone_context, phone, phone_errors = window(browser, 390, 844, is_mobile=True, has_touch=True)
    try:
        code = room_of(page)
        follow = page.get_by_role("button", name="Follow the presenter")
        follow.click()
        body = page.get_by_test_id("stPopoverBody")
        expect(body.get_by_text(f"/story?room={code}")).to_be_visible()  # the follow link: the code, no secret
        qr = body.get_by_test_id("stImage").locator("img")
        expect(qr).to_be_visible()  # its QR code
        # The picture is in the page itself, drawn (no media file that another session's run could delete first).
        expect(qr).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
        assert qr.evaluate("img => img.complete && img.naturalWidth > 100")
        expect(body).to_contain_text(f"Room {code}")
        page.keyboard.press("Escape")

        act(page, lambda: page.keyboard.press("ArrowRight"))
        shows(page, 2)
        phone.goto(f"{server.url}/story?room={code}")
        wait_idle(phone)
        shows(phone, 2)  # a follower who arrives late lands on the presenter's slide
        expect(phone.get_by_text(f"Following the presenter (room {code})")).to_be_visible()

        # The follower moves on their own: only their window moves.
        phone.get_by_role("button", name="Next").click()
        shows(phone, 3)
        back = phone.get_by_role("button", name="Follow the presenter again")
        expect(back).to_be_visible()
        time.sleep(1)
        assert room_slide(server, code) == 2
        expect(position(page)).to_have_text(f"2 / {COUNT}")

        # The presenter moves on; the follower who left stays where they are until they come back.
        act(page, lambda: page.keyboard.press("ArrowRight"))
        act(page, lambda: page.keyboard.press("ArrowRight"))
        shows(page, 4)
        time.sleep(1)
        expect(position(phone)).to_have_text(f"3 / {COUNT}")
        back.click()
        shows(phone, 4)
        expect(phone.get_by_role("button", name="Follow the presenter again")).to_have_count(0)
        act(page, lambda: page.keyboard.press("ArrowRight"))
        shows(phone, 5)

        # What a room code reads: the slide number, and nothing else.
        with urllib.request.urlopen(f"{server.url}/api/rooms/{code}", timeout=5) as response:
            assert json.load(response) == {"room": code, "slide": 5}
        assert errors == [] and phone_errors == []
    finally:
        presenter.close()
        phone_context.close()
