"""Research page core: AI Index shares by edition, measure and area, and the figures drawn from them."""

import math

import pytest

from policylens import palette, research
from policylens.datasets import load_dataset


@pytest.fixture(scope="module")
def shares():
    return load_dataset("ai-research")


@pytest.fixture(scope="module")
def sources():
    return load_dataset("sources")


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


def test_measures_follow_the_edition(shares):
    assert research.measures_in(shares, "AI Index 2024") == ["granted-patents"]
    assert research.measures_in(shares, "AI Index 2022")[:2] == ["patent-filings", "granted-patents"]
    assert "patent-filings" not in research.measures_in(shares, "AI Index 2023")
    assert research.editions(shares) == ["AI Index 2022", "AI Index 2023", "AI Index 2024"]


def test_data_year_is_per_edition(shares):
    assert research.data_year(shares, "AI Index 2022") == 2021
    assert research.data_year(shares, "AI Index 2024") == 2022
    assert research.edition_heading(shares, "AI Index 2024") == "AI Index 2024 · data year 2022"


def test_share_bars_show_the_reported_values_and_edition_in_title(shares):
    table = research.shares_table(shares, "AI Index 2024", ["granted-patents"])
    fig = research.share_bars(table, "AI Index 2024", 2022, "granted-patents", [])
    assert value_of(fig, "China", "granted-patents") == pytest.approx(61.13)
    assert value_of(fig, "Rest of world", "granted-patents") == pytest.approx(15.71)
    assert "AI Index 2024" in fig.layout.title.text and "data year 2022" in fig.layout.title.text
    assert "61.13% *" in bars(fig)[0].text  # the star: reported secondhand


def test_rest_of_world_is_never_computed(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings"])
    assert "Rest of world" not in set(table["area"])


def test_not_reported_is_a_gap_with_a_label(shares):
    # AI Index 2023 reports India's journal publications only.
    pubs = research.shares_table(shares, "AI Index 2023", research.venue_measures("publications"))
    india = pubs[(pubs["area"] == "India") & (pubs["measure"] == "conference-publications")].iloc[0]
    assert math.isnan(india["share_pct"]) and india["status"] == "not reported"
    fig = research.venue_bars(pubs, pubs.iloc[0:0], "AI Index 2023", 2021, [])
    assert value_of(fig, "India", "conference-publications") is None
    assert value_of(fig, "India", "journal-publications") == pytest.approx(5.56)
    gap_labels = [t for t in fig.data if t.type == "scatter"][0].text
    assert "Conference: not reported" in gap_labels
    assert 0 not in [x for t in bars(fig) for x in t.x]


def test_regions_come_after_countries_and_are_marked(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings"])
    rows = research.sorted_for_bars(table, "patent-filings")
    assert list(rows["area"]) == [
        "China", "United States", "EU + UK", "East Asia & Pacific", "North America", "Europe & Central Asia",
    ]  # fmt: skip
    fig = research.share_bars(table, "AI Index 2022", 2021, "patent-filings", [])
    assert "<i>East Asia & Pacific (region)</i>" in fig.layout.yaxis.ticktext


def test_filings_vs_grants_holds_the_claim_and_its_caveat(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings", "granted-patents"])
    fig = research.filings_vs_grants(table, "AI Index 2022", 2021, [])
    assert value_of(fig, "China", "patent-filings") == pytest.approx(51.7)
    assert value_of(fig, "China", "granted-patents") == pytest.approx(5.9)
    assert value_of(fig, "United States", "granted-patents") == pytest.approx(39.6)
    assert [t.name for t in bars(fig)] == ["Patent filings", "Granted patents"]
    caption = research.filings_caption(shares)
    assert "China filed 51.7% of" in caption and "39.6% against China's 5.9%" in caption
    assert "China 51.7% of filings but 5.9% of grants" in research.filings_alt(shares)
    assert "*more than half*" in research.intro_markdown(shares) and "**51.7%**" in research.intro_markdown(shares)
    assert research.format_share(31.0) == "31.0%" and research.format_share(61.13) == "61.13%"


def test_selected_area_is_highlighted_in_every_chart(shares):
    chosen = ["China"]
    one = research.shares_table(shares, "AI Index 2022", ["patent-filings"])
    patents = research.shares_table(shares, "AI Index 2022", ["patent-filings", "granted-patents"])
    pubs = research.shares_table(shares, "AI Index 2022", research.venue_measures("publications"))
    cites = research.shares_table(shares, "AI Index 2022", research.venue_measures("citations"))
    share = research.share_bars(one, "AI Index 2022", 2021, "patent-filings", chosen)
    assert style_of(share, "China") == [(palette.SELECTED, 1.0, 0)]
    assert style_of(share, "United States") == [(palette.BASE, palette.UNSELECTED_OPACITY, 0)]
    for fig in (
        research.filings_vs_grants(patents, "AI Index 2022", 2021, chosen),
        research.venue_bars(pubs, cites, "AI Index 2022", 2021, chosen),
    ):
        assert all(opacity == 1.0 and width == 3 for _, opacity, width in style_of(fig, "China"))
        assert all(opacity == palette.UNSELECTED_OPACITY for _, opacity, _ in style_of(fig, "United States"))
        assert "<b>China</b>" in fig.layout.yaxis.ticktext
    # Nothing selected: every bar at full opacity, no outline.
    plain = research.filings_vs_grants(patents, "AI Index 2022", 2021, [])
    assert {(o, w) for _, o, w in style_of(plain, "United States")} == {(1.0, 0)}


def test_every_bar_carries_its_area_as_a_string(shares):
    table = research.shares_table(shares, "AI Index 2022", ["patent-filings", "granted-patents"])
    fig = research.filings_vs_grants(table, "AI Index 2022", 2021, [])
    for trace in bars(fig):
        assert all(isinstance(c[0], str) for c in trace.customdata)


def test_source_line_says_secondhand(shares, sources):
    table = research.shares_table(shares, "AI Index 2023", ["journal-publications"])
    line = research.source_line(table, sources)
    assert "ai-research" in line
    assert "Katadata Databoks [databoks-2023-ai-research], verified in source" in line
    assert "reported secondhand" in line
