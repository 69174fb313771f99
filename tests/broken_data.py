"""The broken-data matrix: every way a curator's edit can break a dataset, applied to a copy of the data folder.

Each case is (dataset id, kind). ``break_copy(data_dir, dataset_id, kind)`` breaks a copy in place and returns what
the validator and the pages must say about it (``Expected``). Unless the kind is about the checksum, the checksum in
provenance.json is recorded again after the edit (as ``--fix-checksums`` would after a deliberate edit), so that the
case's own problem is the one reported, not a checksum mismatch.

``BrokenCopy`` is one case's broken copy with what it reads as; ``page_needs()`` and ``needs_broken`` say which pages
need the broken data: a page needs the datasets it reads when building its default view, and a copy breaks the
datasets that do not load (a dataset that refers to a broken one does not load either).

Used by tests/data/test_broken_matrix.py (the validator, the loader and every page's view on every case) and
tests/app/test_broken_pages.py (what the app draws of it, on the cases that reach every page).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from policylens.contracts import contract_problems
from policylens.datasets import (
    DATASET_IDS,
    DataError,
    Problem,
    csv_path,
    data_version,
    file_sha256,
    load_dataset,
    provenance_path,
    read_provenance,
)
from policylens.views import PAGES, Page
from policylens.views.analyze import AnalyzeParams, analysis_view
from policylens.views.base import Data
from policylens.views.kept import kept

# Kinds of breakage of the CSV file of a dataset.
CSV_KINDS = (
    "missing file",
    "empty file",
    "header only",
    "non-UTF-8 bytes",
    "truncated last line",
    "extra column",
    "missing column",
    "extra cell",
    "wrong type",
    "duplicate id",
    "dangling reference",
    "changed value, old checksum",
)
# Kinds of breakage of provenance.json.
PROVENANCE_KINDS = (
    "provenance missing",
    "provenance not JSON",
    "provenance a list",
    "columns null",
    "columns a string",
    "column entry null",
    "column type a number",
    "column name a number",
    "primary_key null",
    "primary_key unknown column",
    "sha256 a number",
    "allowed a string",
    "min a string",
    "references a string",
    "pattern not a regex",
    "caveats a string",
    "labels a list",
)
# Kinds of breakage of a caveat that names the metrics and qualifiers it applies to ({"text": ..., "metrics": [...],
# "qualifiers": [...]}): applied to expo, the dataset whose caveats do (CASES), to its first caveat that names metrics.
CAVEAT_KINDS = (
    "caveat a number",
    "caveat without text",
    "caveat text empty",
    "caveat metrics null",
    "caveat metrics a number",
    "caveat unknown metric",
    "caveat unknown qualifier",
    "caveat unknown key",
)
CAVEAT_DATASET = "expo"
# Bytes a spreadsheet writes when it saves a CSV: accepted, the dataset reads the same.
ACCEPTED_KINDS = ("byte-order mark", "CRLF line ends")
KINDS = (*CSV_KINDS, *PROVENANCE_KINDS, *ACCEPTED_KINDS)

# A marker inside every value a case writes, so a test can find where the pages show it (always escaped).
HOSTILE_CELL = "<b>**x**</b>"


@dataclass(frozen=True)
class Expected:
    """What must be said about a broken copy.

    ``file`` is the file the first problem must name (the root cause); ``row`` and ``column`` the row (data rows
    from 1; 0 is the header row) and column it must name, None where the problem is the whole file; ``words`` a
    phrase of the sentence. ``accepted``: the copy is valid (no problem at all).
    """

    file: str
    row: int | None = None
    column: str | None = None
    words: str = ""
    accepted: bool = False


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write(path: Path, rows: list[list[str]], lineterminator: str = "\n") -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator=lineterminator).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


def _prov(data_dir: Path, dataset_id: str) -> dict:
    return json.loads(provenance_path(dataset_id, data_dir).read_text(encoding="utf-8"))


def _write_prov(data_dir: Path, dataset_id: str, prov: object) -> None:
    provenance_path(dataset_id, data_dir).write_text(json.dumps(prov, ensure_ascii=False, indent=2), encoding="utf-8")


def record_checksum(data_dir: Path, dataset_id: str) -> None:
    """Record the CSV's current sha256 in its provenance.json (what --fix-checksums does after a deliberate edit)."""
    prov = _prov(data_dir, dataset_id)
    prov["sha256"] = file_sha256(csv_path(dataset_id, data_dir))
    _write_prov(data_dir, dataset_id, prov)


