"""Loading the curated datasets: ``load_dataset`` returns a typed DataFrame or raises ``DataError``.

Each dataset is a folder ``data/<id>/`` holding ``<id>.csv`` and ``provenance.json`` (docs/data-contract.md). The
checks live by concern: ``provenance`` (the provenance file), ``tablechecks`` (the CSV's cells and references),
``caveats``; ``datafiles`` says where the files lie and ``dataproblems`` what a problem is. The names callers use
are importable from here too (``__all__``), so a page or a test asks the loader, not its parts.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pandas as pd

from policylens.caveats import caveat_text, caveat_texts, caveat_value_problems, caveats_for
from policylens.datafiles import DATASET_IDS, csv_path, dataset_dir, file_label, file_sha256, provenance_path
from policylens.dataproblems import DataError, Problem, read_or_sentence
from policylens.paths import DATA_DIR
from policylens.provenance import read_provenance
from policylens.tablechecks import dependencies, read_csv_rows, split_list, validate_rows

__all__ = [
    "DATASET_IDS",
    "DataError",
    "Problem",
    "caveat_text",
    "caveat_texts",
    "caveats_for",
    "column_dictionary",
    "csv_path",
    "data_version",
    "dataset_dir",
    "dependencies",
    "file_label",
    "file_sha256",
    "load_dataset",
    "provenance_path",
    "read_or_sentence",
    "read_provenance",
    "row_key",
]


def _typed_frame(prov: dict, header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    data: dict[str, object] = {}
    for i, col in enumerate(prov["columns"]):
        raw = [row[i] for row in rows]
        if col.get("list"):
            data[col["name"]] = pd.Series([tuple(split_list(v)) for v in raw], dtype=object)
        elif col["type"] == "integer":
            data[col["name"]] = pd.array([int(v) if v else None for v in raw], dtype="Int64")
        elif col["type"] == "number":
            data[col["name"]] = pd.Series([float(v) if v else math.nan for v in raw], dtype="float64")
        elif col["type"] == "boolean":
            data[col["name"]] = pd.Series([v == "true" for v in raw], dtype=bool)
        else:
            data[col["name"]] = pd.Series(raw, dtype=str)
    frame = pd.DataFrame(data, columns=header)
    frame.attrs["dataset_id"] = prov["id"]
    return frame


# Frames that loaded, by the bytes they were checked from (``_content_key``): the validator, the app and the tests
# read the same files again and again, and a folder with one dataset changed need not check the others again. Only
# frames are kept, never problems (whose sentences name the folder); bounded, oldest first out.
_LOADED: dict[bytes, pd.DataFrame] = {}
_LOADED_MAX = 64


def _content_key(dataset_id: str, data_dir: Path, seen: frozenset[str] = frozenset()) -> bytes | None:
    """A digest of what loading ``dataset_id`` reads: its CSV and provenance file, and those of every dataset it
    refers to, transitively. None when a file cannot be read (the load then says why)."""
    digest = hashlib.sha256(dataset_id.encode())
    try:
        for path in (csv_path(dataset_id, data_dir), provenance_path(dataset_id, data_dir)):
            digest.update(len(raw := path.read_bytes()).to_bytes(8, "big") + raw)
        upstream = dependencies(read_provenance(dataset_id, data_dir))
    except (OSError, DataError, KeyError):
        return None
    for other in upstream:
        if other in seen:
            continue
        key = _content_key(other, data_dir, seen | {dataset_id})
        if key is None:
            return None
        digest.update(key)
    return digest.digest()


def load_dataset(
    dataset_id: str, data_dir: Path = DATA_DIR, *, _visiting: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Load one dataset by id, validated against its provenance file.

    Raises ``DataError`` naming the file, the row and the column of what is wrong, the root cause first (a dataset
    this one refers to that cannot be read). The checksum is checked last, so that a broken cell is reported as
    such rather than as a checksum mismatch. A dataset whose files, and those of the datasets it refers to, are
    byte for byte those of an earlier load is not checked again.
    """
    key = _content_key(dataset_id, data_dir)
    if key is not None and key in _LOADED:
        return _LOADED[key].copy()
    frame = _checked(dataset_id, data_dir, _visiting)
    # Kept only from a load of its own: a load for a reference check skips the datasets being loaded already.
    if key is not None and not _visiting:
        while len(_LOADED) >= _LOADED_MAX:
            del _LOADED[next(iter(_LOADED))]
        _LOADED[key] = frame.copy()
    return frame


