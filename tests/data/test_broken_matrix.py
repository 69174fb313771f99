"""The broken-data matrix through the validator: every dataset broken every way (tests/broken_data.py).

The validator never crashes, says what is wrong in a sentence naming the file (and the row and the column where the
problem is in a cell), and puts the root cause first: a broken dataset before the datasets that refer to it. An
empty dataset is an error. A byte-order mark and CRLF line ends (what a spreadsheet saves) are accepted: the
dataset reads exactly as before.
"""

from __future__ import annotations

import pytest

from policylens import validate
from policylens.contracts import contract_problems, dependency_order
from policylens.datasets import DATASET_IDS, DataError, load_dataset, read_provenance
from tests.broken_data import CASES, break_copy
from tests.helpers import copy_data

IDS = [f"{dataset}-{kind}".replace(" ", "_") for dataset, kind in CASES]


@pytest.fixture(scope="module")
def published():
    return {dataset_id: load_dataset(dataset_id) for dataset_id in DATASET_IDS}


@pytest.mark.parametrize(("dataset_id", "kind"), CASES, ids=IDS)
def test_the_validator_names_the_root_cause_first_in_a_sentence(tmp_path, capsys, published, dataset_id, kind):
    data = copy_data(tmp_path)
    expected = break_copy(data, dataset_id, kind)
    problems = contract_problems(data)  # never raises
    if expected.accepted:
        assert problems == [], [p.sentence() for p in problems]
        assert load_dataset(dataset_id, data).equals(published[dataset_id])
        return
    assert problems, f"{dataset_id} {kind}: validated as fine"
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
    capsys.readouterr()
    assert validate.main(["--data-dir", str(data)]) == 1
    said = capsys.readouterr().err.splitlines()
    assert said[0] == sentence


@pytest.mark.parametrize(("dataset_id", "kind"), CASES, ids=IDS)
def test_loading_a_broken_dataset_raises_its_sentence_or_nothing(tmp_path, dataset_id, kind):
    """What the app calls: ``DataError`` with the sentence, never another exception, for every dataset."""
    data = copy_data(tmp_path)
    break_copy(data, dataset_id, kind)
    for other in DATASET_IDS:
        for read in (load_dataset, read_provenance):
            try:
                read(other, data)
            except DataError as err:
                assert err.sentence.startswith("The '") and err.problems


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
