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
    # the Data Security Law was read on a page about the draft law: reported-secondhand (re-check 2026-12-06, 7.9)
    assert list(table["confidence"]) == ["reported-secondhand", "reported-secondhand", "verified-in-source"]
    assert table["source_url"].str.startswith("http").all()
    assert table["title"].iloc[0].startswith("Cybersecurity Law")


def test_treemap_labels_take_the_readable_text_colour():
    from policylens.policy import text_colour

    assert text_colour("#999999") == "#1F2328"  # grey parts I and VI: dark text
    assert text_colour("#CC79A7") == "#1F2328"  # the governance pink: dark text reads better than white
    assert text_colour("#0072B2") == "#FFFFFF"


# ---------------------------------------------------------------------------------------------------- the view

from policylens import vocab  # noqa: E402
from policylens.views.base import Chart, Control, Data, Records, Table, Text  # noqa: E402
from policylens.views.policy import PolicyParams, build, timeline_click, treemap_click  # noqa: E402

ARTICLE_WHY = "articles run from 1 to 20"
PILLAR_WHY = "not one of the article's four pillars"
TYPE_WHY = "not a document type of the policy timeline"
LONG = "x" * 10_000


def dropped(params):
    return [(d.name, d.value, d.reason) for d in params.dropped]


@pytest.mark.parametrize(
    ("query", "expected", "reasons"),
    [
        ({}, {}, []),
        ({"article": ["3"]}, {"article": 3}, []),
        ({"article": [" 3 "]}, {"article": 3}, []),  # spaces around a number are not a different number
        ({"article": ["03"]}, {"article": 3}, []),
        ({"article": [3]}, {"article": 3}, []),  # a number given as a number
        ({"article": ["20"]}, {"article": 20}, []),
        ({"article": ["0"]}, {}, [("article", "0", ARTICLE_WHY)]),
        ({"article": ["21"]}, {}, [("article", "21", ARTICLE_WHY)]),
        ({"article": ["-0"]}, {}, [("article", "-0", ARTICLE_WHY)]),
        ({"article": ["-3"]}, {}, [("article", "-3", ARTICLE_WHY)]),
        ({"article": ["+3"]}, {}, [("article", "+3", ARTICLE_WHY)]),
        ({"article": ["1e9"]}, {}, [("article", "1e9", ARTICLE_WHY)]),
        ({"article": ["999999999999999999999"]}, {}, [("article", "999999999999999999999", ARTICLE_WHY)]),
        ({"article": ["3.0"]}, {}, [("article", "3.0", ARTICLE_WHY)]),
        ({"article": ["NaN"]}, {}, [("article", "NaN", ARTICLE_WHY)]),
        ({"article": ["inf"]}, {}, [("article", "inf", ARTICLE_WHY)]),
        ({"article": ["true"]}, {}, [("article", "true", ARTICLE_WHY)]),
        ({"article": [None]}, {}, [("article", "None", ARTICLE_WHY)]),
        ({"article": [3.5]}, {}, [("article", "3.5", ARTICLE_WHY)]),
        ({"article": ["３"]}, {}, [("article", "３", ARTICLE_WHY)]),  # a full-width digit is not an ASCII number
        ({"article": ["٣"]}, {}, [("article", "٣", ARTICLE_WHY)]),  # nor is an Arabic-Indic one
        ({"article": ["3\x00"]}, {}, [("article", "3", ARTICLE_WHY)]),  # NUL removed from the reported value
        ({"article": ["\u202e3"]}, {}, [("article", "3", ARTICLE_WHY)]),  # a bidi mark is not part of a number
        ({"article": ["3", "4"]}, {"article": 3}, [("article", "4", "given more than once; the first value is used")]),
        ({"article": ["javascript:alert(1)"]}, {}, [("article", "javascript:alert(1)", ARTICLE_WHY)]),
        ({"pillar": ["governance"]}, {"pillar": ("governance",)}, []),
        ({"pillar": "governance"}, {"pillar": ("governance",)}, []),  # one value given as a bare string
        # Canonical order is the contract's (parts II to V), whatever order the link gives.
        (
            {"pillar": ["governance", "property-rights"]},
            {"pillar": ("property-rights", "governance")},
            [],
        ),
        ({"pillar": ["governance"] * 300}, {"pillar": ("governance",)}, []),  # hundreds of repeats: one value
        ({"pillar": ["Governance"]}, {}, [("pillar", "Governance", PILLAR_WHY)]),  # ids are case-sensitive
        ({"pillar": ["Security governance"]}, {}, [("pillar", "Security governance", PILLAR_WHY)]),  # a label
        ({"pillar": ["governance\u200b"]}, {}, [("pillar", "governance", PILLAR_WHY)]),  # zero-width space
        ({"pillar": ["<b>governance</b>"]}, {}, [("pillar", "<b>governance</b>", PILLAR_WHY)]),
        ({"pillar": [LONG]}, {}, [("pillar", "x" * 200, PILLAR_WHY)]),  # a 10,000-character value, cut
        ({"type": ["law", "national-plan"]}, {"type": ("law", "national-plan")}, []),
        ({"type": ["Law"]}, {}, [("type", "Law", TYPE_WHY)]),
        ({"type": ["<script>alert(1)</script>"]}, {}, [("type", "<script>alert(1)</script>", TYPE_WHY)]),
        ({"type": ["javascript:alert(1)"]}, {}, [("type", "javascript:alert(1)", TYPE_WHY)]),
        ({"type": ["law", "bogus", "law"]}, {"type": ("law",)}, [("type", "bogus", TYPE_WHY)]),
        ({"theme": ["privacy"]}, {"theme": ("privacy",)}, []),
        ({"theme": ["bogus"]}, {}, [("theme", "bogus", "not a theme of the themes dataset")]),
        ({"foo": ["1"]}, {}, [("foo", "", "not a parameter of this page")]),
        ({"present": ["true"], "v": ["abc"]}, {}, []),  # shared and framework keys are not unknown
    ],
)
def test_params_from_hostile_links(query, expected, reasons):
    params = PolicyParams.from_query(query)
    assert params == PolicyParams(**expected)
    assert dropped(params) == reasons


