"""Research page core: link parameters, the view, AI Index shares by edition, measure and area, and their figures."""

import math

import pytest

from policylens import palette, research
from policylens import research_figures as figures
from policylens import research_words as words
from policylens.views.base import Chart, Control, Data, Text
from policylens.views.research import ResearchParams, build


@pytest.fixture(scope="module")
def shares(frames):
    return frames["ai-research"]


@pytest.fixture(scope="module")
def sources(frames):
    return frames["sources"]


@pytest.fixture
def data(frames, provenances):
    return Data(frames=dict(frames), provenances=dict(provenances))


def bars(fig):
    return [t for t in fig.data if t.type == "bar"]


def value_of(fig, area, measure):
    for trace in bars(fig):
        for x, custom in zip(trace.x, trace.customdata, strict=True):
            if tuple(custom) == (area, measure):
                return x
    raise AssertionError(f"no bar for {area} {measure}")


def style_of(fig, area):
    """(colour, opacity, outline width) of every bar of ``area`` in the figure."""
    out = []
    for trace in bars(fig):
        for i, custom in enumerate(trace.customdata):
            if custom[0] == area:
                out.append((trace.marker.color[i], trace.marker.opacity[i], trace.marker.line.width[i]))
    return out


def view_text(view):
    """Every sentence the view shows a person: texts, chart titles, captions, alt texts, notes."""
    parts = [b.text for b in view.blocks if isinstance(b, Text)]
    parts += [f"{c.title} {c.caption} {c.alt}" for c in view.charts]
    return " ".join([*parts, *view.notes]).replace("\\", "")


# ---------------------------------------------------------------------------------------------------- params

LONG = "x" * 10_000
HOSTILE = [
    # (query, expected measure, area, edition, dropped names)
    ({}, "", (), "AI Index 2022", []),
    ({"measure": ["granted-patents"], "edition": ["AI Index 2024"], "area": ["China"]},
     "granted-patents", ("China",), "AI Index 2024", []),
    ({"measure": ["Granted patents"]}, "", (), "AI Index 2022", ["measure"]),  # a label is not an id
    ({"measure": ["GRANTED-PATENTS"]}, "", (), "AI Index 2022", ["measure"]),
    ({"measure": ["-0"], "edition": ["1e9"]}, "", (), "AI Index 2022", ["measure", "edition"]),
    ({"edition": ["NaN"], "area": ["nan"]}, "", (), "AI Index 2022", ["edition", "area"]),
    ({"edition": ["2022"]}, "", (), "AI Index 2022", ["edition"]),
    ({"edition": ["AI Index 2022\u202e"]}, "", (), "AI Index 2022", ["edition"]),  # a bidi mark
    ({"area": ["China\x00"]}, "", (), "AI Index 2022", ["area"]),
    ({"area": ["中国", "Chína"]}, "", (), "AI Index 2022", ["area", "area"]),
    ({"measure": [LONG]}, "", (), "AI Index 2022", ["measure"]),
    ({"area": ["<b>China</b>", "javascript:alert(1)"]}, "", (), "AI Index 2022", ["area", "area"]),
    ({"area": ["United States", "China"] * 300}, "", ("China", "United States"), "AI Index 2022", []),
    ({"measure": ["patent-filings", "granted-patents"]}, "patent-filings", (), "AI Index 2022", ["measure"]),
    ({"area": ["EU + UK", "EU UK"]}, "", ("EU + UK",), "AI Index 2022", ["area"]),
    ({"bogus": ["1"], "theme": ["privacy"], "v": ["abc"]}, "", (), "AI Index 2022", ["bogus"]),
]  # fmt: skip


@pytest.mark.parametrize(("query", "measure", "area", "edition", "dropped"), HOSTILE)
def test_link_values_are_checked(query, measure, area, edition, dropped):
    params = ResearchParams.from_query(query)
    assert (params.measure, params.area, params.edition) == (measure, area, edition)
    assert sorted(d.name for d in params.dropped) == sorted(dropped)
    for d in params.dropped:
        assert "\x00" not in d.value and "\u202e" not in d.value and len(d.value) <= 200
        assert d.reason