def typed_column(prov: dict) -> tuple[str, str]:
    """A column where a word is the wrong type (a number, date or flag; else a column with a pattern), and the word."""
    for col in prov["columns"]:
        if col["type"] in ("integer", "number", "date", "boolean"):
            return col["name"], "three thousand"
    for col in prov["columns"]:
        if col.get("pattern"):
            return col["name"], "Three thousand!"
    raise AssertionError(f"{prov['id']} has no typed column")


def reference_column(prov: dict) -> str | None:
    for col in prov["columns"]:
        if col.get("references"):
            return col["name"]
    return None


def _label(data_dir: Path, dataset_id: str, file: str = "") -> str:
    """The file as the sentences name it: the last two parts of its path (``expo/expo.csv``)."""
    return f"{dataset_id}/{file or dataset_id + '.csv'}"


def break_copy(data_dir: Path, dataset_id: str, kind: str) -> Expected:
    """Break ``dataset_id`` in the data folder ``data_dir`` (a copy) as ``kind`` says; return what must be said."""
    path = csv_path(dataset_id, data_dir)
    prov = _prov(data_dir, dataset_id)
    rows = _rows(path)
    header = rows[0]
    here = _label(data_dir, dataset_id)
    prov_file = _label(data_dir, dataset_id, "provenance.json")
    fix = True
    expected: Expected

    if kind == "missing file":
        path.unlink()
        return Expected(here, words="the data file is missing")
    if kind == "empty file":
        path.write_bytes(b"")
        expected = Expected(here, words="empty")
    elif kind == "header only":
        _write(path, rows[:1])
        expected = Expected(here, words="no rows")
    elif kind == "non-UTF-8 bytes":
        # A cell saved as Latin-1 by a spreadsheet: the é in row 2 is one byte, not UTF-8; the rest stays UTF-8.
        column = next(c["name"] for c in prov["columns"] if c["type"] == "string" and rows[2][header.index(c["name"])])
        rows[2][header.index(column)] += " caf\x00LATIN1\x00"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_bytes(out.getvalue().encode("utf-8").replace(b"\x00LATIN1\x00", b"\xe9"))
        expected = Expected(here, row=2, column=column, words="UTF-8")
    elif kind == "truncated last line":
        text = path.read_bytes()
        body = text.rstrip(b"\n")
        last = body.rsplit(b"\n", 1)[1]
        cut = last[: max(1, last.find(b","))]  # the first cell survives, the others are cut off
        path.write_bytes(body[: len(body) - len(last)] + cut)
        expected = Expected(here, row=len(rows) - 1, column=header[1], words="cells")
    elif kind == "extra column":
        _write(path, [[*row, "extra" if i == 0 else "1"] for i, row in enumerate(rows)])
        expected = Expected(here, row=0, column="extra", words="not in the dataset's schema")
    elif kind == "missing column":
        dropped = header[-1]
        _write(path, [row[:-1] for row in rows])
        expected = Expected(here, row=0, column=dropped, words="missing from the header row")
    elif kind == "extra cell":
        rows[3].append(HOSTILE_CELL)
        _write(path, rows)
        expected = Expected(here, row=3, column=None, words="cells")
    elif kind == "wrong type":
        column, word = typed_column(prov)
        rows[2][header.index(column)] = word
        _write(path, rows)
        expected = Expected(here, row=2, column=column, words=word)
    elif kind == "duplicate id":
        keys = prov["primary_key"]
        for key in keys:
            rows[2][header.index(key)] = rows[1][header.index(key)]
        _write(path, rows)
        expected = Expected(here, row=2, column=keys[0], words="duplicate")
    elif kind == "dangling reference":
        return _dangling(data_dir, dataset_id, prov, rows)
    elif kind == "changed value, old checksum":
        # A plain text cell edited by hand, valid in itself, without its new checksum.
        column = next(
            c["name"]
            for c in prov["columns"]
            if c["type"] == "string"
            and not any(c.get(rule) for rule in ("allowed", "pattern", "references"))
            and rows[1][header.index(c["name"])]
        )
        rows[1][header.index(column)] += " (edited)"
        _write(path, rows)
        fix = False
        expected = Expected(here, words="sha256")
    elif kind in PROVENANCE_KINDS:
        return _break_provenance(data_dir, dataset_id, kind, prov, prov_file)
    elif kind in CAVEAT_KINDS:
        return _break_caveat(data_dir, dataset_id, kind, prov, prov_file)
    elif kind == "byte-order mark":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        expected = Expected(here, accepted=True)
    elif kind == "CRLF line ends":
        _write(path, rows, lineterminator="\r\n")
        expected = Expected(here, accepted=True)
    else:
        raise ValueError(kind)
    if fix:
        record_checksum(data_dir, dataset_id)
    return expected


