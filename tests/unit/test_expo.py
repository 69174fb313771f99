"""The Expo core: link values, per-edition series, the bar and scatter builders and the detail text."""

from __future__ import annotations

import pandas as pd
import pytest

from policylens import expo, palette
from policylens import expo_figures as figures
from policylens import expo_words as words
from policylens.datasets import load_dataset, read_provenance
from policylens.paths import DATA_DIR
from policylens.text import escape_markdown as md
from policylens.views.base import Data, Text
from policylens.views.expo import ExpoParams, build


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return expo.with_sources(load_dataset("expo", DATA_DIR), load_dataset("sources", DATA_DIR))


def bar_trace(fig):
    return fig.data[0]


def test_link_values_keep_valid_editions_and_metrics():
    assert expo.clean_editions(["6", "99", "x", 7, "6", "-1", "0"]) == [6, 7]
    assert expo.clean_editions(None) == []
    assert expo.clean_metric("visitors") == "visitors"
    assert expo.clean_metric("bogus") == "intended_deals"
    assert expo.clean_metric("dates") == "intended_deals"  # a text metric has no bars


def test_click_adds_an_edition_and_a_second_click_removes_it():
    assert expo.toggle_editions([], ["6"]) == [6]
    assert expo.toggle_editions([6], ["7"]) == [6, 7]
    assert expo.toggle_editions([6, 7], ["6"]) == [7]
    assert expo.toggle_editions([6], ["99"]) == [6]


def test_edition_labels():
    assert expo.edition_label(6, 2023) == "2023 (6th)"
    assert [expo.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st"
    ]  # fmt: skip


def test_bar_values_per_edition_for_intended_deals(rows):
    fig = figures.expo_bars(expo.metric_series(rows, "intended_deals"), "intended_deals")
    bars = bar_trace(fig)
    assert list(bars.x) == list(range(2018, 2026))
    assert list(bars.y) == [57.83, 71.13, 72.62, 70.72, 73.52, 78.41, 80.01, 83.49]
    assert [c[0] for c in bars.customdata] == [str(e) for e in range(1, 9)]
    assert bars.text[5] == "78.41"
    assert "2023<br>6th" in fig.layout.xaxis.ticktext


def test_qualifiers_show_in_bar_text_and_hover(rows):
    series = expo.metric_series(rows, "exhibitors")
    bars = bar_trace(figures.expo_bars(series, "exhibitors"))
    assert list(bars.y) == [3617, 3800, 2600, 2900, 2800, 3486, 3496, 4108]
    assert bars.text[3] == "2,900+"
    assert bars.text[2] == "~2,600*"  # about, and reported secondhand
    assert "at least" in bars.customdata[3][1]
    area = expo.metric_series(rows, "business_exhibition_area")
    # Pre-event figures are reported secondhand (dossier 6.9): the bar says both.
    assert area.loc[area["edition"] == 6, "bar_text"].item() == "367,000<br>pre-event*"
    # A total area and a business exhibition area are never one series: the 6th edition has no total area.
    total = expo.metric_series(rows, "exhibition_area")
    assert total.loc[total["edition"] == 6, "value"].isna().item()


def test_secondhand_bars_are_hatched_with_a_legend_note(rows):
    fig = figures.expo_bars(expo.metric_series(rows, "exhibitors"), "exhibitors")
    shapes = list(bar_trace(fig).marker.pattern.shape)
    assert shapes[2] == "/"  # the 3rd edition's ~2,600 is a TASS retrospective
    assert shapes.count("/") == 1
    assert fig.data[1].name == "* reported secondhand"


def test_visitors_gaps_are_none_and_labelled_not_reported(rows):
    series = expo.metric_series(rows, "visitors")
    fig = figures.expo_bars(series, "visitors")
    y = list(bar_trace(fig).y)
    gaps = [edition for edition, value in zip(range(1, 9), y, strict=True) if value is None]
    assert gaps == [3]  # the 4th, 5th and 7th editions' visitors were added by the dossier's 6.7 and 6.8
    assert 0 not in y
    labelled = {a.x for a in fig.layout.annotations if a.text == palette.NOT_REPORTED}
    assert labelled == {2020}
    assert list(series.loc[series["value"].isna(), "as_reported"]) == ["not reported"] * 1


