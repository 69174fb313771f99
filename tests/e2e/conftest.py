"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and real servers (tests/e2e/helpers.py).

These tests never skip: without Debian's chromium-headless-shell they fail, which is what CI must see.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from tests.e2e.helpers import (
    CHROMIUM_ARGS,
    TEST_ARGS,
    TEST_BROWSER,
    WS_COUNTER,
    Server,
    console_error,
    is_keeper,
    keep_site_alive,
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows the end of each of its servers' logs (a server's traceback or warning is often the
    reason: a picture that failed to draw, a run that raised)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when == "call":
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, Server) and (tail := value.log_tail()):
                report.sections.append((f"server log: {name} ({value.url})", tail))


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    assert Path(TEST_BROWSER).exists(), (
        f"The browser tests need Debian's Chromium at {TEST_BROWSER} (apt-get install chromium-headless-shell)."
    )
    return {**browser_type_launch_args, "executable_path": TEST_BROWSER, "args": TEST_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_with_a_process_per_tab(playwright, browser_type_launch_args):
    """Chromium as it runs tabs by default, each in a renderer process of its own (``CHROMIUM_ARGS``, without the
    ``--process-per-site`` of helpers.TEST_ARGS): for the files whose windows of one context work at once (a
    presenter and the audience's window, a phone remote, the cluster's follower), which one process would serve on
    one main thread. (The restart's six tabs reconnect at once but need not draw at once: they share one renderer.)"""
    launched = playwright.chromium.launch(**{**browser_type_launch_args, "args": CHROMIUM_ARGS})
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def server():
    srv = Server({"POLICYLENS_DATA_DIR": ""}).start()
    yield srv
    srv.stop()


_SHARED_CONTEXTS: dict[str, object] = {}  # per worker: context arguments -> one browser context


@pytest.fixture
def page(request, browser, browser_context_args):
    """A new tab for the test, in a browser context shared by the tests of this worker that ask for the same context
    arguments (a ``browser_context_args`` marker makes its own): Streamlit's bundle then comes from the browser's
    cache, compiled once, as for a person who opened the app before, instead of fresh for every test (issue 21: a
    fresh context per test cost each test a cold load). Each test still starts with no cookie, no permission and no
    storage of an earlier one, and its tabs are closed after it. A test that asks for ``context`` itself (to route,
    go offline or add scripts to every tab) gets a fresh context of its own, as before."""
    if "context" in request.fixturenames:
        context = request.getfixturevalue("context")
        yield context.new_page()
        return
    args = dict(browser_context_args)
    marker = request.node.get_closest_marker("browser_context_args")
    args.update(marker.kwargs if marker else {})
    key = repr((id(browser), sorted(args.items(), key=lambda kv: kv[0])))
    context = _SHARED_CONTEXTS.get(key)
    if context is None:
        context = _SHARED_CONTEXTS[key] = browser.new_context(**args)
        keep_site_alive(context)  # the site's renderer outlives each test's tabs (helpers.TEST_ARGS)
    tab = context.new_page()
    yield tab
    for opened in [tab for tab in context.pages if not is_keeper(tab)]:
        # A page that crashed or is navigating keeps its storage here; it is closed all the same.
        with contextlib.suppress(Exception):
            if opened.url.startswith("http"):
                opened.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        opened.close()
    context.clear_cookies()
    context.clear_permissions()


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