def test_many_bad_repeats_are_bounded():
    params = PolicyParams.from_query({"type": ["bogus"] * 1000 + ["law"]})
    assert params.type == ()  # only the first 256 values are read; all of them were bad
    assert len(params.dropped) == 256
    assert len(PolicyParams.from_query({"pillar": ["x"] * 1000}).dropped) == 256


def test_links_written_back_are_canonical_and_reopen_the_same_view():
    params = PolicyParams(pillar=("property-rights", "governance"), article=3, type=("law",), theme=("privacy",))
    assert params.to_query() == [
        ("pillar", "property-rights"),
        ("pillar", "governance"),
        ("article", "3"),
        ("type", "law"),
    ]  # the page never writes the shared theme: the router does
    assert PolicyParams.from_query(_grouped(params.to_query(pinned=True))) == params.replace(theme=())
    # No article open: neither the plain nor the pinned link writes one, and either reopens with none open.
    empty = PolicyParams()
    assert empty.to_query() == [] and empty.to_query(pinned=True) == []
    assert PolicyParams.from_query(_grouped(empty.to_query(pinned=True))).article is None
    assert empty.is_default() and not PolicyParams(article=1).is_default()


def _grouped(pairs):
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


@pytest.fixture(scope="module")
def data(articles, timeline, sources):
    return Data(
        frames={
            "data-policy": articles,
            "policy-timeline": timeline,
            "sources": sources,
            "themes": load_dataset("themes"),
        }
    )


def blocks(view, kind):
    return [b for b in view.blocks if isinstance(b, kind)]


def test_controls_show_names_while_the_link_keeps_ids(data):
    view = build(PolicyParams(), data)
    controls = {c.name: c for c in blocks(view, Control)}
    assert list(controls) == ["pillar", "article", "type"]
    assert controls["pillar"].widget == "pills"
    assert dict(controls["pillar"].labels) == {
        "property-rights": "Data property rights",
        "circulation-trading": "Circulation and trading",
        "income-distribution": "Income distribution",
        "governance": "Security governance",
    }
    assert controls["article"].widget == "select"
    assert (
        controls["article"].labels[3]
        == "Article 3: 探索数据产权结构性分置制度 · Explore structural separation of data property rights"
    )
    assert sorted(controls["article"].labels) == list(range(1, 21))
    assert controls["type"].widget == "multiselect"
    assert controls["type"].labels["national-plan"] == "National plan"
    assert controls["type"].labels["congress"] == "Party congress"
    assert dict(controls["type"].labels) == vocab.labels("policy-timeline", "type")
    # Every label is words, not the id it stands for.
    for control in controls.values():
        assert all(str(label) != str(value) for value, label in control.labels.items())


