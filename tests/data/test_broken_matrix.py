"""The broken-data matrix below the app: every dataset broken every way (tests/broken_data.py).

The validator never crashes, says what is wrong in a sentence naming the file (and the row and the column where the
problem is in a cell), and puts the root cause first: a broken dataset before the datasets that refer to it. An
empty dataset is an error. A byte-order mark and CRLF line ends (what a spreadsheet saves) are accepted: the
dataset reads exactly as before.

The loader raises ``DataError`` with that sentence, never another exception. Every page's default view, built
through the view layer from the broken copy as the app builds it, says the same: a page that needs the broken data
raises ``Unavailable`` with the validator's root-cause sentence (the app shows it in an error box:
tests/app/test_broken_pages.py), a page that does not need it builds as usual, and Sources and method names the root
cause in its panel and marks exactly the broken datasets in its table.

Each case breaks one copy of the data folder, shared by its four tests (a module fixture per case: pytest runs a
case's tests together, then removes the copy), and reads each file of it once, as the app's cache does.
"""

from __future__ import annotations

import re
import shutil

import pytest

from policylens import validate
from policylens.contracts import contract_problems, dependency_order
from policylens.datasets import DATASET_IDS, DataError, load_dataset
from policylens.text import escape_markdown
from policylens.views import BY_ID, PAGES
from policylens.views.base import Data, Records, Table, Unavailable, View
from policylens.views.sources import SourcesParams
from tests.broken_data import (
    CASES,
    BrokenCopy,
    Needs,
    _recorded_needs,
    break_copy,
    default_view,
    needs_broken,
    page_needs,
)
from tests.helpers import copy_data
from tests.hostile_links import markdown_faults

IDS = [f"{dataset}-{kind}".replace(" ", "_") for dataset, kind in CASES]


@pytest.fixture(scope="module", params=CASES, ids=IDS)
def case(request, tmp_path_factory):
    """One case's broken copy, shared by the case's tests (pytest groups them) and removed after them."""
    dataset_id, kind = request.param
    folder = tmp_path_factory.mktemp("broken")
    yield BrokenCopy(copy_data(folder), dataset_id, kind)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_validator_names_the_root_cause_first_in_a_sentence(case, capsys, monkeypatch, frames):
    expected = case.expected
    if expected.accepted:
        assert case.problems == [], [p.sentence() for p in case.problems]
        assert case.frame(case.dataset_id)[0].equals(frames[case.dataset_id])
        return
    # The command line, as a curator runs it; the problems its contract check found are the ones checked below
    # (and by the case's other tests), so the check runs once.
    checked = []

    def contract_check(data_dir):
        checked.append(contract_problems(data_dir))  # never raises
        return checked[-1]

    monkeypatch.setattr(validate, "contract_problems", contract_check)
    capsys.readouterr()
    code = validate.main(["--data-dir", str(case.data_dir)])
    said = capsys.readouterr().err.splitlines()
    problems = case.problems = checked[0]

    assert problems, f"{case.dataset_id} {case.kind}: validated as fine"
    first = problems[0]
    sentence = first.sentence()
    assert first.file.endswith(expected.file), f"the root cause is not first: {sentence}"
    assert expected.words in sentence, sentence
    if expected.row is None:
        assert first.row is None, sentence
    elif expected.row == 0:  # the header row: named in words
        assert first.row is None and "header row" in sentence, sentence
    else:
        assert first.row == expected.row and f"row {expected.row} (line {expected.row + 1})" in sentence, sentence
    if expected.column is not None:
        assert first.column == expected.column and f"column '{expected.column}'" in sentence, sentence
    assert sentence.endswith((".", ")")) and "Traceback" not in sentence
    # The command line says the same, first, and fails.
    assert code == 1 and said[0] == sentence, (code, said[:1])


def test_loading_a_broken_dataset_raises_its_sentence_or_nothing(case):
    """What the app calls: ``DataError`` with the sentence, never another exception, for every dataset."""
    for other in DATASET_IDS:
        for read in (case.frame, case.provenance):
            value, err = read(other)  # any exception but DataError goes through
            if err is None:
                assert value is not None, (other, read.__name__)
            else:
                assert err.sentence.startswith("The '") and err.problems, err.sentence


def _same_as_published(case: BrokenCopy, page_id: str, frames, provenances) -> bool:
    """Whether the page's default view reads only datasets and provenance files that read in the copy exactly as
    published (not the data version or the folder): its view is then the published one, which ``page_needs()``
    built, since a view is built from what it reads."""
    needs = page_needs()[page_id]
    same_frames = all(case.frame(d)[0] is not None and case.frame(d)[0].equals(frames[d]) for d in needs.frames)
    same_provenances = all(case.provenance(d)[0] == provenances[d] for d in needs.provenances)
    return not needs.folder and same_frames and same_provenances


