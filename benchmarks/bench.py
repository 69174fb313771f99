"""Issue 10's seven figures in one run, each against a bare Streamlit page measured in the same run (`make bench`).

Run: .venv/bin/python benchmarks/bench.py [--quick] [--no-write] [--json PATH]

Two servers on 127.0.0.1, started here: the app as it is served (``streamlit run app.py``: the ASGI app of server/,
or the plain router where there is none) and the bare page (``benchmarks/bare_page.py``: a title, one clickable
Plotly bar chart and a caption, served by plain ``streamlit run``). Every browser figure alternates between the two
servers (one bare measurement beside each app measurement), so other work on the machine moves both sides; the
ratios are what the goals are about. A third server, for reference only, serves the bare page inside the app's frame
(``benchmarks/framed_page.py``: navigation, sidebar filters, footer; its click highlights the bar, as the app's
charts do): its warm and cold loads and clicks are measured beside the others and reported in their own rows, so a
page's ratio can be read against what the frame costs before any content. The goals stay against the bare page.
Browser figures come from Debian's headless chromium driven by Playwright, timed
inside the page (``performance.now``): a page is *drawn* when its script has run and finished, the app is connected,
no skeleton is left and every Plotly chart the run sent (counted by the protocol client) has its SVG.

1. Warm load of every registry page (browser cache filled): navigation start to drawn.
2. Cold first visit of every page: the same from a fresh browser context (empty cache).
3. Chart click to finished update: mousedown on a mark (``page.mouse``) to drawn again, for the Expo bars, the Research
   share bars, the Policy treemap, the Voices theme bars and the Overview theme strip; two marks clicked in turn, so
   every click changes the view (a toggle or another article). The bare side clicks two of its bars in turn.
4. Story slide change: the Next and Previous buttons, and the Right and Left keys (``st.button(shortcut=...)``).
5. Server memory: resident memory (VmRSS) of each server after the browser figures, and the memory per extra open
   session: sessions opened level by level (protocol clients, round robin over the pages), the least-squares slope.
6. 50 sessions clicking at once on one server: protocol clients (benchmarks/stclient.py), 10 on each chart page,
   all sending a click at the same moment, round after round; the time to each session's ``script_finished``.
7. Lighthouse mobile performance of every page (npm lighthouse, pinned in benchmarks/package.json), through app.py
   (compressed when server/ compresses: checked on a static bundle and reported) and, for reference, of the bare page.

The run is bounded: a deadline for the whole run (``--budget``, 14 minutes by default) and a timeout on every wait;
a figure not measured in time says so in the table. Results are appended to benchmarks/RESULTS.md as a dated
section (earlier runs are kept). Traffic goes only to the servers started here, on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks import firstpaint  # noqa: E402
from benchmarks.procstat import cpu_seconds, percentile, rss_mib  # noqa: E402
from benchmarks.stclient import RunError, Session, bar_point, index_point, node_point  # noqa: E402
from policylens.views import PAGES as REGISTRY  # noqa: E402
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

BENCH = ROOT / "benchmarks"
RESULTS = BENCH / "RESULTS.md"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
PAGES = [page.url for page in REGISTRY]  # every page of the registry, the Story included
VIEWPORT = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class Click:
    name: str
    path: str
    key: str  # the chart's key: its card is .st-key-card-<key>, its element id ends in -<key>
    kind: str  # "bar": a mark whose custom data starts with the id; "node": a treemap node id; "index": the n-th bar
    marks: tuple[str, str]  # clicked in turn A, B, A, B...: every click changes the view


CLICKS = (
    Click("Expo bars", "/expo", "expo_bars", "bar", ("6", "3")),
    Click("Research share bars", "/research", "research_share", "bar", ("China", "United States")),
    Click("Policy treemap", "/policy", "policy_treemap", "node", ("article-3", "article-5")),
    Click("Voices theme bars", "/voices", "voices-theme-bars", "bar", ("research", "privacy")),
    Click("Overview theme strip", "/", "theme_strip", "bar", ("research", "privacy")),
)
BARE_CLICK = Click("bare page", "/", "bare", "index", ("2", "5"))
# The reference pages: the bare page (the goals' yardstick) and the same page inside the app's frame, whose click
# highlights the bar (benchmarks/framed_page.py). Neither is a page of the app; the framed one shows what the frame and
# a highlighting click cost before any content, so a row's ratio can be read against it.
REFERENCES = ("bare", "framed")
FRAMED = "bare page in the app's frame"

GOALS = {
    "warm": 1.3,  # at most this times the bare page
    "cold": 1.1,
    "click": 1.2,
    "slide": 1.2,
    "rss": 1.5,
    "session_mb": 1.0,  # MB per extra open session
    "p95": 2.0,  # seconds, 50 sessions clicking at once
    "lighthouse": 0.55,  # issue 18: every page, medians of three runs
    "lcp_s": 2.5,
    "fcp_s": 1.5,
    "cls": 0.05,
}

# Timing inside the page: `done` is performance.now() when the page is drawn (ms from navigation start on a load);
# `t0` is the timestamp of the mousedown or keydown that started an update. `__benchExpect` is the number of Plotly
# charts the run draws (set before each navigation).
INSTRUMENT = r"""
(() => {
  if (window.top !== window) return;
  const b = window.__bench = {running: false, t0: null, done: null, charts: 0};
  const drawn = () => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app) return false;
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running') { b.running = true; return false; }
    if (!b.running || state !== 'notRunning') return false;
    if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (document.querySelector('[data-testid=stSkeleton]')) return false;
    const charts = document.querySelectorAll('[data-testid=stPlotlyChart]');
    if (charts.length < (window.__benchExpect || 0)) return false;
    for (const chart of charts) if (!chart.querySelector('.main-svg')) return false;
    b.charts = charts.length;
    return true;
  };
  const check = () => { if (b.done === null && drawn()) b.done = performance.now(); };
  new MutationObserver(check).observe(document, {
    subtree: true, attributes: true, attributeFilter: ['data-test-script-state'],
  });
  const frame = () => { check(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  const start = (e) => { if (b.t0 === null) b.t0 = e.timeStamp; };
  addEventListener('mousedown', start, true);
  addEventListener('keydown', start, true);
  window.__benchArm = () => { b.running = false; b.t0 = null; b.done = null; };
})();
"""

# The centre of a mark of the chart inside `el`, found by its id (see Click.kind); null when not drawn or empty.
MARK_JS = """(el, [kind, id]) => {
  const centre = (node) => {
    const b = node.getBoundingClientRect();
    return b.width > 1 && b.height > 1 ? {x: b.x + b.width / 2, y: b.y + b.height / 2} : null;
  };
  if (kind === 'node') {
    const slice = [...el.querySelectorAll('g.slice')].find((s) => s.__data__ && s.__data__.data.data.id === id);
    return slice ? centre(slice.querySelector('path.surface')) : null;
  }
  for (const g of el.querySelectorAll('g.trace.bars')) {
    const trace = g.__data__[0].trace;
    for (const pt of g.querySelectorAll('g.point')) {
      const i = pt.__data__.i;
      let value = i;
      if (kind === 'bar') {
        const custom = trace.customdata ? trace.customdata[i] : null;
        value = Array.isArray(custom) ? custom[0] : (custom && typeof custom === 'object' ? custom['0'] : custom);
      }
      if (String(value) === id) {
        const path = pt.querySelector('path');
        return path ? centre(path) : null;
      }
    }
  }
  return null;
}"""


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def load_average() -> float:
    return os.getloadavg()[0]


class Clock:
    """A deadline: the run's, or a phase's share of it. Every phase asks before each measurement whether there is
    time left, so a slow machine shortens the run rather than lengthening it, and no phase starves the next."""

    def __init__(self, budget: float, deadline: float | None = None, hard: float | None = None):
        self.started = time.monotonic()
        self.budget = budget
        self.deadline = deadline if deadline is not None else self.started + budget
        self.hard = hard if hard is not None else self.deadline  # the run's own deadline

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def allows(self, margin: float, first: bool = False) -> bool:
        """Whether another measurement fits: a phase's first sample of each item only needs the run's time."""
        return (self.hard if first else self.deadline) - time.monotonic() > margin

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def share(self, fraction: float) -> Clock:
        """A phase's deadline: ``fraction`` of the run's budget from now, never past the run's own deadline."""
        return Clock(self.budget, min(self.deadline, time.monotonic() + fraction * self.budget), self.hard)


