"""The words a person reads for the ids the data and the links use, read once from the data contracts.

Labels and units of ids live in the ``labels`` (and ``units``) of a column in the dataset's ``provenance.json``, next
to the column's allowed values, and nowhere else. Reading them never raises: a broken contract gives no labels, and
the controls then show the ids.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from policylens.datasets import DataError, read_provenance
from policylens.paths import DATA_DIR


@lru_cache(maxsize=64)
def _column(dataset_id: str, column: str, data_dir: Path = DATA_DIR) -> dict:
    try:
        prov = read_provenance(dataset_id, data_dir)
    except (DataError, KeyError, OSError, ValueError):
        return {}
    for col in prov.get("columns") or []:
        if isinstance(col, dict) and col.get("name") == column:
            return col
    return {}


def allowed(dataset_id: str, column: str) -> tuple[str, ...]:
    """The allowed values of a column, in the contract's order (empty when the contract cannot be read)."""
    values = _column(dataset_id, column).get("allowed") or []
    return tuple(str(v) for v in values if isinstance(v, str))


def labels(dataset_id: str, column: str) -> dict[str, str]:
    """Allowed value -> the words a person reads; a value without a label reads as itself."""
    col = _column(dataset_id, column)
    named = col.get("labels") if isinstance(col.get("labels"), dict) else {}
    return {value: str(named.get(value) or value) for value in allowed(dataset_id, column)}


def units(dataset_id: str, column: str) -> dict[str, str]:
    col = _column(dataset_id, column)
    named = col.get("units") if isinstance(col.get("units"), dict) else {}
    return {value: str(named.get(value) or "") for value in allowed(dataset_id, column)}


def label(dataset_id: str, column: str, value: str) -> str:
    return labels(dataset_id, column).get(value, value)
