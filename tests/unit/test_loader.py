"""The loader names the file, the row and the column of every problem, in a sentence."""

import json
import math

import pandas as pd
import pytest

from policylens.datasets import (
    DataError,
    caveat_text,
    caveat_texts,
    caveats_for,
    data_version,
    load_dataset,
    read_provenance,
)
from tests.helpers import write_dataset

SOURCES = [
    {"name": "id", "type": "string", "required": True, "unique": True},
    {"name": "title", "type": "string", "required": True},
]
EXPO = [
    {"name": "edition", "type": "integer", "required": True, "min": 1, "max": 8},
    {"name": "metric", "type": "string", "required": True, "allowed": ["exhibitors", "intended_deals"]},
    {"name": "value", "type": "number"},
    {"name": "source_id", "type": "string", "references": {"dataset": "sources", "column": "id"}},
    {"name": "themes", "type": "string", "list": True, "allowed": ["privacy", "talent"]},
]


@pytest.fixture
def data_dir(tmp_path):
    write_dataset(tmp_path, "sources", SOURCES, [["shine", "Closing report"], ["xinhua", "Opening report"]])
    return tmp_path


def expo(data_dir, rows):
    write_dataset(data_dir, "expo", EXPO, rows, primary_key=["edition", "metric"])
    return load_dataset("expo", data_dir)


def problem_of(data_dir, rows):
    with pytest.raises(DataError) as caught:
        expo(data_dir, rows)
    return caught.value


def test_valid_rows_load_with_types_and_gaps(data_dir):
    frame = expo(data_dir, [["6", "exhibitors", "3486", "shine", "privacy;talent"], ["3", "exhibitors", "", "", ""]])
    assert frame["edition"].tolist() == [6, 3]
    assert frame.loc[0, "value"] == 3486.0
    assert math.isnan(frame.loc[1, "value"])  # a gap stays a gap, never 0
    assert frame.loc[0, "themes"] == ("privacy", "talent")
    assert frame.loc[1, "themes"] == ()


def test_wrong_type_names_file_row_and_column(data_dir):
    err = problem_of(data_dir, [["6", "exhibitors", "3486", "shine", ""], ["7", "exhibitors", "lots", "shine", ""]])
    assert str(err).startswith("The 'expo' dataset cannot be used. ")
    assert "expo/expo.csv, row 2 (line 3), column 'value': 'lots' is not a number." in str(err)