# Each phase's share of the budget; Lighthouse (last) gets whatever the others left. On this 2-core machine, unloaded,
# the phases before Lighthouse take about 5 minutes of the 14.
PHASES = ("warm", "cold", "clicks", "slides", "memory", "sessions", "firstpaint", "lighthouse")
SHARES = {
    "warm": 0.07,
    "cold": 0.1,
    "clicks": 0.08,
    "slides": 0.04,
    "memory": 0.04,
    "sessions": 0.08,
    "firstpaint": 0.08,
}


@dataclass
class Results:
    started: str = ""
    quick: bool = False
    machine: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    compression: str = ""
    protocol: dict = field(default_factory=dict)  # path -> one run's counts (protocol client)
    warm: dict = field(default_factory=dict)  # path -> [seconds]; "bare" too
    cold: dict = field(default_factory=dict)
    clicks: dict = field(default_factory=dict)  # name -> [seconds]; "bare" too
    slides: dict = field(default_factory=dict)  # "button" / "key" -> [seconds]
    misses: list = field(default_factory=list)  # what could not be measured, and why
    memory: dict = field(default_factory=dict)
    concurrency: dict = field(default_factory=dict)
    lighthouse: dict = field(default_factory=dict)  # path -> audit summary (medians of the runs); "bare" too
    first_paint: dict = field(default_factory=dict)  # path -> [per-run paints in ms]; "bare" too
    html: dict = field(default_factory=dict)  # path -> bytes of the first HTML response
    load: dict = field(default_factory=dict)  # phase -> 1-minute load average at its end
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------------- machine and servers


def machine() -> dict:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    import streamlit

    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "chromium": chromium,
        "load_at_start": round(load_average(), 1),
    }


