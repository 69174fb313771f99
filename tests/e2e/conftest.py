"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and real servers (tests/e2e/helpers.py).

These tests never skip: without /usr/bin/chromium they fail, which is what CI must see.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, WS_COUNTER, Server, console_error
from tests.helpers import copy_data, set_cell


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    assert Path(CHROMIUM).exists(), (
        f"The browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)."
    )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def server():
    srv = Server({"POLICYLENS_DATA_DIR": ""}).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def broken_server(tmp_path_factory):
    broken = copy_data(tmp_path_factory.mktemp("broken"))
    set_cell(broken, "expo", 3, "value", "three thousand")
    srv = Server({"POLICYLENS_DATA_DIR": str(broken)}).start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _count_websocket_messages(request):
    """Tests that use the ``page`` fixture get the websocket message counter that ``click_mark`` reads."""
    if "page" in request.fixturenames:
        request.getfixturevalue("page").add_init_script(WS_COUNTER)


@pytest.fixture
def js_errors(page):
    """JavaScript errors and console errors seen while the test ran; the test fails if any remain."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: (error := console_error(msg)) and errors.append(error))
    yield errors
    assert errors == [], f"JavaScript errors: {errors}"
