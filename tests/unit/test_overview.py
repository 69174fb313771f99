import pandas as pd

from policylens.overview import theme_coverage, theme_strip

THEMES = pd.DataFrame(
    {
        "id": ["privacy", "talent", "blockchain"],
        "label": ["Privacy", "Talent", "Blockchain"],
        "colour": ["#CC79A7", "#CC6677", "#DDCC77"],
    }
)
PARAGRAPHS = pd.DataFrame({"themes": [("privacy", "talent"), ("talent",), ()]})


def test_coverage_counts_paragraphs_per_theme():
    coverage = theme_coverage(THEMES, PARAGRAPHS)
    assert coverage[["id", "paragraphs"]].values.tolist() == [["talent", 2], ["privacy", 1], ["blockchain", 0]]


def test_strip_fades_unselected_themes_and_carries_ids():
    fig = theme_strip(theme_coverage(THEMES, PARAGRAPHS), ["privacy"], 3)
    bar = fig.data[0]
    assert list(bar.y) == [2, 1, 0]
    assert list(bar.marker.opacity) == [0.35, 1.0, 0.35]
    assert [c[0] for c in bar.customdata] == ["talent", "privacy", "blockchain"]
    assert list(bar.marker.color) == ["#CC6677", "#CC79A7", "#DDCC77"]
    assert "of 3 paragraphs" in bar.hovertemplate


def test_strip_without_selection_is_fully_opaque():
    fig = theme_strip(theme_coverage(THEMES, PARAGRAPHS), [], 3)
    assert set(fig.data[0].marker.opacity) == {1.0}


# ---------------------------------------------------------------------------------------------------- the view

import math  # noqa: E402

import pytest  # noqa: E402

from policylens import vocab  # noqa: E402
from policylens.overview import claims_of_themes, paragraphs_with_themes, verdict_counts  # noqa: E402
from policylens.views.base import Chart, Data, Records, Table, Text  # noqa: E402
from policylens.views.overview import OverviewParams, build, toggle_theme  # noqa: E402
from policylens.views.shared import SharedParams  # noqa: E402

LONG = "x" * 10_000
HOSTILE = [
    # (link values of theme, the themes kept, how many values are dropped)
    (["privacy"], ("privacy",), 0),
    (["talent", "privacy", "talent"], ("privacy", "talent"), 0),  # canonical order, repeats folded
    (["Privacy"], (), 1),  # ids are lower case; the label is not an id
    (["-0"], (), 1),
    (["1e9"], (), 1),
    (["NaN"], (), 1),
    (["99999999999999999999"], (), 1),
    (["privacy\u202e"], (), 1),  # a bidi override glued to an id
    (["priv\x00acy"], (), 1),
    (["隐私"], (), 1),
    ([LONG], (), 1),
    (["<script>alert(1)</script>"], (), 1),
    (["javascript:alert(1)"], (), 1),
    (["privacy"] * 500, ("privacy",), 0),
    (["bogus"] * 300, (), 256),  # the base reads at most 4 x MAX_VALUES values of one parameter
]


@pytest.mark.parametrize(("values", "kept", "dropped"), HOSTILE)
def test_hostile_theme_values_are_dropped_with_a_reason(values, kept, dropped):
    params = OverviewParams.from_query({"theme": values})
    assert params.theme == kept
    assert len(params.dropped) == dropped
    assert all(d.reason == "not a theme of the themes dataset" for d in params.dropped)
    for d in params.dropped:
        assert "\x00" not in d.value and "\u202e" not in d.value and len(d.value) <= 200


def test_unknown_parameters_and_wrong_types_are_dropped():
    params = OverviewParams.from_query({"edition": ["6"], "theme": [6, None, math.nan, "talent"]})
    assert params.theme == ("talent",)
    assert [d.name for d in params.dropped] == ["edition", "theme", "theme", "theme"]
    assert params.dropped[0].reason == "not a parameter of this page"
    # The router writes the shared theme filter; the page's own link part is empty.
    assert params.to_query() == [] and params.to_query(pinned=True) == []


@pytest.fixture(scope="module")
def source(frames, provenances) -> Data:
    return Data(frames=dict(frames), provenances=dict(provenances), version="test")


def blocks_by_key(view):
    return {getattr(b, "key", ""): b for b in view.blocks if getattr(b, "key", "")}


