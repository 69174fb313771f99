"""The follower's lag (issue 22): how long after the presenter's slide change each following window gets its new
slide, with 20 protocol-level followers across two replicas sharing a Redis (`make bench`'s ``rooms`` phase).

Run alone: .venv/bin/python benchmarks/follow_lag.py [--followers 20] [--presses 18] [--json PATH]

Set-up, all on 127.0.0.1 and started here: Debian's redis-server (scripts/redis_local.py) and two ``streamlit run
app.py`` replicas with ``POLICYLENS_REDIS_URL``, as `make cluster` runs them behind nginx (each client talks to its
replica directly, so where a session lands is not left to a cookie). One presenter session opens
``/story?presenter=true`` on replica A and makes a room; the followers open ``/story?present=true&room=CODE``, half
on each replica. A key press is the presenter's rerun with the next slide in its query (the run writes the room
first thing, as a Next click's run does); it goes 1 -> 10 and back, with a random pause of 0.3 to 0.8 s between
presses so a poll's phase is not always the same.

The followers behave as the browser does in what matters here: a run's messages are read as they come, and a
fragment with ``run_every`` gets an auto rerun every interval (the frontend's ``setInterval`` per fragment id, which
a ``stop_auto_rerun`` message clears), so a polling follower costs the server what a browser's would. A follower's
lag is from the presenter's press (its rerun sent) to the follower's run with the new slide finished
(``script_finished`` after the link said the new slide); the first message of that run is reported too. Idle CPU:
both replicas' CPU seconds over a few seconds with every follower open and nobody pressing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages beside it

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks.procstat import cpu_seconds, percentile  # noqa: E402
from benchmarks.stclient import RUN_TIMEOUT, RunError, Session  # noqa: E402
from policylens.views import load_deck  # noqa: E402
from scripts.redis_local import LocalRedis  # noqa: E402
from tests.e2e.helpers import Server  # noqa: E402

GOAL_P95_S = 0.5  # issue 22: the follower's lag after a key press, p95, 20 followers across two replicas
CATCH_UP_S = 10.0  # a follower not on the new slide by then counts as missed
IDLE_S = 5.0  # seconds of idle CPU measured with every follower open


def slide_of(query: str) -> int:
    return int((parse_qs(query).get("slide") or ["1"])[0])


class Follower:
    """One following window at the protocol level: reads every message as it comes, runs its fragments' timers."""

    def __init__(self, url: str):
        self.session = Session(url)
        self.finished: list[tuple[float, int]] = []  # (time, slide the link said) of each finished run
        self.first: list[tuple[float, int]] = []  # (time, slide) when a run's link first said a new slide
        self.slide = 0
        self.runs = 0
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}
        self._reader: asyncio.Task | None = None
        self._ready = asyncio.Event()

    async def open(self, query: str) -> None:
        await self.session.connect()
        self.session.page_name, self.session.query = "story", query
        self._reader = asyncio.create_task(self._read())
        await self.session.ws.send(self.session._rerun())
        await asyncio.wait_for(self._ready.wait(), RUN_TIMEOUT)

    async def close(self) -> None:
        for _, task in self._timers.values():
            task.cancel()
        if self._reader:
            self._reader.cancel()
        await self.session.close()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            message = BackMsg()
            state = message.rerun_script
            state.query_string = self.session.query
            state.page_name = self.session.page_name
            state.page_script_hash = self.session.page_hash
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
            await self.session.ws.send(message.SerializeToString())

    async def _read(self) -> None:
        while True:
            raw = await self.session.ws.recv()
            now = time.perf_counter()
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if kind == "navigation" and message.navigation.page_script_hash:
                self.session.page_hash = message.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.session.query = message.page_info_changed.query_string
                slide = slide_of(self.session.query)
                if slide != self.slide:
                    self.slide = slide
                    self.first.append((now, slide))
            elif kind == "auto_rerun":
                fragment_id, interval = message.auto_rerun.fragment_id, message.auto_rerun.interval
                old = self._timers.get(fragment_id)
                if old is None or old[0] != interval:
                    if old:
                        old[1].cancel()
                    self._timers[fragment_id] = (interval, asyncio.create_task(self._tick(fragment_id, interval)))
            elif kind == "stop_auto_rerun":
                for fragment_id in message.stop_auto_rerun.fragment_ids:
                    old = self._timers.pop(fragment_id, None)
                    if old:
                        old[1].cancel()
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                if message.delta.new_element.WhichOneof("type") == "exception":
                    raise RunError(f"the app raised: {message.delta.new_element.exception.message}")
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                if status != "FINISHED_EARLY_FOR_RERUN":
                    self.runs += 1  # a fragment's run too: what a polling follower costs
                if status == "FINISHED_SUCCESSFULLY":
                    if not self.slide:
                        self.slide = slide_of(self.session.query)
                    self.finished.append((now, self.slide))
                    self._ready.set()

    def lag(self, slide: int, since: float, what: str = "finished") -> float | None:
        for when, shown in self.finished if what == "finished" else self.first:
            if when >= since and shown == slide:
                return when - since
        return None


