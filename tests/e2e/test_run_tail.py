"""A fragment's timer that fires while the server is still sending the end of a run no longer loses that end
(server/runwait.py; issue 22: a follower's window showed the top of the new slide over the bottom of the old one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import Server, open_page

PAGE = Path(__file__).with_name("run_tail_page.py")


@pytest.fixture(scope="module")
def race_server():
    srv = Server(script=PAGE).start()
    yield srv
    srv.stop()


def test_the_end_of_a_run_reaches_the_page_when_a_fragment_rerun_is_asked_while_it_is_sent(race_server, page):
    open_page(page, race_server.url)
    expect(page.get_by_text("Line 2 of run 1")).to_be_visible()
    page.get_by_role("button", name="Run again").click()
    # The run ends while the server's loop is held for a second; then the fragment runs.
    for line in range(3):
        expect(page.get_by_text(f"Line {line} of run 2")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Head of run 2")).to_be_visible()
    expect(page.get_by_text(re.compile(r"of run 1$"))).to_have_count(0)
    expect(page.get_by_text("The fragment ran.")).to_be_visible()