def test_the_articles_edition_is_marked(rows):
    fig = figures.expo_bars(expo.metric_series(rows, "intended_deals"), "intended_deals")
    notes = [a for a in fig.layout.annotations if a.text == words.ARTICLE_NOTE]
    assert len(notes) == 1 and notes[0].x == 2023
    assert fig.layout.shapes[0].x0 < 2023 < fig.layout.shapes[0].x1


def test_selected_editions_are_highlighted_and_the_others_dimmed(rows):
    series = expo.metric_series(rows, "intended_deals")
    bars = bar_trace(figures.expo_bars(series, "intended_deals", [6, 7]))
    assert list(bars.marker.color) == [palette.BASE] * 5 + [palette.SELECTED] * 2 + [palette.BASE]
    assert list(bars.marker.opacity) == [palette.UNSELECTED_OPACITY] * 5 + [1.0, 1.0, palette.UNSELECTED_OPACITY]
    plain = bar_trace(figures.expo_bars(series, "intended_deals"))
    assert set(plain.marker.color) == {palette.BASE} and set(plain.marker.opacity) == {1.0}


def test_scatter_pairs_deals_with_exhibitors_per_edition(rows):
    pairs, missing = expo.scatter_pairs(rows)
    assert missing == []
    sixth = pairs[pairs["edition"] == 6].iloc[0]
    assert (sixth["exhibitors"], sixth["intended_deals"]) == (3486, 78.41)
    fig = figures.expo_scatter(pairs, [6])
    point = fig.data[0]
    assert list(point.x) == [3617, 3800, 2600, 2900, 2800, 3486, 3496, 4108]
    assert list(point.y) == [57.83, 71.13, 72.62, 70.72, 73.52, 78.41, 80.01, 83.49]
    assert [c[0] for c in point.customdata] == [str(e) for e in range(1, 9)]
    assert point.marker.color[5] == palette.SELECTED
    assert point.marker.color[0] == palette.BASE and point.marker.opacity[0] == palette.UNSELECTED_OPACITY
    assert point.text[2] == "2020*"  # secondhand exhibitors count


def test_scatter_leaves_out_an_edition_lacking_either_figure(rows):
    gappy = rows.copy()
    gappy.loc[(gappy["edition"] == 2) & (gappy["metric"] == "exhibitors"), ["value", "value_text", "confidence"]] = [
        float("nan"),
        "",
        "not-found",
    ]
    pairs, missing = expo.scatter_pairs(gappy)
    assert missing == [2]
    assert list(pairs["edition"]) == [1, 3, 4, 5, 6, 7, 8]
    assert len(figures.expo_scatter(pairs).data[0].x) == 7


def test_definitions_that_differ_are_listed(rows):
    visitors = words.definition_notes(rows, "visitors")
    assert "2023 (6th): registered professional visitors (pre-opening)" in visitors
    assert len(visitors) == 7
    assert "2025 (8th): total (pre-event)" in words.definition_notes(rows, "exhibition_area")
    assert words.definition_notes(rows, "intended_deals") == []


AREA = "Area definitions differ between editions"
VISITORS = "Visitors are not defined consistently"
COUNTS = "countries_regions_ios is the organiser's headline count"
PRE_EVENT = "Pre-event figures (qualifier pre-event)"
DEALS = "The 4th edition's deal value is 70.72"
SPLIT = "Exhibition area is split by definition"
# Every metric of the expo data -> the start of each caveat shown with it, in order. Recorded from the page as it was
# when caveats were picked by words of their text; the caveats now name their metrics and qualifiers in provenance.
CAVEATS_BY_METRIC: dict[str, list[str]] = {
    "intended_deals": [DEALS],
    "exhibitors": [],
    "exhibitor_countries_regions": [COUNTS],
    "countries_regions_ios": [COUNTS, PRE_EVENT],
    "exhibition_area": [AREA, PRE_EVENT, SPLIT],
    "business_exhibition_area": [AREA, PRE_EVENT, SPLIT],
    "new_products": [],
    "fortune500_and_leaders": [],
    "visitors": [VISITORS, PRE_EVENT],
    "dates": [PRE_EVENT],  # no bars: the caveats of its rows, as for the others
    "theme": [],
}


