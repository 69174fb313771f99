"""Loading and validating the curated datasets.

Each dataset is a folder ``data/<id>/`` holding ``<id>.csv`` and ``provenance.json`` (docs/data-contract.md).
``load_dataset`` returns a typed DataFrame or raises ``DataError`` whose sentence names the file, the row and the
column, so that both the tests and the app can say exactly what is wrong.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

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
)

COLUMN_TYPES = ("string", "integer", "number", "date", "boolean")
LIST_SEPARATOR = ";"
_DATE_RE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_INT_RE = re.compile(r"-?\d+")
_MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file. ``row`` counts data rows from 1 (the header is line 1 of the file)."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def sentence(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row} (line {self.row + 1})"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataError(Exception):
    """A dataset failed its contract. ``problems`` lists every problem found, most specific first."""

    def __init__(self, dataset_id: str, problems: list[Problem]):
        self.dataset_id = dataset_id
        self.problems = problems
        more = len(problems) - 1
        tail = f" ({more} more problem{'s' if more != 1 else ''} in this dataset.)" if more > 0 else ""
        super().__init__(f"The '{dataset_id}' dataset cannot be used. {problems[0].sentence()}{tail}")

    @property
    def sentence(self) -> str:
        return str(self)


def dataset_dir(dataset_id: str, data_dir: Path = DATA_DIR) -> Path:
    return Path(data_dir) / dataset_id


def csv_path(dataset_id: str, data_dir: Path = DATA_DIR) -> Path:
    return dataset_dir(dataset_id, data_dir) / f"{dataset_id}.csv"


def provenance_path(dataset_id: str, data_dir: Path = DATA_DIR) -> Path:
    return dataset_dir(dataset_id, data_dir) / "provenance.json"


def _label(path: Path) -> str:
    """The path a person would look for: relative to the repository when it lies inside it."""
    try:
        return Path(path).resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return Path(path).as_posix()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_provenance(dataset_id: str, data_dir: Path = DATA_DIR) -> dict:
    if dataset_id not in DATASET_IDS:
        raise KeyError(f"Unknown dataset '{dataset_id}'. Known datasets: {', '.join(DATASET_IDS)}.")
    path = provenance_path(dataset_id, data_dir)
    label = _label(path)
    if not path.is_file():
        raise DataError(dataset_id, [Problem(label, "the provenance file is missing.")])
    try:
        prov = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(dataset_id, [Problem(label, f"the provenance file is not valid JSON ({exc}).")]) from None
    problems = _provenance_problems(prov, label)
    if problems:
        raise DataError(dataset_id, problems)
    return prov


_PROVENANCE_KEYS = (
    "id",
    "title",
    "description",
    "producer",
    "source_ids",
    "accessed",
    "licence",
    "confidence",
    "file",
    "sha256",
    "primary_key",
    "columns",
)


def _provenance_problems(prov: object, label: str) -> list[Problem]:
    if not isinstance(prov, dict):
        return [Problem(label, "the provenance file must hold a JSON object.")]
    problems = [Problem(label, f"the key '{key}' is missing.") for key in _PROVENANCE_KEYS if key not in prov]
    if problems:
        return problems
    names = []
    for i, col in enumerate(prov["columns"]):
        if not isinstance(col, dict) or "name" not in col:
            problems.append(Problem(label, f"column entry {i + 1} has no 'name'."))
            continue
        names.append(col["name"])
        if col.get("type") not in COLUMN_TYPES:
            problems.append(
                Problem(label, f"column '{col['name']}' has type {col.get('type')!r}; expected one of {COLUMN_TYPES}.")
            )
        for key in ("description", "unit"):
            if key not in col:
                problems.append(Problem(label, f"column '{col['name']}' has no '{key}'."))
    for key in prov["primary_key"]:
        if key not in names:
            problems.append(Problem(label, f"primary key column '{key}' is not among the columns."))
    return problems


def _read_csv_rows(path: Path, dataset_id: str) -> tuple[list[str], list[list[str]]]:
    label = _label(path)
    if not path.is_file():
        raise DataError(dataset_id, [Problem(label, "the data file is missing.")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(dataset_id, [Problem(label, f"the file is not UTF-8 text ({exc.reason}).")]) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DataError(dataset_id, [Problem(label, f"the file is not readable CSV ({exc}).")]) from None
    if not rows:
        raise DataError(dataset_id, [Problem(label, "the file is empty; it needs a header row.")])
    return rows[0], rows[1:]


def _check_value(value: str, col: dict) -> str | None:
    """Return a sentence describing what is wrong with one non-empty cell value, or None."""
    kind = col["type"]
    if kind == "integer":
        if not _INT_RE.fullmatch(value):
            return f"{value!r} is not a whole number."
        number: float = int(value)
    elif kind == "number":
        try:
            number = float(value)
        except ValueError:
            return f"{value!r} is not a number."
        if not math.isfinite(number):
            return f"{value!r} is not a finite number."
    elif kind == "date":
        if not _DATE_RE.fullmatch(value):
            return f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)."
    elif kind == "boolean":
        if value not in ("true", "false"):
            return f"{value!r} is not 'true' or 'false'."
    if kind in ("integer", "number"):
        if "min" in col and number < col["min"]:
            return f"{value} is below the minimum {col['min']}."
        if "max" in col and number > col["max"]:
            return f"{value} is above the maximum {col['max']}."
    allowed = col.get("allowed")
    if allowed is not None and value not in {str(a) for a in allowed}:
        shown = ", ".join(str(a) for a in allowed[:12]) + (", ..." if len(allowed) > 12 else "")
        return f"{value!r} is not an allowed value (allowed: {shown})."
    pattern = col.get("pattern")
    if pattern and not re.fullmatch(pattern, value):
        return f"{value!r} does not match the pattern {pattern}."
    return None


def _split_list(value: str) -> list[str]:
    return [part for part in value.split(LIST_SEPARATOR)] if value else []


def _reference_keys(ref: dict, data_dir: Path, cache: dict) -> set[str] | None:
    """The values of the referenced column, read straight from its CSV (None when that file is unreadable)."""
    key = (ref["dataset"], ref["column"])
    if key not in cache:
        try:
            header, rows = _read_csv_rows(csv_path(ref["dataset"], data_dir), ref["dataset"])
        except DataError:
            cache[key] = None
        else:
            if ref["column"] not in header:
                cache[key] = None
            else:
                index = header.index(ref["column"])
                cache[key] = {row[index] for row in rows if index < len(row)}
    return cache[key]


def validate_rows(
    prov: dict, header: list[str], rows: list[list[str]], label: str, data_dir: Path = DATA_DIR
) -> list[Problem]:
    """Every way the rows break the contract in ``prov``, most specific (cell-level) first."""
    columns = prov["columns"]
    expected = [c["name"] for c in columns]
    problems: list[Problem] = []
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    for name in missing:
        problems.append(Problem(label, "this column is missing from the header row.", row=None, column=name))
    for name in extra:
        problems.append(Problem(label, "this column is not in the dataset's schema.", row=None, column=name))
    if not missing and not extra and header != expected:
        problems.append(Problem(label, f"the columns are out of order; expected {', '.join(expected)}."))
    if missing or extra:
        return problems

    ref_cache: dict = {}
    seen_keys: dict[tuple, int] = {}
    unique_seen: dict[str, dict[str, int]] = {c["name"]: {} for c in columns if c.get("unique")}
    key_index = [expected.index(k) for k in prov["primary_key"]]
    for r, row in enumerate(rows, start=1):
        if len(row) != len(expected):
            problems.append(Problem(label, f"the row has {len(row)} cells; the header has {len(expected)}.", row=r))
            continue
        for col, value in zip(columns, row, strict=True):
            name = col["name"]
            if value != value.strip():
                problems.append(Problem(label, "the value has leading or trailing spaces.", row=r, column=name))
            if value == "":
                if col.get("required"):
                    problems.append(
                        Problem(label, "this cell is empty but the column is required.", row=r, column=name)
                    )
                continue
            parts = _split_list(value) if col.get("list") else [value]
            for part in parts:
                if part == "":
                    problems.append(Problem(label, f"the list {value!r} has an empty item.", row=r, column=name))
                    continue
                message = _check_value(part, col)
                if message:
                    problems.append(Problem(label, message, row=r, column=name))
                    continue
                ref = col.get("references")
                if ref:
                    keys = _reference_keys(ref, data_dir, ref_cache)
                    if keys is None:
                        problems.append(
                            Problem(
                                label,
                                f"it refers to {ref['dataset']}.{ref['column']}, which cannot be read.",
                                row=r,
                                column=name,
                            )
                        )
                    elif part not in keys:
                        problems.append(
                            Problem(
                                label,
                                f"{part!r} refers to an unknown {ref['dataset']} {ref['column']}.",
                                row=r,
                                column=name,
                            )
                        )
            if name in unique_seen:
                first = unique_seen[name].setdefault(value, r)
                if first != r:
                    problems.append(
                        Problem(
                            label,
                            f"{value!r} is a duplicate of row {first}; values must be unique.",
                            row=r,
                            column=name,
                        )
                    )
        pk = tuple(row[i] for i in key_index)
        first = seen_keys.setdefault(pk, r)
        if first != r:
            problems.append(
                Problem(
                    label,
                    f"duplicate id {'|'.join(pk)!r}: row {first} has the same {', '.join(prov['primary_key'])}.",
                    row=r,
                    column=prov["primary_key"][0],
                )
            )
        if len(problems) >= _MAX_PROBLEMS:
            break
    return problems


def _typed_frame(prov: dict, header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    data: dict[str, object] = {}
    for i, col in enumerate(prov["columns"]):
        raw = [row[i] for row in rows]
        if col.get("list"):
            data[col["name"]] = pd.Series([tuple(_split_list(v)) for v in raw], dtype=object)
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


def load_dataset(dataset_id: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Load one dataset by id, validated against its provenance file.

    Raises ``DataError`` naming the file, the row and the column of what is wrong. The checksum is checked last, so
    that a broken cell is reported as such rather than as a checksum mismatch.
    """
    prov = read_provenance(dataset_id, data_dir)
    path = csv_path(dataset_id, data_dir)
    label = _label(path)
    header, rows = _read_csv_rows(path, dataset_id)
    problems = validate_rows(prov, header, rows, label, data_dir)
    actual = file_sha256(path)
    if actual != prov["sha256"]:
        problems.append(
            Problem(
                label,
                f"the file's sha256 is {actual[:12]}…, but provenance.json records {str(prov['sha256'])[:12]}…; "
                "the file changed without its provenance being updated.",
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
    keys = prov["primary_key"]
    return frame[keys].astype(str).agg("|".join, axis=1)
