"""Sources and method as a view: the dataset parameter, the provenance panel as data, broken and missing files."""

from __future__ import annotations

import pytest

from policylens.datasets import DATASET_IDS
from policylens.views.base import Control, Data, Records, Table, Text, Unavailable
from policylens.views.sources import SourcesParams, build, cited_sources, themes_eval_line

WHY = "not a dataset of Policy Lens"
HOSTILE = [
    # (link values of dataset, the dataset shown, the dropped reasons)
    (["expo"], "expo", []),
    (["ai-research"], "ai-research", []),
    ([], "paragraphs", []),
    (["Expo"], "paragraphs", [WHY]),
    (["-0"], "paragraphs", [WHY]),
    (["1e9"], "paragraphs", [WHY]),
    (["NaN"], "paragraphs", [WHY]),
    (["expo\u200f"], "paragraphs", [WHY]),  # a right-to-left mark glued to an id
    (["ex\x00po"], "paragraphs", [WHY]),
    (["数据"], "paragraphs", [WHY]),
    (["x" * 10_000], "paragraphs", [WHY]),
    (["<script>alert(1)</script>"], "paragraphs", [WHY]),
    (["javascript:alert(1)"], "paragraphs", [WHY]),
    (["../../etc/passwd"], "paragraphs", [WHY]),
    (["expo", "themes"], "expo", ["given more than once; the first value is used"]),
    (["themes"] * 400, "themes", ["given more than once; the first value is used"]),
]


@pytest.mark.parametrize(("values", "shown", "reasons"), HOSTILE)
def test_hostile_dataset_values(values, shown, reasons):
    params = SourcesParams.from_query({"dataset": values})
    assert params.dataset == shown
    assert [d.reason for d in params.dropped] == reasons
    for d in params.dropped:
        assert "\x00" not in d.value and "\u200f" not in d.value and len(d.value) <= 200


def test_default_is_left_out_of_the_link_and_pinned_when_asked():
    assert SourcesParams().to_query() == []
    assert SourcesParams().to_query(pinned=True) == [("dataset", "paragraphs")]
    assert SourcesParams(dataset="expo").to_query() == [("dataset", "expo")]
    params = SourcesParams.from_query({"dataset": ["expo"], "q": ["x"], "theme": ["privacy"]})
    assert [d.name for d in params.dropped] == ["q"]


@pytest.fixture
def source(frames, provenances) -> Data:
    return Data(frames=dict(frames), provenances=dict(provenances), version="abc123")


def keyed(view):
    return {getattr(b, "key", ""): b for b in view.blocks if getattr(b, "key", "")}


def test_dataset_control_shows_titles_and_the_link_keeps_ids(source):
    view = build(SourcesParams(dataset="expo"), source)
    control = next(b for b in view.blocks if isinstance(b, Control))
    assert control.name == "dataset" and control.widget == "select" and control.label == "Dataset"
    assert list(control.labels) == list(DATASET_IDS)
    assert control.labels["expo"] == "China International Import Expo, editions 1 to 8"
    assert not any(label in DATASET_IDS for label in control.labels.values())
    assert view.params.to_query() == [("dataset", "expo")]


def test_provenance_panel_of_expo(source):
    view = build(SourcesParams(dataset="expo"), source)
    (row,) = keyed(view)["provenance"].rows
    assert row["title"] == "China International Import Expo, editions 1 to 8"
    assert row["file_name"] == "expo.csv" and row["error"] == ""
    frame = row["frame"]
    six = frame[(frame["edition"] == 6) & (frame["metric"] == "exhibitors")].iloc[0]
    assert six["value"] == 3486 and six["confidence"] == "verified-in-source"
    assert "value" in set(row["columns"]["column"])
    assert set(row["sources"].columns) == {"id", "title", "publisher", "url", "kind"} and len(row["sources"]) > 0
    assert "China International Import Expo" in row["plain"] and "**" not in row["plain"]
    assert "- **Rows:** " in row["facts_md"]
    assert view.summary.startswith("Sources and method: the dataset “China International Import Expo")


def test_sections_in_order(source):
    view = build(SourcesParams(), source)
    headers = [b.text for b in view.blocks if isinstance(b, Text) and b.style == "header"]
    assert headers == ["Method", "All datasets", "Meeting pack", "Embedding", "Data changelog"]
    blocks = keyed(view)
    assert "`abc123`" in blocks["data-version"].text
    assert blocks["data-changelog"].text == "Data changelog"
    changelog: Records = blocks["changelog"]
    assert changelog.kind == "changelog" and changelog.empty == "No changes recorded yet."
    assert all(row["plain"] and row["markdown"].startswith("`") for row in changelog.rows)
    assert blocks["meeting-pack"].rows[0]["key"] == "sources-pack"
    assert blocks["embed"].rows[0]["path"] == "/expo?edition=6&metric=exhibitors"
    overview: Table = blocks["datasets-overview"]
    assert list(overview.frame["dataset"]) == list(DATASET_IDS)
    assert set(overview.frame["status"]) == {"valid"}
    for records in (b for b in view.blocks if isinstance(b, Records)):
        assert all("plain" in row for row in records.rows)


