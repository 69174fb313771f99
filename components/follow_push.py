"""Followers moved by the server: when a room's slide changes, every session of this process following that room is
rerun at once (issue 22), instead of each one polling the room.

Why: a fragment polling every 0.2 s in each follower's session cost the server five runs a second per follower
(100 with 20 followers) and still waited up to a poll period. Here the room store tells this process of a change
(policylens/rooms.py: ``watch``, fed by the presenter's move in this process or by one Redis subscriber thread per
process) and each following session gets one rerun, which draws the room's slide.

How: Streamlit 1.67 has no public API to rerun another session. Its runtime does exactly this for "run on save"
(``AppSession._on_source_file_changed`` calls ``request_rerun(self._client_state)``: the session's last page and
link, widgets as they are). This module does the same, on the runtime's event loop, where the session's own rerun
requests are handled, so it never races them:

- only for sessions that said in their last run that they follow the room (``follow``), still on the page they
  said it from, and not already showing the slide;
- never into a run in progress (the follower's own click, or a fragment): it asks again 50 ms later, so a follower's
  click is never cut short by the presenter's move, and a follower who just stopped following is not pulled back.

One change from "run on save": the link is the one the session's view is at (components/link.py ``query_string``,
recorded by ``follow``), not ``_client_state``'s. That one is the address of the session's last run, and when that
run was a fragment's (the presenter's clock, every second) it is the address the browser sent with the request, which
can be older than the view: a clock tick asked for between a click that moved the slide and the browser hearing the
new address carries the slide before the click. Rerun with it, a holder of a room took that old slide for a move of
its own and wrote it to the room (issue 22, seen once under load; tests/e2e/test_presenter_remote.py reproduces it).

The internals it needs are checked each time (``available``); without them (another Streamlit, AppTest) ``follow``
answers False and the follower polls as before.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import link
from policylens import rooms

RETRY_SECONDS = 0.05  # a session busy running is asked again this much later
MAX_TRIES = 200  # ...for at most this many times (10 s): a run longer than that missed this move, not the next

_LOG = logging.getLogger(__name__)
_NEEDED = ("request_rerun", "_client_state", "_scriptrunner", "_event_loop", "id")


@dataclass
class _Follower:
    slide: int  # the slide its last run showed
    page: str  # the page script hash that run was on
    query: str | None  # the link its view is at (components/link.py ``query_string``), None when unknown


_lock = threading.Lock()
_rooms: dict[str, dict[str, _Follower]] = {}  # room code -> session id -> what it shows
_unwatch: dict[str, Callable[[], None]] = {}  # room code -> stops the store's notices


def _session(session_id: str):
    """The AppSession of ``session_id`` when it is connected here and has what a push needs, else None."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return None
        session = Runtime.instance().get_app_session(session_id)  # documented as safe from any thread
    except Exception:
        return None
    if session is None or not all(hasattr(session, name) for name in _NEEDED):
        return None
    return session


def available() -> bool:
    """Whether this session can be pushed (a Streamlit server with the internals above)."""
    ctx = get_script_run_ctx()
    return ctx is not None and _session(ctx.session_id) is not None


def follow(code: str, slide: int) -> bool:
    """This session follows room ``code`` and shows ``slide``: it is rerun when the room moves, with the link its view
    is at now (so call it after this run's last change of the link). False when it cannot be pushed (the caller
    polls)."""
    ctx = get_script_run_ctx()
    if ctx is None or _session(ctx.session_id) is None:
        return False
    with _lock:
        _drop_session(ctx.session_id)
        _rooms.setdefault(code, {})[ctx.session_id] = _Follower(slide, ctx.page_script_hash, link.query_string())
        if code not in _unwatch:
            _unwatch[code] = rooms.store().watch(code, functools.partial(_moved, code))
    return True


def leave() -> None:
    """This session follows no room any more."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        with _lock:
            _drop_session(ctx.session_id)


def followers(code: str) -> int:
    """How many sessions of this process follow ``code`` (tests)."""
    with _lock:
        return len(_rooms.get(code, {}))


def _drop_session(session_id: str) -> None:
    """Under ``_lock``: forget ``session_id`` in every room; a room nobody here follows is no longer watched."""
    for code in [c for c, sessions in _rooms.items() if session_id in sessions]:
        del _rooms[code][session_id]
        if not _rooms[code]:
            del _rooms[code]
            _unwatch.pop(code)()


def _moved(code: str, slide: int | None) -> None:
    """The store's notice (the presenter's thread, or the Redis subscriber): hand each follower behind to the loop."""
    if slide is None:  # "read the room again" (Redis came back)
        try:
            slide = rooms.store().slide(code)
        except rooms.RoomsOffline:
            return
        if slide is None:
            return
    with _lock:
        behind = [sid for sid, follower in _rooms.get(code, {}).items() if follower.slide != slide]
    for session_id in behind:
        session = _session(session_id)
        if session is None:  # closed or disconnected: it registers again when its window runs
            with _lock:
                _drop_session(session_id)
            continue
        try:
            session._event_loop.call_soon_threadsafe(_rerun, session, code, slide, 0)
        except RuntimeError:  # the loop is closed: the server is stopping
            return


def _rerun(session, code: str, slide: int, tries: int) -> None:
    """On the runtime's event loop: rerun ``session`` as "run on save" does, unless it no longer needs it."""
    with _lock:
        follower = _rooms.get(code, {}).get(session.id)
    if follower is None or follower.slide == slide:
        return  # it left the room, or a run of its own already showed the slide
    if session._client_state.page_script_hash != follower.page:
        with _lock:
            _drop_session(session.id)  # it went to another page: it stopped following
        return
    if session._scriptrunner is not None:  # a run in progress: never cut it short
        if tries < MAX_TRIES:
            session._event_loop.call_later(RETRY_SECONDS, _rerun, session, code, slide, tries + 1)
        return
    try:
        session.request_rerun(_client_state(session, follower))
    except Exception:
        _LOG.exception("could not rerun a follower of room %s", code)


def _client_state(session, follower: _Follower) -> ClientState:
    """What "run on save" reruns with (the session's last page, context and widgets), with the link the follower's
    view is at: ``_client_state``'s own can be a fragment request's older address (the module's docstring). A whole
    run: when the session's last request was a fragment's timer, its state names that fragment, and rerun with it
    only the fragment would run (the room check, which then asks for the whole run: two runs for one move)."""
    state = ClientState()
    state.CopyFrom(session._client_state)
    if follower.query is not None:
        state.query_string = follower.query
    state.fragment_id, state.is_auto_rerun = "", False
    return state
