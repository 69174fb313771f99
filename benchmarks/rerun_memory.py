"""Server memory and CPU over many reruns: does the app's garbage-collection policy hold memory flat?

Run: .venv/bin/python benchmarks/rerun_memory.py [--sessions 20] [--rounds 60]

Starts the app twice on 127.0.0.1, one after the other: as it is served (the warm-up, ``gc.freeze()`` and Python's
own generational collector; server/warmup.py) and as plain Streamlit runs it (``POLICYLENS_WARMUP=0``: a full
``gc.collect()`` after every script run, nothing frozen). Each time, ``--sessions`` protocol-level sessions
(benchmarks/stclient.py) open the five chart pages and click, all at once, ``--rounds`` times; every click picks a
random mark of its chart, so new views are built, kept and evicted the whole time (the kept views hold 64). The
server's resident memory (VmRSS) and CPU time are sampled every ``--every`` rounds, and once more after the sessions
have closed. Prints a Markdown table per mode; nothing is asserted (times and memory belong in RESULTS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_setup import CLICKS, Click, load_average  # noqa: E402
from benchmarks.procstat import cpu_seconds, rss_mib  # noqa: E402
from benchmarks.stclient import Session, bar_point, node_point  # noqa: E402
from tests.e2e.helpers import Server  # noqa: E402

MODES = {"as served": {}, "plain Streamlit (POLICYLENS_WARMUP=0)": {"POLICYLENS_WARMUP": "0"}}


def marks(click: Click, spec: str) -> list[str]:
    """Every mark of the chart that a click can name: treemap node ids, or the first custom-data value of each bar."""
    figure = json.loads(spec)
    if click.kind == "node":
        return [str(i) for i in figure["data"][0].get("ids") or [] if str(i).startswith("article-")]
    found = []
    for trace in figure.get("data", []):
        for custom in trace.get("customdata") or []:
            if isinstance(custom, list) and custom and str(custom[0]) not in found:
                found.append(str(custom[0]))
    return found


async def click_random(session: Session, click: Click, rng: random.Random) -> None:
    spec = session.last.charts[click.key]["spec"]
    mark = rng.choice(marks(click, spec))
    point = node_point(spec, mark) if click.kind == "node" else bar_point(spec, mark)
    await session.select(click.key, point)


async def run_mode(env: dict[str, str], sessions_n: int, rounds: int, every: int, seed: int) -> list[dict]:
    server = Server({"POLICYLENS_DATA_DIR": "", **env}).start()
    pid, rng, samples = server.proc.pid, random.Random(seed), []
    plan = [CLICKS[i % len(CLICKS)] for i in range(sessions_n)]
    sessions: list[Session] = []
    errors = 0
    try:
        for click in plan:
            session = await Session(server.url).connect()
            sessions.append(session)
            await session.open(click.path)
        cpu0, started = cpu_seconds(pid), time.perf_counter()
        samples.append({"round": 0, "clicks": 0, "rss": rss_mib(pid), "cpu_ms_per_click": None})
        clicks = 0
        for round_no in range(1, rounds + 1):
            cpu = cpu_seconds(pid)
            results = await asyncio.gather(
                *(click_random(s, c, rng) for s, c in zip(sessions, plan, strict=True)), return_exceptions=True
            )
            errors += sum(isinstance(r, BaseException) for r in results)
            clicks += len(results)
            if round_no % every == 0 or round_no == rounds:
                samples.append({
                    "round": round_no, "clicks": clicks, "rss": rss_mib(pid),
                    "cpu_ms_per_click": (cpu_seconds(pid) - cpu) * 1000 / len(results),
                })  # fmt: skip
        samples[-1]["total_cpu_ms_per_click"] = (cpu_seconds(pid) - cpu0) * 1000 / max(clicks, 1)
        samples[-1]["seconds"] = time.perf_counter() - started
    finally:
        await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
        await asyncio.sleep(10)
        samples.append({"round": "closed + 10 s", "clicks": None, "rss": rss_mib(pid), "errors": errors})
        server.stop()
    return samples


def table(name: str, samples: list[dict]) -> str:
    last = next(s for s in reversed(samples) if "total_cpu_ms_per_click" in s)
    lines = [
        f"**{name}**: {last['clicks']} clicks in {last['seconds']:.0f} s, {samples[-1]['errors']} errors, "
        f"server CPU {last['total_cpu_ms_per_click']:.0f} ms per click over the run.",
        "",
        "| after round | clicks | server RSS MiB | CPU ms per click (that round) |",
        "|---|---|---|---|",
    ]
    for s in samples:
        cpu = f"{s['cpu_ms_per_click']:.0f}" if s.get("cpu_ms_per_click") is not None else ""
        lines.append(f"| {s['round']} | {s['clicks'] if s['clicks'] is not None else ''} | {s['rss']:.1f} | {cpu} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--every", type=int, default=10, help="sample memory every this many rounds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--served-only", action="store_true", help="skip the plain-Streamlit run (it is slow)")
    args = parser.parse_args()
    print(f"Load average at the start: {load_average():.1f}")
    for name, env in MODES.items():
        if args.served_only and env:
            continue
        samples = asyncio.run(run_mode(env, args.sessions, args.rounds, args.every, args.seed))
        print(table(name, samples), "\n", flush=True)
    print(f"Load average at the end: {load_average():.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
