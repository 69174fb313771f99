"""Twenty sessions at once against one server (benchmarks/load.py, short): every page drawn, every chart click
answered by a finished update, no exception box, no JavaScript error (times are benchmarks', not this test's).

The full benchmark (50 sessions, and a 20-minute soak) is run by hand; its figures are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import asyncio

from benchmarks.load import ROUTE, run
from tests.e2e.helpers import TEST_BROWSER, Server
from tests.helpers import in_thread

SESSIONS = 20


def test_twenty_sessions_at_once_draw_and_answer_clicks_without_an_error():
    server = Server({"POLICYLENS_DATA_DIR": ""}).start()
    try:
        # No ``benchmarks.load.warm`` first: it makes the memory baseline warm for the benchmark, which this test does
        # not assert, and the server builds every page's default view before it serves (server/warmup.py).
        figures = in_thread(
            asyncio.run,
            run(
                server.url,
                server.proc.pid,
                sessions=SESSIONS,
                per_context=10,  # two browser contexts, each with its first (cold) load of the bundle
                visits=1,
                timeout=240,
                ramp=5,
                settle_after=0,  # the memory after closing is the benchmark's (benchmarks/load.py), not asserted here
                executable=TEST_BROWSER,  # the browser of the other browser tests (tests/e2e/helpers.py)
            ),
        )
    finally:
        server.stop()
    print(f"\n{SESSIONS} sessions: page {figures['load']}; update {figures['update']}; memory {figures['memory_mib']}")
    assert figures["errors"] == []
    assert figures["loads"] == SESSIONS and figures["updates"] == SESSIONS
    assert {path for _, path, _ in ROUTE} == {"/expo", "/", "/voices"}
