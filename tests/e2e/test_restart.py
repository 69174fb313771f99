"""A server restart under open pages: every open page reconnects and shows its view again from its link, with no
exception box; and a deep link opened first on the restarted server, in a new tab, shows its exact view.

The pages are tabs of one browser, open at once: the Expo with an edition chosen, Voices with a search, a slide of
the Story, an opened paragraph, a dataset of Sources and method, a policy article. While the server is down each
tab shows that it lost the connection; when it is back, each reconnects by itself (no reload) and reruns its page
from the link in its address bar: the server knows nothing of the sessions it had before.

Streamlit's frontend asks a new server for a run only when the page has a fragment on a timer; without one (as
before components/link.py added it) a tab reconnected and kept showing the old server's drawing, which this test
tells apart by the bytes the new connection carries.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import Server, open_page, wait_idle
from tests.e2e.test_links import (
    check_expo,
    check_policy,
    check_research,
    check_sources,
    check_story,
    check_themes,
    check_voices,
)

OPEN = [
    ("/expo?edition=6&edition=7&metric=exhibitors", check_expo),
    ("/voices?q=privacy&theme=privacy", check_voices),
    ("/story?slide=3", check_story),
    ("/themes?paragraph=12", check_themes),
    ("/sources?dataset=claims", check_sources),
    ("/policy?pillar=governance&article=15", check_policy),
]
# Opened only after the restart, in a new tab: a new session of a process that never drew it, with nothing of the view
# but its link, while the browser's cache holds Streamlit's bundle, as a reader's does. (Until 2026-12-06 this was
# tests/e2e/test_links.py's own test, with a server and a restart of its own, opening every view of OPEN in a new tab
# too: the tabs above rerun each of those from their links on the new process already.)
FIRST_AFTER = ("/research?measure=granted-patents&area=United+States", check_research)
REDRAWN_BYTES = 10_000  # a page drawn anew sends 20 to 60 KB; a reconnection alone, a few hundred bytes
STATE = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-connection-state')"


def watch(ws, sizes: list[int]) -> None:
    """Count the bytes a websocket receives (Streamlit's stream: every element the server draws)."""
    sizes.append(0)
    index = len(sizes) - 1

    def add(payload) -> None:
        sizes[index] += len(payload)

    ws.on("framereceived", add)


@pytest.fixture
def restartable():
    server = Server({"POLICYLENS_DATA_DIR": ""}).start()
    yield server
    server.stop()


def test_open_pages_reconnect_after_a_restart_and_a_new_link_shows_its_view(restartable, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tabs = []
    uncaught: list[str] = []
    received: dict[str, list[int]] = {}  # link -> bytes each of the tab's websockets received, in order
    for link, check in OPEN:  # opened at once, as a reader's tabs restored with the browser are
        page = context.new_page()
        page.on("pageerror", lambda exc, link=link: uncaught.append(f"{link}: {exc}"))
        page.on("websocket", lambda ws, link=link: watch(ws, received.setdefault(link, [])))
        page.goto(restartable.url + link, wait_until="commit")
        tabs.append((page, link, check))
    for page, _, check in tabs:
        wait_idle(page)
        check(page)

    before = {link: len(sockets) for link, sockets in received.items()}
    restartable.stop()
    for page, _, _ in tabs:  # each tab notices that its server is gone
        page.wait_for_function(f"() => ({STATE})() !== 'CONNECTED'", timeout=60_000)
    restartable.start()  # the same port: the links in the tabs are unchanged

    for page, link, check in tabs:
        page.bring_to_front()
        # The view comes from the new server: over a new connection, the page is drawn again (tens of kilobytes).
        deadline = time.monotonic() + 120
        while sum(received[link][before[link] :]) < REDRAWN_BYTES and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert len(received[link]) > before[link], f"{link}: no new connection"
        assert sum(received[link][before[link] :]) >= REDRAWN_BYTES, f"{link}: the new server drew nothing"
        wait_idle(page, timeout=120_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        check(page)
        assert page.url == restartable.url + link, "the link in the address bar is kept exactly"

    link, check = FIRST_AFTER
    page = context.new_page()
    page.on("pageerror", lambda exc: uncaught.append(f"{link}: {exc}"))
    open_page(page, restartable.url + link)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    check(page)
    assert page.url == restartable.url + link, "the link itself is kept exactly"
    assert uncaught == []
    context.close()
