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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    "policy-corpus",
    "oecd-themes",
    "theme-lexicon",
)

COLUMN_TYPES = ("string", "integer", "number", "date", "boolean")
LIST_SEPARATOR = ";"
_DATE_RE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_INT_RE = re.compile(r"-?[0-9]+")
_NUMBER_RE = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file. ``row`` counts data rows from 1 (the header is line 1 of the file).

    ``dataset`` is the dataset whose file is wrong, where a problem of one dataset is reported for another that
    refers to it (the root cause of the other's problem); ``code`` marks a kind a program acts on ("checksum").
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    dataset: str = ""
    code: str = ""

    def sentence(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row} (line {self.row + 1})"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataError(Exception):
    """A dataset failed its contract. ``problems`` lists every problem found, the root cause first: a problem of a
    dataset this one refers to (``Problem.dataset``) comes before this dataset's own."""

    def __init__(self, dataset_id: str, problems: list[Problem]):
        self.dataset_id = dataset_id
        self.problems = problems
        more = len(problems) - 1
        tail = f" ({more} more problem{'s' if more != 1 else ''} in this dataset.)" if more > 0 else ""
        root = self.root
        head = (
            f"The '{root}' dataset cannot be used, so neither can '{dataset_id}', which refers to it."
            if root != dataset_id
            else f"The '{dataset_id}' dataset cannot be used."
        )
        super().__init__(f"{head} {problems[0].sentence()}{tail}")

    @property
    def root(self) -> str:
        """The dataset whose file holds the first problem (this one, or one it refers to)."""
        return self.problems[0].dataset or self.dataset_id

    @property
    def sentence(self) -> str:
        return str(self)


def read_or_sentence(read: Callable[[str, Path], Any], dataset_id: str, data_dir: Path) -> tuple[Any, str | None]:
    """``(read(dataset_id, data_dir), None)``, or ``(None, sentence)`` saying what is wrong with the dataset: what
    the app's pages and the server's routes keep per dataset (``load_dataset`` or ``read_provenance``)."""
    try:
        return read(dataset_id, data_dir), None
    except DataError as err:
        return None, err.sentence


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
    """The provenance file of a dataset, checked key by key and type by type; ``DataError`` names what is wrong."""
    if dataset_id not in DATASET_IDS:
        raise KeyError(f"Unknown dataset '{dataset_id}'. Known datasets: {', '.join(DATASET_IDS)}.")
    path = provenance_path(dataset_id, data_dir)
    label = _label(path)

    def fail(message: str) -> DataError:
        return DataError(dataset_id, [Problem(label, message, dataset=dataset_id)])

    if not path.is_file():
        raise fail("the provenance file is missing.")
    try:
        # A byte-order mark (a text editor on Windows) is read as nothing, as in the CSV files.
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start : exc.start + 1]
        raise fail(f"the provenance file is not UTF-8 text (byte {exc.start + 1} is {byte!r}).") from None
    try:
        prov = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(
            f"the provenance file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    problems = _provenance_problems(prov, label, dataset_id)
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
_TEXT_KEYS = ("id", "title", "description", "producer", "accessed", "licence", "confidence", "file", "sha256")
_TEXT_LIST_KEYS = ("source_ids", "derived_from")  # derived_from may be left out
_SHA256_RE = re.compile(r"[0-9a-f]{64}")

# A caveat is a sentence (text) or an object {"text": ..., "metrics": [...], "qualifiers": [...]}; "metrics" and
# "qualifiers" name the values of the dataset's column they apply to (below). A caveat that names none concerns the
# whole dataset. Caveats may be left out.
CAVEAT_TARGETS: dict[str, str] = {"metrics": "metric", "qualifiers": "qualifier"}
CAVEAT_KEYS: tuple[str, ...] = ("text", *CAVEAT_TARGETS)


def caveat_text(entry: object) -> str:
    """The sentence of one caveat: the entry itself when it is text, its ``text`` when it is an object ('' when it
    has none: the validator names such an entry)."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping) and isinstance(entry.get("text"), str):
        return entry["text"]
    return ""


def caveat_texts(prov: Mapping) -> list[str]:
    """Every caveat sentence of a provenance, in order, whatever it applies to (the Sources page, the pack)."""
    caveats = prov.get("caveats") if isinstance(prov, Mapping) else None
    if not isinstance(caveats, list):
        return []
    return [text for text in map(caveat_text, caveats) if text]


def _caveat_targets(entry: object, key: str) -> set[str]:
    values = entry.get(key) if isinstance(entry, Mapping) else None
    return {v for v in values if isinstance(v, str) and v} if isinstance(values, list) else set()


def caveats_for(prov: Mapping, metric: str, qualifiers: Iterable[str] = ()) -> list[str]:
    """The caveat sentences that concern ``metric``: those whose ``metrics`` name it, and those whose ``qualifiers``
    name one of ``qualifiers`` (the qualifiers of the rows shown). Plain-text caveats and objects that name neither
    concern the whole dataset and are not among them."""
    caveats = prov.get("caveats") if isinstance(prov, Mapping) else None
    if not isinstance(caveats, list):
        return []
    shown = {q for q in qualifiers if isinstance(q, str) and q}
    return [
        caveat_text(entry)
        for entry in caveats
        if caveat_text(entry)
        and (metric in _caveat_targets(entry, "metrics") or shown & _caveat_targets(entry, "qualifiers"))
    ]


def _json_type(value: object) -> str:
    """What a JSON value is, in words ("null", "a string", "a list", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_text_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _column_problems(col: dict, name: str, label: str, dataset_id: str) -> list[Problem]:
    """What is wrong with one column entry of the schema, each naming the column."""

    def problem(message: str) -> Problem:
        return Problem(label, message, column=name, dataset=dataset_id)

    problems = []
    if col.get("type") not in COLUMN_TYPES:
        problems.append(
            problem(f"the type is {_json_type(col.get('type'))}; expected one of {', '.join(COLUMN_TYPES)}.")
        )
    for key in ("description", "unit"):
        if key not in col:
            problems.append(problem(f"the column has no '{key}'."))
        elif not isinstance(col[key], str):
            problems.append(problem(f"'{key}' must be text, not {_json_type(col[key])}."))
    for key in ("required", "unique", "list"):
        if key in col and not isinstance(col[key], bool):
            problems.append(problem(f"'{key}' must be true or false, not {_json_type(col[key])}."))
    for key in ("min", "max"):
        if key in col and not _is_number(col[key]):
            problems.append(problem(f"'{key}' must be a number, not {_json_type(col[key])}."))
    if "allowed" in col and not (
        isinstance(col["allowed"], list)
        and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in col["allowed"])
    ):
        problems.append(problem(f"'allowed' must be a list of values, not {_json_type(col['allowed'])}."))
    if "pattern" in col:
        if not isinstance(col["pattern"], str):
            problems.append(
                problem(f"'pattern' must be a regular expression as text, not {_json_type(col['pattern'])}.")
            )
        else:
            try:
                re.compile(col["pattern"])
            except re.error as exc:
                problems.append(problem(f"'pattern' {col['pattern']!r} is not a regular expression ({exc})."))
    if "references" in col:
        ref = col["references"]
        if not (isinstance(ref, dict) and isinstance(ref.get("dataset"), str) and isinstance(ref.get("column"), str)):
            problems.append(
                problem(f"'references' must be an object with 'dataset' and 'column', not {_json_type(ref)}.")
            )
        elif ref["dataset"] not in DATASET_IDS:
            problems.append(problem(f"'references' names {ref['dataset']!r}, which is not a dataset."))
    for key in ("labels", "units"):
        if key in col and not _is_text_map(col[key]):
            problems.append(problem(f"'{key}' must be an object of texts by value, not {_json_type(col[key])}."))
    return problems


def _caveat_name(number: int, entry: object) -> str:
    """'caveat 3' or 'caveat 3 ("Visitors are not defined…")': how a sentence names an entry of 'caveats'."""
    text = caveat_text(entry).strip()
    if not text:
        return f"caveat {number}"
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f'caveat {number} ("{shown}")'


def _caveat_problems(caveats: object, columns: list[str]) -> list[str]:
    """What is wrong with the 'caveats' of a provenance file (the shape; not yet the values the CSV holds)."""
    if not isinstance(caveats, list):
        return [f"'caveats' must be a list of caveats (texts, or objects with a 'text'), not {_json_type(caveats)}."]
    messages = []
    for number, entry in enumerate(caveats, start=1):
        name = _caveat_name(number, entry)
        if isinstance(entry, str):
            if not entry.strip():
                messages.append(f"{name} is empty: a caveat must say something.")
            continue
        if not isinstance(entry, dict):
            messages.append(f"{name} must be a text or an object with a 'text', not {_json_type(entry)}.")
            continue
        if "text" not in entry:
            messages.append(f"{name} has no 'text': a caveat object needs its sentence as a non-empty 'text'.")
        elif not isinstance(entry["text"], str) or not entry["text"].strip():
            messages.append(
                f"{name}: 'text' must be the caveat's sentence (non-empty text), not {_json_type(entry['text'])}."
            )
        for key in entry:
            if key not in CAVEAT_KEYS:
                messages.append(
                    f"{name} has the key {key!r}, which a caveat does not have (its keys are {', '.join(CAVEAT_KEYS)})."
                )
        for key, column in CAVEAT_TARGETS.items():
            if key not in entry:
                continue
            values = entry[key]
            if not isinstance(values, list) or not values:
                shown = "an empty list" if values == [] else _json_type(values)
                messages.append(
                    f"{name}: '{key}' must be a non-empty list of {column} values (leave it out for a caveat on the "
                    f"whole dataset), not {shown}."
                )
                continue
            for i, value in enumerate(values, start=1):
                if not isinstance(value, str) or not value:
                    messages.append(f"{name}: '{key}' entry {i} must be a {column} value, not {_json_type(value)}.")
                elif column not in columns:
                    messages.append(
                        f"{name} applies to the {column} {value!r}, but the dataset has no '{column}' column."
                    )
    return messages


def caveat_value_problems(prov: Mapping, header: list[str], rows: list[list[str]]) -> list[str]:
    """Each value a caveat's 'metrics' or 'qualifiers' names that no row of the CSV holds in that column (the caveat
    would be shown nowhere)."""
    caveats = prov.get("caveats")
    if not isinstance(caveats, list):
        return []
    file = str(prov.get("file", "the data file"))
    messages = []
    for number, entry in enumerate(caveats, start=1):
        for key, column in CAVEAT_TARGETS.items():
            if column not in header or not _caveat_targets(entry, key):
                continue
            index = header.index(column)
            present = {row[index] for row in rows if len(row) > index}
            for value in entry[key]:
                if isinstance(value, str) and value and value not in present:
                    messages.append(
                        f"{_caveat_name(number, entry)} applies to the {column} {value!r}, which is not in the "
                        f"'{column}' column of {file}."
                    )
    return messages


def _provenance_problems(prov: object, label: str, dataset_id: str = "") -> list[Problem]:
    """Every way the provenance object breaks the format of docs/data-contract.md: keys, and the type of each."""

    def problem(message: str, column: str | None = None) -> Problem:
        return Problem(label, message, column=column, dataset=dataset_id)

    if not isinstance(prov, dict):
        return [problem(f"the provenance file must hold a JSON object, not {_json_type(prov)}.")]
    problems = [problem(f"the key '{key}' is missing.") for key in _PROVENANCE_KEYS if key not in prov]
    if problems:
        return problems
    for key in _TEXT_KEYS:
        if not isinstance(prov[key], str):
            problems.append(problem(f"'{key}' must be text, not {_json_type(prov[key])}."))
    for key in _TEXT_LIST_KEYS:
        if key in prov and not _is_text_list(prov[key]):
            problems.append(problem(f"'{key}' must be a list of texts, not {_json_type(prov[key])}."))
    if isinstance(prov["sha256"], str) and not _SHA256_RE.fullmatch(prov["sha256"]):
        problems.append(problem("'sha256' must be the file's sha256 (64 lowercase hex digits)."))
    if dataset_id and prov["id"] != dataset_id:
        problems.append(problem(f"'id' is {_json_type(prov['id'])}, but the folder is {dataset_id!r}."))
    if "tag_overrides" in prov and not (
        isinstance(prov["tag_overrides"], list) and all(isinstance(o, dict) for o in prov["tag_overrides"])
    ):
        problems.append(problem(f"'tag_overrides' must be a list of objects, not {_json_type(prov['tag_overrides'])}."))
    if "article" in prov and not isinstance(prov["article"], dict):
        problems.append(problem(f"'article' must be an object, not {_json_type(prov['article'])}."))
    columns = prov["columns"]
    if not isinstance(columns, list) or not columns:
        problems.append(problem(f"'columns' must be a non-empty list of column objects, not {_json_type(columns)}."))
        columns = []
    names: list[str] = []
    for i, col in enumerate(columns):
        if not isinstance(col, dict) or not isinstance(col.get("name"), str) or not col["name"]:
            shown = _json_type(col.get("name")) if isinstance(col, dict) else _json_type(col)
            problems.append(problem(f"column entry {i + 1} has no 'name' (it holds {shown})."))
            continue
        if col["name"] in names:
            problems.append(problem(f"column entry {i + 1} repeats the name {col['name']!r}.", column=col["name"]))
        names.append(col["name"])
        problems += _column_problems(col, col["name"], label, dataset_id)
    if "caveats" in prov:
        problems += [problem(message) for message in _caveat_problems(prov["caveats"], names)]
    primary = prov["primary_key"]
    if not _is_text_list(primary) or not primary:
        problems.append(problem(f"'primary_key' must be a non-empty list of column names, not {_json_type(primary)}."))
    elif columns:
        for key in primary:
            if key not in names:
                problems.append(problem(f"primary key column '{key}' is not among the columns."))
    return problems


EMPTY_FILE = "the file is empty; it needs a header row and at least one row of data."
NO_ROWS = "the file has a header row but no rows of data: an empty dataset cannot be used."


def _not_utf8(text: str, rows: list[list[str]], label: str, dataset_id: str) -> Problem | None:
    """Where the first byte that is not UTF-8 lies (file, row, column), read with surrogateescape."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return None
    header = rows[0] if rows else []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            bad = [ch for ch in cell if "\udc80" <= ch <= "\udcff"]
            if not bad:
                continue
            raw = bytes(ord(ch) - 0xDC00 for ch in bad[:3])
            message = f"the bytes {raw!r} are not UTF-8 text; save the file as UTF-8 (“CSV UTF-8” in a spreadsheet)."
            if r == 0:
                return Problem(label, "the header row: " + message, dataset=dataset_id)
            column = header[c] if c < len(header) else None
            return Problem(label, message, row=r, column=column, dataset=dataset_id)
    return Problem(label, "the file is not UTF-8 text; save it as UTF-8.", dataset=dataset_id)


def _read_csv_rows(path: Path, dataset_id: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV file. A byte-order mark and CRLF line ends (what a spreadsheet saves) are
    read as nothing and as line ends; blank lines at the end of the file are left out."""
    label = _label(path)

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


def _split_list(value: str) -> list[str]:
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

    def __init__(self, data_dir: Path, visiting: frozenset[str] = frozenset()):
        self.data_dir = data_dir
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
                load_dataset(dataset_id, self.data_dir, _visiting=self.visiting)
                self.broken[dataset_id] = None
            except DataError as err:
                self.broken[dataset_id] = err
        return self.broken[dataset_id]

    def _file(self, dataset_id: str) -> tuple[list[str], list[list[str]]] | DataError:
        if dataset_id not in self.files:
            path = csv_path(dataset_id, self.data_dir)
            try:
                header, rows = _read_csv_rows(path, dataset_id)
            except DataError as err:
                self.files[dataset_id] = err
            else:
                self.files[dataset_id] = (
                    (header, rows)
                    if rows
                    else DataError(dataset_id, [Problem(_label(path), NO_ROWS, dataset=dataset_id)])
                )
        return self.files[dataset_id]

    def column(self, dataset_id: str, column: str) -> set[str] | DataError:
        read = self._file(dataset_id)
        if isinstance(read, DataError):
            return read
        header, rows = read
        if column not in header:
            label = _label(csv_path(dataset_id, self.data_dir))
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
                    label = _label(csv_path(dataset_id, self.data_dir))
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
    data_dir: Path = DATA_DIR,
    _visiting: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every way the rows break the contract in ``prov``: the root cause first (a dataset this one refers to that
    cannot be read, or is broken where a reference misses it), then the header, then each row's cells."""
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

    upstream = _Upstream(data_dir, _visiting | {dataset_id})
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
            parts = _split_list(value) if col.get("list") else [value]
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


def load_dataset(
    dataset_id: str, data_dir: Path = DATA_DIR, *, _visiting: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Load one dataset by id, validated against its provenance file.

    Raises ``DataError`` naming the file, the row and the column of what is wrong, the root cause first (a dataset
    this one refers to that cannot be read). The checksum is checked last, so that a broken cell is reported as
    such rather than as a checksum mismatch.
    """
    prov = read_provenance(dataset_id, data_dir)
    path = csv_path(dataset_id, data_dir)
    label = _label(path)
    header, rows = _read_csv_rows(path, dataset_id)
    problems = validate_rows(prov, header, rows, label, data_dir, _visiting)
    prov_label = _label(provenance_path(dataset_id, data_dir))
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
    keys = prov["primary_key"]
    return frame[keys].astype(str).agg("|".join, axis=1)