def test_what_a_page_reads_is_recorded():
    """What the page check above relies on: the datasets a page reads, and whether it reads the data version or
    the folder, are seen (Sources and method shows the version and the folder's changelog; the Expo does not)."""
    assert page_needs()["expo"] == Needs({"expo", "sources"}, {"expo", "sources"}, folder=False)
    assert page_needs()["sources"].folder
    assert page_needs()["sources"].frames == set(DATASET_IDS)


def test_what_a_slide_reads_is_recorded_even_when_its_page_was_kept_before(frames, provenances):
    """A story slide draws its page's kept view (policylens/views/deck.py): a slide built earlier in the process from
    the same data version and folder keeps it, and the recording still sees what the slide's page reads."""
    story = BY_ID["story"]
    story.build(story.params(), Data(frames=dict(frames), provenances=dict(provenances)))  # slide 1's page, kept
    assert "paragraphs" in _recorded_needs(story).frames


def test_each_page_names_the_root_cause_or_works(case, frames, provenances):
    """Every page's default view (Sources and method: below): a page that needs the broken data says the
    validator's root-cause sentence, which the app shows escaped like any text; the others build as usual."""
    sentence = case.sentence
    if sentence is None:
        assert case.broken == (set(), set()), case.broken
    for page in PAGES:
        if page.id == "sources":  # it lists every dataset, broken or not
            continue
        needs = needs_broken(page, case.broken)
        if not needs and _same_as_published(case, page.id, frames, provenances):
            continue  # its view is the published one (built without error by page_needs())
        try:
            default_view(page, case.data())
        except Unavailable as err:
            assert needs, f"{page.id} needs nothing broken, yet says: {err.sentence}"
            assert sentence is not None and sentence in err.sentence, (
                f"{page.id}: the sentence {sentence!r} is not in {err.sentence!r}"
            )
            shown = escape_markdown(err.sentence)  # what the app's error box holds (components/data.py)
            assert re.sub(r"\\(.)", r"\1", shown).replace("\u2060", "") == err.sentence, shown
            assert not markdown_faults(shown), (shown, markdown_faults(shown))
        else:
            assert not needs, f"{page.id} needs the broken data, yet built without saying so"


def _block(view: View, key: str):
    return next(b for b in view.blocks if getattr(b, "key", "") == key)


def test_sources_names_the_root_cause_and_marks_exactly_the_broken_datasets(case):
    """/sources?dataset=<root cause>: the dataset's panel says the sentence (nothing for an accepted copy), and
    the table of every dataset marks exactly the datasets that cannot be read."""
    sentence = case.sentence
    root = case.root
    broken = case.broken[0] | case.broken[1]
    view = BY_ID["sources"].build(SourcesParams(dataset=root), case.data())  # never raises
    panel = _block(view, "provenance")
    assert isinstance(panel, Records) and len(panel.rows) == 1
    said = panel.rows[0]["error"] or panel.rows[0]["prov_error"]
    if root in broken:
        assert sentence is not None and sentence in said, (sentence, said)
    else:
        assert said == "", said
    overview = next(b for b in view.blocks if isinstance(b, Table) and b.key == "datasets-overview")
    status = overview.frame.set_index("dataset")["status"]
    assert set(status.index) == set(DATASET_IDS)
    for dataset_id in DATASET_IDS:
        valid = status[dataset_id] == "valid"
        assert valid == (dataset_id not in broken), (dataset_id, status[dataset_id])


def test_referring_datasets_come_after_the_datasets_they_refer_to():
    order = dependency_order()
    assert order.index("sources") < order.index("expo") < order.index("claims")
    assert order.index("themes") < order.index("paragraphs") < order.index("statements")
    assert sorted(order) == sorted(DATASET_IDS)


def test_a_missing_upstream_file_is_named_once_and_first(tmp_path):
    data = copy_data(tmp_path)
    break_copy(data, "sources", "missing file")
    problems = contract_problems(data)
    assert problems[0].sentence().endswith("sources/sources.csv: the data file is missing.")
    assert sum("sources.csv: the data file is missing" in p.sentence() for p in problems) == 1
    # Each dataset that refers to it says so once, by its column, and names what to fix first.
    referring = [p for p in problems[1:] if "which cannot be read" in p.message]
    assert {p.file.rsplit("/", 1)[-1] for p in referring} >= {"expo.csv", "ai-research.csv", "data-policy.csv"}
    with pytest.raises(DataError) as caught:
        load_dataset("expo", data)
    assert str(caught.value).startswith(
        "The 'sources' dataset cannot be used, so neither can 'expo', which refers to it. "
    )
    assert caught.value.root == "sources"


@pytest.mark.parametrize("dataset_id", ["statements", "claims"])
def test_a_header_only_file_is_an_error_not_an_empty_list(tmp_path, dataset_id):
    data = copy_data(tmp_path)
    break_copy(data, dataset_id, "header only")
    with pytest.raises(DataError, match="no rows of data: an empty dataset cannot be used"):
        load_dataset(dataset_id, data)
