"""Twenty sessions at once against one server (benchmarks/load.py, short): every page drawn, every chart click
answered by a finished update, no exception, no JavaScript error (times are benchmarks', not this test's).

Four of the sessions are browser tabs that open a shared link, draw it and click a bar as a person does; the other
sixteen speak Streamlit's protocol as the frontend does (benchmarks/stclient.py): they open a link of the same route,
and click a bar of its chart, all in the same seconds as the tabs. What twenty at once can break is the server's
(runs of many sessions at once, the kept views, the caches), and every one of its answers is read: each run finished,
no exception element, the click's link changed. What only a browser shows (the drawing, a JavaScript error) is read
in the four tabs, under the load of all twenty (until 2026-12-07 all twenty were tabs: 106 s of the suite's CPU-bound
run, most of it Chromium drawing the same three pages; issue 21).

The full benchmark (50 browser sessions, and a 20-minute soak) is run by hand; its figures are in
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

from benchmarks.bench_setup import CLICKS
from benchmarks.load import ROUTE, run
from benchmarks.stclient import RunError, Session, bar_point
from tests.e2e.helpers import TEST_BROWSER, Server
from tests.helpers import in_thread

TABS = 4
PROTOCOL = 16
RAMP = 5  # seconds over which the sessions start, tabs and protocol alike: not all at the same millisecond
# The chart each page of the route is clicked in: the benchmarks' click of that page (benchmarks/bench_setup.py).
CLICK = {click.path: click for click in CLICKS}


async def protocol_session(n: int, url: str) -> list[str]:
    """One session through the protocol: open its link, click its bar; the problems it met ([] for none)."""
    link = ROUTE[n % len(ROUTE)][0]
    parts = urlsplit(link)
    click, chosen = CLICK[parts.path], {v for values in parse_qs(parts.query).values() for v in values}
    key, mark = click.key, next(m for m in click.marks if m not in chosen)  # a bar the link has not chosen
    await asyncio.sleep(RAMP * n / PROTOCOL)
    session = Session(url)
    try:
        await session.connect()
        opened = await session.open(parts.path, parts.query)
        if key not in opened.charts:
            return [f"protocol session {n} {link}: no chart {key}"]
        before = session.query
        clicked = await session.select(key, bar_point(opened.charts[key]["spec"], mark))
        problems = []
        if clicked.status != "FINISHED_SUCCESSFULLY":
            problems.append(f"protocol session {n} {link}: the click's run ended {clicked.status}")
        if session.query == before:
            problems.append(f"protocol session {n} {link}: the click on {mark} left the link {before!r}")
        return problems
    except (RunError, TimeoutError, OSError) as error:
        return [f"protocol session {n} {link}: {type(error).__name__}: {error}"]
    finally:
        await session.close()


async def twenty(server: Server) -> tuple[dict, list[str]]:
    tabs = run(
        server.url,
        server.proc.pid,
        sessions=TABS,
        per_context=TABS,  # one browser context: its first (cold) load of the bundle, then the cache
        visits=1,
        timeout=240,
        ramp=RAMP,
        settle_after=0,  # the memory after closing is the benchmark's (benchmarks/load.py), not asserted here
        executable=TEST_BROWSER,  # the browser of the other browser tests (tests/e2e/helpers.py)
    )
    protocol = [protocol_session(n, server.url) for n in range(PROTOCOL)]
    figures, *problems = await asyncio.gather(tabs, *protocol)
    return figures, [p for session in problems for p in session]


def test_twenty_sessions_at_once_draw_and_answer_clicks_without_an_error(server):
    # No ``benchmarks.load.warm`` first: it makes the memory baseline warm for the benchmark, which this test does not
    # assert, and the server builds every page's default view before it serves (server/warmup.py).
    figures, problems = in_thread(asyncio.run, twenty(server))
    print(f"\n{TABS} tabs and {PROTOCOL} protocol sessions: page {figures['load']}; update {figures['update']}")
    assert figures["errors"] == [] and problems == []
    assert figures["loads"] == TABS and figures["updates"] == TABS
    assert {path for _, path, _ in ROUTE} == {"/expo", "/", "/voices"}
