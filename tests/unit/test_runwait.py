"""server/runwait.py: a fragment's rerun asked while the session's last run is ending waits for that run's messages.

The race itself, in Chromium against a real server: tests/e2e/test_run_tail.py.
"""

from __future__ import annotations

import asyncio
import inspect
import time

from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import ScriptRunner
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests, ScriptRequestType

from server import runwait
from tests.helpers import in_thread


class _Requests:
    def __init__(self, state):
        self._state = state


class _Runner:
    def __init__(self, state):
        self._requests = _Requests(state)


class _Session:
    """What runwait reads of an AppSession: its runner, its loop and its id; ``asked`` records what reached
    Streamlit's own ``request_rerun``."""

    def __init__(self, loop, runner):
        self._event_loop, self._scriptrunner, self.id = loop, runner, "s1"
        self.asked: list[tuple[float, str]] = []


def _ask(session, fragment_id: str) -> None:
    state = ClientState()
    state.fragment_id = fragment_id
    runwait._request_rerun(session, state)


def _original_records(monkeypatch) -> None:
    """Streamlit's own ``request_rerun`` replaced by a record of when it was reached, with which fragment."""
    monkeypatch.setattr(
        runwait, "_original", lambda self, state: self.asked.append((time.monotonic(), state.fragment_id))
    )


def _run(monkeypatch, runner_state, fragment_id, finish_after: float | None, wait: float = 0.3):
    """Ask for a rerun on a loop whose session's runner is in ``runner_state``; the runner shuts down after
    ``finish_after`` seconds (never when None). Returns when Streamlit's request_rerun was reached, in seconds."""
    _original_records(monkeypatch)

    async def main():
        loop = asyncio.get_running_loop()
        session = _Session(loop, _Runner(runner_state))
        started = time.monotonic()
        if finish_after is not None:
            loop.call_later(finish_after, setattr, session, "_scriptrunner", None)  # its SHUTDOWN handled
        _ask(session, fragment_id)
        await asyncio.sleep(wait)
        return [(round(when - started, 3), fragment) for when, fragment in session.asked]

    return in_thread(asyncio.run, main())  # the browser tests may have left a running loop in this thread


def test_a_fragment_rerun_waits_for_a_stopping_runner_to_shut_down(monkeypatch):
    asked = _run(monkeypatch, ScriptRequestType.STOP, "frag", finish_after=0.1)
    assert len(asked) == 1 and asked[0][1] == "frag"
    assert 0.1 <= asked[0][0] < 2.0  # once the old run's messages were out: not before, and not at the 5 s limit


def test_a_fragment_rerun_during_a_run_and_a_whole_rerun_are_asked_at_once(monkeypatch):
    """Within the call: these sessions have no event loop, so a rerun put off for later could not be asked at all."""
    _original_records(monkeypatch)
    running = _Session(None, _Runner(ScriptRequestType.CONTINUE))
    _ask(running, "frag")
    assert [fragment for _, fragment in running.asked] == ["frag"]  # the runner queues it behind the run itself
    ending = _Session(None, _Runner(ScriptRequestType.STOP))
    _ask(ending, "")
    assert [fragment for _, fragment in ending.asked] == [""]  # a whole run replaces the old one anyway


def test_a_runner_that_never_shuts_down_does_not_hold_the_rerun_for_ever(monkeypatch):
    monkeypatch.setattr(runwait, "MAX_WAIT_SECONDS", 0.1)
    asked = _run(monkeypatch, ScriptRequestType.STOP, "frag", finish_after=None)
    assert len(asked) == 1 and 0.1 <= asked[0][0] < 2.0


def test_the_server_installs_it_and_streamlit_still_has_what_it_reads():
    """Were an upgrade to rename what runwait reads, it would quietly do nothing: this says so first. Were Streamlit
    to stop dropping a replaced runner's messages, the fix could go."""
    import server  # noqa: F401  (app.py imports it; it installs runwait)

    assert runwait.installed()
    assert list(inspect.signature(runwait._original).parameters) == ["self", "client_state"]
    init = inspect.getsource(AppSession.__init__)
    assert "self._scriptrunner: " in init and "self._event_loop = " in init
    assert "self._requests = ScriptRequests()" in inspect.getsource(ScriptRunner.__init__)
    assert "self._state = ScriptRequestType.CONTINUE" in inspect.getsource(ScriptRequests.__init__)
    handler = inspect.getsource(AppSession._handle_scriptrunner_event_on_event_loop)
    assert "if sender is not self._scriptrunner:" in handler
    assert "self._scriptrunner = None" in handler