def test_changelog_entries_show_their_sources_by_name_and_link(source):
    rows = keyed(build(SourcesParams(), source))["changelog"].rows
    for row in rows:
        assert "dossier" not in row["markdown"].lower() and "dossier" not in row["plain"].lower(), row["plain"][:120]
    # The first fact-check's entry on the 8th CIIE's Business Exhibition area: its source has no address.
    [people_pt] = [r for r in rows if "8|business_exhibition_area" in r["plain"] and "367,000+" in r["plain"]]
    assert "Source: People's Daily, Portuguese edition, 11 Nov 2025 (reported secondhand" in people_pt["plain"]
    addresses = "Addresses: People's Daily, Portuguese edition (no address recorded); Policy Lens method"
    assert addresses in people_pt["plain"]
    assert "[Policy Lens method](#method)" in people_pt["markdown"]
    # The entry moving the 4th CIIE's 366,000 m2: the CIIE Bureau release, linked to its re-post.
    [release] = [r for r in rows if "The 4th edition's 366,000 m2 moved" in r["plain"]]
    assert (
        "[PR Newswire release \\(via ktre\\.com\\)](https://www.ktre.com/prnewswire/2022/06/10/" in release["markdown"]
    )
    assert "(https://www.ktre.com/prnewswire/2022/06/10/ciie-gearing-up-its-fifth-edition/)" in release["plain"]


def test_cited_sources_without_the_sources_dataset_show_the_ids():
    assert cited_sources((), None) == ("", "")
    markdown, plain = cited_sources(("scmp-ciie-visitors",), None)
    assert (markdown, plain) == (" Addresses: scmp\\-ciie\\-visitors.", " Addresses: scmp-ciie-visitors.")


def test_a_missing_data_file_is_a_sentence(frames, provenances):
    def loader(dataset_id):
        if dataset_id == "expo":
            return None, "The 'expo' dataset cannot be used. data/expo/expo.csv: the data file is missing."
        return frames[dataset_id], None

    source = Data(provenances=dict(provenances), loader=loader)
    view = build(SourcesParams(dataset="expo"), source)
    (row,) = keyed(view)["provenance"].rows
    assert row["frame"] is None and "the data file is missing" in row["error"]
    assert "- **Rows:** cannot be read" in row["facts_md"]
    status = keyed(view)["datasets-overview"].frame.set_index("dataset")["status"]
    assert "the data file is missing" in status["expo"] and status["themes"] == "valid"
    assert "the data file is missing" in view.summary


def test_a_broken_provenance_still_lists_the_dataset(frames, provenances):
    def provenance_loader(dataset_id):
        if dataset_id == "themes":
            return None, "data/themes/provenance.json: the provenance file is not valid JSON."
        return provenances[dataset_id], None

    source = Data(frames=dict(frames), provenance_loader=provenance_loader)
    view = build(SourcesParams(dataset="themes"), source)
    (row,) = keyed(view)["provenance"].rows
    assert "not valid JSON" in row["prov_error"] and row["plain"].startswith("themes: ")
    control = next(b for b in view.blocks if isinstance(b, Control))
    assert control.labels["themes"] == "themes (its provenance file cannot be read)"
    with pytest.raises(Unavailable):
        source.provenance("themes")


def _results(article_met: bool, low: list[str]) -> dict:
    lens = {"precision": 0.8, "recall": 0.8, "f1": 0.8, "old_f1": 0.5, "goal_f1": 0.85}
    return {
        "date": "2026-12-06",
        "part": "test",
        "paragraphs": 105,
        "lenses": {
            "article": {**lens, "f1": 0.86, "met": article_met, "recall_below_goal": []},
            "oecd": {**lens, "goal_f1": 0.8, "met": False, "recall_below_goal": low},
        },
    }


def test_the_eval_line_says_the_date_scores_and_whether_each_goal_was_met(tmp_path):
    import json

    path = tmp_path / "themes-eval.json"
    path.write_text(json.dumps(_results(True, ["oecd-transparency", "oecd-ecosystem"])), encoding="utf-8")
    line = themes_eval_line(path)
    assert "measured 2026\\-12\\-06 on the 105 test paragraphs" in line
    assert "F1 0.86 for the article's themes (the old keyword list: 0.50; goal 0.85, met)" in line
    assert "0.80 for the OECD AI Principles (old: 0.50; goal 0.80, missed, 2 themes under 0.7 recall)" in line
    path.write_text(json.dumps(_results(False, [])), encoding="utf-8")
    assert "goal 0.85, missed)" in themes_eval_line(path)


def test_the_eval_line_without_results_says_not_measured(tmp_path):
    assert "not measured yet" in themes_eval_line(tmp_path / "absent.json")
