"""The article reader's core: escaped HTML with keyword highlights, chips, the paragraph-by-theme grid, keywords."""

import pytest

from policylens import datasets
from policylens.paths import DATA_DIR
from policylens.reader import (
    ThemeInfo,
    explaining_keywords,
    grid_table,
    highlighted_html,
    keyword_table,
    paragraph_has_any,
    paragraph_html,
    paragraph_theme_grid,
    safe_colour,
    theme_highlight_spans,
    theme_infos,
)


@pytest.fixture(scope="module")
def paragraphs():
    return datasets.load_dataset("paragraphs", DATA_DIR)


@pytest.fixture(scope="module")
def themes():
    return datasets.load_dataset("themes", DATA_DIR)


@pytest.fixture(scope="module")
def infos(themes):
    return theme_infos(themes)


def paragraph(paragraphs, number):
    return paragraphs[paragraphs["paragraph"] == number].iloc[0]


def test_paragraph_9_tags_are_explained_by_their_keywords(paragraphs, infos):
    p9 = paragraph(paragraphs, 9)
    explained = explaining_keywords(p9["text"], p9["themes"], infos)
    assert explained["privacy"] == ["privacy", "personal data"]
    assert explained["intellectual-property"] == ["intelligence property"]
    assert all(explained.values()), "every tag is explained by at least one keyword"


def test_highlight_spans_do_not_overlap_and_name_their_theme(paragraphs, infos):
    p9 = paragraph(paragraphs, 9)
    spans = theme_highlight_spans(p9["text"], p9["themes"], infos)
    assert all(a_end <= b_start for (_, a_end, _), (b_start, _, _) in zip(spans, spans[1:], strict=False))
    marked = {(p9["text"][a:b], t) for a, b, t in spans}
    assert ("privacy", "privacy") in marked
    assert ("personal data", "privacy") in marked
    assert ("responsible AI", "responsible-ai") in marked


def test_overlapping_keywords_keep_the_longest_earliest_span():
    infos = {
        "a": ThemeInfo("a", "A", "#000000", ("data",)),
        "b": ThemeInfo("b", "B", "#111111", ("big data",)),
    }
    assert theme_highlight_spans("big data here", ["a", "b"], infos) == [(0, 8, "b")]


def test_highlighted_html_escapes_text_and_marks_in_theme_colour():
    infos = {"privacy": ThemeInfo("privacy", "Privacy & <co>", "#CC79A7", ("privacy",))}
    out = highlighted_html('<script>alert("privacy")</script>', ["privacy"], infos)
    assert "<script>" not in out
    assert "&lt;script&gt;alert(&quot;" in out
    assert 'title="Privacy &amp; &lt;co&gt;"' in out
    assert "background:#CC79A740" in out
    assert out.count("<mark") == 1 and ">privacy</mark>" in out


def test_colours_that_are_not_hex_never_reach_a_style():
    assert safe_colour("#CC79A7") == "#CC79A7"
    assert safe_colour('red;background:url("x")') == "#999999"


def test_paragraph_html_has_number_chips_and_dimming(paragraphs, infos):
    p9 = paragraph(paragraphs, 9)
    out = paragraph_html(9, p9["text"], p9["themes"], infos)
    assert 'data-paragraph="9"' in out
    assert "Privacy · “privacy”, “personal data”" in out
    assert out.count('class="pl-chip"') == 5
    assert "opacity" not in out
    assert "opacity:0.45" in paragraph_html(1, "text", (), infos, dimmed=True)


def test_paragraph_has_any_selected_theme():
    assert paragraph_has_any(("privacy",), [])
    assert paragraph_has_any(("privacy", "talent"), ["talent"])
    assert not paragraph_has_any(("trade-expo",), ["privacy"])


def test_grid_cells_are_the_tags_with_string_paragraph_ids(paragraphs, themes):
    cells = grid_table(paragraphs, themes)
    assert len(cells) == sum(len(t) for t in paragraphs["themes"])
    assert set(cells[cells["paragraph"] == 9]["theme"]) == set(paragraph(paragraphs, 9)["themes"])
    fig = paragraph_theme_grid(cells, themes, len(paragraphs), opened=12)
    trace = fig.data[0]
    assert trace.marker.symbol == "square"
    assert all(isinstance(c[0], str) for c in trace.customdata)
    i = next(j for j, (p, x) in enumerate(zip(trace.y, trace.x, strict=True)) if p == 9 and x == "Privacy")
    assert trace.customdata[i][0] == "9"
    assert trace.marker.color[i] == "#CC79A7"
    assert trace.marker.opacity[i] < 1.0  # paragraph 12 is opened, 9 fades
    j = list(trace.y).index(12)
    assert trace.marker.opacity[j] == 1.0 and trace.marker.line.width[j] == 2
    assert list(fig.layout.yaxis.range) == [19.5, 0.5]  # paragraph 1 at the top


def test_keyword_table_shows_keywords_and_paragraph_counts(themes, paragraphs):
    table = keyword_table(themes, paragraphs).set_index("theme")
    assert table.loc["privacy", "keywords"] == "privacy; personal data"
    assert table.loc["privacy", "paragraphs"] == 1
    assert table.loc["talent", "paragraphs"] == 5  # 13, 14, 15, 16, 19
    assert table.loc["privacy", "label"] == "Privacy"
