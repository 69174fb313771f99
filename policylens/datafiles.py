"""Where each dataset's files lie, and how a sentence names them.

Each dataset is a folder ``data/<id>/`` holding ``<id>.csv`` and ``provenance.json`` (docs/data-contract.md).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from policylens.paths import DATA_DIR, REPO_ROOT

DATASET_IDS: tuple[str, ...] = (
    "paragraphs",
    "statements",
    "themes",
    "claims",
    "expo",
    "ai-research",
    "data-policy",
    "policy-timeline",
    "sources",
    "policy-corpus",
    "oecd-themes",
    "theme-lexicon",
)


def dataset_dir(dataset_id: str, data_dir: Path = DATA_DIR) -> Path:
    return Path(data_dir) / dataset_id


def csv_path(dataset_id: str, data_dir: Path = DATA_DIR) -> Path:
    return dataset_dir(dataset_id, data_dir) / f"{dataset_id}.csv"


def provenance_path(dataset_id: str, data_dir: Path = DATA_DIR) -> Path:
    return dataset_dir(dataset_id, data_dir) / "provenance.json"


def file_label(path: Path) -> str:
    """The path a person would look for: relative to the repository when it lies inside it."""
    path = Path(path)
    return _kept_label(str(path)) if path.is_absolute() else _label(path)  # a relative one depends on the cwd


@functools.lru_cache(maxsize=4096)
def _kept_label(path: str) -> str:
    """``file_label`` of an absolute path, kept: resolving it is a system call per part, and every check names its
    file."""
    return _label(Path(path))


def _label(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