def compression_of(url: str) -> str:
    """How the server answers a static bundle asked for with gzip: its Content-Encoding, or 'none'."""
    with urllib.request.urlopen(url + "/", timeout=30) as response:
        html = response.read().decode("utf-8", "replace")
    match = re.search(r"""(?:src|href)="\.?/?(static/js/[^"]+\.js)""", html)
    if not match:
        return "unknown (no static bundle in the page)"
    request = urllib.request.Request(f"{url}/{match.group(1)}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return response.headers.get("Content-Encoding") or "none"


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


# ---------------------------------------------------------------------------------------------------- browser parts


class Browser:
    def __init__(self, playwright):
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def context(self):
        context = self.browser.new_context(viewport=VIEWPORT)
        context.add_init_script(INSTRUMENT)
        return context

    def close(self):
        self.browser.close()


def drawn_load(page, url: str, charts: int, timeout: float = 90_000) -> float:
    """Seconds from navigation start to drawn, timed in the page."""
    page.add_init_script(f"window.__benchExpect = {int(charts)};")
    page.goto(url, wait_until="commit", timeout=timeout)
    page.wait_for_function("() => window.__bench && window.__bench.done !== null", timeout=timeout, polling=50)
    return page.evaluate("window.__bench.done") / 1000


def timed_update(page, act, timeout: float = 60_000) -> float | None:
    """Seconds from the mousedown or keydown of ``act`` to drawn again; None when no rerun started (a missed click)."""
    page.evaluate("window.__benchArm()")
    act()
    try:
        page.wait_for_function(
            "() => window.__bench.running || window.__bench.done !== null", timeout=5_000, polling=20
        )
    except PlaywrightTimeout:
        return None
    page.wait_for_function("() => window.__bench.done !== null", timeout=timeout, polling=50)
    done, t0 = page.evaluate("[window.__bench.done, window.__bench.t0]")
    return (done - t0) / 1000 if t0 is not None else None


def click_mark(page, click: Click, mark: str) -> float | None:
    card = page.locator(f".st-key-card-{click.key}" if click.kind != "index" else "[data-testid=stPlotlyChart]").first
    for _ in range(2):  # a chart just drawn may not take its first click: once more if no rerun followed
        card.scroll_into_view_if_needed()
        plot = card.locator(".js-plotly-plot").first
        box = plot.evaluate(MARK_JS, [click.kind, mark])
        if box is None:
            raise RuntimeError(f"{click.name}: no mark {mark!r} drawn")
        seconds = timed_update(page, lambda b=box: page.mouse.click(b["x"], b["y"]))
        if seconds is not None:
            return seconds
    return None


def warm_loads(browser: Browser, servers: dict, charts: dict, runs: int, res: Results, clock: Clock) -> None:
    contexts = {name: browser.context() for name in servers}
    pages = {name: contexts[name].new_page() for name in servers}
    try:
        drawn_load(pages["bare"], servers["bare"].url + "/", 1)  # fill each context's cache
        if "framed" in pages:
            drawn_load(pages["framed"], servers["framed"].url + "/", 1)
        for path in PAGES:
            drawn_load(pages["app"], servers["app"].url + path, charts[path])
        for run in range(runs):
            for path in PAGES:
                if not clock.allows(5, first=run == 0):
                    res.misses.append(f"warm loads: run {run + 1} stopped at `{path}` (time budget)")
                    return
                res.warm.setdefault("bare", []).append(drawn_load(pages["bare"], servers["bare"].url + "/", 1))
                if "framed" in pages and path == PAGES[0]:  # once a round is enough for a reference
                    res.warm.setdefault("framed", []).append(
                        drawn_load(pages["framed"], servers["framed"].url + "/", 1)
                    )
                res.warm.setdefault(path, []).append(drawn_load(pages["app"], servers["app"].url + path, charts[path]))
    finally:
        for context in contexts.values():
            context.close()


def cold_loads(browser: Browser, servers: dict, charts: dict, runs: int, res: Results, clock: Clock) -> None:
    def once(name: str, path: str, n: int) -> float:
        context = browser.context()
        try:
            return drawn_load(context.new_page(), servers[name].url + path, n)
        finally:
            context.close()

    for run in range(runs):
        for path in PAGES:
            if not clock.allows(10, first=run == 0):
                res.misses.append(f"cold loads: run {run + 1} stopped at `{path}` (time budget)")
                return
            res.cold.setdefault("bare", []).append(once("bare", "/", 1))
            if "framed" in servers and path == PAGES[0]:
                res.cold.setdefault("framed", []).append(once("framed", "/", 1))
            res.cold.setdefault(path, []).append(once("app", path, charts[path]))


def chart_clicks(browser: Browser, servers: dict, charts: dict, clicks_n: int, res: Results, clock: Clock) -> None:
    contexts = {name: browser.context() for name in servers}
    bare = contexts["bare"].new_page()
    app = contexts["app"].new_page()
    framed = contexts["framed"].new_page() if "framed" in contexts else None
    try:
        drawn_load(bare, servers["bare"].url + "/", 1)
        if framed is not None:
            drawn_load(framed, servers["framed"].url + "/", 1)
        bare_i = 0
        for n, click in enumerate(CLICKS):
            chart_clock = Clock(clock.budget, time.monotonic() + clock.left() / (len(CLICKS) - n), clock.hard)
            drawn_load(app, servers["app"].url + click.path, charts[click.path])
            for i in range(clicks_n):
                if not chart_clock.allows(3, first=i < 2):
                    res.misses.append(f"chart clicks: {click.name}, {clicks_n - i} of {clicks_n} (time budget)")
                    break
                bare_s = click_mark(bare, BARE_CLICK, BARE_CLICK.marks[bare_i % 2])
                if framed is not None:
                    framed_s = click_mark(framed, BARE_CLICK, BARE_CLICK.marks[bare_i % 2])
                    if framed_s is not None:
                        res.clicks.setdefault("framed", []).append(framed_s)
                bare_i += 1
                app_s = click_mark(app, click, click.marks[i % 2])
                if bare_s is not None:
                    res.clicks.setdefault("bare", []).append(bare_s)
                if app_s is None:
                    res.misses.append(f"chart clicks: a click on {click.name} started no rerun")
                else:
                    res.clicks.setdefault(click.name, []).append(app_s)
    finally:
        for context in contexts.values():
            context.close()


def slide_changes(browser: Browser, servers: dict, charts: dict, steps: int, res: Results, clock: Clock) -> None:
    """Next (button) from slide 1, then back with the Left key; each beside a bare click."""
    contexts = {name: browser.context() for name in servers}
    bare = contexts["bare"].new_page()
    app = contexts["app"].new_page()
    try:
        drawn_load(bare, servers["bare"].url + "/", 1)
        drawn_load(app, servers["app"].url + "/story", charts["/story"])
        bare_i = 0

        def press(key: str):
            def act():
                app.evaluate("document.activeElement && document.activeElement.blur()")
                app.keyboard.press(key)

            return act

        plan = [("button", lambda: app.locator(".st-key-next button").click())] * steps
        plan += [("key", press("ArrowLeft"))] * steps
        for step, (how, act) in enumerate(plan):
            if not clock.allows(3, first=step in (0, steps)):
                res.misses.append("story slides: stopped (time budget)")
                return
            bare_s = click_mark(bare, BARE_CLICK, BARE_CLICK.marks[bare_i % 2])
            bare_i += 1
            if bare_s is not None:
                res.clicks.setdefault("bare (beside slides)", []).append(bare_s)
            app.locator(".st-key-next button").wait_for(state="visible", timeout=30_000)
            seconds = timed_update(app, act)
            if seconds is None:
                res.misses.append(f"story slides: a {how} change started no rerun")
            else:
                res.slides.setdefault(how, []).append(seconds)
    finally:
        for context in contexts.values():
            context.close()


# ---------------------------------------------------------------------------------------------------------- Lighthouse


def lighthouse(url: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={out}",
            "--quiet", "--chrome-flags=--headless --no-sandbox", "--max-wait-for-load=60000",
            # Neither counts in the score; both cost seconds per run (the bf-cache check navigates away and back).
            "--disable-full-page-screenshot", "--skip-audits=bf-cache",
        ]  # fmt: skip
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        started = time.perf_counter()
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"score": None, "error": f"no report within {timeout:.0f} s"}
        if not out.exists():
            return {"score": None, "error": (proc.stderr.strip().splitlines() or ["no report"])[-1][:200]}
        report = json.loads(out.read_text())
    audits = report["audits"]

    def ms(audit: str) -> float | None:
        return audits.get(audit, {}).get("numericValue")

    return {
        "score": report["categories"]["performance"]["score"],
        "fcp_ms": ms("first-contentful-paint"),
        "lcp_ms": ms("largest-contentful-paint"),
        "tbt_ms": ms("total-blocking-time"),
        "si_ms": ms("speed-index"),
        "cls": ms("cumulative-layout-shift"),
        "bytes": ms("total-byte-weight"),
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "error": (report.get("runtimeError") or {}).get("message") or (proc.returncode and proc.stderr.strip()[-200:]),
        "seconds": time.perf_counter() - started,
    }


