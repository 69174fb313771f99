"""What the app draws of broken data (AppTest from the entrypoint, POLICYLENS_DATA_DIR on a broken copy).

A page that needs a broken dataset shows the validator's sentence (root cause first, escaped like any text) in an
error box, with the page's footer (share, cite, data version) still there; /sources?dataset=<root cause> shows it in
the dataset's panel and marks the broken datasets in its table; a page that does not need it works as usual: no
exception, no error box.

Which page needs what, and what each says, is checked for every case of the matrix (tests/broken_data.py) on the
view layer: tests/data/test_broken_matrix.py. Here, what only the app shows: how it draws a view that cannot be
built, on every page, for the kinds that reach every page (EVERY_PAGE_KINDS) on the two datasets that between them
every page needs, and a valid copy saved by a spreadsheet. ``BROKEN_MATRIX=full`` (``make fuzz``) opens every page
for every case.
"""

from __future__ import annotations

import os
import re

import pytest
from streamlit.testing.v1 import AppTest

from policylens.datasets import DATASET_IDS
from policylens.views import PAGES, Page
from tests.app.helpers import APP, open_boxes
from tests.broken_data import ACCEPTED_KINDS, CASES, KINDS, BrokenCopy, needs_broken, page_needs
from tests.helpers import copy_data
from tests.hostile_links import element_faults

FULL = os.environ.get("BROKEN_MATRIX") == "full"
# The kinds whose every page is opened: the file gone (it reaches furthest: every dataset that refers to it; the
# panel offers no raw file), a cell holding markup (the sentence quotes it: every page must show it escaped),
# "columns": null (a provenance the pages read themselves; the panel's other branch) and a valid copy saved by a
# spreadsheet.
EVERY_PAGE_KINDS = ("missing file", "extra cell", "columns null", "CRLF line ends")
# The datasets they break: between them every page needs one (sources: the figures' pages; themes: the pages of the
# text, and the theme filter of the sidebar), and every page that does not need one is opened while it is broken.
EVERY_PAGE_DATASETS = ("sources", "themes")
ACCEPTED_DATASET = "themes"  # a valid copy: the dataset most pages read


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


def run_case(tmp_path, monkeypatch, dataset_id: str, kind: str) -> None:
    """Open /sources and every page on the case's broken copy."""
    case = BrokenCopy(copy_data(tmp_path), dataset_id, kind)
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(case.data_dir))
    broken, sentence, root = case.broken, case.sentence, case.root
    if sentence is None:
        assert broken == (set(), set())
    # Sources and method names the root cause in that dataset's panel (and lists every dataset).
    at = open_page(PAGE["sources"], dataset=root)
    check_page(at, PAGE["sources"], sentence if root in broken[0] | broken[1] else None)
    overview = next(df.value for df in at.dataframe if "status" in df.value.columns).set_index("dataset")
    assert set(overview.index) == set(DATASET_IDS)
    for dataset_id_ in DATASET_IDS:
        valid = overview.loc[dataset_id_, "status"] == "valid"
        assert valid == (dataset_id_ not in broken[0] | broken[1]), (dataset_id_, overview.loc[dataset_id_, "status"])
    for page in PAGES:
        if page.id != "sources":
            check_page(open_page(page), page, sentence if needs_broken(page, broken) else None)


CI_CASES = [(d, k) for d in EVERY_PAGE_DATASETS for k in EVERY_PAGE_KINDS if k not in ACCEPTED_KINDS] + [
    (ACCEPTED_DATASET, k) for k in EVERY_PAGE_KINDS if k in ACCEPTED_KINDS
]
IDS = [f"{d}-{k}".replace(" ", "_") for d, k in (CASES if FULL else CI_CASES)]


@pytest.mark.parametrize(("dataset_id", "kind"), CASES if FULL else CI_CASES, ids=IDS)
def test_broken_data_is_named_on_the_pages_that_need_it_and_the_others_work(tmp_path, monkeypatch, dataset_id, kind):
    run_case(tmp_path, monkeypatch, dataset_id, kind)


def test_every_kind_is_in_the_matrix():
    assert set(KINDS) >= set(EVERY_PAGE_KINDS)
    assert {page.id for page in PAGES} == set(page_needs())
    assert page_needs()["expo"].frames == {"expo", "sources"}


@pytest.mark.parametrize("kind", [k for k in EVERY_PAGE_KINDS if k not in ACCEPTED_KINDS])
def test_each_broken_kind_here_shows_the_error_box_on_every_page(tmp_path, kind):
    """The cases above draw the error box of every page (and /sources' panel) for each kind: on one of the two
    datasets, every page needs the broken data."""
    shown = set()
    for dataset_id in EVERY_PAGE_DATASETS:
        case = BrokenCopy(copy_data(tmp_path / dataset_id), dataset_id, kind)
        assert case.root == dataset_id and dataset_id in case.broken[0] | case.broken[1]
        shown |= {page.id for page in PAGES if needs_broken(page, case.broken)}
    assert shown == {page.id for page in PAGES}
