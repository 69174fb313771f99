"""The server's warm-up (server/warmup.py): every page built once, then the warm objects frozen out of the garbage
collector's way; off with POLICYLENS_WARMUP=0; never in the way of starting, even on broken data."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from policylens.paths import REPO_ROOT
from policylens.views import PAGES
from policylens.views.story import SLIDES
from tests.helpers import copy_data, set_cell

PROBE = """
import gc, json
from streamlit import config
from components.data import app_data
from server import warmup
warmup.warm_and_freeze(app_data)
found = {}
if warmup.enabled():
    # A presenter's first visit to each slide, on screen and presented: is its view already built?
    from policylens.views import page
    from policylens.views.kept import built, kept
    from policylens.views.story import SLIDES
    story = page("story")
    for present in (False, True):
        hits, builds = kept.hits, kept.builds
        for number in range(1, SLIDES + 1):
            try:
                built(story, story.params().replace(slide=number, present=present), app_data())
            except Exception:  # a slide broken data cannot build (the broken-data test)
                pass
        found[str(present)] = [kept.hits - hits, kept.builds - builds]
print(json.dumps({"frozen": gc.get_freeze_count(), "kept": found,
                  "post_script_gc": config.get_option("runner.postScriptGC"),
                  "timed": sorted(warmup.warm(app_data)) if warmup.enabled() else []}))
"""


def probe(**env: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_page_is_built_and_the_warm_objects_are_frozen():
    seen = probe(POLICYLENS_WARMUP="1", POLICYLENS_DATA_DIR="")
    assert seen["timed"] == sorted(["imports", *(p.id for p in PAGES), "story slides"])
    # Every slide's view is kept from the start, on screen and presented: a first visit builds nothing.
    assert seen["kept"] == {"False": [SLIDES, 0], "True": [SLIDES, 0]}
    assert seen["frozen"] > 50_000  # pandas, plotly, the datasets and the built views: not walked by every rerun's GC
    assert seen["post_script_gc"] is False  # Python's own collector from here on, not a full collection per run


def test_off_means_nothing_frozen_and_streamlits_collection_after_every_run():
    seen = probe(POLICYLENS_WARMUP="0")
    assert seen["frozen"] == 0
    assert seen["post_script_gc"] is True


def test_broken_data_does_not_stop_the_warm_up(tmp_path):
    broken = copy_data(tmp_path)
    set_cell(broken, "expo", 3, "value", "three thousand")
    assert probe(POLICYLENS_WARMUP="1", POLICYLENS_DATA_DIR=str(broken))["frozen"] > 50_000
