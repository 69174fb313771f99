"""Cached access to the curated datasets: the source is read once per process, filtered outside the cache.

``app_data()`` is the app's ``Data``: the pages build through it, and ``app.py`` hands it to the server, whose warm-up
and first paint build the same kept views (policylens/views/kept.py) from the same cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from policylens import datasets
from policylens.paths import DATA_DIR
from policylens.text import escape_markdown
from policylens.views.base import Data, Unavailable

# Tests point the app at a corrupted copy of the data through this variable; nobody else needs it.
DATA_DIR_ENV = "POLICYLENS_DATA_DIR"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DATA_DIR)


@st.cache_data(show_spinner=False)
def _load(dataset_id: str, folder: str) -> tuple[pd.DataFrame | None, str | None]:
    return datasets.read_or_sentence(datasets.load_dataset, dataset_id, Path(folder))


@st.cache_data(show_spinner=False)
def _broken(folder: str) -> tuple[str, ...]:
    return tuple(d for d in datasets.DATASET_IDS if _load(d, folder)[0] is None)


@st.cache_data(show_spinner=False)
def _provenance(dataset_id: str, folder: str) -> tuple[dict | None, str | None]:
    return datasets.read_or_sentence(datasets.read_provenance, dataset_id, Path(folder))


@st.cache_data(show_spinner=False)
def _version(folder: str) -> str:
    return datasets.data_version(Path(folder))


def load(dataset_id: str) -> tuple[pd.DataFrame | None, str | None]:
    """The dataset, or None and the sentence that says what is wrong with it."""
    return _load(dataset_id, str(data_dir()))


def broken() -> tuple[str, ...]:
    """The ids of the datasets that cannot be read. One small cached answer: asking ``load`` for every dataset
    copies each frame out of the cache (the Story's meeting-pack and slides buttons did, on every slide change)."""
    return _broken(str(data_dir()))


def provenance(dataset_id: str) -> tuple[dict | None, str | None]:
    return _provenance(dataset_id, str(data_dir()))


def data_version() -> str:
    return _version(str(data_dir()))


def raw_csv(dataset_id: str) -> bytes:
    """The file exactly as published, for download."""
    return datasets.csv_path(dataset_id, data_dir()).read_bytes()


def app_data() -> Data:
    """The datasets through the app's cache, loaded as a view asks for them."""
    return Data(version=data_version(), loader=load, provenance_loader=provenance, data_dir=data_dir())


def unavailable(err: Unavailable, what: str = "This page") -> None:
    """What a page (or a slide, or the analysis) says when a dataset it needs cannot be read: the loader's sentence,
    which names the root cause first (file, row, column), escaped like any text."""
    st.error(
        f"{escape_markdown(err.sentence)}\n\n{what} cannot be shown without that data; the pages that do not need it "
        "keep working, and [Sources and method](/sources) shows the state of every dataset.",
        icon=":material/error:",
    )
