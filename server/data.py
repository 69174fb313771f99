"""The datasets for the server's own routes (link previews, the claims API): read once per process and data folder.

The app reads them through ``st.cache_data`` (components/data.py); the routes here run outside any script run, so
they keep their own cache of the same loaders. Both honour ``POLICYLENS_DATA_DIR`` and compute the data version once
per process, so a page and its preview always name the same version.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import pandas as pd

from policylens import datasets
from policylens.views.base import Data
from server import settings


class _Store:
    """One data folder: its version and each dataset (or the sentence saying what is wrong with it), read lazily."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.version = datasets.data_version(folder)
        self._frames: dict[str, tuple[pd.DataFrame | None, str | None]] = {}
        self._provenances: dict[str, tuple[dict | None, str | None]] = {}
        self._lock = threading.Lock()

    def _read(self, kept: dict, read, dataset_id: str) -> tuple:
        with self._lock:
            if dataset_id not in kept:
                kept[dataset_id] = datasets.read_or_sentence(read, dataset_id, self.folder)
            return kept[dataset_id]

    def frame(self, dataset_id: str) -> tuple[pd.DataFrame | None, str | None]:
        return self._read(self._frames, datasets.load_dataset, dataset_id)

    def provenance(self, dataset_id: str) -> tuple[dict | None, str | None]:
        return self._read(self._provenances, datasets.read_provenance, dataset_id)


@lru_cache(maxsize=4)
def _store(folder: str) -> _Store:
    return _Store(Path(folder))


def current() -> Data:
    """A ``Data`` for one request: frames come from the process-wide cache as a view asks for them."""
    store = _store(str(settings.data_dir()))
    return Data(version=store.version, loader=store.frame, provenance_loader=store.provenance, data_dir=store.folder)


def version() -> str:
    return _store(str(settings.data_dir())).version