def test_dropped_reasons_are_words():
    params = ResearchParams.from_query({"measure": ["bogus"], "area": ["Atlantis"], "edition": ["AI Index 1999"]})
    reasons = {d.name: d.reason for d in params.dropped}
    assert reasons == {
        "measure": "not a measure of the ai-research dataset",
        "area": "not an area of the ai-research dataset",
        "edition": "not an AI Index edition of the dataset",
    }


def test_links_write_ids_in_canonical_order():
    params = ResearchParams.from_query(
        {"area": ["United States", "China"], "edition": ["AI Index 2024"], "measure": ["granted-patents"]}
    )
    assert params.to_query() == [
        ("measure", "granted-patents"),
        ("area", "China"),
        ("area", "United States"),
        ("edition", "AI Index 2024"),
    ]
    assert ResearchParams().to_query() == []  # the default view writes nothing: today's short links stay valid


# ---------------------------------------------------------------------------------------------------- build


def test_default_view_is_ai_index_2022_patent_filings(data):
    view = build(ResearchParams(), data)
    assert view.title == "Research and patents"
    assert (view.params.edition, view.params.measure) == ("AI Index 2022", "patent-filings")
    assert view.notes == ()
    assert [c.key for c in view.charts] == ["research_share", "research_patents", "research_venues"]
    # The share a person checks: 51.7% of the world's AI patent filings were filed in China (AI Index 2022).
    assert value_of(view.chart("research_share").figure, "China", "patent-filings") == pytest.approx(51.7)
    assert value_of(view.chart("research_patents").figure, "United States", "granted-patents") == pytest.approx(39.6)
    assert value_of(view.chart("research_venues").figure, "China", "journal-publications") == pytest.approx(31.0)
    assert view.summary == (
        "Stanford AI Index, AI Index 2022, data year 2021: Patent filings, share of world total by area."
    )


def test_todays_link_opens_the_same_view(data):
    params = ResearchParams.from_query(
        {"measure": ["granted-patents"], "edition": ["AI Index 2024"], "area": ["China"]}
    )
    view = build(params, data)
    assert view.params == params and view.notes == ()
    share = view.chart("research_share")
    assert value_of(share.figure, "China", "granted-patents") == pytest.approx(61.13)
    assert style_of(share.figure, "China") == [(palette.SELECTED, 1.0, 0)]
    assert "AI Index 2024" in share.figure.layout.title.text and "data year 2022" in share.figure.layout.title.text
    # AI Index 2024 holds patents only: the page says so instead of drawing an empty publications chart.
    assert [c.key for c in view.charts] == ["research_share", "research_patents"]
    assert "no publication or citation shares for AI Index 2024" in view_text(view)
    assert view.summary.endswith("; highlighted: China.")


def test_the_edition_decides_the_default_measure(data):
    view = build(ResearchParams.from_query({"edition": ["AI Index 2024"]}), data)
    assert view.params.measure == "granted-patents" and view.notes == ()
    view = build(ResearchParams.from_query({"edition": ["AI Index 2023"]}), data)
    assert view.params.measure == "journal-publications"


def test_a_measure_the_edition_lacks_falls_back_with_a_note(data):
    asked = ResearchParams.from_query({"edition": ["AI Index 2024"], "measure": ["journal-publications"]})
    view = build(asked, data)
    assert view.params.measure == "granted-patents"
    assert view.notes == (
        "Journal publications are not reported in AI Index 2024: the view shows Granted patents, the edition's first "
        "measure.",
    )
    assert value_of(view.chart("research_share").figure, "China", "granted-patents") == pytest.approx(61.13)


def test_dropped_values_survive_the_resolution(data):
    view = build(ResearchParams.from_query({"area": ["Atlantis", "China"]}), data)
    assert view.params.area == ("China",)
    assert [d.value for d in view.params.dropped] == ["Atlantis"]


