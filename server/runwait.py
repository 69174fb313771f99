"""A fragment's rerun never cuts off the end of the run before it (issue 22: a follower's window left half on the old
slide).

Streamlit 1.67 queues a fragment's rerun behind a run in progress, except in one window: when the run's script has
ended (its runner takes no more requests) but the event loop has not yet sent all of that run's messages. There
``AppSession.request_rerun`` starts a new runner at once, and every message of the old runner still waiting on the
loop is dropped as coming "from a non-current ScriptRunner". The end of the run (its last elements and its "finished")
never reaches the browser, which keeps the top of the new view above the bottom of the old one until the next full
run. The Story's fragment timers (the presenter's clock every second, a follower's room check every 5 s) and the
server's push to followers (components/follow_push.py) meet that window when the loop is busy: the follower bench saw
1 to 9 of 360 moves end so (benchmarks/RESULTS.md). tests/e2e/test_run_tail.py makes the window happen on purpose.

``install()`` makes such a fragment rerun wait on the event loop until the old runner has shut down (its last message
handed out, ``_scriptrunner`` back to None), then asks as before. A full rerun is unchanged: it replaces the old run
anyway. Without the internals this needs (another Streamlit), the check answers "not stopping" and nothing changes.
``server/__init__.py`` installs it when ``app.py`` is imported.
"""

from __future__ import annotations

import asyncio
import time

from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

RETRY_SECONDS = 0.002  # how often a waiting fragment rerun looks again
MAX_WAIT_SECONDS = 5.0  # a runner that has not shut down by then: ask anyway, as Streamlit would have at once

_original = AppSession.request_rerun


def stopping(session) -> bool:
    """Whether ``session``'s runner has finished its script but has not shut down yet (its messages may still be on
    their way): a rerun asked now would start a new runner and drop them."""
    runner = getattr(session, "_scriptrunner", None)
    state = getattr(getattr(runner, "_requests", None), "_state", None)
    return runner is not None and state == ScriptRequestType.STOP


def _request_rerun(self, client_state=None) -> None:
    if client_state is not None and client_state.fragment_id:
        _again(self, client_state, time.monotonic() + MAX_WAIT_SECONDS)
    else:
        _original(self, client_state)


def _again(session, client_state, deadline: float) -> None:
    """Ask now, unless the session's last run is still ending (and ``deadline`` not passed): then look again."""
    if stopping(session) and time.monotonic() < deadline:
        _later(session, client_state, deadline)
        return
    _original(session, client_state)


def _later(session, client_state, deadline: float) -> None:
    """Look again shortly, on the session's event loop (where its runner's messages are handed out)."""
    loop = session._event_loop
    try:
        on_loop = asyncio.get_running_loop() is loop
    except RuntimeError:
        on_loop = False
    if on_loop:
        loop.call_later(RETRY_SECONDS, _again, session, client_state, deadline)
    else:  # a request from another thread (Streamlit's file watcher)
        loop.call_soon_threadsafe(loop.call_later, RETRY_SECONDS, _again, session, client_state, deadline)


def install() -> None:
    """From now on, a fragment's rerun asked while the session's last run is ending waits for that run's messages."""
    AppSession.request_rerun = _request_rerun


def installed() -> bool:
    return AppSession.request_rerun is _request_rerun
