"""`make bench`'s phases through Streamlit's protocol (benchmarks/stclient.py): what each page's run sends, server
memory per open session, and 50 sessions clicking at once."""

from __future__ import annotations

import asyncio
import statistics
import time

from benchmarks.bench_setup import BARE_CLICK, CLICKS, PAGES, Click, Clock
from benchmarks.procstat import cpu_seconds, percentile, rss_mib
from benchmarks.stclient import RunError, Session, bar_point, index_point, node_point
from tests.e2e.helpers import Server

# -------------------------------------------------------------------------------------------------- protocol passes


async def count_pages(url: str, paths: list[str]) -> dict:
    """One protocol-level visit of each page: what its run sends (elements, blocks, charts, bytes) and its time."""
    out = {}
    for path in paths:
        session = await Session(url).connect()
        try:
            await session.open(path)  # the first run of a page pays imports and caches
            run = await session.open(path)
            out[path] = {
                "seconds": run.seconds,
                "elements": run.elements,
                "blocks": run.blocks,
                "charts": run.kinds.get("plotly_chart", 0),
                "bytes": run.bytes,
                "chart_bytes": run.chart_bytes,
                "kinds": dict(run.kinds.most_common()),
            }
        finally:
            await session.close()
    return out


def _point(click: Click, spec: str, mark: str) -> dict:
    if click.kind == "node":
        return node_point(spec, mark)
    if click.kind == "index":
        return index_point(int(mark))
    return bar_point(spec, mark)


async def _click_loop(session: Session, click: Click, round_no: int) -> float:
    mark = click.marks[round_no % 2]
    before = session.query
    run = await session.select(click.key, _point(click, session.last.charts[click.key]["spec"], mark))
    if click.kind != "index" and session.query == before:
        raise RunError(f"{click.name}: the click on {mark} left the link unchanged")
    return run.seconds


async def _open_sessions(url: str, targets: list[str], batch: int = 5) -> list[Session]:
    sessions: list[Session] = []
    try:
        for start in range(0, len(targets), batch):
            group = [await Session(url).connect() for _ in targets[start : start + batch]]
            sessions.extend(group)
            await asyncio.gather(*(s.open(path) for s, path in zip(group, targets[start : start + batch], strict=True)))
    except BaseException:
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
        raise
    return sessions


async def session_memory(servers: dict[str, Server], levels: list[int], clock: Clock) -> dict:
    """RSS after each level of open sessions, per server (levels alternate between the servers), and the
    least-squares slope in MB per session. The app's sessions open its pages in turn, the bare server's its page."""
    paths = {"app": PAGES, "bare": ["/"]}
    sessions: dict[str, list[Session]] = {name: [] for name in servers}
    points: dict[str, list[tuple[int, float]]] = {name: [] for name in servers}
    try:
        for level in levels:
            for name, server in servers.items():
                if not clock.allows(10, first=level in levels[:2]):
                    break
                wanted = [paths[name][i % len(paths[name])] for i in range(len(sessions[name]), level)]
                sessions[name] += await _open_sessions(server.url, wanted)
                await asyncio.sleep(1.5)
                points[name].append((level, rss_mib(server.proc.pid)))
    finally:
        for group in sessions.values():
            await asyncio.gather(*(s.close() for s in group), return_exceptions=True)
    return {
        name: {"points": p, "mb_per_session": slope(p) * 1.048576 if len(p) > 1 else None} for name, p in points.items()
    }


def slope(points: list[tuple[float, float]]) -> float:
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    den = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / den if den else float("nan")


async def concurrent_clicks(app: Server, bare: Server, sessions_n: int, rounds: int, clock: Clock) -> dict:
    """``sessions_n`` sessions per server, all clicking at once, ``rounds`` times, alternating the servers."""
    plan = {
        "app": [CLICKS[i % len(CLICKS)] for i in range(sessions_n)],
        "bare": [BARE_CLICK] * sessions_n,
    }
    urls = {"app": app.url, "bare": bare.url}
    pids = {"app": app.proc.pid, "bare": bare.proc.pid}
    out: dict = {}
    opened: dict[str, list[Session]] = {}
    try:
        for name in ("app", "bare"):
            started = time.perf_counter()
            opened[name] = await _open_sessions(urls[name], [c.path for c in plan[name]])
            out[name] = {
                "open_seconds": time.perf_counter() - started,
                "latencies": [],
                "errors": [],
                "by_page": {},
                "server_cpu_s": 0.0,
            }
        for round_no in range(rounds):
            for name in ("app", "bare"):
                if not clock.allows(10, first=round_no == 0):
                    out[name].setdefault("skipped", 0)
                    out[name]["skipped"] += 1
                    continue
                jobs = [_click_loop(s, c, round_no) for s, c in zip(opened[name], plan[name], strict=True)]
                started, cpu = time.perf_counter(), cpu_seconds(pids[name])
                results = await asyncio.gather(*jobs, return_exceptions=True)
                out[name].setdefault("round_seconds", []).append(time.perf_counter() - started)
                out[name]["server_cpu_s"] += cpu_seconds(pids[name]) - cpu
                for click, result in zip(plan[name], results, strict=True):
                    if isinstance(result, BaseException):
                        out[name]["errors"].append(f"{click.name}: {type(result).__name__}: {result}"[:200])
                    else:
                        out[name]["latencies"].append(result)
                        out[name]["by_page"].setdefault(click.name, []).append(result)
                await asyncio.sleep(1.0)
    finally:
        for sessions in opened.values():
            await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
    for name in out:
        values = out[name]["latencies"]
        clicks = len(values) + len(out[name]["errors"])
        out[name].update(
            {
                "p50": percentile(values, 0.5),
                "p95": percentile(values, 0.95),
                "max": max(values, default=None),
                # The server's CPU per click, whatever else the machine does; times the sessions, the time a round
                # takes on one otherwise idle core (one process: the GIL runs one script at a time).
                "cpu_per_click_s": out[name]["server_cpu_s"] / clicks if clicks else None,
            }
        )
    return out