def _checked(dataset_id: str, data_dir: Path, _visiting: frozenset[str]) -> pd.DataFrame:
    """``load_dataset`` without the kept frames: read and check every file."""
    prov = read_provenance(dataset_id, data_dir)
    path = csv_path(dataset_id, data_dir)
    label = file_label(path)
    header, rows = read_csv_rows(path, dataset_id)
    problems = validate_rows(prov, header, rows, label, data_dir, _load_referenced, _visiting)
    prov_label = file_label(provenance_path(dataset_id, data_dir))
    problems += [Problem(prov_label, m, dataset=dataset_id) for m in caveat_value_problems(prov, header, rows)]
    actual = file_sha256(path)
    if actual != prov["sha256"]:
        problems.append(
            Problem(
                label,
                f"the file's sha256 is {actual[:12]}…, but provenance.json records {prov['sha256'][:12]}…; the file "
                "changed without its provenance being updated (after a deliberate edit: python -m policylens.validate "
                "--fix-checksums, and an entry in the data changelog).",
                dataset=dataset_id,
                code="checksum",
            )
        )
    if problems:
        raise DataError(dataset_id, problems)
    return _typed_frame(prov, header, rows)


def data_version(data_dir: Path = DATA_DIR) -> str:
    """A short fingerprint of every data and provenance file: it changes whenever any of them changes.

    Only ``data/<id>/<id>.csv`` and ``data/<id>/provenance.json`` are hashed, each under its name inside the data
    folder (``data/expo/expo.csv``), so a copy of the folder elsewhere has the same version. Other files of the
    folder, such as the changelog ``data/CHANGELOG.json``, are not part of it.
    """
    digest = hashlib.sha256()
    for dataset_id in DATASET_IDS:
        for path in (csv_path(dataset_id, data_dir), provenance_path(dataset_id, data_dir)):
            digest.update(f"data/{dataset_id}/{path.name}".encode())
            digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()[:10]


def column_dictionary(prov: dict) -> pd.DataFrame:
    """The schema of a dataset as a table a person can read."""
    rows = []
    for col in prov["columns"]:
        rules = []
        if col.get("required"):
            rules.append("required")
        if col.get("unique"):
            rules.append("unique")
        if col.get("list"):
            rules.append("list separated by ';'")
        if "min" in col or "max" in col:
            rules.append(f"range {col.get('min', '…')} to {col.get('max', '…')}")
        if col.get("allowed"):
            rules.append("one of: " + ", ".join(str(a) for a in col["allowed"]))
        if col.get("references"):
            rules.append(f"refers to {col['references']['dataset']}.{col['references']['column']}")
        if col.get("pattern"):
            rules.append(f"matches {col['pattern']}")
        rows.append(
            {
                "column": col["name"],
                "type": col["type"],
                "unit": col.get("unit", ""),
                "meaning": col.get("description", ""),
                "rules": "; ".join(rules),
            }
        )
    return pd.DataFrame(rows, columns=["column", "type", "unit", "meaning", "rules"])


def row_key(frame: pd.DataFrame, prov: dict) -> pd.Series:
    """Each row's primary-key values joined by '|' (the form claims use to cite a row)."""
    # Column by column (str.cat), not row by row (agg on axis 1): the same keys, without a Python call per row.
    parts = [frame[key].astype(str) for key in prov["primary_key"]]
    keys = parts[0].str.cat(parts[1:], sep="|") if len(parts) > 1 else parts[0].copy()
    keys.name = None
    return keys


def _load_referenced(dataset_id: str, data_dir: Path, visiting: frozenset[str]) -> pd.DataFrame:
    """``load_dataset`` as the table checks call it for a dataset this one refers to (``LoadReferenced``)."""
    return load_dataset(dataset_id, data_dir, _visiting=visiting)
