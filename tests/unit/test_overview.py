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
