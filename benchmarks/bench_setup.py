"""`make bench`'s plan and bookkeeping: the pages and clicks measured, the goals, the time budget and its
shares, the results of a run and the machine it ran on."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from policylens.views import PAGES as REGISTRY
from tests.e2e.helpers import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
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
    "follow_p95_s": 0.5,  # issue 22: the follower's lag after a key press, 20 followers across two replicas
    "lcp_s": 2.5,
    "fcp_s": 1.5,
    "cls": 0.05,
}


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
PHASES = ("warm", "cold", "clicks", "slides", "memory", "sessions", "rooms", "firstpaint", "lighthouse")
SHARES = {
    "warm": 0.07,
    "cold": 0.1,
    "clicks": 0.08,
    "slides": 0.08,  # five fresh loads of /story, 30 slide changes each beside two reference clicks
    "memory": 0.04,
    "sessions": 0.08,
    "rooms": 0.1,  # its own Redis and two replicas (benchmarks/follow_lag.py)
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
    slides: dict = field(default_factory=dict)  # "button" / "key" -> [seconds to the new slide shown]
    slide_runs: dict = field(default_factory=dict)  # "button" / "key" -> [seconds to the change's run drawn]
    slide_first: list = field(default_factory=list)  # each fresh load's first Next (slide 1 to 2): seconds to shown
    slide_later: list = field(default_factory=list)  # the later Next changes of the same loads
    # "button" / "key" -> [[a load's first change?, ms from the click or keydown to shown, which frame after it]]
    slide_frames: dict = field(default_factory=dict)
    misses: list = field(default_factory=list)  # what could not be measured, and why
    memory: dict = field(default_factory=dict)
    concurrency: dict = field(default_factory=dict)
    rooms: dict = field(default_factory=dict)  # benchmarks/follow_lag.py's measure(): the followers' lags
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
