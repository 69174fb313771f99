"""Reading a dataset's provenance file and checking it against the format of docs/data-contract.md."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from policylens.caveats import CAVEAT_KEYS, CAVEAT_TARGETS, caveat_name
from policylens.datafiles import DATASET_IDS, file_label, provenance_path
from policylens.dataproblems import DataError, Problem
from policylens.paths import DATA_DIR

COLUMN_TYPES = ("string", "integer", "number", "date", "boolean")


def read_provenance(dataset_id: str, data_dir: Path = DATA_DIR) -> dict:
    """The provenance file of a dataset, checked key by key and type by type; ``DataError`` names what is wrong."""
    if dataset_id not in DATASET_IDS:
        raise KeyError(f"Unknown dataset '{dataset_id}'. Known datasets: {', '.join(DATASET_IDS)}.")
    path = provenance_path(dataset_id, data_dir)
    label = file_label(path)

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


def _caveat_problems(caveats: object, columns: list[str]) -> list[str]:
    """What is wrong with the 'caveats' of a provenance file (the shape; not yet the values the CSV holds)."""
    if not isinstance(caveats, list):
        return [f"'caveats' must be a list of caveats (texts, or objects with a 'text'), not {_json_type(caveats)}."]
    messages = []
    for number, entry in enumerate(caveats, start=1):
        name = caveat_name(number, entry)
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
