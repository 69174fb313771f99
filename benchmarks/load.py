"""Load and soak: many browser sessions at once against one Policy Lens server on 127.0.0.1.

Each session is a browser tab (Playwright, Debian's /usr/bin/chromium; several tabs share a browser context to save
memory, every tab is its own Streamlit session). A session opens a shared link in full, reads it (``--think``
seconds on average), clicks the largest bar of its chart and waits until the rerun has finished, reads again, then
moves on to the next page through the sidebar navigation, as a person does; after a failure it opens its next link
in full. Measured: errors (an exception box, a JavaScript error, a dialog, a page or an update that never
finishes), the seconds from ``goto`` to a drawn page, from a click in the sidebar to the next page drawn and from a
chart click to a finished update (median, p95, max), the server's CPU time (per action and as a share of one core),
and its resident memory (its process and children): at the start, at its peak, per session, and after the sessions
close. The machine's load average is sampled too: the browsers run on the same machine as the server.

Run:
    .venv/bin/python benchmarks/load.py                                  # 50 sessions, 3 rounds of the route
    .venv/bin/python benchmarks/load.py --soak 1200 --think 45           # 50 sessions for 20 minutes

Traffic goes only to the server this script starts on 127.0.0.1, and is bounded: ``--sessions`` tabs, ``--rounds``
rounds or ``--soak`` seconds, and a timeout on every wait. Results go to benchmarks/RESULTS.md (by hand, with the
date and the machine). tests/e2e/test_load.py runs a short version (20 sessions, one page and one click each).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import Error as PlaywrightError  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

from benchmarks.procstat import cpu_seconds, percentile, rss_mib  # noqa: E402
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, Server, console_error  # noqa: E402

# The pages a session visits: the link it opens first, the page's path in the sidebar navigation (how a person moves
# on), and the chart marks it clicks (bars: Plotly's `g.point path`).
ROUTE: tuple[tuple[str, str, str], ...] = (
    ("/expo?metric=exhibitors&edition=6", "/expo", ".st-key-card-expo_bars g.point path"),
    ("/?theme=privacy", "/", ".st-key-card-theme_strip g.point path"),
    ("/voices?q=data", "/voices", ".st-key-card-voices-theme-bars g.point path"),
)
NAV_LINK = "[data-testid=stSidebarNavLink]"
IDLE = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid=stSkeleton]');
}"""
RUNNING = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'running'"

NAN = float("nan")  # no figure to take a percentile of


@dataclass
class Results:
    loads: list[float] = field(default_factory=list)  # seconds from goto (a link opened in full) to a drawn page
    moves: list[float] = field(default_factory=list)  # seconds from a click in the sidebar to the next page drawn
    updates: list[float] = field(default_factory=list)  # seconds from a click to a finished rerun
    errors: list[str] = field(default_factory=list)
    memory: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MiB)
    machine_load: list[float] = field(default_factory=list)  # the machine's 1-minute load average


def summary(values: list[float]) -> str:
    if not values:
        return "none"
    return (
        f"n={len(values)}, median {statistics.median(values):.2f} s, p95 {percentile(values, 0.95, NAN):.2f} s, "
        f"max {max(values):.2f} s"
    )


async def wait_idle(page, timeout: float) -> None:
    await page.wait_for_function(IDLE, timeout=timeout * 1000, polling=100)


async def settle(page, timeout: float, sent: list[int] | None = None, before: int = 0) -> bool:
    """After a click: wait for its rerun to start (within 15 s), then for the app to be idle.

    With ``sent`` (the count of messages the tab has sent to the server), a rerun has started when the tab sent a
    message after the click: on a busy machine the browser may draw "running" and "not running" in one frame, so
    the page's script state alone can miss a rerun that happened.
    """
    started = False
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not started:
        if sent is not None and sent[0] > before:
            started = True
            break
        try:
            await page.wait_for_function(RUNNING, timeout=250, polling=20)
            started = True
        except PlaywrightTimeout:
            continue
    await wait_idle(page, timeout)
    return started


async def click_mark(page, selector: str, timeout: float, sent: list[int] | None = None) -> float | None:
    """Click the largest mark of ``selector`` (a bar with a value) and return the seconds to a finished update
    (None: no rerun came). A chart drawn again while it is being clicked is looked up again."""
    for _ in range(3):  # a chart just drawn may not take the first click yet, or be replaced by its next drawing
        marks = page.locator(selector)
        boxes = [await marks.nth(i).bounding_box() for i in range(await marks.count())]
        sized = [(box["width"] * box["height"], i) for i, box in enumerate(boxes) if box]
        if not sized:
            await wait_idle(page, timeout)
            continue
        mark = marks.nth(max(sized)[1])
        try:
            await mark.scroll_into_view_if_needed(timeout=10_000)
            box = await mark.bounding_box()
        except PlaywrightError:  # detached: the chart was drawn again
            continue
        if box is None:
            continue
        started = time.perf_counter()
        before = sent[0] if sent is not None else 0
        await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if await settle(page, timeout, sent, before):
            return time.perf_counter() - started
    return None


