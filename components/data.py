"""Cached access to the curated datasets: the source is read once per process, filtered outside the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from policylens import datasets
from policylens.paths import DATA_DIR

# Tests point the app at a corrupted copy of the data through this variable; nobody else needs it.
DATA_DIR_ENV = "POLICYLENS_DATA_DIR"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DATA_DIR)


@st.cache_data(show_spinner=False)
def _load(dataset_id: str, folder: str) -> tuple[pd.DataFrame | None, str | None]:
    return datasets.read_or_sentence(datasets.load_dataset, dataset_id, Path(folder))


@st.cache_data(show_spinner=False)
def _provenance(dataset_id: str, folder: str) -> tuple[dict | None, str | None]:
    return datasets.read_or_sentence(datasets.read_provenance, dataset_id, Path(folder))


@st.cache_data(show_spinner=False)
def _version(folder: str) -> str:
    return datasets.data_version(Path(folder))


def load(dataset_id: str) -> tuple[pd.DataFrame | None, str | None]:
    """The dataset, or None and the sentence that says what is wrong with it."""
    return _load(dataset_id, str(data_dir()))


def provenance(dataset_id: str) -> tuple[dict | None, str | None]:
    return _provenance(dataset_id, str(data_dir()))


def data_version() -> str:
    return _version(str(data_dir()))


def raw_csv(dataset_id: str) -> bytes:
    """The file exactly as published, for download."""
    return datasets.csv_path(dataset_id, data_dir()).read_bytes()


def require(dataset_id: str) -> pd.DataFrame:
    """The dataset, or stop this page with the plain sentence that says what is wrong (other pages keep working)."""
    frame, error = load(dataset_id)
    if frame is None:
        from policylens.text import escape_markdown

        st.error(f"This page cannot show the data it needs. {escape_markdown(error)}", icon=":material/error:")
        st.stop()
    return frame