def test_the_table_names_every_metric_of_the_data(rows):
    assert set(CAVEATS_BY_METRIC) == set(rows["metric"])


@pytest.mark.parametrize(("metric", "starts"), CAVEATS_BY_METRIC.items(), ids=list(CAVEATS_BY_METRIC))
def test_the_caveats_of_each_metric(rows, metric, starts):
    provenance = read_provenance("expo", DATA_DIR)
    series = expo.metric_series(rows, metric) if metric in expo.METRICS else rows[rows["metric"] == metric]
    caveats = expo.metric_caveats(provenance, series, metric)
    assert len(caveats) == len(starts), caveats
    for caveat, start in zip(caveats, starts, strict=True):
        assert caveat.startswith(start), (caveat, start)
    if metric in expo.METRICS:  # the page shows exactly these, in this order
        frames = {dataset_id: load_dataset(dataset_id, DATA_DIR) for dataset_id in ("expo", "sources")}
        data = Data(frames=frames, provenances={"expo": provenance})
        view = build(ExpoParams(metric=metric), data)
        shown = [b.text for b in view.blocks if isinstance(b, Text) and b.key.startswith("caveat-")]
        assert shown == [f":material/info: {md(c)}" for c in caveats]


def test_a_caveat_applies_by_its_metrics_or_by_a_qualifier_of_the_rows(rows):
    provenance = {
        "caveats": [
            "A caveat on the whole dataset.",
            {"text": "On the whole dataset too."},
            {"text": "Visitors differ.", "metrics": ["visitors"]},
            {"text": "Announced before.", "qualifiers": ["pre-event"]},
            {"text": "Both.", "metrics": ["intended_deals"], "qualifiers": ["about"]},
        ]
    }
    visitors = expo.metric_series(rows, "visitors")
    assert expo.metric_caveats(provenance, visitors, "visitors") == ["Visitors differ.", "Announced before."]
    deals = expo.metric_series(rows, "intended_deals")  # every figure exact: no qualifier caveat
    assert expo.metric_caveats(provenance, deals, "intended_deals") == ["Both."]
    exhibitors = expo.metric_series(rows, "exhibitors")  # an "about" figure
    assert expo.metric_caveats(provenance, exhibitors, "exhibitors") == ["Both."]
    assert expo.metric_caveats({}, visitors, "visitors") == []


def test_detail_lists_every_metric_with_source_and_gaps(rows):
    text = words.detail_markdown(rows[rows["edition"] == 6])
    assert r"3,486" in text and r"USD 78\.41 bn" in text
    assert "[Shanghai Daily \\(shine\\.cn\\)](https://www.shine.cn/" in text
    assert text.count("- **") == len(expo.DETAIL_METRICS)
    third = words.detail_markdown(rows[rows["edition"] == 3])
    assert "**Visitors:** *not reported*" in third
    assert "reported\\-secondhand" in third


def test_detail_escapes_markdown_in_data(rows):
    hostile = rows[rows["edition"] == 6].copy()
    hostile.loc[hostile["metric"] == "exhibitors", "note"] = "<script>alert(1)</script> [x](javascript:1)"
    text = words.detail_markdown(hostile)
    assert "<script>" not in text and "](javascript" not in text


def test_source_line_and_alt_text(rows):
    series = expo.metric_series(rows, "visitors")
    line = words.source_line(series)
    assert "dataset expo" in line and "1 not reported" in line and "4 reported-secondhand" in line
    alt = words.bars_alt(series, "visitors")
    assert "2020 (3rd): not reported" in alt and "2023 (6th): ~410,000" in alt


def test_series_holds_none_for_a_gap(rows):
    series = expo.metric_series(rows, "visitors")
    assert series.loc[series["edition"] == 3, "value"].item() is None
    assert series.loc[series["edition"] == 1, "value"].item() == 800000