def lighthouse_all(servers: dict, paths: list[str], runs: int, res: Results, clock: Clock) -> None:
    """``runs`` Lighthouse runs of every page and the bare page, taken in rounds (so that load moves every page
    alike); each page's figures are the medians of its runs (firstpaint.medians)."""
    if not LIGHTHOUSE.exists():
        res.misses.append("Lighthouse: benchmarks/node_modules has no lighthouse (run `npm ci --prefix benchmarks`)")
        return
    targets = [("bare", servers["bare"].url + "/")] + [(p, servers["app"].url + p) for p in paths]
    found: dict[str, list[dict]] = {name: [] for name, _ in targets}
    for round_no in range(runs):
        for name, url in targets:
            if not clock.allows(40, first=True):
                res.misses.append(f"Lighthouse: {name} run {round_no + 1} not measured (time budget)")
                continue
            found[name].append(lighthouse(url, timeout=min(150, clock.left() - 15)))
            print(f"  lighthouse {name} run {round_no + 1}: {found[name][-1].get('score')}", flush=True)
    res.lighthouse = {name: firstpaint.medians(values) for name, values in found.items() if values}


def first_paint_all(browser: Browser, servers: dict, paths: list[str], runs: int, res: Results, clock: Clock) -> None:
    """Navigation to the first paint of the view and to the live page, in Chromium, fresh context each time; and
    the bytes of each page's first HTML response."""
    for name, url in [("bare", servers["bare"].url + "/")] + [(p, servers["app"].url + p) for p in paths]:
        res.html[name] = firstpaint.html_bytes(url)
        if not clock.allows(10):
            res.misses.append(f"First paint: {name} not measured (time budget)")
            continue
        try:
            res.first_paint[name] = firstpaint.first_paints(browser.browser, url, runs, VIEWPORT)
        except PlaywrightTimeout:
            res.misses.append(f"First paint: {name} timed out")