def _dangling(data_dir: Path, dataset_id: str, prov: dict, rows: list[list[str]]) -> Expected:
    header = rows[0]
    path = csv_path(dataset_id, data_dir)
    here = _label(data_dir, dataset_id)
    if dataset_id == "claims":
        # A claim whose source_key names no row of the dataset it cites.
        index = next(i for i, row in enumerate(rows) if i and row[header.index("source_key")])
        rows[index][header.index("source_key")] = "no-such-row"
        _write(path, rows)
        record_checksum(data_dir, dataset_id)
        return Expected(here, row=index, column="source_key", words="no-such-row")
    if dataset_id == "themes":
        # A curated tag (themes provenance, tag_overrides) of a paragraph the article does not have.
        prov["tag_overrides"][0]["key"] = "99"
        _write_prov(data_dir, dataset_id, prov)
        return Expected(_label(data_dir, dataset_id, "provenance.json"), words="'99'")
    if dataset_id == "sources":
        # Nothing in sources refers to another dataset: a row others cite is renamed, so they dangle.
        cited = next(
            row[0] for row in rows[1:] if row[0] in csv_path("expo", data_dir).read_text(encoding="utf-8").split(",")
        )
        for row in rows[1:]:
            if row[0] == cited:
                row[0] = cited + "-renamed"
        _write(path, rows)
        record_checksum(data_dir, dataset_id)
        expo = _rows(csv_path("expo", data_dir))
        first = next(i for i, row in enumerate(expo) if i and row[expo[0].index("source_id")] == cited)
        return Expected(_label(data_dir, "expo"), row=first, column="source_id", words=repr(cited))
    if dataset_id == "theme-lexicon":
        # An entry whose theme is no theme of its lens (checked across datasets: the lens decides which).
        rows[1][header.index("theme")] = "no-such-id"
        _write(path, rows)
        record_checksum(data_dir, dataset_id)
        return Expected(here, row=1, column="theme", words="no-such-id")
    column = reference_column(prov)
    assert column, dataset_id
    rows[1][header.index(column)] = "no-such-id"
    _write(path, rows)
    record_checksum(data_dir, dataset_id)
    return Expected(here, row=1, column=column, words="no-such-id")


def _set_column(prov: dict, change: Callable[[dict], None]) -> None:
    """Change the first column entry that has what ``change`` needs (``KeyError`` otherwise)."""
    for col in prov["columns"]:
        try:
            change(col)
            return
        except KeyError:
            continue
    raise KeyError("no column fits")


