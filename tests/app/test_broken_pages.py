"""The broken-data matrix through the app (AppTest from the entrypoint, POLICYLENS_DATA_DIR on a broken copy).

A page that needs a broken dataset shows the validator's sentence (root cause first, escaped like any text) with
the page's footer (share, cite, data version) still there; /sources?dataset=<root cause> shows it in the dataset's
panel; a page that does not need it works as usual: no exception, no error box.

Every case (tests/broken_data.py) opens /sources and the first page that needs the broken data. Every page is
opened for one case of each dataset in CI; ``BROKEN_MATRIX=full`` (``make fuzz``) opens every page for every case.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import pytest
from streamlit.testing.v1 import AppTest

from policylens.contracts import contract_problems
from policylens.datasets import DATASET_IDS, DataError, load_dataset, read_provenance
from policylens.views import PAGES, Page
from policylens.views.analyze import AnalyzeParams, analysis_view
from policylens.views.base import Data
from tests.app.helpers import APP, open_boxes
from tests.broken_data import ACCEPTED_KINDS, CASES, CSV_KINDS, KINDS, break_copy
from tests.helpers import copy_data
from tests.hostile_links import element_faults

FULL = os.environ.get("BROKEN_MATRIX") == "full"
# The kinds whose every page is opened in CI: the file gone (it reaches furthest: every dataset that refers to
# it), a cell holding markup (the sentence quotes it: every page must show it escaped), "columns": null (a
# provenance the pages read themselves) and a valid copy saved by a spreadsheet.
EVERY_PAGE_KINDS = ("missing file", "extra cell", "columns null", "CRLF line ends")


@dataclass
class Needs:
    """The datasets (frames and provenance files) a page reads, recorded by building its default view."""

    frames: set[str] = field(default_factory=set)
    provenances: set[str] = field(default_factory=set)


def recorded_needs(page: Page) -> Needs:
    needs = Needs()

    def frame(dataset_id):
        needs.frames.add(dataset_id)
        needs.provenances.add(dataset_id)  # loading a dataset reads its provenance
        return load_dataset(dataset_id), None

    def provenance(dataset_id):
        needs.provenances.add(dataset_id)
        return read_provenance(dataset_id), None

    data = Data(loader=frame, provenance_loader=provenance)
    page.build(page.params(), data)
    if page.id == "analyze":  # the page draws the article's own profile below the text box
        analysis_view(None, AnalyzeParams(), data)
    return needs


NEEDS = {page.id: recorded_needs(page) for page in PAGES}


def failing(data_dir) -> tuple[set[str], set[str]]:
    """The datasets that do not load, and those whose provenance cannot be read, in a data folder."""
    frames, provenances = set(), set()
    for dataset_id in DATASET_IDS:
        try:
            read_provenance(dataset_id, data_dir)
        except DataError:
            provenances.add(dataset_id)
        try:
            load_dataset(dataset_id, data_dir)
        except DataError:
            frames.add(dataset_id)
    return frames, provenances


def needs_broken(page: Page, broken: tuple[set[str], set[str]]) -> bool:
    frames, provenances = broken
    needs = NEEDS[page.id]
    return bool(needs.frames & frames or needs.provenances & provenances)


def unescaped(texts) -> str:
    """The texts as a person reads them: Markdown escapes resolved, word joiners dropped."""
    return re.sub(r"\\(.)", r"\1", " ".join(str(t) for t in texts)).replace("\u2060", "")


def open_page(page: Page, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page.script).run()
    return at


def check_page(at: AppTest, page: Page, sentence: str | None) -> None:
    """The page shows ``sentence`` in an error box with its footer, or (``None``) works without an error box."""
    assert not at.exception, f"{page.id}: {[e.value for e in at.exception]}"
    errors = unescaped(e.value for e in at.error)
    if sentence is None:
        assert not at.error, f"{page.id} needs nothing broken, yet says: {errors}"
    else:
        assert sentence in errors, f"{page.id}: the sentence {sentence!r} is not in {errors!r}"
    # The footer: share and cite (the pinned link with the data version, drawn when opened), and the data version.
    open_boxes(at, "share")
    assert any("v=" in c.value for c in at.code), f"{page.id}: no share link"
    assert "Policy Lens · data version" in unescaped(c.value for c in at.caption), f"{page.id}: no footer"
    faults = element_faults(at)
    assert not faults, f"{page.id}: {faults}"


PAGE = {page.id: page for page in PAGES}


def run_case(tmp_path, monkeypatch, dataset_id: str, kind: str, every_page: bool) -> None:
    data = copy_data(tmp_path)
    expected = break_copy(data, dataset_id, kind)
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(data))
    broken = failing(data)
    problems = contract_problems(data)
    if expected.accepted:
        assert broken == (set(), set())
        sentence, root = None, dataset_id
    else:
        sentence, root = problems[0].sentence(), problems[0].dataset
    # Sources and method names the root cause in that dataset's panel (and lists every dataset).
    at = open_page(PAGE["sources"], dataset=root)
    check_page(at, PAGE["sources"], sentence if root in broken[0] | broken[1] else None)
    overview = next(df.value for df in at.dataframe if "status" in df.value.columns).set_index("dataset")
    assert set(overview.index) == set(DATASET_IDS)
    for dataset_id_ in DATASET_IDS:
        valid = overview.loc[dataset_id_, "status"] == "valid"
        assert valid == (dataset_id_ not in broken[0] | broken[1]), (dataset_id_, overview.loc[dataset_id_, "status"])
    pages = [p for p in PAGES if p.id != "sources"]
    if not every_page:  # the first page that needs the broken data, and the first that does not
        pages = [p for p in pages if needs_broken(p, broken)][:1] + [p for p in pages if not needs_broken(p, broken)][
            :1
        ]
    for page in pages:
        check_page(open_page(page), page, sentence if needs_broken(page, broken) else None)


CI_CASES = [(d, k) for d, k in CASES if k in (*CSV_KINDS, *ACCEPTED_KINDS) or k in EVERY_PAGE_KINDS]
IDS = [f"{d}-{k}".replace(" ", "_") for d, k in (CASES if FULL else CI_CASES)]


@pytest.mark.parametrize(("dataset_id", "kind"), CASES if FULL else CI_CASES, ids=IDS)
def test_broken_data_is_named_on_the_pages_that_need_it_and_the_others_work(tmp_path, monkeypatch, dataset_id, kind):
    run_case(tmp_path, monkeypatch, dataset_id, kind, every_page=FULL or kind in EVERY_PAGE_KINDS)


def test_every_kind_is_in_the_matrix():
    assert set(KINDS) >= set(EVERY_PAGE_KINDS)
    assert {page.id for page in PAGES} == set(NEEDS)
    assert NEEDS["expo"].frames == {"expo", "sources"}