def test_controls_show_words_and_keep_ids(data):
    view = build(ResearchParams.from_query({"edition": ["AI Index 2024"]}), data)
    controls = {b.name: b for b in view.blocks if isinstance(b, Control)}
    assert [(c.label, c.widget) for c in controls.values()] == [
        ("AI Index edition", "select"),
        ("Measure", "select"),
        ("Highlight areas (or click a bar)", "multiselect"),
    ]
    measure = controls["measure"].labels
    assert measure["granted-patents"] == "Granted patents"
    assert measure["patent-filings"] == "Patent filings"
    assert all("-" not in label for label in measure.values())
    # AI Index 2024 reports granted patents only: the select offers just that measure.
    assert controls["measure"].options == ("granted-patents",)
    assert controls["area"].labels["EU + UK"] == "EU + UK"
    assert controls["area"].placeholder == "No area highlighted"


def test_a_click_replaces_the_highlighted_areas(data):
    view = build(ResearchParams.from_query({"area": ["China"]}), data)
    click = view.chart("research_patents").click
    params = view.params
    picked = click(params, [{"customdata": ["United States", "granted-patents"]}])
    assert picked.area == ("United States",)
    both = click(params, [{"customdata": ["United States", "x"]}, {"customdata": ["China", "x"]}])
    assert both.area == ("China", "United States")
    assert click(params, [{"customdata": ["Atlantis", "x"]}]).area == ("China",)  # not an area: nothing changes
    assert click(params, []).area == ("China",)
    assert all(c.click is not None for c in view.charts)


def test_texts_follow_the_fact_check(data):
    """The fact-checks: no filing basis stated (it was not read, re-check 7.1), grant leads with edition and year and
    not one series, the basis note on grants."""
    default = view_text(build(ResearchParams(), data))
    assert "China filed" not in default and "filed in China" not in default
    assert "China had 51.7% of the world's AI patent applications" in default
    assert "the counting basis is not stated in the transcription read" in default
    assert "not one series" in default
    assert "the United States led granted patents with 39.6% against China's 5.9%" in default
    for sentence in default.split(". "):
        if "led granted patents" in sentence:
            assert "data year" in sentence and "AI Index" in sentence
    assert "in AI Index 2024 (data year 2022) China led granted patents with 61.13%" in default
    assert "may not be on the same basis" in default
    assert "North America has 57.0% of grants against the United States' 39.6%" in default
    grants = view_text(build(ResearchParams.from_query({"measure": ["granted-patents"]}), data))
    assert words.REGIONS_CAPTION in grants and "may not be on the same basis" in grants
    assert "“Rest of world” is the source's residual" in view_text(
        build(ResearchParams.from_query({"edition": ["AI Index 2024"]}), data)
    )


def test_texts_are_built_from_the_rows(shares):
    changed = shares.copy()
    china = (changed["edition"] == "AI Index 2022") & (changed["area"] == "China")
    changed.loc[china & (changed["measure"] == "patent-filings"), "share_pct"] = 48.25
    assert "**48\\.25%**" in words.intro_markdown(changed)
    assert "China had 48.25% of the world's AI patent applications" in words.filings_caption(changed)
    assert "China: 48.25% of filings" in words.filings_alt(changed)


# ---------------------------------------------------------------------------------------------------- data helpers


def test_measures_follow_the_edition(shares):
    assert research.measures_in(shares, "AI Index 2024") == ["granted-patents"]
    assert research.measures_in(shares, "AI Index 2022")[:2] == ["patent-filings", "granted-patents"]
    assert "patent-filings" not in research.measures_in(shares, "AI Index 2023")
    assert research.editions(shares) == ["AI Index 2022", "AI Index 2023", "AI Index 2024"]


def test_data_year_is_per_edition(shares):
    assert research.data_year(shares, "AI Index 2022") == 2021
    assert research.data_year(shares, "AI Index 2024") == 2022
    assert words.edition_heading(shares, "AI Index 2024") == "AI Index 2024 · data year 2022"