# ------------------------------------------------------------------------------------------------------------ report


def fmt_s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def fmt_x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "not met")


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def summary_rows(res: Results) -> list[tuple[str, str, str, str, str, str]]:
    """(figure, measured, bare, ratio, goal, met) for the seven rows of the issue's goals."""
    rows = []
    for label, table, goal in (("warm load", res.warm, GOALS["warm"]), ("cold first visit", res.cold, GOALS["cold"])):
        base = median(table.get("bare", []))
        worst = max(
            ((p, median(v)) for p, v in table.items() if p not in REFERENCES and v), key=lambda x: x[1], default=None
        )
        if worst:
            r = ratio(worst[1], base)
            pages = sum(1 for p in PAGES if p in table)
            rows.append((
                f"{label}, every page ({pages} of {len(PAGES)}); worst `{worst[0]}`",
                fmt_s(worst[1]), fmt_s(base), fmt_x(r), f"≤ {goal}x", verdict(r is not None and r <= goal),
            ))  # fmt: skip
        else:
            rows.append((label, "not measured", "", "", f"≤ {goal}x", "n/a"))
    base = median(res.clicks.get("bare", []))
    worst = max(((c.name, median(res.clicks.get(c.name, []))) for c in CLICKS if res.clicks.get(c.name)),
                key=lambda x: x[1], default=None)  # fmt: skip
    if worst:
        r = ratio(worst[1], base)
        rows.append((f"chart click to finished update; worst {worst[0]}", fmt_s(worst[1]), fmt_s(base), fmt_x(r),
                     f"≤ {GOALS['click']}x", verdict(r <= GOALS["click"])))  # fmt: skip
    else:
        rows.append(("chart click", "not measured", "", "", f"≤ {GOALS['click']}x", "n/a"))
    base = median(res.clicks.get("bare (beside slides)", []) or res.clicks.get("bare", []))
    worst = max(((h, median(v)) for h, v in res.slides.items() if v), key=lambda x: x[1], default=None)
    if worst:
        r = ratio(worst[1], base)
        rows.append((f"story slide change; worst by {worst[0]}", fmt_s(worst[1]), fmt_s(base), fmt_x(r),
                     f"≤ {GOALS['slide']}x", verdict(r <= GOALS["slide"])))  # fmt: skip
    else:
        rows.append(("story slide change", "not measured", "", "", f"≤ {GOALS['slide']}x", "n/a"))
    mem = res.memory
    if mem.get("app_rss_mib"):
        r = mem["app_rss_mib"] / mem["bare_rss_mib"]
        per = (mem.get("sessions", {}).get("app") or {}).get("mb_per_session")
        per_bare = (mem.get("sessions", {}).get("bare") or {}).get("mb_per_session")
        rows.append((
            "server memory: RSS after the browser figures; per extra open session",
            f"{mem['app_rss_mib']:.0f} MiB; {'n/a' if per is None else f'{per:.2f} MB'}",
            f"{mem['bare_rss_mib']:.0f} MiB; {'n/a' if per_bare is None else f'{per_bare:.2f} MB'}",
            fmt_x(r), f"≤ {GOALS['rss']}x; < {GOALS['session_mb']:.0f} MB",
            verdict(r <= GOALS["rss"] and per is not None and per < GOALS["session_mb"]),
        ))  # fmt: skip
    c = res.concurrency.get("app")
    if c:
        b = res.concurrency.get("bare", {})
        n = res.settings.get("sessions")
        rows.append((
            f"{n} sessions clicking at once (protocol clients): p95; errors",
            f"{fmt_s(c['p95'])}; {len(c['errors'])} errors of {len(c['latencies']) + len(c['errors'])}",
            f"{fmt_s(b.get('p95'))}; {len(b.get('errors', []))} errors",
            fmt_x(ratio(c["p95"], b.get("p95"))), f"p95 < {GOALS['p95']:.0f} s, 0 errors",
            verdict(c["p95"] is not None and c["p95"] < GOALS["p95"] and not c["errors"]),
        ))  # fmt: skip
    pages = {p: v for p, v in res.lighthouse.items() if p != "bare" and v.get("score") is not None}
    bare_lh = res.lighthouse.get("bare") or {}
    if pages:
        runs = max(len(v.get("runs", [])) for v in pages.values())
        for label, key, scale, goal, better in (
            ("performance", "score", 1, GOALS["lighthouse"], max),
            ("LCP s", "lcp_ms", 1000, GOALS["lcp_s"], min),
            ("FCP s", "fcp_ms", 1000, GOALS["fcp_s"], min),
            ("CLS", "cls", 1, GOALS["cls"], min),
        ):
            values = {p: v[key] / scale for p, v in pages.items() if v.get(key) is not None}
            if not values:
                continue
            worst = min(values, key=values.get) if better is max else max(values, key=values.get)
            ok = values[worst] >= goal if better is max else values[worst] <= goal
            bare_value = bare_lh.get(key)
            rows.append((
                f"Lighthouse mobile {label}, median of {runs} ({len(values)} of {len(PAGES)} pages); worst `{worst}`",
                num(values[worst], 3 if key == "cls" else 2),
                "n/a" if bare_value is None else num(bare_value / scale, 3 if key == "cls" else 2),
                "", ("≥ " if better is max else "≤ ") + str(goal), verdict(ok),
            ))  # fmt: skip
    else:
        rows.append(("Lighthouse mobile performance", "not measured", "", "", f"≥ {GOALS['lighthouse']}", "n/a"))
    paints = {p: median([r["fcp"] for r in v if r.get("fcp") is not None]) for p, v in res.first_paint.items()}
    if any(v is not None for k, v in paints.items() if k != "bare"):
        shown = {k: v for k, v in paints.items() if k != "bare" and v is not None}
        worst = max(shown, key=shown.get)
        bare_fcp = paints.get("bare")
        rows.append((
            f"Chromium, navigation to the first paint of the view (fresh context); worst `{worst}`",
            fmt_s(shown[worst] / 1000), fmt_s(None if bare_fcp is None else bare_fcp / 1000),
            fmt_x(ratio(shown[worst], bare_fcp)), "(issue 18: measured)", "",
        ))  # fmt: skip
    return rows