async def _press(presenter: Session, code: str, slide: int) -> float:
    presenter.query = f"presenter=true&room={code}&slide={slide}"
    started = time.perf_counter()
    await presenter.ws.send(presenter._rerun())
    await asyncio.wait_for(presenter._until_finished(started), RUN_TIMEOUT)
    return started


async def measure(urls: list[str], pids: list[int], followers_n: int, presses: int, seed: int = 22) -> dict:
    """The lag of ``followers_n`` followers (round robin over ``urls``) over ``presses`` slide changes."""
    rng = random.Random(seed)
    count = len(load_deck()[1])
    presenter = await Session(urls[0]).connect()
    followers: list[Follower] = []
    out: dict = {"followers": followers_n, "replicas": len(urls), "lags": [], "first_message": [], "missed": 0}
    try:
        await presenter.open("/story", "presenter=true")
        code = parse_qs(presenter.query).get("room", [""])[0]
        if not code:
            raise RunError(f"the presenter view made no room: {presenter.query!r}")
        for start in range(0, followers_n, 5):
            group = [Follower(urls[i % len(urls)]) for i in range(start, min(start + 5, followers_n))]
            followers += group
            await asyncio.gather(*(f.open(f"present=true&room={code}") for f in group))
        await asyncio.sleep(2.0)  # every follower's first run and fragments settle
        cpu = cpu_seconds(*pids)
        runs = sum(f.runs for f in followers)
        await asyncio.sleep(IDLE_S)
        out["idle_cpu_percent"] = (cpu_seconds(*pids) - cpu) / IDLE_S * 100
        out["idle_runs_per_s"] = (sum(f.runs for f in followers) - runs) / IDLE_S
        path = list(range(2, count + 1)) + list(range(count - 1, 0, -1))
        cpu = cpu_seconds(*pids)
        started_all = time.perf_counter()
        for step in range(presses):
            slide = path[step % len(path)]
            since = await _press(presenter, code, slide)
            deadline = time.perf_counter() + CATCH_UP_S
            while time.perf_counter() < deadline and any(f.lag(slide, since) is None for f in followers):
                await asyncio.sleep(0.01)
            for f in followers:
                lag, first = f.lag(slide, since), f.lag(slide, since, "first")
                if lag is None:
                    out["missed"] += 1
                else:
                    out["lags"].append(lag)
                if first is not None:
                    out["first_message"].append(first)
            await asyncio.sleep(rng.uniform(0.3, 0.8))
        out["press_cpu_percent"] = (cpu_seconds(*pids) - cpu) / (time.perf_counter() - started_all) * 100
    finally:
        await asyncio.gather(*(f.close() for f in followers), return_exceptions=True)
        await presenter.close()
    lags = out["lags"]
    out.update({
        "presses": presses,
        "p50": percentile(lags, 0.5),
        "p95": percentile(lags, 0.95),
        "max": max(lags, default=None),
        "first_p50": percentile(out["first_message"], 0.5),
        "first_p95": percentile(out["first_message"], 0.95),
    })  # fmt: skip
    return out


def run(folder: Path, followers_n: int = 20, presses: int = 18) -> dict:
    """Redis and two replicas started here, measured, and stopped."""
    redis = LocalRedis(folder).start()
    env = {"POLICYLENS_DATA_DIR": "", "POLICYLENS_REDIS_URL": redis.url}
    servers: list[Server] = []
    try:
        servers = [Server(env).start(), Server(env).start()]
        return asyncio.run(measure([s.url for s in servers], [s.proc.pid for s in servers], followers_n, presses))
    finally:
        for server in servers:
            server.stop()
        redis.stop()


def summary(out: dict) -> str:
    def s(value):
        return "n/a" if value is None else f"{value:.2f} s"

    return (
        f"follower lag, {out['followers']} followers on {out['replicas']} replicas, {out['presses']} presses: "
        f"p50 {s(out['p50'])}, p95 {s(out['p95'])}, max {s(out['max'])}, missed {out['missed']}; first message "
        f"p50 {s(out['first_p50'])}, p95 {s(out['first_p95'])}; idle CPU {out['idle_cpu_percent']:.0f}% of a core "
        f"({out['idle_runs_per_s']:.0f} runs/s), while pressing {out['press_cpu_percent']:.0f}%"
    )


def main() -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=20)
    parser.add_argument("--presses", type=int, default=18)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = run(Path(folder), args.followers, args.presses)
    print(summary(out))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
