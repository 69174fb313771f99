"""Fixtures every test level may use: the published datasets, loaded once per test session.

Build a view from them with ``Data(frames=dict(frames), provenances=dict(provenances))``. They are shared by the
whole session: never change a frame in place (copy it first).
"""

from __future__ import annotations

import functools
import os

import pandas as pd
import pytest
from streamlit.components.v2 import manifest_scanner

from policylens.datasets import DATASET_IDS, load_dataset, read_provenance

# Every AppTest scans every installed distribution's metadata for Streamlit components (about 80 ms a run here,
# most of a cached page's run): the installed packages do not change during a test session, so the scan's answer is
# kept for the session (issue 21). The app's server scans once at start as before.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

# tests/deploy/ builds and runs the container images: `make test-deploy` (scripts/test_deploy.py) runs it with the
# images it built; `make test` does not collect it (tests/unit/test_deploy_files.py checks the files there).
collect_ignore = [] if os.environ.get("POLICYLENS_DEPLOY_IMAGE") else ["deploy"]


def pytest_collection_modifyitems(items):
    """The browser test files first, then the others in their order (app, data, unit). `make test` hands whole files
    to two workers in this order (``--dist loadfile --no-loadscope-reorder``), so the long browser files run while
    the many short unit files are left to fill the end. pytest-xdist's own order (files with the most tests first)
    left the single-test browser files (20 sessions at once, the restart, Redis, the phone remote) to the end, where
    one worker could hold two of them while the other had nothing left (issue 21)."""
    items.sort(key=lambda item: 0 if "e2e" in item.path.parts else 1)  # stable: each file's tests stay in order


@pytest.fixture(scope="session")
def frames() -> dict[str, pd.DataFrame]:
    """Every dataset of ``DATASET_IDS`` by id, validated by ``load_dataset`` (a broken one fails with its sentence)."""
    return {dataset_id: load_dataset(dataset_id) for dataset_id in DATASET_IDS}


@pytest.fixture(scope="session")
def provenances() -> dict[str, dict]:
    """The provenance.json of every dataset by id."""
    return {dataset_id: read_provenance(dataset_id) for dataset_id in DATASET_IDS}