def _break_provenance(data_dir: Path, dataset_id: str, kind: str, prov: dict, prov_file: str) -> Expected:
    path = provenance_path(dataset_id, data_dir)
    words = ""
    if kind == "provenance missing":
        path.unlink()
        return Expected(prov_file, words="missing")
    if kind == "provenance not JSON":
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: len(text) // 2], encoding="utf-8")
        return Expected(prov_file, words="not valid JSON")
    if kind == "provenance a list":
        _write_prov(data_dir, dataset_id, [prov])
        return Expected(prov_file, words="JSON object")
    if kind == "columns null":
        prov["columns"] = None
        words = "'columns'"
    elif kind == "columns a string":
        prov["columns"] = "id, title"
        words = "'columns'"
    elif kind == "column entry null":
        prov["columns"][1] = None
        words = "column entry 2"
    elif kind == "column type a number":
        prov["columns"][1]["type"] = 5
        words = "type"
    elif kind == "column name a number":
        prov["columns"][1]["name"] = 5
        words = "column entry 2"
    elif kind == "primary_key null":
        prov["primary_key"] = None
        words = "'primary_key'"
    elif kind == "primary_key unknown column":
        prov["primary_key"] = ["nothing"]
        words = "'nothing'"
    elif kind == "sha256 a number":
        prov["sha256"] = 5
        words = "'sha256'"
    elif kind == "allowed a string":

        def change(col):
            col["allowed"] = ",".join(col["allowed"]) if col["allowed"] else "x"

        _set_column(prov, change)
        words = "'allowed'"
    elif kind == "min a string":

        def change(col):
            if col["type"] not in ("integer", "number"):
                raise KeyError("min")
            col["min"] = "zero"

        try:
            _set_column(prov, change)
        except KeyError:  # no numeric column (themes, sources): a minimum on a text column is still wrong
            prov["columns"][0]["min"] = "zero"
        words = "'min'"
    elif kind == "references a string":

        def change(col):
            col["references"] = f"{col['references']['dataset']}.{col['references']['column']}"

        try:
            _set_column(prov, change)
        except KeyError:
            prov["columns"][0]["references"] = "sources.id"
        words = "'references'"
    elif kind == "pattern not a regex":
        prov["columns"][0]["pattern"] = "([a-z"
        words = "'pattern'"
    elif kind == "caveats a string":
        prov["caveats"] = "one caveat"
        words = "'caveats'"
    elif kind == "labels a list":
        prov["columns"][0]["labels"] = ["a", "b"]
        words = "'labels'"
    else:
        raise ValueError(kind)
    _write_prov(data_dir, dataset_id, prov)
    return Expected(prov_file, words=words)


def _break_caveat(data_dir: Path, dataset_id: str, kind: str, prov: dict, prov_file: str) -> Expected:
    caveats = prov["caveats"]
    index = next(i for i, c in enumerate(caveats) if isinstance(c, dict) and "metrics" in c)
    entry = caveats[index]
    name = f"caveat {index + 1}"
    if kind == "caveat a number":
        caveats[index] = 5
        words = f"{name} must be a text or an object with a 'text', not the number 5"
    elif kind == "caveat without text":
        del entry["text"]
        words = f"{name} has no 'text'"
    elif kind == "caveat text empty":
        entry["text"] = " "
        words = "'text' must be the caveat's sentence (non-empty text), not the string ' '"
    elif kind == "caveat metrics null":
        entry["metrics"] = None
        words = (
            "'metrics' must be a non-empty list of metric values (leave it out for a caveat on the whole "
            "dataset), not null"
        )
    elif kind == "caveat metrics a number":
        entry["metrics"] = 5
        words = (
            "'metrics' must be a non-empty list of metric values (leave it out for a caveat on the whole "
            "dataset), not the number 5"
        )
    elif kind == "caveat unknown metric":
        entry["metrics"] = [*entry["metrics"], HOSTILE_CELL]
        words = f"applies to the metric {HOSTILE_CELL!r}, which is not in the 'metric' column of {dataset_id}.csv"
    elif kind == "caveat unknown qualifier":
        entry["qualifiers"] = ["pre_event"]
        words = "applies to the qualifier 'pre_event', which is not in the 'qualifier' column"
    elif kind == "caveat unknown key":
        entry["metric"] = entry.pop("metrics")
        words = "has the key 'metric', which a caveat does not have (its keys are text, metrics, qualifiers)"
    else:
        raise ValueError(kind)
    _write_prov(data_dir, dataset_id, prov)
    return Expected(prov_file, words=words)


CASES: tuple[tuple[str, str], ...] = (
    *((d, k) for d in DATASET_IDS for k in KINDS),
    *((CAVEAT_DATASET, k) for k in CAVEAT_KINDS),
)


@dataclass
class Needs:
    """The datasets (frames and provenance files) a page reads, recorded by building its default view, and whether
    it reads the data version or the data folder (``folder``: its view depends on more than the datasets)."""

    frames: set[str] = field(default_factory=set)
    provenances: set[str] = field(default_factory=set)
    folder: bool = False


class _Recording(Data):
    """``Data`` that notes in ``needs`` a read of the data version or the data folder."""

    needs: Needs

    def __getattribute__(self, name):
        if name in ("version", "data_dir"):
            object.__getattribute__(self, "needs").folder = True
        return super().__getattribute__(name)


