"""Reading a dataset's provenance file and checking it: its structure against the JSON Schema
``policylens/schemas/provenance.schema.json`` (with ``jsonschema``, as OWID's etl checks its metadata), and the rules
that span fields here in Python. Each problem is one sentence naming the file and the key or column entry."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

from jsonschema import Draft202012Validator, ValidationError

from policylens.caveats import CAVEAT_TARGETS, caveat_name
from policylens.datafiles import DATASET_IDS, file_label, provenance_path
from policylens.dataproblems import DataError, Problem
from policylens.paths import DATA_DIR

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "provenance.schema.json"
PROVENANCE_SCHEMA: dict = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
# The format checker is what checks a column's 'pattern' ("format": "regex"): jsonschema compiles it with Python's
# re, the dialect the table checks match cells with.
_VALIDATOR = Draft202012Validator(PROVENANCE_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


class _NotJSON(ValueError):
    """A value Python's json reads but JSON does not have (NaN, Infinity)."""


def _refuse_constant(name: str) -> float:
    raise _NotJSON(f"{name} is not a JSON value")


def read_provenance(dataset_id: str, data_dir: Path = DATA_DIR) -> dict:
    """The provenance file of a dataset, checked against the schema and the rules across its fields; ``DataError``
    names what is wrong."""
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
        # NaN and Infinity are refused here: the schema's "number" would take them, and no bound can be NaN.
        prov = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise fail(
            f"the provenance file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except _NotJSON as exc:
        raise fail(f"the provenance file is not valid JSON: {exc}.") from None
    problems = _problems_of_text(text, dataset_id)
    if problems:
        raise DataError(dataset_id, [dataclasses.replace(problem, file=label) for problem in problems])
    return prov


@functools.lru_cache(maxsize=128)
def _problems_of_text(text: str, dataset_id: str) -> tuple[Problem, ...]:
    """``provenance_problems`` of a provenance file's text (already read as JSON once), kept per text whatever
    folder it lies in (the caller names the file): the schema check is most of a dataset's load, and the app, the
    validator and the tests read the same files again and again, the tests from copies of the data folder."""
    return tuple(provenance_problems(json.loads(text, parse_constant=_refuse_constant), "", dataset_id))


def provenance_problems(prov: object, label: str, dataset_id: str) -> list[Problem]:
    """Every way a provenance object breaks docs/data-contract.md: the schema's errors first, each in a sentence,
    then the rules across fields. A sentence said twice (two errors inside one 'references') is said once."""
    problems: list[Problem] = []
    for error in _VALIDATOR.iter_errors(prov):
        for message, column in _sentences(error, prov):
            problem = Problem(label, message, column=column, dataset=dataset_id)
            if problem not in problems:
                problems.append(problem)
    return problems + _cross_field_problems(prov, label, dataset_id)


def _json_type(value: object) -> str:
    """What a JSON value is, in words ("null", "the string 'x'", "a list", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return "an object"


# How a sentence says what the schema expects: a JSON type in words, alone and in the plural.
_TYPE_WORDS = {
    "string": ("text", "texts"),
    "array": ("a list", "lists"),
    "object": ("an object", "objects"),
    "boolean": ("true or false", "true or false values"),
    "number": ("a number", "numbers"),
    "integer": ("a whole number", "whole numbers"),
}


def _expected(error: ValidationError) -> str:
    """What the failing part of the schema asks for, in words ("a list of texts", "text matching ^[0-9]$")."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "enum":
        return "one of " + ", ".join(str(v) for v in error.validator_value)
    if error.validator == "pattern":
        return f"text matching {error.validator_value}"
    if error.validator == "minLength":
        return "non-empty text"
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    items = schema.get("items")
    if types == ["array"] and isinstance(items, dict) and isinstance(items.get("type"), str):
        words = f"a list of {_TYPE_WORDS[items['type']][1]}"
    else:
        words = " or ".join(_TYPE_WORDS[t][0] for t in types) or "something else"
    if error.validator == "minItems":
        words = words.replace("a list", "a non-empty list", 1)
    return words


def _field(path: list) -> str:
    """A place in the provenance object in words: 'article.authors' entry 2."""
    keys = [str(part) for part in path if isinstance(part, str)]
    text = f"'{'.'.join(keys)}'"
    if path and isinstance(path[-1], int):
        text += f" entry {path[-1] + 1}"
    return text


def _missing(error: ValidationError) -> list[str]:
    """The keys a ``required`` error finds missing. jsonschema raises one error per key without naming it apart
    from its message, so each error says all of them; ``provenance_problems`` says each sentence once."""
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [key for key in error.validator_value if key not in instance]


Sentence = tuple[str, str | None]  # the message, and the column it names (None: the key names itself)


def _sentences(error: ValidationError, prov: object) -> list[Sentence]:
    """One schema error in the project's sentences: the key or column entry, what it must be, what it holds."""
    path = list(error.absolute_path)
    found = _json_type(error.instance)
    if not path:
        if error.validator == "required":
            return [(f"the key '{key}' is missing.", None) for key in _missing(error)]
        return [(f"the provenance file must hold a JSON object, not {found}.", None)]
    assert isinstance(prov, dict)  # an error below the top means the top is an object
    key = path[0]
    if key == "columns" and len(path) > 1:
        return _column_sentences(error, path[1], path[2:], prov["columns"][path[1]])
    if key == "caveats" and len(path) > 1:
        return _caveat_sentences(error, path[1], path[2:], prov["caveats"][path[1]])
    if key == "columns":
        return [(f"'columns' must be a non-empty list of column objects, not {found}.", None)]
    if key == "caveats":
        return [(f"'caveats' must be a list of caveats (texts, or objects with a 'text'), not {found}.", None)]
    if key == "primary_key":
        whole = _json_type(prov["primary_key"])
        return [(f"'primary_key' must be a non-empty list of column names, not {whole}.", None)]
    if key in ("sha256", "article_sha256") and error.validator == "pattern":
        return [(f"'{key}' must be the file's sha256 (64 lowercase hex digits).", None)]
    if error.validator == "required":
        return [(f"{_field(path)} has no '{missing}'.", None) for missing in _missing(error)]
    return [(f"{_field(path)} must be {_expected(error)}, not {found}.", None)]


def _column_sentences(error: ValidationError, index: int, rest: list, col: object) -> list[Sentence]:
    """An error inside one entry of 'columns', naming the column (or the entry, when it has no name)."""
    name = col.get("name") if isinstance(col, dict) else None
    named = isinstance(name, str) and name != ""
    entry = f"column entry {index + 1}"
    nameless = f"{entry} has no 'name' (it holds {_json_type(name if isinstance(col, dict) else col)})."
    found = _json_type(error.instance)
    if not rest:
        if error.validator != "required":
            return [(nameless, None)]
        messages = [nameless if key == "name" else f"the column has no '{key}'." for key in _missing(error)]
    elif rest[0] == "name":
        return [(nameless, None)]
    else:
        messages = [_column_key_message(error, rest, col, found)]
    if named:
        return [(message, name) for message in messages]
    return [(message if message == nameless else f"{entry}: {message}", None) for message in messages]


def _column_key_message(error: ValidationError, rest: list, col: dict, found: str) -> str:
    key = rest[0]
    if key == "type":
        return f"the type is {found}; expected one of {', '.join(error.validator_value)}."
    if key == "allowed":
        if len(rest) == 1:
            return f"'allowed' must be a list of values, not {found}."
        return f"'allowed' entry {rest[1] + 1} must be a value (text or a whole number), not {found}."
    if key == "pattern":
        if error.validator == "format":
            return f"'pattern' {col['pattern']!r} is not a regular expression ({error.cause})."
        return f"'pattern' must be a regular expression as text, not {found}."
    if key == "references":
        return f"'references' must be an object with 'dataset' and 'column', not {_json_type(col[key])}."
    if key in ("labels", "units"):
        return f"'{key}' must be an object of texts by value, not {_json_type(col[key])}."
    return f"{_field(rest)} must be {_expected(error)}, not {found}."


def _caveat_sentences(error: ValidationError, index: int, rest: list, entry: object) -> list[Sentence]:
    """An error inside one entry of 'caveats', naming the caveat by its number and first words."""
    name = caveat_name(index + 1, entry)
    found = _json_type(error.instance)
    if not rest:
        if error.validator == "required":
            return [(f"{name} has no 'text': a caveat object needs its sentence as a non-empty 'text'.", None)]
        if error.validator == "additionalProperties":
            keys = list(error.schema["properties"])
            return [
                (f"{name} has the key {key!r}, which a caveat does not have (its keys are {', '.join(keys)}).", None)
                for key in error.instance
                if key not in keys
            ]
        if error.validator == "pattern":
            return [(f"{name} is empty: a caveat must say something.", None)]
        return [(f"{name} must be a text or an object with a 'text', not {found}.", None)]
    key = rest[0]
    if key == "text":
        return [(f"{name}: 'text' must be the caveat's sentence (non-empty text), not {found}.", None)]
    column = CAVEAT_TARGETS[key]
    if len(rest) == 1:
        return [
            (
                f"{name}: '{key}' must be a non-empty list of {column} values (leave it out for a caveat on the "
                f"whole dataset), not {found}.",
                None,
            )
        ]
    return [(f"{name}: '{key}' entry {rest[1] + 1} must be a {column} value, not {found}.", None)]


def _cross_field_problems(prov: object, label: str, dataset_id: str) -> list[Problem]:
    """The rules a schema of one file cannot state: the id is the folder, column names are unique, references name
    datasets, caveats name columns the dataset has, the primary key names columns. Parts the schema refused are
    passed over here (the schema's sentence names them)."""
    if not isinstance(prov, dict):
        return []

    def problem(message: str, column: str | None = None) -> Problem:
        return Problem(label, message, column=column, dataset=dataset_id)

    problems = []
    if "id" in prov and prov["id"] != dataset_id:
        problems.append(problem(f"'id' is {_json_type(prov['id'])}, but the folder is {dataset_id!r}."))
    columns = prov.get("columns") if isinstance(prov.get("columns"), list) else []
    names: list[str] = []
    for number, col in enumerate(columns, start=1):
        name = col.get("name") if isinstance(col, dict) else None
        if not isinstance(name, str) or not name:
            continue
        if name in names:
            problems.append(problem(f"column entry {number} repeats the name {name!r}.", column=name))
        names.append(name)
        ref = col.get("references")
        if isinstance(ref, dict) and isinstance(ref.get("dataset"), str) and ref["dataset"] not in DATASET_IDS:
            problems.append(problem(f"'references' names {ref['dataset']!r}, which is not a dataset.", column=name))
    caveats = prov.get("caveats") if isinstance(prov.get("caveats"), list) else []
    for number, entry in enumerate(caveats, start=1):
        for key, column in CAVEAT_TARGETS.items():
            values = entry.get(key) if isinstance(entry, dict) else None
            # Without a column that has a name, the schema's sentence says what is wrong; "no 'metric' column"
            # would only repeat it.
            if not names or column in names or not isinstance(values, list):
                continue
            for value in values:
                if isinstance(value, str) and value:
                    problems.append(
                        problem(
                            f"{caveat_name(number, entry)} applies to the {column} {value!r}, but the dataset has "
                            f"no '{column}' column."
                        )
                    )
    primary = prov.get("primary_key")
    if columns and isinstance(primary, list):
        for key in primary:
            if isinstance(key, str) and key not in names:
                problems.append(problem(f"primary key column '{key}' is not among the columns."))
    return problems