def test_rest_of_world_is_never_computed(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings"])
    assert "Rest of world" not in set(table["area"])


# ---------------------------------------------------------------------------------------------------- figures


def test_share_bars_show_the_reported_values_and_edition_in_title(shares):
    table = research.shares_table(shares, "AI Index 2024", ["granted-patents"])
    fig = figures.share_bars(table, "AI Index 2024", 2022, "granted-patents", [])
    assert value_of(fig, "China", "granted-patents") == pytest.approx(61.13)
    assert value_of(fig, "Rest of world", "granted-patents") == pytest.approx(15.71)
    assert "AI Index 2024" in fig.layout.title.text and "data year 2022" in fig.layout.title.text
    assert "61.13% *" in bars(fig)[0].text  # the star: reported secondhand


def test_grouped_figures_let_plotly_group_the_bars(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings", "granted-patents"])
    fig = figures.filings_vs_grants(table, "AI Index 2022", 2021, [])
    assert fig.layout.barmode == "group" and fig.layout.scattermode == "group"
    assert [t.offsetgroup for t in bars(fig)] == ["patent-filings", "granted-patents"]
    assert fig.layout.yaxis.type == "category" and fig.layout.yaxis.autorange == "reversed"
    areas = list(fig.layout.yaxis.categoryarray)
    assert areas[:3] == ["China", "United States", "EU + UK"]
    for trace in bars(fig):
        assert list(trace.y) == areas  # one bar per area in each series, on the area's category
        assert trace.selected.textfont is not None and trace.unselected.textfont is not None


def test_not_reported_is_a_gap_with_a_label_in_its_bars_group(shares):
    # AI Index 2023 reports India's journal publications only.
    pubs = research.shares_table(shares, "AI Index 2023", research.venue_measures("publications"))
    india = pubs[(pubs["area"] == "India") & (pubs["measure"] == "conference-publications")].iloc[0]
    assert math.isnan(india["share_pct"]) and india["status"] == "not reported"
    fig = figures.venue_bars(pubs, pubs.iloc[0:0], "AI Index 2023", 2021, [])
    assert value_of(fig, "India", "conference-publications") is None
    assert value_of(fig, "India", "journal-publications") == pytest.approx(5.56)
    labels = [t for t in fig.data if t.type == "scatter"]
    # One text trace per series, in the same offset group as its bars, so the label sits in the missing bar's place.
    assert [t.offsetgroup for t in labels] == [t.offsetgroup for t in bars(fig)]
    conference = next(t for t in labels if t.offsetgroup == "conference-publications")
    assert conference.text[list(conference.y).index("India")] == "Conference: not reported"
    assert 0 not in [x for t in bars(fig) for x in t.x]


def test_regions_come_after_countries_and_are_marked(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings"])
    rows = research.sorted_for_bars(table, "patent-filings")
    assert list(rows["area"]) == [
        "China", "United States", "EU + UK", "East Asia & Pacific", "North America", "Europe & Central Asia",
    ]  # fmt: skip
    fig = figures.share_bars(table, "AI Index 2022", 2021, "patent-filings", [])
    assert "<i>East Asia & Pacific (region)</i>" in fig.layout.yaxis.ticktext


def test_filings_vs_grants_holds_the_claim_and_its_caveat(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings", "granted-patents"])
    fig = figures.filings_vs_grants(table, "AI Index 2022", 2021, [])
    assert value_of(fig, "China", "patent-filings") == pytest.approx(51.7)
    assert value_of(fig, "China", "granted-patents") == pytest.approx(5.9)
    assert value_of(fig, "United States", "granted-patents") == pytest.approx(39.6)
    assert [t.name for t in bars(fig)] == ["Patent filings", "Granted patents"]
    caption = words.filings_caption(shares)
    assert "China had 51.7% of the world's AI patent applications" in caption
    assert "39.6% against China's 5.9%" in caption
    assert "China: 51.7% of filings but 5.9% of grants" in words.filings_alt(shares)
    intro = words.intro_markdown(shares).replace("\\", "")
    # re-check 2026-12-06, 7.1: the basis of the count was not read, so the intro says so instead of "filed in China"
    assert "*more than half*" in intro and "**51.7%**" in intro and "that basis was not read" in intro
    assert research.format_share(31.0) == "31.0%" and research.format_share(61.13) == "61.13%"


def test_selected_area_is_highlighted_in_every_chart(shares):
    chosen = ["China"]
    one = research.shares_table(shares, "AI Index 2022", ["patent-filings"])
    patents = research.shares_table(shares, "AI Index 2022", ["patent-filings", "granted-patents"])
    pubs = research.shares_table(shares, "AI Index 2022", research.venue_measures("publications"))
    cites = research.shares_table(shares, "AI Index 2022", research.venue_measures("citations"))
    share = figures.share_bars(one, "AI Index 2022", 2021, "patent-filings", chosen)
    assert style_of(share, "China") == [(palette.SELECTED, 1.0, 0)]
    assert style_of(share, "United States") == [(palette.BASE, palette.UNSELECTED_OPACITY, 0)]
    for fig in (
        figures.filings_vs_grants(patents, "AI Index 2022", 2021, chosen),
        figures.venue_bars(pubs, cites, "AI Index 2022", 2021, chosen),
    ):
        assert all(opacity == 1.0 and width == 3 for _, opacity, width in style_of(fig, "China"))
        assert all(opacity == palette.UNSELECTED_OPACITY for _, opacity, _ in style_of(fig, "United States"))
        assert "<b>China</b>" in fig.layout.yaxis.ticktext
    # Nothing selected: every bar at full opacity, no outline.
    plain = figures.filings_vs_grants(patents, "AI Index 2022", 2021, [])
    assert {(o, w) for _, o, w in style_of(plain, "United States")} == {(1.0, 0)}


def test_every_bar_carries_its_area_as_a_string(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings", "granted-patents"])
    fig = figures.filings_vs_grants(table, "AI Index 2022", 2021, [])
    for trace in bars(fig):
        assert all(isinstance(c[0], str) for c in trace.customdata)


def test_heights_grow_with_rows(shares):
    few = research.shares_table(shares, "AI Index 2023", ["conference-citations"])
    many = research.shares_table(shares, "AI Index 2024", ["granted-patents"])
    assert (
        figures.share_bars(many, "AI Index 2024", 2022, "granted-patents", []).layout.height
        > figures.share_bars(few, "AI Index 2023", 2021, "conference-citations", []).layout.height
    )


def test_source_line_says_secondhand(shares, sources):
    table = research.shares_table(shares, "AI Index 2023", ["journal-publications"])
    line = words.source_line(table, sources)
    assert "ai-research" in line
    assert "Katadata Databoks [databoks-2023-ai-research], verified in source" in line
    assert "reported secondhand" in line


def test_every_chart_has_alt_source_and_table(data):
    for query in ({}, {"edition": ["AI Index 2023"]}, {"edition": ["AI Index 2024"]}):
        for chart in build(ResearchParams.from_query(query), data).charts:
            assert isinstance(chart, Chart) and chart.alt and chart.source and len(chart.table) and chart.csv_name


def test_kept_tables_follow_the_frame_and_are_each_callers_own(shares):
    """Tables are kept between views, by the frame's content: a changed share is seen at once, and a caller who
    changes its table changes nobody else's."""
    edition = research.DEFAULT_EDITION
    measure = research.measures_in(shares, edition)[0]
    first = research.shares_table(shares, edition, [measure])
    china = first.index[(first["area"] == "China") & (first["status"] == "reported")][0]
    first.loc[china, "share_pct"] = -1.0  # the caller's own copy
    again = research.shares_table(shares, edition, [measure])
    assert again.loc[china, "share_pct"] > 0

    changed = shares.copy()
    row = changed.index[
        (changed["edition"] == edition) & (changed["measure"] == measure) & (changed["area"] == "China")
    ]
    changed.loc[row, "share_pct"] = 12.5
    table = research.shares_table(changed, edition, [measure])
    assert table.loc[table["area"] == "China", "share_pct"].tolist() == [12.5]
    assert research.shares_table(shares, edition, [measure]).loc[china, "share_pct"] == again.loc[china, "share_pct"]
