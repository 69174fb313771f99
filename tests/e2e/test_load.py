"""Twenty sessions at once against one server (benchmarks/load.py, short): every page drawn, every chart click
answered by a finished update, no exception box, no JavaScript error (times are benchmarks', not this test's).

The full benchmark (50 sessions, and a 20-minute soak) is run by hand; its figures are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

from benchmarks.load import ROUTE, run, warm
from tests.e2e.helpers import Server

SESSIONS = 20


def _in_thread(function, *args):
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def test_twenty_sessions_at_once_draw_and_answer_clicks_without_an_error():
    server = Server({"POLICYLENS_DATA_DIR": ""}).start()
    try:
        _in_thread(warm, server.url)
        # In a thread of its own: the browser tests before this one leave Playwright's sync API running in this
        # thread, and the async clients may not share its loop.
        figures = _in_thread(
            asyncio.run,
            run(
                server.url,
                server.proc.pid,
                sessions=SESSIONS,
                per_context=5,
                visits=1,
                timeout=240,
                ramp=5,
                settle_after=10,
            ),
        )
    finally:
        server.stop()
    print(f"\n{SESSIONS} sessions: page {figures['load']}; update {figures['update']}; memory {figures['memory_mib']}")
    assert figures["errors"] == []
    assert figures["loads"] == SESSIONS and figures["updates"] == SESSIONS
    assert {path for _, path, _ in ROUTE} == {"/expo", "/", "/voices"}