async def navigate(page, base: str, path: str, timeout: float) -> None:
    """Go to ``path`` by its link in the sidebar navigation and wait until the page is drawn."""
    links = page.locator(NAV_LINK)
    for i in range(await links.count()):
        href = await links.nth(i).get_attribute("href") or ""
        if href.rstrip("/") == (base + path).rstrip("/"):
            await links.nth(i).click()
            await settle(page, timeout)
            await page.wait_for_function(
                "(path) => location.pathname.replace(/\\/$/, '') === path.replace(/\\/$/, '')", arg=path
            )
            return
    raise RuntimeError(f"no navigation link to {path}")


async def session(
    n: int,
    page,
    base: str,
    results: Results,
    deadline: float,
    visits: int,
    timeout: float,
    think: float = 0,
    progress: bool = False,
) -> None:
    """One person: open each page of the route from its link, read it, click a bar, read again, and so on.

    ``think`` is the mean pause (seconds) a person takes before each click and before the next page: 50 people at
    once keep their tabs open and act now and then, not all in the same second.
    """
    rng = random.Random(n)
    page.set_default_timeout(timeout * 1000)
    fresh = True  # the first visit, and the one after a failure, opens its link in full
    seen: list[str] = []
    sent = [0]  # messages the tab sent to the server (a click's rerun request is one)
    page.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.__setitem__(0, sent[0] + 1)))
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: (error := console_error(msg)) and seen.append(error))
    page.on("dialog", lambda dialog: seen.append(f"dialog: {dialog.message}"))
    done = 0
    while (time.monotonic() < deadline) if deadline else (done < visits):
        link, path, marks = ROUTE[(n + done) % len(ROUTE)]  # sessions start at different pages of the route
        done += 1
        try:
            started = time.perf_counter()
            if fresh:  # the shared link: a full page load
                await page.goto(base + link, timeout=timeout * 1000)
                await wait_idle(page, timeout)
                fresh = False
                results.loads.append(time.perf_counter() - started)
            else:  # then through the sidebar, as a person moves on (the session and its tab stay)
                await navigate(page, base, path, timeout)
                results.moves.append(time.perf_counter() - started)
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            update = await click_mark(page, marks, timeout, sent)
            if update is None:
                results.errors.append(f"session {n} {path}: a click started no rerun")
            else:
                results.updates.append(update)
            if await page.get_by_test_id("stException").count():
                results.errors.append(f"session {n} {path}: an exception box")
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        except Exception as exc:  # noqa: BLE001 (every failure of a session is a counted error, not a crash)
            fresh = True
            results.errors.append(f"session {n} {path}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        results.errors += [f"session {n} {path}: {e[:200]}" for e in seen]
        seen.clear()
        if progress and (len(results.loads) + len(results.moves)) % 50 == 0:
            print(
                f"  {len(results.loads) + len(results.moves)} pages, {len(results.updates)} updates, "
                f"{len(results.errors)} errors",
                file=sys.stderr,
            )


async def sample_memory(pid: int, results: Results, started: float, stop: asyncio.Event, every: float) -> None:
    while not stop.is_set():
        results.memory.append((time.monotonic() - started, rss_mib(pid, children=True)))
        results.machine_load.append(os.getloadavg()[0])
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
        except TimeoutError:
            pass


async def run(
    base: str,
    pid: int,
    sessions: int = 50,
    per_context: int = 5,
    visits: int = 12,
    soak: float = 0,
    think: float = 0,
    timeout: float = 180,
    ramp: float = 20,
    sample_every: float = 2,
    settle_after: float = 60,
    progress: bool = False,
    executable: str = CHROMIUM,
) -> dict:
    """Drive ``sessions`` tabs against ``base`` (a server on 127.0.0.1 whose process is ``pid``); return figures."""
    host = urlsplit(base).hostname
    if host != "127.0.0.1":
        raise ValueError("load is only ever sent to 127.0.0.1")
    results = Results()
    baseline = rss_mib(pid, children=True)
    cpu_before = cpu_seconds(pid, children=True)
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, results, started, stop, sample_every))
    deadline = started + soak if soak else 0
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        contexts = [
            await browser.new_context(viewport={"width": 1280, "height": 900})
            for _ in range((sessions + per_context - 1) // per_context)
        ]
        pages = [await contexts[i // per_context].new_page() for i in range(sessions)]

        async def start(i: int) -> None:
            await asyncio.sleep(ramp * i / max(1, sessions))  # not all at the same millisecond
            await session(i, pages[i], base, results, deadline, visits, timeout, think, progress)

        await asyncio.gather(*(start(i) for i in range(sessions)))
        peak = max(m for _, m in results.memory) if results.memory else rss_mib(pid, children=True)
        at_end = rss_mib(pid, children=True)
        for context in contexts:
            await context.close()
        await browser.close()
    closed = time.monotonic()
    cpu_used = cpu_seconds(pid, children=True) - cpu_before
    load_after = os.getloadavg()[0]
    after: dict[str, float] = {}
    # Streamlit keeps a closed tab's session for server.disconnectedSessionTTL (120 s) before it may drop it: the
    # memory after the sessions close is read until ``settle_after`` seconds, beyond that.
    for wait in sorted({w for w in (10, 60, 150, 300, 600) if w < settle_after} | {settle_after}):
        await asyncio.sleep(max(0, closed + wait - time.monotonic()))
        after[f"{wait:.0f} s"] = rss_mib(pid, children=True)
    stop.set()
    await sampler
    return {
        "sessions": sessions,
        "per_context": per_context,
        "seconds": round(closed - started, 1),
        "loads": len(results.loads),
        "moves": len(results.moves),
        "updates": len(results.updates),
        "errors": results.errors,
        "load": summary(results.loads),
        "move": summary(results.moves),
        "update": summary(results.updates),
        "think_seconds": think,
        "server_cpu_seconds": round(cpu_used, 1),
        "server_cpu_share_of_one_core": round(cpu_used / max(1e-9, closed - started), 2),
        "server_cpu_ms_per_action": round(
            1000 * cpu_used / max(1, len(results.loads) + len(results.moves) + len(results.updates))
        ),
        "machine_load_average": {
            "start": round(load_before, 1),
            "max": round(max(results.machine_load, default=load_before), 1),
            "end": round(load_after, 1),
        },
        "load_p95": percentile(results.loads, 0.95, NAN),
        "move_p95": percentile(results.moves, 0.95, NAN),
        "update_p95": percentile(results.updates, 0.95, NAN),
        "memory_mib": {
            "baseline": round(baseline, 1),
            "peak": round(peak, 1),
            "at_end": round(at_end, 1),
            "per_session": round((peak - baseline) / max(1, sessions), 1),
            **{f"after close {k}": round(v, 1) for k, v in after.items()},
        },
        "memory_series": [(round(t), round(m, 1)) for t, m in results.memory],
    }


def warm(base: str) -> None:
    """One session opens each page once (the datasets are read once per process), so the baseline is warm."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.helpers import wait_idle as wait_idle_sync

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        for link, _, _ in ROUTE:
            page.goto(base + link)
            wait_idle_sync(page)
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--per-context", type=int, default=5, help="tabs (sessions) per browser context")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the route per session (without --soak)")
    parser.add_argument("--soak", type=float, default=0, help="seconds to keep the sessions busy (20 min: 1200)")
    parser.add_argument("--think", type=float, default=15, help="mean seconds a person pauses before each action")
    parser.add_argument("--ramp", type=float, default=60, help="seconds over which the sessions start")
    parser.add_argument("--timeout", type=float, default=180, help="seconds any one wait may take")
    parser.add_argument("--settle", type=float, default=300, help="seconds to watch memory after the sessions close")
    parser.add_argument("--cycles", type=int, default=1, help="times to open and close the sessions on one server")
    parser.add_argument("--json", type=Path, help="write the figures (and the memory series) to this file")
    args = parser.parse_args()
    server = Server({"POLICYLENS_DATA_DIR": ""}).start()
    cycles = []
    try:
        warm(server.url)
        time.sleep(5)
        for cycle in range(args.cycles):  # the same server, sessions opened and closed again: a leak ratchets up
            figures = asyncio.run(
                run(
                    server.url,
                    server.proc.pid,
                    sessions=args.sessions,
                    per_context=args.per_context,
                    visits=args.rounds * len(ROUTE),
                    soak=args.soak,
                    think=args.think,
                    ramp=args.ramp,
                    timeout=args.timeout,
                    sample_every=10 if args.soak else 2,
                    settle_after=args.settle,
                    progress=True,
                )
            )
            cycles.append(figures)
            shown = {k: v for k, v in figures.items() if k not in ("memory_series", "errors")}
            print(f"cycle {cycle + 1} of {args.cycles}:", json.dumps(shown, indent=1))
            print(f"errors: {len(figures['errors'])}")
            for error in figures["errors"][:20]:
                print("  ", error)
    finally:
        server.stop()
    if args.json:
        args.json.write_text(
            json.dumps({"cycles": cycles, "load_average": os.getloadavg()}, indent=1), encoding="utf-8"
        )
    return 1 if any(figures["errors"] for figures in cycles) else 0


if __name__ == "__main__":
    sys.exit(main())