def test_intro_says_basic_data_systems_and_a_translation_choice(data):
    intro = blocks(build(PolicyParams(), data), Text)[0].text
    assert "**Data 20 Measures**" in intro
    # re-check 2026-12-06, 7.7: the article's "data infrastructure" is a common rendering, not an error of theirs
    assert "**basic data systems** (数据基础制度); “data infrastructure system” is a common state-media" in intro
    assert "“data infrastructure” is a translation choice, not an error of the authors" in intro
    assert "not an AI policy" in intro
    assert "its 6 parts and 20 articles" in intro  # counted from the rows
    assert (
        "its four areas: data property rights, circulation and trading, income distribution and security governance"
        in intro
    )
    assert "China's 2022 guideline on data infrastructure" not in intro


def test_default_view_has_the_treemap_and_the_whole_timeline(data, timeline):
    view = build(PolicyParams(), data)
    assert view.title == "Data policy"
    assert [c.key for c in view.charts] == ["policy_treemap", "policy_timeline"]
    assert blocks(view, Records) == []  # no article open, no pillar chosen
    treemap = view.chart("policy_treemap")
    assert treemap.alt.startswith("Treemap of the Data 20 Measures: 6 parts and their 20 articles. Parts II to V")
    assert "parts I and VI are grey" in treemap.alt
    header = next(b for b in view.blocks if isinstance(b, Text) and b.style == "header")
    assert header.text == "Policy timeline, 2017 to 2024"  # the span of the rows
    scatter = view.chart("policy_timeline")
    assert len(scatter.figure.data[0].x) == len(timeline)
    assert scatter.figure.layout.title.text == "China's AI and data policy milestones, 2017–2024"
    assert scatter.alt.startswith(f"Timeline scatter of {len(timeline)} policy milestones from 2017 to 2024")
    assert "highlighted" not in scatter.alt
    assert view.summary.startswith("China's Data 20 Measures (2022, basic data systems): 6 parts, 20 articles")
    assert view.notes == ()


def test_article_3_opens_its_detail_with_a_linked_source(data):
    view = build(PolicyParams(article=3), data)
    (detail,) = blocks(view, Records)
    assert detail.kind == "article" and detail.key == "article-detail"
    (row,) = detail.rows
    assert row["heading"] == "Article 3: 探索数据产权结构性分置制度"
    assert row["lines"][0] == "Explore structural separation of data property rights *(working translation)*"
    assert row["lines"][2] == "**Pillar:** Data property rights"
    assert "三权分置" in row["lines"][3]
    assert "[dzrgw\\.cn \\(attributes the text to www\\.gov\\.cn\\)](https://dzrgw.cn/?p=5767)" in row["source"]
    assert row["plain"].startswith("Article 3: 探索数据产权结构性分置制度\nExplore structural separation")
    assert "Source: dzrgw.cn (attributes the text to www.gov.cn) (https://dzrgw.cn/?p=5767)" in row["plain"]
    assert "*" not in row["plain"].replace("*(", "")  # the plain text carries no Markdown
    assert "article 3: 探索数据产权结构性分置制度" in view.summary
    # The Data 20 Measures entry of the timeline lights up.
    scatter = view.chart("policy_timeline").figure.data[0]
    colours = dict(zip([c[0] for c in scatter.customdata], scatter.marker.color, strict=True))
    assert colours["2022-12-data-20-measures"] == palette.SELECTED


