"""Checking a dataset's CSV against its provenance: reading the file, each cell's type and rules, unique values,
primary keys and references to other datasets (foreign keys), the root cause first."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from pathlib import Path

from policylens.datafiles import DATASET_IDS, csv_path, file_label
from policylens.dataproblems import DataError, Problem
from policylens.provenance import read_provenance

LIST_SEPARATOR = ";"
# Loads a dataset by id from a data folder, given the datasets being loaded already: the loader passes itself in
# (``datasets.load_dataset``), so that a reference that misses can name the referenced dataset's own problems
# without this module importing the loader that imports it.
LoadReferenced = Callable[[str, Path, frozenset[str]], object]
_DATE_RE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_INT_RE = re.compile(r"-?[0-9]+")
_NUMBER_RE = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_MAX_PROBLEMS = 50


EMPTY_FILE = "the file is empty; it needs a header row and at least one row of data."
NO_ROWS = "the file has a header row but no rows of data: an empty dataset cannot be used."


_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes that are not UTF-8, as read with surrogateescape


def _not_utf8(text: str, rows: list[list[str]], label: str, dataset_id: str) -> Problem | None:
    """Where the first byte that is not UTF-8 lies (file, row, column), read with surrogateescape."""
    if not _NOT_UTF8.search(text):  # one regular-expression scan: a loop over the characters took most of a load
        return None
    header = rows[0] if rows else []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            bad = _NOT_UTF8.findall(cell)
            if not bad:
                continue
            raw = bytes(ord(ch) - 0xDC00 for ch in bad[:3])
            message = f"the bytes {raw!r} are not UTF-8 text; save the file as UTF-8 (“CSV UTF-8” in a spreadsheet)."
            if r == 0:
                return Problem(label, "the header row: " + message, dataset=dataset_id)
            column = header[c] if c < len(header) else None
            return Problem(label, message, row=r, column=column, dataset=dataset_id)
    return Problem(label, "the file is not UTF-8 text; save it as UTF-8.", dataset=dataset_id)


def read_csv_rows(path: Path, dataset_id: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV file. A byte-order mark and CRLF line ends (what a spreadsheet saves) are
    read as nothing and as line ends; blank lines at the end of the file are left out."""
    label = file_label(path)

    def fail(problem: Problem) -> DataError:
        return DataError(dataset_id, [problem])

    if not path.is_file():
        raise fail(Problem(label, "the data file is missing.", dataset=dataset_id))
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        raise fail(Problem(label, EMPTY_FILE, dataset=dataset_id))
    text = raw.decode("utf-8", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise fail(Problem(label, f"line {reader.line_num} is not readable CSV ({exc}).", dataset=dataset_id)) from None
    while rows and not rows[-1]:
        rows.pop()
    bad = _not_utf8(text, rows, label, dataset_id)
    if bad is not None:
        raise fail(bad)
    return rows[0], rows[1:]


def _check_value(value: str, col: dict) -> str | None:
    """Return a sentence describing what is wrong with one non-empty cell value, or None."""
    kind = col["type"]
    if kind == "integer":
        if not _INT_RE.fullmatch(value):
            return f"{value!r} is not a whole number."
        number: float = int(value)
    elif kind == "number":
        if not _NUMBER_RE.fullmatch(value):
            return f"{value!r} is not a number."
        number = float(value)
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


def split_list(value: str) -> list[str]:
    return [part for part in value.split(LIST_SEPARATOR)] if value else []


# Row references: a column pair whose first names a dataset and whose second a row of it (the row's primary key
# values joined by '|'). Claims cite the row that holds their evidence this way (source_dataset, source_key).
ROW_REFERENCES: dict[str, tuple[str, str]] = {"claims": ("source_dataset", "source_key")}


def dependencies(prov: dict) -> list[str]:
    """The datasets a dataset refers to (its columns' ``references`` and its row references), in DATASET_IDS order."""
    upstream: set[str] = set()
    for col in prov.get("columns") or []:
        ref = col.get("references") if isinstance(col, dict) else None
        if isinstance(ref, dict) and ref.get("dataset") in DATASET_IDS:
            upstream.add(ref["dataset"])
    if prov.get("id") in ROW_REFERENCES:
        dataset_column = ROW_REFERENCES[prov["id"]][0]
        for col in prov.get("columns") or []:
            if isinstance(col, dict) and col.get("name") == dataset_column:
                upstream.update(d for d in col.get("allowed") or [] if d in DATASET_IDS)
    upstream.discard(prov.get("id"))
    return [d for d in DATASET_IDS if d in upstream]


class _Upstream:
    """The keys of the datasets a dataset refers to, read straight from their files (once per validation).

    A referenced file that cannot be read (missing, empty, not UTF-8, no rows, no such column) is the root cause
    of every reference to it: its ``DataError`` is kept and reported before the referring dataset's own problem.
    A reference to a value the referenced dataset lacks is checked against that dataset's own contract: when the
    referenced dataset is broken (a duplicated or mistyped id), its problems are the root cause and come first.
    """

    def __init__(self, data_dir: Path, load_referenced: LoadReferenced, visiting: frozenset[str] = frozenset()):
        self.data_dir = data_dir
        self.load_referenced = load_referenced
        self.visiting = visiting  # the datasets being loaded already (a cycle of references stops here)
        self.files: dict[str, tuple[list[str], list[list[str]]] | DataError] = {}
        self.row_keys: dict[str, set[str] | DataError] = {}
        self.broken: dict[str, DataError | None] = {}

    def invalid(self, dataset_id: str) -> DataError | None:
        """The referenced dataset's own ``DataError``, or None when it loads (or is being loaded already)."""
        if dataset_id in self.visiting:
            return None
        if dataset_id not in self.broken:
            try:
                self.load_referenced(dataset_id, self.data_dir, self.visiting)
                self.broken[dataset_id] = None
            except DataError as err:
                self.broken[dataset_id] = err
        return self.broken[dataset_id]

    def _file(self, dataset_id: str) -> tuple[list[str], list[list[str]]] | DataError:
        if dataset_id not in self.files:
            path = csv_path(dataset_id, self.data_dir)
            try:
                header, rows = read_csv_rows(path, dataset_id)
            except DataError as err:
                self.files[dataset_id] = err
            else:
                self.files[dataset_id] = (
                    (header, rows)
                    if rows
                    else DataError(dataset_id, [Problem(file_label(path), NO_ROWS, dataset=dataset_id)])
                )
        return self.files[dataset_id]

    def column(self, dataset_id: str, column: str) -> set[str] | DataError:
        read = self._file(dataset_id)
        if isinstance(read, DataError):
            return read
        header, rows = read
        if column not in header:
            label = file_label(csv_path(dataset_id, self.data_dir))
            return DataError(
                dataset_id,
                [Problem(label, "this column is missing from the header row.", column=column, dataset=dataset_id)],
            )
        index = header.index(column)
        return {row[index] for row in rows if index < len(row)}

    def rows(self, dataset_id: str) -> set[str] | DataError:
        """The primary keys (joined by '|') of a dataset's rows."""
        if dataset_id not in self.row_keys:
            try:
                keys = read_provenance(dataset_id, self.data_dir)["primary_key"]
            except DataError as err:
                self.row_keys[dataset_id] = err
                return err
            read = self._file(dataset_id)
            if isinstance(read, DataError):
                self.row_keys[dataset_id] = read
            else:
                header, rows = read
                missing = [k for k in keys if k not in header]
                if missing:
                    label = file_label(csv_path(dataset_id, self.data_dir))
                    self.row_keys[dataset_id] = DataError(
                        dataset_id,
                        [
                            Problem(label, "this column is missing from the header row.", column=k, dataset=dataset_id)
                            for k in missing
                        ],
                    )
                else:
                    index = [header.index(k) for k in keys]
                    self.row_keys[dataset_id] = {
                        "|".join(row[i] for i in index) for row in rows if all(i < len(row) for i in index)
                    }
        return self.row_keys[dataset_id]


def _row_count_problem(row: list[str], header: list[str], label: str, r: int, dataset_id: str) -> Problem:
    """A row with too few or too many cells, in words that say where it ends and what to look for."""
    if not row:
        return Problem(label, "the line is empty; remove it.", row=r, dataset=dataset_id)
    if len(row) < len(header):
        return Problem(
            label,
            f"the row ends after {len(row)} of the header's {len(header)} cells (is the line cut short, or a comma "
            "missing?).",
            row=r,
            column=header[len(row)],
            dataset=dataset_id,
        )
    extra = row[len(header)]
    shown = extra if len(extra) <= 40 else extra[:39] + "…"
    return Problem(
        label,
        f"the row has {len(row)} cells, more than the header's {len(header)}: after the last column "
        f"'{header[-1]}' comes {shown!r} (a comma inside a value needs the value in double quotes).",
        row=r,
        dataset=dataset_id,
    )


def validate_rows(
    prov: dict,
    header: list[str],
    rows: list[list[str]],
    label: str,
    data_dir: Path,
    load_referenced: LoadReferenced,
    visiting: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every way the rows break the contract in ``prov``: the root cause first (a dataset this one refers to that
    cannot be read, or is broken where a reference misses it), then the header, then each row's cells.
    ``visiting``: the datasets being loaded already, whose own problems are not looked up again."""
    dataset_id = str(prov.get("id", ""))
    columns = prov["columns"]
    expected = [c["name"] for c in columns]
    problems: list[Problem] = []
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    for name in missing:
        problems.append(Problem(label, "this column is missing from the header row.", column=name, dataset=dataset_id))
    for name in extra:
        problems.append(
            Problem(
                label,
                "this column is in the header row but not in the dataset's schema.",
                column=name,
                dataset=dataset_id,
            )
        )
    if not missing and not extra and header != expected:
        problems.append(
            Problem(label, f"the columns are out of order; expected {', '.join(expected)}.", dataset=dataset_id)
        )
    if missing or extra:
        return problems
    if not rows:
        return [Problem(label, NO_ROWS, dataset=dataset_id)]

    upstream = _Upstream(data_dir, load_referenced, visiting | {dataset_id})
    roots: list[Problem] = []  # problems of referenced datasets that cannot be read: reported first
    unreadable: set[tuple[str, str]] = set()

    def missed(target: str) -> None:
        """A reference missed ``target``: if ``target`` is broken itself, its problems are the root cause."""
        err = upstream.invalid(target)
        if err is not None:
            roots.extend(p for p in err.problems if p not in roots)

    def broken_reference(err: DataError, name: str, target: str) -> None:
        if (name, err.dataset_id) in unreadable:
            return
        unreadable.add((name, err.dataset_id))
        roots.extend(p for p in err.problems if p not in roots)
        problems.append(
            Problem(
                label,
                f"it refers to {target}, which cannot be read (the problem of {err.dataset_id} above).",
                column=name,
                dataset=dataset_id,
            )
        )

    seen_keys: dict[tuple, int] = {}
    unique_seen: dict[str, dict[str, int]] = {c["name"]: {} for c in columns if c.get("unique")}
    key_index = [expected.index(k) for k in prov["primary_key"]]
    row_reference = ROW_REFERENCES.get(dataset_id)
    for r, row in enumerate(rows, start=1):
        if len(row) != len(expected):
            problems.append(_row_count_problem(row, expected, label, r, dataset_id))
            continue
        for col, value in zip(columns, row, strict=True):
            name = col["name"]
            if value != value.strip():
                problems.append(
                    Problem(label, "the value has leading or trailing spaces.", row=r, column=name, dataset=dataset_id)
                )
            if value == "":
                if col.get("required"):
                    problems.append(
                        Problem(
                            label,
                            "this cell is empty but the column is required.",
                            row=r,
                            column=name,
                            dataset=dataset_id,
                        )
                    )
                continue
            parts = split_list(value) if col.get("list") else [value]
            for part in parts:
                if part == "":
                    problems.append(
                        Problem(label, f"the list {value!r} has an empty item.", row=r, column=name, dataset=dataset_id)
                    )
                    continue
                message = _check_value(part, col)
                if message:
                    problems.append(Problem(label, message, row=r, column=name, dataset=dataset_id))
                    continue
                ref = col.get("references")
                if ref:
                    keys = upstream.column(ref["dataset"], ref["column"])
                    if isinstance(keys, DataError):
                        broken_reference(keys, name, f"{ref['dataset']}.{ref['column']}")
                    elif part not in keys:
                        missed(ref["dataset"])
                        problems.append(
                            Problem(
                                label,
                                f"{part!r} refers to an unknown {ref['dataset']} {ref['column']}.",
                                row=r,
                                column=name,
                                dataset=dataset_id,
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
                            dataset=dataset_id,
                        )
                    )
        if row_reference:
            target, key = (row[expected.index(c)] if c in expected else "" for c in row_reference)
            if target in DATASET_IDS and key:
                keys = upstream.rows(target)
                if isinstance(keys, DataError):
                    broken_reference(keys, row_reference[1], f"the rows of {target}")
                elif key not in keys:
                    missed(target)
                    problems.append(
                        Problem(
                            label,
                            f"no row of {target} has the key {key!r}.",
                            row=r,
                            column=row_reference[1],
                            dataset=dataset_id,
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
                    dataset=dataset_id,
                )
            )
        if len(problems) >= _MAX_PROBLEMS:
            break
    return roots + problems