def default_view(page: Page, data: Data) -> None:
    """Build ``page``'s default view from ``data`` as the app draws it (raises what the build raises)."""
    page.build(page.params(), data)
    if page.id == "analyze":  # the page draws the article's own profile below the text box
        analysis_view(None, AnalyzeParams(), data)


def _recorded_needs(page: Page) -> Needs:
    # What a build reads from scratch: a view kept earlier in the process (a story slide's page, kept by a test that
    # built it from the same data version and folder) would be taken without a read, and the page would seem to need
    # nothing.
    kept.clear()
    needs = Needs()

    def frame(dataset_id):
        needs.frames.add(dataset_id)
        needs.provenances.add(dataset_id)  # loading a dataset reads its provenance
        return load_dataset(dataset_id), None

    def provenance(dataset_id):
        needs.provenances.add(dataset_id)
        return read_provenance(dataset_id), None

    data = _Recording(loader=frame, provenance_loader=provenance)
    data.needs = needs
    default_view(page, data)
    return needs


@cache
def page_needs() -> dict[str, Needs]:
    """Page id -> what its default view reads of the published data (built once per process)."""
    return {page.id: _recorded_needs(page) for page in PAGES}


Broken = tuple[set[str], set[str]]  # the datasets that do not load, and those whose provenance cannot be read


class BrokenCopy:
    """A copy of the data folder broken as one case says, and what it reads as: the validator's problems, and each
    dataset and provenance file as the loader reads it, once (as the app's cache does), so the validator's, the
    loader's and the pages' checks of a case share one copy and one read of each file.

    A read raises nothing but ``DataError``: any other exception goes through to the test.
    """

    def __init__(self, data_dir: Path, dataset_id: str, kind: str):
        self.data_dir = data_dir
        self.dataset_id = dataset_id
        self.kind = kind
        self.expected = break_copy(data_dir, dataset_id, kind)
        self._frames: dict[str, tuple[pd.DataFrame | None, DataError | None]] = {}
        self._provenances: dict[str, tuple[dict | None, DataError | None]] = {}

    def frame(self, dataset_id: str) -> tuple[pd.DataFrame | None, DataError | None]:
        if dataset_id not in self._frames:
            self._frames[dataset_id] = _read(load_dataset, dataset_id, self.data_dir)
        return self._frames[dataset_id]

    def provenance(self, dataset_id: str) -> tuple[dict | None, DataError | None]:
        if dataset_id not in self._provenances:
            self._provenances[dataset_id] = _read(read_provenance, dataset_id, self.data_dir)
        return self._provenances[dataset_id]

    @cached_property
    def problems(self) -> list[Problem]:
        return contract_problems(self.data_dir)

    @property
    def sentence(self) -> str | None:
        """What the validator says first (the root cause), or None for an accepted copy."""
        return None if self.expected.accepted else self.problems[0].sentence()

    @property
    def root(self) -> str:
        """The dataset whose file holds the root cause (a check across datasets names none: its file's folder)."""
        if self.expected.accepted:
            return self.dataset_id
        first = self.problems[0]
        return first.dataset or Path(first.file).parent.name

    @cached_property
    def broken(self) -> Broken:
        """The datasets that do not load, and those whose provenance cannot be read."""
        return (
            {d for d in DATASET_IDS if self.frame(d)[1] is not None},
            {d for d in DATASET_IDS if self.provenance(d)[1] is not None},
        )

    def data(self) -> Data:
        """A fresh ``Data`` over the copy, as the app's ``app_data()`` is: a read fails with the loader's sentence."""

        def frame(dataset_id):
            value, error = self.frame(dataset_id)
            return value, error and error.sentence

        def provenance(dataset_id):
            value, error = self.provenance(dataset_id)
            return value, error and error.sentence

        return Data(version=self.version, loader=frame, provenance_loader=provenance, data_dir=self.data_dir)

    @cached_property
    def version(self) -> str:
        return data_version(self.data_dir)


def _read(read, dataset_id: str, data_dir: Path):
    try:
        return read(dataset_id, data_dir), None
    except DataError as err:
        return None, err


def needs_broken(page: Page, broken: Broken) -> bool:
    frames, provenances = broken
    needs = page_needs()[page.id]
    return bool(needs.frames & frames or needs.provenances & provenances)
