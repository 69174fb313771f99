"""Warm the process before it serves, then freeze what is warm out of the garbage collector's way.

At start-up this builds every page's default view and every slide of the story (on screen, presented and with its
notes for the presenter view) into the kept views (policylens/views/kept.py), collects once and calls
``gc.freeze()``; then it turns Streamlit's full collection after every run off (``runner.postScriptGC``) and leaves
garbage to Python's own collector. Why, and what it saves per rerun and per click: benchmarks/RESULTS.md.
``POLICYLENS_WARMUP=0`` skips it (plain Streamlit then).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable

from streamlit import config
from streamlit.logger import get_logger

from policylens.views import PAGES, page
from policylens.views.base import Data
from policylens.views.kept import built
from policylens.views.story import SLIDES
from server import firstpaint

log = get_logger("policylens.warmup")  # Streamlit configures its own loggers only


def enabled() -> bool:
    return os.environ.get("POLICYLENS_WARMUP", "1").strip().lower() not in ("0", "false", "no", "off")


def warm(app_data: Callable[[], Data]) -> dict[str, float]:
    """Import, read and build as the pages will, from the app's data (``app_data``, handed in by app.py); returns
    seconds per step. Never raises: a page that cannot be built now (broken data) says so itself when it is opened."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    # Plotly's renderers, the first thing a page's first run imports after the views (imported above).
    import plotly.io  # noqa: F401

    timings["imports"] = time.perf_counter() - started
    source = app_data()
    # Into the kept views: the first visitor of a page, and a presenter's first pass through the deck, find it built.
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
        # On screen, presented (the router writes ``present`` into the link) and in the presenter view (with notes).
        for present, notes in ((False, False), (True, False), (False, True)):
            params = story.params().replace(slide=number, present=present, notes=notes)
            _keep(story, params, source, f"story slide {number}")
    timings["story slides"] = time.perf_counter() - step
    # The first paint's pictures of every page's default view, drawn in the background (the server does not wait).
    firstpaint.warm(defaults, source.version)
    return timings


def _keep(entry, params, source, name: str):
    """Build one view into the kept views and serialise its figures once (what drawing a chart sends); a view that
    cannot be built now (broken data) is left for its page to explain when it is opened."""
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


def warm_and_freeze(app_data: Callable[[], Data]) -> None:
    if not enabled():
        return
    started = time.perf_counter()
    try:
        timings = warm(app_data)
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
