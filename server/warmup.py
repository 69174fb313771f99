"""Warm the process before it serves, then freeze what is warm out of the garbage collector's way.

Streamlit runs ``gc.collect()`` (all generations) after every script run (``runner.postScriptGC``). In this process
that full collection walks the ~120,000 long-lived objects pandas, pyarrow, Plotly and the datasets leave behind, and
it cost 68 to 100 ms of every rerun's 116 to 290 ms, holding the GIL while the run's last message waits
(benchmarks/RESULTS.md). None of those objects ever becomes garbage. So, at start-up, this module imports what the
pages import, reads every dataset and builds every page's default view and every slide of the story, on screen and
presented, through the kept views (components/view.py; Plotly creates its validators on first
use, pandas its caches), collects once, and calls ``gc.freeze()``: the objects alive then move to the permanent
generation, which later collections skip. Garbage made later, per session and per run, is collected as before; the
frozen objects are only those that stay for the life of the process anyway.

Then it turns Streamlit's collection after every run off (``runner.postScriptGC``) and leaves garbage to Python's own
generational collector, which collects the young objects a run leaves and walks the old ones only when they have
grown by a quarter. The kept views (components/view.py) and their figures are long-lived objects made after the
freeze: with Streamlit's full collection walking them after every run, a click cost the server about 30 ms of CPU,
15 ms without it (bench.py, 50 sessions at once). Memory over 1,600 clicks on ever new views grew the same with the
collection after every run and without it (``benchmarks/rerun_memory.py``; benchmarks/RESULTS.md).

The first visitor also gains: the imports and the first build no longer happen inside their page load.
Set ``POLICYLENS_WARMUP=0`` to skip it (the process then behaves as plain Streamlit does).
"""

from __future__ import annotations

import gc
import os
import time

from streamlit import config
from streamlit.logger import get_logger

from server import firstpaint

log = get_logger("policylens.warmup")  # Streamlit configures its own loggers only


def enabled() -> bool:
    return os.environ.get("POLICYLENS_WARMUP", "1").strip().lower() not in ("0", "false", "no", "off")


def warm() -> dict[str, float]:
    """Import, read and build as the pages will; returns seconds per step. Never raises: a page that cannot be
    built now (broken data) says so itself when it is opened."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    import plotly.io  # noqa: F401  (the pages' imports, in the order a first run makes them)

    import components.pages  # noqa: F401
    from components.view import app_data
    from policylens.views import PAGES, page
    from policylens.views.story import SLIDES

    timings["imports"] = time.perf_counter() - started
    source = app_data()
    # Through the kept views (components/view.py): the first visitor of a page, and a presenter moving through the
    # deck for the first time, get a view that is already built (a slide's first build took 20 to 220 ms, a return to
    # it 10 ms), instead of only warm caches.
    defaults = []
    for entry in PAGES:
        step = time.perf_counter()
        view = _keep(entry, entry.params(), source, entry.id)
        if view is not None:
            defaults.append((entry, view))
        timings[entry.id] = time.perf_counter() - step
    step = time.perf_counter()
    story = page("story")
    for number in range(1, SLIDES + 1):
        for present in (False, True):  # on screen and presented (the router writes ``present`` into the link)
            params = story.params().replace(slide=number, present=present)
            _keep(story, params, source, f"story slide {number}")
    timings["story slides"] = time.perf_counter() - step
    # The first paint's pictures of every page's default view, drawn in the background (the server does not wait).
    firstpaint.warm(defaults, source.version)
    return timings


def _keep(entry, params, source, name: str):
    """Build one view into the kept views and serialise its figures once (what drawing a chart sends); a view that
    cannot be built now (broken data) is left for its page to explain when it is opened."""
    from components.view import built

    try:
        view = built(entry, params, source)
        for block in view.blocks:
            figure = getattr(block, "figure", None)
            if figure is not None:
                figure.to_json()
        return view
    except Exception as error:  # noqa: BLE001 - broken data is the page's to say, not start-up's
        log.info("warm-up: %s not built (%s: %s)", name, type(error).__name__, error)
        return None


def warm_and_freeze() -> None:
    if not enabled():
        return
    started = time.perf_counter()
    try:
        timings = warm()
    except Exception as error:  # noqa: BLE001 - the server must start whatever the warm-up meets
        log.warning("warm-up stopped (%s: %s); serving without it", type(error).__name__, error)
        timings = {}
    gc.collect()
    gc.freeze()
    config.set_option("runner.postScriptGC", False)
    log.info(
        "warm-up %.2f s (%s); %d objects frozen out of the collector's way",
        time.perf_counter() - started,
        ", ".join(f"{name} {seconds:.2f}" for name, seconds in timings.items()),
        gc.get_freeze_count(),
    )
