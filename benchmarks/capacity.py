"""How many concurrent viewers one replica holds, and the two-replica cluster, with clicks answered within 1 s.

Run: .venv/bin/python benchmarks/capacity.py [--levels 10,20,40] [--hold 20] [--think 5] [--mode single|cluster|both]

Viewers are protocol-level clients (Streamlit's own websocket protocol, the protobuf messages of streamlit.proto),
not browsers: a browser costs a core of its own, a client here costs a few milliseconds per click, so the machine's
two cores go to the server. Each viewer opens /expo the way the frontend does (a rerun request naming the page),
then clicks a bar of the Intended deals chart every ``think`` seconds on average (uniformly 0.5x to 1.5x): a rerun
carrying the chart's selection, exactly what the frontend sends for a click. Click-to-update is the time from
sending the click to the server's ``script_finished`` (every delta of the new view sent; the browser's drawing,
about 0.2 s on these machines, is not included). Viewers are added level by level and stay connected; each level
holds for ``hold`` seconds. A level passes when the p95 click-to-update is under 1 s and no click failed; the run
stops after two failing levels in a row (one can be a spike of other work on the machine), and the capacity is the
largest level that passed.

Memory per viewer: the server's resident memory (VmRSS, summed over the replicas) after each level is connected,
as the slope of a least-squares line over the levels. Traffic goes only to 127.0.0.1; every loop is bounded.
Results go to benchmarks/RESULTS.md by hand, with the date and the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.procstat import cpu_seconds, percentile, rss_mib  # noqa: E402
from benchmarks.stclient import Session  # noqa: E402
from scripts.cluster import ROUTE_COOKIE, Cluster  # noqa: E402
from tests.e2e.helpers import Server  # noqa: E402

PAGE = "expo"
CHART_KEY = "expo_bars"
P95_LIMIT = 1.0  # seconds
CLICK_TIMEOUT = 15.0  # seconds: a click unanswered by then counts as failed
MAX_SECONDS = 900  # the whole run stops by then, whatever the levels
NAN = float("nan")  # a level without a click has no percentile


class Viewer:
    """One viewer's session over the websocket (benchmarks/stclient.py): open the page, then click bars."""

    def __init__(self, url: str, route: str | None):
        self.session = Session(url)
        self.route = route
        self.customdata: list = []
        self.latencies: list[float] = []
        self.failures = 0
        self.updated = 0  # clicks after which the link changed

    async def open(self) -> None:
        cookie = {"Cookie": f"{ROUTE_COOKIE}={self.route}"} if self.route else None
        await self.session.connect(headers=cookie)
        run = await asyncio.wait_for(self.session.open("/" + PAGE), CLICK_TIMEOUT * 2)
        chart = run.charts.get(CHART_KEY)
        if chart is None:
            raise RuntimeError("the page drew no Intended deals chart")
        self.customdata = json.loads(chart["spec"])["data"][0].get("customdata", [])

    async def click(self) -> None:
        index = random.randrange(len(self.customdata))
        point = {"curve_number": 0, "point_number": index, "point_index": index, "customdata": self.customdata[index]}
        before = self.session.query
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self.session.select(CHART_KEY, point), CLICK_TIMEOUT)
        except Exception:
            self.failures += 1
            return
        self.latencies.append(time.perf_counter() - started)
        self.updated += self.session.query != before

    async def run(self, think: float, until: float) -> None:
        while time.monotonic() < until:
            pause = think * random.uniform(0.5, 1.5)
            await asyncio.sleep(min(pause, max(0.0, until - time.monotonic())))
            if time.monotonic() >= until:
                break
            await self.click()

    async def close(self) -> None:
        await self.session.close()


