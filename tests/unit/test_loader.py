"""The loader names the file, the row and the column of every problem, in a sentence."""

import math

import pandas as pd
import pytest

from policylens.datasets import DataError, data_version, load_dataset
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
