"""Data policy core: the Data 20 Measures treemap, pillar filters and the policy timeline."""

import pandas as pd
import pytest

from policylens import palette, policy
from policylens.datasets import load_dataset


@pytest.fixture(scope="module")
def articles():
    return load_dataset("data-policy")


@pytest.fixture(scope="module")
def timeline():
    return load_dataset("policy-timeline")


@pytest.fixture(scope="module")
def sources():
    return load_dataset("sources")


def test_governance_pillar_is_articles_14_to_16(articles):
    rows = policy.articles_in_pillars(articles, ["governance"])
    assert list(rows["article_no"]) == [14, 15, 16]
    assert rows["article_title_en"].iloc[0] == "Innovate government data-governance mechanisms"


def test_two_pillars_keep_article_order(articles):
    rows = policy.articles_in_pillars(articles, ["income-distribution", "property-rights"])
    assert list(rows["article_no"]) == [3, 4, 5, 6, 7, 12, 13]


def test_treemap_has_root_six_parts_and_twenty_articles(articles):
    nodes = policy.treemap_nodes(articles, [], None)
    assert (nodes["kind"] == "part").sum() == 6 and (nodes["kind"] == "article").sum() == 20
    fig = policy.data20_treemap(articles, [], None)
    tm = fig.data[0]
    ids = list(tm.ids)
    article3 = ids.index("article-3")
    assert tm.parents[article3] == "part-II"
    assert tm.labels[article3].startswith("3 · Explore structural")
    assert list(tm.customdata[article3]) == ["article", "3"]
    assert list(tm.customdata[ids.index("part-V")]) == ["part", "governance"]
    assert list(tm.customdata[ids.index("part-I")]) == ["part", ""]


def test_treemap_colours_pillars_and_greys_parts_without_one(articles):
    nodes = policy.treemap_nodes(articles, [], None).set_index("id")
    assert nodes.loc["article-1", "colour"] == palette.MUTED  # part I
    assert nodes.loc["article-20", "colour"] == palette.MUTED  # part VI
    assert nodes.loc["article-3", "colour"] == palette.BASE  # property rights
    assert len({nodes.loc[f"article-{n}", "colour"] for n in (3, 8, 12, 14)}) == 4


def test_treemap_fades_other_pillars_and_outlines_the_article(articles):
    nodes = policy.treemap_nodes(articles, ["governance"], 3).set_index("id")
    assert nodes.loc["article-14", "colour"] == policy.PILLAR_COLOURS["governance"]
    # Article 8 (circulation and trading) is faded towards grey, opaque so it reads on the dark theme too.
    assert nodes.loc["article-8", "colour"] == "#AC9A73"
    assert nodes.loc["article-3", "line_colour"] == palette.SELECTED
    assert nodes.loc["article-3", "line_width"] == 5
    assert nodes.loc["article-4", "line_width"] == 1


def test_treemap_click_means_article_or_pillar(articles):
    # Streamlit reports treemap clicks with the node id and no custom data.
    assert policy.treemap_click([{"id": "article-3", "label": "3 · Explore"}], articles) == ("article", "3")
    assert policy.treemap_click([{"id": "part-V"}], articles) == ("pillar", "governance")
    assert policy.treemap_click([{"id": "part-I"}], articles) is None
    assert policy.treemap_click([{"id": "data-20"}], articles) is None
    assert policy.treemap_click([{"id": "article-99"}], articles) is None
    # Custom data in either shape, as a bar or scatter selection would give it.
    assert policy.treemap_click([{"customdata": ["article", "12"]}], articles) == ("article", "12")
    assert policy.treemap_click([{"customdata": {"0": "part", "1": "governance"}}], articles) == (
        "pillar",
        "governance",
    )
    assert policy.treemap_click([], articles) is None


def test_partial_dates_start_at_their_period():
    assert policy.partial_date_start("2017-06") == pd.Timestamp("2017-06-01")
    assert policy.partial_date_start("2017") == pd.Timestamp("2017-01-01")
    assert policy.partial_date_start("2023-10-18") == pd.Timestamp("2023-10-18")


def test_timeline_filters_by_theme_and_type(timeline):
    assert len(policy.filter_timeline(timeline, [], [])) == len(timeline)
    privacy = policy.filter_timeline(timeline, ["privacy"], [])
    assert set(privacy["id"]) == {
        "2017-06-cybersecurity-law",
        "2021-06-data-security-law",
        "2021-08-personal-information-protection-law",
    }
    laws = policy.filter_timeline(timeline, ["privacy", "ai-safety"], ["law"])
    assert set(laws["type"]) == {"law"} and len(laws) == 3
    assert policy.filter_timeline(timeline, ["blockchain"], []).empty


def test_timeline_scatter_plots_partial_dates_and_shows_them_in_hover(timeline):
    entries = policy.filter_timeline(timeline, [], [])
    fig = policy.timeline_scatter(entries, [])
    trace = fig.data[0]
    first = [list(c) for c in trace.customdata].index(["2017-06-cybersecurity-law", "law"])
    assert pd.Timestamp(trace.x[first]) == pd.Timestamp("2017-06-01")
    assert "date: 2017-06" in trace.hovertext[first]
    assert trace.y[first] == "Law"
    assert set(trace.marker.color) == {palette.BASE}


def test_data20_entry_is_highlighted_when_policy_is_selected(timeline):
    lit = policy.timeline_highlight(["governance"], None)
    assert lit == ["2022-12-data-20-measures"]
    assert policy.timeline_highlight([], None) == []
    assert policy.timeline_highlight([], 3) == ["2022-12-data-20-measures"]
    entries = policy.filter_timeline(timeline, [], [])
    fig = policy.timeline_scatter(entries, lit)
    trace = fig.data[0]
    colours = dict(zip([c[0] for c in trace.customdata], trace.marker.color, strict=True))
    assert colours["2022-12-data-20-measures"] == palette.SELECTED
    assert colours["2021-06-data-security-law"] == palette.BASE


def test_timeline_table_names_sources_and_confidence(timeline, sources):
    table = policy.timeline_table(policy.filter_timeline(timeline, [], ["law"]), sources)
    assert list(table["confidence"]) == ["reported-secondhand", "verified-in-source", "verified-in-source"]
    assert table["source_url"].str.startswith("http").all()
    assert table["title"].iloc[0].startswith("Cybersecurity Law")


def test_treemap_labels_take_the_readable_text_colour():
    from policylens.policy import text_colour

    assert text_colour("#999999") == "#1F2328"  # grey parts I and VI: dark text
    assert text_colour("#CC79A7") == "#1F2328"  # the governance pink: dark text reads better than white
    assert text_colour("#0072B2") == "#FFFFFF"