def markdown(res: Results) -> str:
    m = res.machine
    s = res.settings
    lines = [
        f"## {res.started} UTC, `make bench`{' --quick' if res.quick else ''} (issue 10): every page, click and "
        "slide against the bare page",
        "",
        f"`benchmarks/bench.py`, started {res.started} UTC, {res.seconds / 60:.1f} minutes. Machine: {m['nproc']} "
        f"cores ({m['cpu']}), {m['memory_gib']} GiB memory; Python {m['python']}, Streamlit {m['streamlit']}, "
        f"{m['chromium']}. 1-minute load average at the start {m['load_at_start']}, "
        + ", ".join(f"after {k} {v}" for k, v in res.load.items())
        + " (other jobs share the machine; both sides of every ratio were measured in the same minutes). The app "
        f"is `streamlit run app.py`; its static bundles answered `Content-Encoding: {res.compression}` to a gzip "
        f"request, and Lighthouse ran through it. Runs: warm {s['warm_runs']} and cold {s['cold_runs']} per page, "
        f"{s['clicks']} clicks per chart, {s['slide_steps']} slide changes by button and by key, sessions "
        f"{s['levels']} for memory, {s['sessions']} sessions x {s['rounds']} rounds at once. Medians throughout.",
        "",
        "| figure | measured | bare page | ratio | goal | |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in summary_rows(res)]
    base_w, base_c = median(res.warm.get("bare", [])), median(res.cold.get("bare", []))
    lines += [
        "",
        "Per page (warm and cold: median seconds to drawn and ratio to the bare page's median; the run's Plotly "
        "charts, elements and blocks as counted by the protocol client; Lighthouse: score, LCP, TBT).",
        "",
        "| page | warm s | ratio | cold s | ratio | charts | elements | blocks | run bytes | Lighthouse | LCP s "
        "| TBT ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path in ["bare", "framed"] + PAGES:
        if path == "framed" and not (res.warm.get(path) or res.cold.get(path)):
            continue
        w, c = median(res.warm.get(path, [])), median(res.cold.get(path, []))
        proto = res.protocol.get(path, {})
        lh = res.lighthouse.get(path, {})
        cells = [
            {"bare": "bare page", "framed": FRAMED}.get(path, f"`{path}`"),
            num(w), fmt_x(ratio(w, base_w)), num(c), fmt_x(ratio(c, base_c)),
            str(proto.get("charts", "")), str(proto.get("elements", "")), str(proto.get("blocks", "")),
            f"{proto['bytes']:,}" if "bytes" in proto else "",
            num(lh.get("score")), num(lh["lcp_ms"] / 1000 if lh.get("lcp_ms") is not None else None, 1),
            num(lh.get("tbt_ms"), 0),
        ]  # fmt: skip
        lines.append(f"| {' | '.join(cells)} |")
    lines += first_paint_table(res)
    base = median(res.clicks.get("bare", []))
    lines += ["", "| click or slide change | n | median s | p95 s | ratio to the bare click |", "|---|---|---|---|---|"]
    for name in ["bare", "framed", *(c.name for c in CLICKS)]:
        values = res.clicks.get(name, [])
        if name == "framed" and not values:
            continue
        shown = f"{FRAMED} (the clicked bar highlighted)" if name == "framed" else name
        lines.append(f"| {shown} | {len(values)} | {num(median(values))} | "
                     f"{num(percentile(values, 0.95))} | {fmt_x(ratio(median(values), base))} |")  # fmt: skip
    base_s = median(res.clicks.get("bare (beside slides)", [])) or base
    for how, values in res.slides.items():
        lines.append(f"| story slide, {how} | {len(values)} | {num(median(values))} | "
                     f"{num(percentile(values, 0.95))} | {fmt_x(ratio(median(values), base_s))} |")  # fmt: skip
    mem = res.memory
    if mem:
        lines += ["", f"Memory: RSS right after start: app {mem.get('app_start_mib', 0):.0f} MiB, bare "
                  f"{mem.get('bare_start_mib', 0):.0f} MiB; after the browser figures: app "
                  f"{mem.get('app_rss_mib', 0):.0f} MiB, bare {mem.get('bare_rss_mib', 0):.0f} MiB."]  # fmt: skip
        for name, data in mem.get("sessions", {}).items():
            points = ", ".join(f"{n}: {r:.0f}" for n, r in data["points"])
            per = data["mb_per_session"]
            lines.append(f"Open sessions -> RSS MiB, {name}: {points}; slope "
                         f"{'n/a' if per is None else f'{per:.2f} MB'} per session.")  # fmt: skip
    for name, c in res.concurrency.items():
        per_page = "; ".join(
            f"{page} p50 {fmt_s(percentile(v, 0.5))}, p95 {fmt_s(percentile(v, 0.95))}"
            for page, v in c["by_page"].items()
        )
        lines += ["", f"{res.settings['sessions']} sessions at once, {name}: {len(c['latencies'])} clicks, "
                  f"{len(c['errors'])} errors, p50 {fmt_s(c['p50'])}, p95 {fmt_s(c['p95'])}, max {fmt_s(c['max'])}; "
                  f"rounds took {', '.join(f'{x:.1f}' for x in c.get('round_seconds', []))} s; server CPU per click "
                  f"{num((c.get('cpu_per_click_s') or 0) * 1000, 0)} ms (x {res.settings['sessions']}: "
                  f"{num((c.get('cpu_per_click_s') or 0) * res.settings['sessions'])} s of one core per round); "
                  "opening the sessions "
                  f"{c['open_seconds']:.1f} s."]  # fmt: skip
        if name == "app":
            lines[-1] += f" Per chart page: {per_page}."
        if c["errors"]:
            lines.append(f"Errors ({name}): " + "; ".join(sorted(set(c["errors"])))[:600])
    lh_errors = {p: v["error"] for p, v in res.lighthouse.items() if v.get("error")}
    if res.lighthouse:
        index = [v.get("benchmark_index") for v in res.lighthouse.values() if v.get("benchmark_index")]
        lines += ["", f"Lighthouse {lighthouse_version()} (mobile, simulated throttling), CPU benchmark index "
                  f"{min(index, default=0):.0f} to {max(index, default=0):.0f}."]  # fmt: skip
        if lh_errors:
            lines.append("Lighthouse said: " + "; ".join(f"`{p}`: {e}" for p, e in lh_errors.items())[:800])
    if res.misses:
        lines += ["", "Not measured: " + "; ".join(res.misses)]
    return "\n".join(lines) + "\n"


def first_paint_table(res: Results) -> list[str]:
    """Issue 18's table: the first HTML response, the paints in Chromium and Lighthouse's medians, per page."""
    if not (res.first_paint or res.html or res.lighthouse):
        return []
    lines = [
        "",
        "First paint (issue 18). HTML: the first response's bytes as sent (gzip) and unpacked. Chromium (fresh "
        "context, medians): navigation to the first contentful paint, to the largest (and whether it was the "
        "server's drawing), to the hand-over to the live app, and the layout shift. Lighthouse mobile: medians of "
        "its runs (every run's score in brackets).",
        "",
        "| page | HTML sent | HTML raw | FCP ms | LCP ms | LCP in drawing | hand-over ms | CLS | Lighthouse | "
        "LCP s | FCP s | TBT ms | CLS (LH) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path in ["bare"] + PAGES:
        html, runs, lh = res.html.get(path, {}), res.first_paint.get(path, []), res.lighthouse.get(path, {})
        in_drawing = [r.get("lcpInDrawing") for r in runs]
        scores = ", ".join(num(x) for x in lh.get("runs", []))

        def seconds(value: float | None) -> str:
            return num(None if value is None else value / 1000, 1)

        cells = [
            "bare page" if path == "bare" else f"`{path}`",
            f"{html['sent']:,}" if html else "", f"{html['raw']:,}" if html else "",
            num(median([r["fcp"] for r in runs if r.get("fcp") is not None]), 0),
            num(median([r["lcp"] for r in runs if r.get("lcp") is not None]), 0),
            f"{sum(bool(x) for x in in_drawing)} of {len(in_drawing)}" if runs else "",
            num(median([r["gone"] for r in runs if r.get("gone") is not None]), 0),
            num(median([r["cls"] for r in runs if r.get("cls") is not None]), 3),
            f"{num(lh.get('score'))} ({scores})" if lh else "",
            seconds(lh.get("lcp_ms")), seconds(lh.get("fcp_ms")), num(lh.get("tbt_ms"), 0), num(lh.get("cls"), 3),
        ]  # fmt: skip
        lines.append(f"| {' | '.join(cells)} |")
    return lines


def lighthouse_version() -> str:
    try:
        return json.loads((BENCH / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    except OSError:
        return "(not installed)"


# -------------------------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and pages: about 5 minutes")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of adding it to RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--budget", type=float, help="seconds for the whole run (default 1560, --quick 480)")
    parser.add_argument("--only", help="comma-separated phases: " + ",".join(PHASES))
    args = parser.parse_args()
    only = set((args.only or ",".join(PHASES)).split(","))
    quick = args.quick
    settings = {
        "warm_runs": 1 if quick else 3,
        "cold_runs": 1 if quick else 2,
        "clicks": 2 if quick else 6,
        "slide_steps": 2 if quick else 5,
        "levels": [0, 10, 20] if quick else [0, 10, 20, 30, 40],
        "sessions": 50,
        "rounds": 1 if quick else 3,
        "lighthouse_pages": ["/", "/voices"] if quick else PAGES,
        "lighthouse_runs": 1 if quick else 3,
        "paint_runs": 1 if quick else 3,
    }
    clock = Clock(args.budget or (8 * 60 if quick else 26 * 60))
    res = Results(
        started=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        quick=quick,
        machine=machine(),
        settings={k: v for k, v in settings.items() if k != "lighthouse_pages"},
    )

    def phase(name: str) -> None:
        res.load[name] = round(load_average(), 1)
        print(f"[{clock.elapsed():5.0f} s] {name} done, load {res.load[name]}", flush=True)

    app = Server({"POLICYLENS_DATA_DIR": ""}).start()
    bare = Server(script=BENCH / "bare_page.py").start()
    framed = Server(script=BENCH / "framed_page.py").start()
    servers = {"app": app, "bare": bare, "framed": framed}
    try:
        res.compression = compression_of(app.url)
        res.memory["app_start_mib"], res.memory["bare_start_mib"] = rss_mib(app.proc.pid), rss_mib(bare.proc.pid)
        res.protocol = asyncio.run(count_pages(app.url, PAGES))
        res.protocol["bare"] = asyncio.run(count_pages(bare.url, ["/"]))["/"]
        res.protocol["framed"] = asyncio.run(count_pages(framed.url, ["/"]))["/"]
        charts = {path: counts["charts"] for path, counts in res.protocol.items()}
        phase("protocol pass")
        if only & {"warm", "cold", "clicks", "slides"}:
            with sync_playwright() as playwright:
                browser = Browser(playwright)
                try:
                    for name, run, count in (
                        ("warm", warm_loads, settings["warm_runs"]),
                        ("cold", cold_loads, settings["cold_runs"]),
                        ("clicks", chart_clicks, settings["clicks"]),
                        ("slides", slide_changes, settings["slide_steps"]),
                    ):
                        if name in only:
                            run(browser, servers, charts, count, res, clock.share(SHARES[name]))
                            phase(name)
                finally:
                    browser.close()
        if "memory" in only:
            time.sleep(2)
            res.memory["app_rss_mib"], res.memory["bare_rss_mib"] = rss_mib(app.proc.pid), rss_mib(bare.proc.pid)
            levels = settings["levels"]
            res.memory["sessions"] = asyncio.run(
                session_memory({k: servers[k] for k in ("app", "bare")}, levels, clock.share(SHARES["memory"]))
            )
            phase("memory")
        if "sessions" in only:
            n, rounds = settings["sessions"], settings["rounds"]
            res.concurrency = asyncio.run(concurrent_clicks(app, bare, n, rounds, clock.share(SHARES["sessions"])))
            phase("sessions")
        if "firstpaint" in only:
            with sync_playwright() as playwright:
                browser = Browser(playwright)
                try:
                    paints = clock.share(SHARES["firstpaint"])
                    first_paint_all(browser, servers, PAGES, settings["paint_runs"], res, paints)
                finally:
                    browser.close()
            phase("firstpaint")
        if "lighthouse" in only:
            lighthouse_all(servers, settings["lighthouse_pages"], settings["lighthouse_runs"], res, clock)
            phase("lighthouse")
    finally:
        app.stop()
        bare.stop()
        framed.stop()
    res.seconds = clock.elapsed()
    section = markdown(res)
    print(section)
    if args.json:
        args.json.write_text(json.dumps(res.__dict__, indent=1, default=str))
    if not args.no_write:
        text = RESULTS.read_text(encoding="utf-8")
        RESULTS.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        print(f"added to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