def test_missing_column(data_dir, tmp_path):
    path = write_dataset(data_dir, "expo", EXPO, [["6", "exhibitors", "3486", "shine", ""]], primary_key=["edition"])
    path.write_text("edition,metric,value,source_id\n6,exhibitors,3486,shine\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"expo\.csv, column 'themes': this column is missing from the header row\."):
        load_dataset("expo", data_dir)


def test_extra_column(data_dir):
    path = write_dataset(data_dir, "expo", EXPO, [["6", "exhibitors", "3486", "shine", ""]], primary_key=["edition"])
    path.write_text("edition,metric,value,source_id,themes,guess\n6,exhibitors,3486,shine,,12\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"column 'guess': this column is in the header row but not in the dataset's schema\."
    ):
        load_dataset("expo", data_dir)


def test_value_outside_allowed_set(data_dir):
    err = problem_of(data_dir, [["6", "visitors", "1", "shine", ""]])
    assert "row 1 (line 2), column 'metric': 'visitors' is not an allowed value" in str(err)


def test_value_outside_range(data_dir):
    err = problem_of(data_dir, [["9", "exhibitors", "1", "shine", ""]])
    assert "column 'edition': 9 is above the maximum 8." in str(err)


def test_duplicate_id(data_dir):
    err = problem_of(data_dir, [["6", "exhibitors", "1", "shine", ""], ["6", "exhibitors", "2", "shine", ""]])
    assert "row 2 (line 3), column 'edition': duplicate id '6|exhibitors': row 1 has the same edition, metric." in str(
        err
    )


def test_unknown_source_reference(data_dir):
    err = problem_of(data_dir, [["6", "exhibitors", "1", "reuters", ""]])
    assert "column 'source_id': 'reuters' refers to an unknown sources id." in str(err)


def test_unknown_list_item(data_dir):
    err = problem_of(data_dir, [["6", "exhibitors", "1", "shine", "privacy;weather"]])
    assert "column 'themes': 'weather' is not an allowed value" in str(err)


def test_required_cell_empty(data_dir):
    err = problem_of(data_dir, [["6", "", "1", "shine", ""]])
    assert "column 'metric': this cell is empty but the column is required." in str(err)


def test_checksum_mismatch_is_reported_last(data_dir):
    path = write_dataset(data_dir, "expo", EXPO, [["6", "exhibitors", "3486", "shine", ""]], primary_key=["edition"])
    path.write_text(path.read_text().replace("3486", "3487"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset("expo", data_dir)
    assert "sha256" in str(caught.value)
    assert "changed without its provenance being updated" in str(caught.value)


def test_a_broken_cell_is_named_before_the_checksum(data_dir):
    path = write_dataset(data_dir, "expo", EXPO, [["6", "exhibitors", "3486", "shine", ""]], primary_key=["edition"])
    path.write_text(path.read_text().replace("3486", "n/a"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset("expo", data_dir)
    assert caught.value.problems[0].column == "value"
    assert caught.value.problems[-1].message.startswith("the file's sha256")
    assert "(1 more problem in this dataset.)" in str(caught.value)


def test_missing_provenance(tmp_path):
    with pytest.raises(DataError, match="the provenance file is missing"):
        load_dataset("expo", tmp_path)


def test_data_version_changes_with_any_file(data_dir):
    before = data_version(data_dir)
    (data_dir / "sources" / "sources.csv").write_text("id,title\nshine,Closing\n", encoding="utf-8")
    assert data_version(data_dir) != before
    assert len(before) == 10


def test_frame_is_a_dataframe(data_dir):
    frame = expo(data_dir, [["6", "exhibitors", "3486", "shine", ""]])
    assert isinstance(frame, pd.DataFrame)
    assert frame.attrs["dataset_id"] == "expo"


WHOLE = "(leave it out for a caveat on the whole dataset)"
CAVEATS = [
    # (the provenance's caveats, the problem said about them; None: valid)
    (["A plain caveat."], None),
    ([{"text": "On the whole dataset."}], None),
    (["Plain.", {"text": "Exhibitors differ.", "metrics": ["exhibitors"]}], None),
    ([], None),
    (
        "one caveat",
        "'caveats' must be a list of caveats (texts, or objects with a 'text'), not the string 'one caveat'.",
    ),
    (None, "'caveats' must be a list of caveats (texts, or objects with a 'text'), not null."),
    ([5], "caveat 1 must be a text or an object with a 'text', not the number 5."),
    ([None], "caveat 1 must be a text or an object with a 'text', not null."),
    ([["a list"]], "caveat 1 must be a text or an object with a 'text', not a list."),
    ([" "], "caveat 1 is empty: a caveat must say something."),
    (
        [{"metrics": ["exhibitors"]}],
        "caveat 1 has no 'text': a caveat object needs its sentence as a non-empty 'text'.",
    ),
    ([{"text": ""}], "caveat 1: 'text' must be the caveat's sentence (non-empty text), not the string ''."),
    ([{"text": 5}], "caveat 1: 'text' must be the caveat's sentence (non-empty text), not the number 5."),
    ([{"text": None}], "caveat 1: 'text' must be the caveat's sentence (non-empty text), not null."),
    (
        ["Plain.", {"text": "X.", "metrics": None}],
        f"caveat 2 (\"X.\"): 'metrics' must be a non-empty list of metric values {WHOLE}, not null.",
    ),
    (
        [{"text": "X.", "metrics": 5}],
        f"caveat 1 (\"X.\"): 'metrics' must be a non-empty list of metric values {WHOLE}, not the number 5.",
    ),
    (
        [{"text": "X.", "metrics": "exhibitors"}],
        f"caveat 1 (\"X.\"): 'metrics' must be a non-empty list of metric values {WHOLE}, not the string 'exhibitors'.",
    ),
    (
        [{"text": "X.", "metrics": []}],
        f"caveat 1 (\"X.\"): 'metrics' must be a non-empty list of metric values {WHOLE}, not an empty list.",
    ),
    (
        [{"text": "X.", "qualifiers": {"pre-event": True}}],
        f"caveat 1 (\"X.\"): 'qualifiers' must be a non-empty list of qualifier values {WHOLE}, not an object.",
    ),
    (
        [{"text": "X.", "metrics": [5]}],
        "caveat 1 (\"X.\"): 'metrics' entry 1 must be a metric value, not the number 5.",
    ),
    (
        [{"text": "X.", "metrics": ["exhibitors", "visitors"]}],
        "caveat 1 (\"X.\") applies to the metric 'visitors', which is not in the 'metric' column of expo.csv.",
    ),
    (
        [{"text": "X.", "qualifiers": ["pre-event"]}],
        "caveat 1 (\"X.\") applies to the qualifier 'pre-event', but the dataset has no 'qualifier' column.",
    ),
    (
        [{"text": "X.", "metric": ["exhibitors"]}],
        "caveat 1 (\"X.\") has the key 'metric', which a caveat does not have (its keys are text, metrics, "
        "qualifiers).",
    ),
    (
        [{"text": "Visitors are not defined consistently between the editions.", "metrics": None}],
        "caveat 1 (\"Visitors are not defined consistently b…\"): 'metrics' must be a non-empty list of metric "
        f"values {WHOLE}, not null.",
    ),
]


@pytest.mark.parametrize(("caveats", "said"), CAVEATS)
def test_each_caveat_shape_is_checked_in_a_sentence(data_dir, caveats, said):
    rows = [["6", "exhibitors", "3486", "shine", ""], ["7", "intended_deals", "78.41", "shine", ""]]
    write_dataset(data_dir, "expo", EXPO, rows, primary_key=["edition", "metric"], caveats=caveats)
    if said is None:
        assert len(load_dataset("expo", data_dir)) == 2
        return
    with pytest.raises(DataError) as caught:
        load_dataset("expo", data_dir)
    assert [p.message for p in caught.value.problems] == [said]
    assert caught.value.problems[0].sentence().endswith(f"expo/provenance.json: {said}")


def test_caveat_readers_take_texts_and_objects_alike():
    assert caveat_text("Plain.") == "Plain."
    assert caveat_text({"text": "Object.", "metrics": ["visitors"]}) == "Object."
    assert caveat_text({"metrics": ["visitors"]}) == caveat_text(5) == caveat_text(None) == ""
    prov = {
        "caveats": [
            "Plain.",
            {"text": "Visitors.", "metrics": ["visitors"]},
            {"text": "Early.", "qualifiers": ["pre-event"]},
        ]
    }
    assert caveat_texts(prov) == ["Plain.", "Visitors.", "Early."]
    assert caveat_texts({}) == caveat_texts({"caveats": None}) == caveat_texts({"caveats": [5, {}]}) == []
    assert caveats_for(prov, "visitors") == ["Visitors."]
    assert caveats_for(prov, "visitors", ["exact", "pre-event"]) == ["Visitors.", "Early."]
    assert caveats_for(prov, "exhibitors", ["", "exact"]) == []
    assert caveats_for({"caveats": "one"}, "visitors", ["pre-event"]) == []
    assert caveats_for({"caveats": [{"text": "X.", "metrics": None}]}, "visitors") == []


def test_the_published_caveats_are_texts_or_objects_with_a_text():
    for dataset_id in ("expo", "paragraphs", "claims"):
        caveats = read_provenance(dataset_id)["caveats"]
        assert caveat_texts(read_provenance(dataset_id)) == [caveat_text(c) for c in caveats]
    assert all(isinstance(c, dict) for c in read_provenance("expo")["caveats"])  # objects everywhere in expo
    assert all(isinstance(c, str) for c in read_provenance("claims")["caveats"])  # other datasets keep texts


_REMOVE = object()  # written at a path: the key is taken out


def _set_path(prov: dict, path: tuple, value: object) -> None:
    *parents, last = path
    for part in parents:
        prov = prov[part]
    if value is _REMOVE:
        del prov[last]
    else:
        prov[last] = value


PROVENANCE_BREAKS = [
    # (where in provenance.json, what is written there, the column the sentence names, the sentence's message)
    (("title",), None, None, "'title' must be text, not null."),
    (("licence",), _REMOVE, None, "the key 'licence' is missing."),
    (("source_ids",), ["shine", 5], None, "'source_ids' entry 2 must be text, not the number 5."),
    (("sha256",), "ABC", None, "'sha256' must be the file's sha256 (64 lowercase hex digits)."),
    (("id",), "sources", None, "'id' is the string 'sources', but the folder is 'expo'."),
    (("article",), {"authors": ["Keke Gai", 3]}, None, "'article.authors' entry 2 must be text, not the number 3."),
    (("columns",), [], None, "'columns' must be a non-empty list of column objects, not an empty list."),
    (("columns", 1, "name"), "", None, "column entry 2 has no 'name' (it holds the string '')."),
    (("columns", 1, "type"), _REMOVE, "metric", "the column has no 'type'."),
    (
        ("columns", 1, "type"),
        "text",
        "metric",
        "the type is the string 'text'; expected one of string, integer, number, date, boolean.",
    ),
    (("columns", 1, "unit"), 0, "metric", "'unit' must be text, not the number 0."),
    (("columns", 1, "required"), "yes", "metric", "'required' must be true or false, not the string 'yes'."),
    (("columns", 0, "max"), "eight", "edition", "'max' must be a number, not the string 'eight'."),
    (
        ("columns", 1, "allowed"),
        ["exhibitors", None],
        "metric",
        "'allowed' entry 2 must be a value (text or a whole number), not null.",
    ),
    (
        ("columns", 3, "references", "dataset"),
        "people",
        "source_id",
        "'references' names 'people', which is not a dataset.",
    ),
    (
        ("columns", 3, "references"),
        {"dataset": "sources"},
        "source_id",
        "'references' must be an object with 'dataset' and 'column', not an object.",
    ),
    (
        ("columns", 1, "labels"),
        {"exhibitors": 5},
        "metric",
        "'labels' must be an object of texts by value, not an object.",
    ),
    (
        ("columns", 1, "pattern"),
        "[a-z",
        "metric",
        "'pattern' '[a-z' is not a regular expression (unterminated character set at position 0).",
    ),
    (("columns", 2, "name"), "metric", "metric", "column entry 3 repeats the name 'metric'."),
    (("primary_key",), [], None, "'primary_key' must be a non-empty list of column names, not an empty list."),
    (("primary_key",), ["edition", "year"], None, "primary key column 'year' is not among the columns."),
]


@pytest.mark.parametrize(("path", "value", "column", "said"), PROVENANCE_BREAKS, ids=[s for *_, s in PROVENANCE_BREAKS])
def test_each_provenance_problem_is_one_sentence_naming_the_key_or_column(data_dir, path, value, column, said):
    """The schema's errors and the rules across fields read alike: the file, the column, what it must be."""
    write_dataset(data_dir, "expo", EXPO, [["6", "exhibitors", "3486", "shine", ""]], primary_key=["edition"])
    prov_file = data_dir / "expo" / "provenance.json"
    prov = json.loads(prov_file.read_text(encoding="utf-8"))
    _set_path(prov, path, value)
    prov_file.write_text(json.dumps(prov), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_provenance("expo", data_dir)
    assert [(p.column, p.message) for p in caught.value.problems] == [(column, said)]
    where = "expo/provenance.json" + (f", column '{column}'" if column else "")
    assert caught.value.problems[0].sentence().endswith(f"{where}: {said}")


def test_a_provenance_file_with_nan_is_not_json(data_dir):
    write_dataset(data_dir, "expo", EXPO, [["6", "exhibitors", "3486", "shine", ""]], primary_key=["edition"])
    prov_file = data_dir / "expo" / "provenance.json"
    prov_file.write_text(prov_file.read_text(encoding="utf-8").replace('"max": 8', '"max": NaN'), encoding="utf-8")
    with pytest.raises(DataError, match=r"provenance\.json: the provenance file is not valid JSON: NaN is not a JSON"):
        read_provenance("expo", data_dir)


def test_a_changed_file_is_checked_again_and_so_is_what_refers_to_it(data_dir):
    """Loads are kept by the bytes they were checked from: an edit to a dataset, or to a dataset it refers to, is
    seen on the next load; a frame handed out is the caller's own copy."""
    rows = [["6", "exhibitors", "3486", "shine", ""]]
    for frame in (expo(data_dir, rows), load_dataset("expo", data_dir)):  # checked and kept, then the kept one
        frame.loc[0, "value"] = 0.0
    assert load_dataset("expo", data_dir).loc[0, "value"] == 3486.0  # each caller changed its own copy only
    # The referred dataset loses the row expo cites: expo's own files are unchanged, and it no longer loads.
    write_dataset(data_dir, "sources", SOURCES, [["xinhua", "Opening report"]])
    with pytest.raises(DataError, match="'shine' refers to an unknown sources id"):
        load_dataset("expo", data_dir)
    # Expo's own file edited (its checksum updated with it): the new value, not the kept one.
    write_dataset(data_dir, "sources", SOURCES, [["shine", "Closing report"]])
    assert expo(data_dir, [["6", "exhibitors", "3500", "shine", ""]]).loc[0, "value"] == 3500.0
    with pytest.raises(DataError, match="'lots' is not a number"):
        expo(data_dir, [["6", "exhibitors", "lots", "shine", ""]])