def test_verdict_summary_has_one_metric_per_verdict_of_the_contract(source, frames):
    view = build(OverviewParams(), source)
    rows = blocks_by_key(view)["verdicts"].rows
    labels = vocab.labels("claims", "verdict")
    assert [r["label"] for r in rows] == ["Claims", *labels.values()]
    assert rows[0]["value"] == len(frames["claims"])
    assert sum(r["value"] for r in rows[1:]) == len(frames["claims"])
    assert labels["more-precise"] == "Source is more precise"
    assert all(r["plain"] == f"{r['label']}: {r['value']}" for r in rows)
    assert view.slide_keys == ("verdicts", "headlines")
    assert view.summary.startswith(f"Overview: {len(frames['claims'])} claims of the CGTN article")


def test_verdict_counts_include_a_verdict_no_claim_has():
    claims = pd.DataFrame({"verdict": ["consistent", "consistent", "needs-caveat"]})
    assert verdict_counts(claims, ["consistent", "not-checkable", "needs-caveat"]) == {
        "consistent": 2,
        "not-checkable": 0,
        "needs-caveat": 1,
    }


def test_headline_cards_carry_the_words_the_source_and_plain_text(source):
    view = build(OverviewParams(), source)
    cards = {r["id"]: r for r in blocks_by_key(view)["headlines"].rows}
    c03 = cards["c03"]
    assert c03["said"].lower().startswith("over 3400")
    assert "3,486 companies from 128 countries and regions" in c03["found"]
    assert c03["verdict"] == "more-precise" and c03["verdict_label"] == "Source is more precise"
    assert c03["dataset"] == "expo" and c03["dataset_title"] == "China International Import Expo, editions 1 to 8"
    assert "Source is more precise" in c03["plain"] and "*" not in c03["plain"]
    assert any("51.7%" in r["found"] for r in cards.values())


def test_theme_filter_narrows_headlines_and_table_and_says_so(source, frames):
    every = build(OverviewParams(), source)
    assert len(blocks_by_key(every)["claims_table"].frame) == len(frames["claims"])
    view = build(OverviewParams(theme=("research",)), source)
    keyed = blocks_by_key(view)
    kept = paragraphs_with_themes(frames["paragraphs"], ("research",))
    assert kept == {6, 7, 8, 16, 18}
    table: Table = keyed["claims_table"]
    assert set(table.frame["paragraph"]) <= kept and len(table.frame) < len(frames["claims"])
    assert table.headings["paragraph"] == "¶" and table.headings["verdict_label"] == "Verdict"
    assert {r["id"] for r in keyed["headlines"].rows} >= {"c07", "c08"}
    assert all(r["paragraph"] in kept for r in keyed["headlines"].rows)
    note = keyed["overview-theme-note"].text.replace("\\", "")
    assert "Research" in note and f"of {len(frames['claims'])} claims" in note
    # The counts stay those of every claim.
    assert keyed["verdicts"].rows[0]["value"] == len(frames["claims"])
    assert view.summary.endswith("; themes: Research.")


def test_a_theme_without_headline_figures_says_so(source):
    view = build(OverviewParams(theme=("talent",)), source)
    headlines: Records = blocks_by_key(view)["headlines"]
    assert headlines.rows == () and "No headline figure" in headlines.empty


def test_claims_of_no_theme_are_all_claims():
    claims = pd.DataFrame({"paragraph": [1, 3]})
    paragraphs = pd.DataFrame({"paragraph": [1, 3], "themes": [("talent",), ()]})
    assert len(claims_of_themes(claims, paragraphs, ())) == 2
    assert claims_of_themes(claims, paragraphs, ("talent",))["paragraph"].tolist() == [1]


def test_theme_strip_click_toggles_the_shared_filter(source):
    view = build(OverviewParams(), source)
    strip: Chart = view.chart("theme_strip")
    assert strip.click_shared and strip.heading == "Themes of the article"
    assert "Bar chart: how many of the article's 19 paragraphs carry each theme" in strip.alt
    shared = SharedParams(theme=("talent",), present=True)
    added = strip.click(shared, [{"customdata": ["privacy"]}])
    assert added.theme == ("privacy", "talent") and added.present is True
    assert strip.click(added, [{"customdata": ["privacy"]}]).theme == ("talent",)
    assert toggle_theme(shared, [{"customdata": ["<b>bogus</b>"]}]).theme == ("talent",)
    assert toggle_theme(shared, []).theme == ("talent",)


def test_intro_and_article_note_are_text(source):
    view = build(OverviewParams(), source)
    texts = [b.text for b in view.blocks if isinstance(b, Text)]
    assert texts[0].startswith("An evidence dashboard for one article")
    assert "Headline figures" in texts and "Every claim" in texts
    assert "Beijing Institute of Technology" in blocks_by_key(view)["about-article"].text.replace("\\", "")