def test_governance_pillar_lists_its_articles(data):
    view = build(PolicyParams(pillar=("governance",)), data)
    (listing,) = blocks(view, Records)
    assert listing.kind == "pillar-article" and listing.key == "pillar-articles"
    assert listing.heading == "Articles of the chosen pillars"
    assert [r["article"] for r in listing.rows] == [14, 15, 16]
    assert listing.rows[0]["markdown"] == (
        "**14** · 创新政府数据治理机制 · Innovate government data\\-governance mechanisms *(working translation)*"
    )
    assert listing.rows[0]["plain"] == (
        "14 · 创新政府数据治理机制 · Innovate government data-governance mechanisms (working translation)"
    )
    assert "pillars: Security governance" in view.summary


def test_an_article_the_data_lacks_is_not_opened_nor_pinned(data, articles):
    frames = dict(data.frames)
    frames["data-policy"] = articles[articles["article_no"] != 7]
    view = build(PolicyParams(article=7), Data(frames=frames))
    assert blocks(view, Records) == []
    assert view.params.article is None
    assert view.notes == ("Article 7 is not in the data-policy dataset; no article is open.",)


def test_theme_and_type_filter_the_timeline_and_its_table(data):
    view = build(PolicyParams.from_query({"type": ["law"], "theme": ["privacy", "ai-safety"]}), data)
    caption = next(b for b in view.blocks if isinstance(b, Text) and b.key == "policy-theme-filter")
    assert caption.style == "caption"
    assert "themes chosen in the sidebar\\: AI safety, Privacy" in caption.text  # names, not ids
    (table,) = blocks(view, Table)
    assert table.key == "policy_timeline_entries" and table.links == ("source_url",)
    assert table.headings["source_url"] == "source address"
    assert list(table.frame["date"]) == ["2017-06", "2021-06-10", "2021-08-20"]
    assert set(table.frame["type"]) == {"Law"}
    # re-check 2026-12-06, 7.9: the Data Security Law's row is reported-secondhand
    assert list(table.frame["confidence"]) == ["reported-secondhand", "reported-secondhand", "verified-in-source"]
    assert table.frame["source_url"].str.startswith("https://").all()
    # The chart's own data (the CSV) keeps the ids.
    assert set(view.chart("policy_timeline").table["type"]) == {"law"}
    assert "timeline types: Law; themes: AI safety, Privacy" in view.summary


def test_no_matching_milestone_says_so(data):
    view = build(PolicyParams(theme=("blockchain",)), data)
    assert [c.key for c in view.charts] == ["policy_treemap"]
    assert blocks(view, Table) == []
    info = next(b for b in view.blocks if isinstance(b, Text) and b.style == "info")
    assert info.text == "No milestone matches these themes and types. Clear a filter to see more."


def test_treemap_click_sets_the_article_or_the_pillar(articles):
    click = treemap_click(articles)
    start = PolicyParams(pillar=("property-rights",), type=("law",))
    assert click(start, [{"id": "article-3"}]) == start.replace(article=3)  # the pillar stays
    opened = PolicyParams(article=3)
    assert click(opened, [{"id": "part-V"}]) == PolicyParams(pillar=("governance",), article=3)
    assert click(opened, [{"id": "part-I"}]) == opened  # a grey part has no pillar
    assert click(opened, [{"id": "data-20"}]) == opened
    assert click(opened, []) == opened


def test_timeline_click_keeps_only_the_clicked_types():
    start = PolicyParams(type=("law",), article=3)
    points = [{"customdata": ["2017-07-new-generation-ai-plan-signed", "national-plan"]}]
    assert timeline_click(start, points) == PolicyParams(type=("national-plan",), article=3)
    two = [{"customdata": ["a", "opinions"]}, {"customdata": {"0": "b", "1": "law"}}]
    assert timeline_click(start, two).type == ("law", "opinions")  # canonical order
    assert timeline_click(start, [{"customdata": ["x", "bogus"]}]) == start
    assert timeline_click(start, []) == start


def test_slide_shows_the_treemap_and_the_chosen_articles(data):
    view = build(PolicyParams(pillar=("governance",), article=15), data)
    assert [getattr(b, "key", "") for b in view.compact_blocks()] == [
        "policy_treemap",
        "article-detail",
        "pillar-articles",
    ]
    assert all(isinstance(b, Chart | Records) for b in view.compact_blocks())