async def measure(url: str, pids: list[int], levels: list[int], hold: float, think: float, spread: bool) -> list[dict]:
    viewers: list[Viewer] = []
    rows = []
    deadline = time.monotonic() + MAX_SECONDS
    baseline = rss_mib(*pids)
    try:
        for level in levels:
            if time.monotonic() > deadline:
                break
            opened_at = time.perf_counter()
            while len(viewers) < level:  # add viewers a few at a time, as people arrive
                batch = [Viewer(url, uuid.uuid4().hex if spread else None) for _ in range(min(5, level - len(viewers)))]
                await asyncio.gather(*(v.open() for v in batch))
                viewers.extend(batch)
            open_seconds = time.perf_counter() - opened_at
            await asyncio.sleep(2)
            connected_rss = rss_mib(*pids)
            for viewer in viewers:
                viewer.latencies, viewer.failures, viewer.updated = [], 0, 0
            cpu_before = resource.getrusage(resource.RUSAGE_SELF)
            server_before = cpu_seconds(*pids)
            until = time.monotonic() + hold
            await asyncio.gather(*(v.run(think, until) for v in viewers))
            cpu_after = resource.getrusage(resource.RUSAGE_SELF)
            server_cpu = cpu_seconds(*pids) - server_before
            latencies = [x for v in viewers for x in v.latencies]
            row = {
                "viewers": level,
                "clicks": len(latencies),
                "failed": sum(v.failures for v in viewers),
                "link_changed": sum(v.updated for v in viewers),
                "p50": percentile(latencies, 0.5, NAN),
                "p95": percentile(latencies, 0.95, NAN),
                "max": max(latencies, default=float("nan")),
                "rss_mib": connected_rss,
                "rss_baseline_mib": baseline,
                "open_s": open_seconds,
                # The server's CPU per click: what a click costs whatever else the machine does.
                "server_cpu_per_click": server_cpu / len(latencies) if latencies else float("nan"),
                "client_cpu_s": (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime),
                # Other work on the machine moves every figure: the 1-minute load average says how much there was.
                "load": os.getloadavg()[0],
            }
            rows.append(row)
            print(
                f"{level:4d} viewers: {row['clicks']:4d} clicks, {row['failed']} failed, p50 {row['p50']:.3f} s, "
                f"p95 {row['p95']:.3f} s, max {row['max']:.3f} s, RSS {connected_rss:.0f} MiB "
                f"(baseline {baseline:.0f}), client CPU {row['client_cpu_s']:.1f} s in {hold:.0f} s, "
                f"load {row['load']:.1f}, server CPU per click {row['server_cpu_per_click'] * 1000:.0f} ms",
                flush=True,
            )
            # One failing level can be a spike of other work on the machine; two in a row end the run.
            if len(rows) >= 2 and all(r["failed"] or r["p95"] >= P95_LIMIT for r in rows[-2:]):
                break
    finally:
        await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)
    return rows


def slope(rows: list[dict]) -> float:
    """MiB per viewer: least squares over (viewers, RSS), baseline (0 viewers) included."""
    points = [(0, rows[0]["rss_baseline_mib"])] + [(r["viewers"], r["rss_mib"]) for r in rows]
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    num = sum((x - mean_x) * (y - mean_y) for x, y in points)
    den = sum((x - mean_x) ** 2 for x, _ in points)
    return num / den if den else float("nan")


def summary(name: str, rows: list[dict]) -> None:
    held = [r for r in rows if not r["failed"] and r["p95"] < P95_LIMIT]
    best = max((r["viewers"] for r in held), default=0)
    print(f"\n{name}: held {best} viewers with p95 click-to-update under {P95_LIMIT:.0f} s; "
          f"memory per viewer {slope(rows):.2f} MiB")  # fmt: skip
    print("| viewers | clicks | link changed | failed | p50 s | p95 s | max s | server RSS MiB | CPU ms/click | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['viewers']} | {r['clicks']} | {r['link_changed']} | {r['failed']} | {r['p50']:.3f} "
            f"| {r['p95']:.3f} | {r['max']:.3f} | {r['rss_mib']:.0f} | {r['server_cpu_per_click'] * 1000:.0f} "
            f"| {r['load']:.1f} |"
        )


def warm(url: str) -> None:
    """One viewer opens the page and clicks once: imports, caches and the first run are not measured."""

    async def once():
        viewer = Viewer(url, None)
        await viewer.open()
        await viewer.click()
        await viewer.close()

    asyncio.run(once())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--levels", default="5,10,15,20,30,40,50,60,80,100,120,160")
    parser.add_argument("--hold", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--mode", choices=("single", "cluster", "both"), default="both")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    random.seed(9)
    print(f"viewers click every {args.think:.1f} s on average; levels hold {args.hold:.0f} s; load {os.getloadavg()}")
    if args.mode in ("single", "both"):
        server = Server({"POLICYLENS_DATA_DIR": ""}).start()
        try:
            warm(server.url)
            rows = asyncio.run(measure(server.url, [server.proc.pid], levels, args.hold, args.think, spread=False))
        finally:
            server.stop()
        summary("one replica (streamlit run app.py)", rows)
    if args.mode in ("cluster", "both"):
        cluster = Cluster(replicas=2, env_extra={"POLICYLENS_DATA_DIR": ""}).start()
        try:
            for replica in cluster.replicas:
                warm(replica.url)
            pids = [r.proc.pid for r in cluster.replicas]
            rows = asyncio.run(measure(cluster.url, pids, levels, args.hold, args.think, spread=True))
        finally:
            cluster.stop()
            cluster.cleanup()
        summary("two replicas behind nginx (scripts/cluster.py)", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
