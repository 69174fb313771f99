"""The article reader's core: escaped HTML with keyword highlights, chips, the paragraph-by-theme grid, keywords."""

import pytest

from policylens import datasets
from policylens.paths import DATA_DIR
from policylens.reader import (
    ARTICLE_PARAGRAPHS,
    ThemeInfo,
    explaining_keywords,
    grid_table,
    highlighted_html,
    keyword_rows,
    keyword_table,
    opening_words,
    paragraph_has_any,
    paragraph_html,
    paragraph_label,
    paragraph_theme_grid,
    safe_colour,
    theme_highlight_spans,
    theme_infos,
)
from policylens.views.base import Control, Data, Records, Text
from policylens.views.themes import ThemesParams, build, open_clicked


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


def test_keyword_rows_are_headed_in_words_with_theme_names(themes, paragraphs):
    table = keyword_rows(themes, paragraphs)
    assert table.index.name == "Theme" and list(table.columns) == ["Description", "Keywords", "¶"]
    assert table.loc["Privacy", "Keywords"] == "privacy; personal data"
    assert table.loc["Talent", "¶"] == 5
    assert "privacy" not in table.index  # names, not ids


def test_paragraph_labels_name_a_paragraph_by_its_first_words():
    assert opening_words("one two three") == "one two three"
    assert opening_words("a b c d e f g h") == "a b c d e f …"
    assert (
        paragraph_label(3, "In the event, the exhibition of AI products")
        == "Paragraph 3: In the event, the exhibition of …"
    )


def test_article_paragraphs_match_the_contract():
    column = next(c for c in datasets.read_provenance("paragraphs", DATA_DIR)["columns"] if c["name"] == "paragraph")
    assert ARTICLE_PARAGRAPHS == tuple(range(column["min"], column["max"] + 1))


# ---------------------------------------------------------------------------------------------------- themes params

THEMES_HOSTILE = [
    ({"paragraph": ["9"]}, 9, []),
    ({"paragraph": ["19"]}, 19, []),
    ({"paragraph": ["09"]}, 9, []),
    ({"paragraph": [" 12 "]}, 12, []),
    ({"paragraph": ["0"]}, None, ["paragraph"]),
    ({"paragraph": ["20"]}, None, ["paragraph"]),
    ({"paragraph": ["99"]}, None, ["paragraph"]),
    ({"paragraph": ["-0"]}, None, ["paragraph"]),
    ({"paragraph": ["-1"]}, None, ["paragraph"]),
    ({"paragraph": ["1e9"]}, None, ["paragraph"]),
    ({"paragraph": ["1000000000000"]}, None, ["paragraph"]),
    ({"paragraph": ["NaN"]}, None, ["paragraph"]),
    ({"paragraph": ["9.0"]}, None, ["paragraph"]),
    ({"paragraph": ["٩"]}, None, ["paragraph"]),  # an Arabic-Indic nine
    ({"paragraph": ["9\u202e"]}, None, ["paragraph"]),
    ({"paragraph": ["9\x00"]}, None, ["paragraph"]),
    ({"paragraph": ["<b>9</b>"]}, None, ["paragraph"]),
    ({"paragraph": ["javascript:alert(1)"]}, None, ["paragraph"]),
    ({"paragraph": ["9" * 10_000]}, None, ["paragraph"]),
    ({"paragraph": ["9", "12"]}, 9, ["paragraph"]),
    ({"paragraph": ["9"] * 300}, 9, ["paragraph"]),
    ({"q": ["privacy"]}, None, ["q"]),
]


@pytest.mark.parametrize(("query", "expected", "dropped"), THEMES_HOSTILE)
def test_themes_params_from_hostile_links(query, expected, dropped):
    params = ThemesParams.from_query(query)
    assert params.paragraph == expected
    assert [d.name for d in params.dropped] == dropped
    for d in params.dropped:
        assert "\x00" not in d.value and "\u202e" not in d.value
        assert d.reason in ("the article has paragraphs 1 to 19", "given more than once; the first value is used") or (
            d.reason == "not a parameter of this page"
        )
        assert len(d.value) <= 200


def test_dropped_paragraph_says_why_in_words():
    (dropped,) = ThemesParams.from_query({"paragraph": ["99"]}).dropped
    assert dropped.sentence() == "paragraph '99': the article has paragraphs 1 to 19"
    assert ThemesParams(paragraph=12).to_query() == [("paragraph", "12")]
    assert ThemesParams().to_query() == [] and ThemesParams().to_query(pinned=True) == [("lens", "article")]


def test_a_grid_click_opens_the_clicked_paragraph():
    params = ThemesParams()
    assert open_clicked(params, [{"customdata": ["12"]}]).paragraph == 12
    assert open_clicked(params, [{"customdata": ["3"]}, {"customdata": ["7"]}]).paragraph == 7
    assert open_clicked(ThemesParams(paragraph=4), [{"customdata": ["99"]}]).paragraph == 4
    assert open_clicked(ThemesParams(paragraph=4), [{"customdata": ["<x>"]}]).paragraph == 4
    assert open_clicked(ThemesParams(paragraph=4), []).paragraph == 4


# ---------------------------------------------------------------------------------------------------- themes view


@pytest.fixture
def data(frames, provenances):
    return Data(frames=dict(frames), provenances=dict(provenances))


def test_themes_view_opens_paragraph_9_with_its_statements(data):
    view = build(ThemesParams(paragraph=9), data)
    assert view.title == "Themes"
    (control,) = [b for b in view.blocks if isinstance(b, Control) and b.name == "paragraph"]
    assert control.name == "paragraph" and control.optional and control.widget == "select"
    assert control.labels[1] == "Paragraph 1: The 6th China International Import Expo …"
    assert sorted(control.labels) == list(range(1, 20))
    opened = next(b for b in view.blocks if isinstance(b, Records) and b.kind == "opened-paragraph")
    (row,) = opened.rows
    assert row["heading"] == "Paragraph 9" and row["statements_heading"] == "**Its statements (5)**"
    assert 'data-paragraph="9"' in row["html"] and ">privacy</mark>" in row["html"]
    assert [s["speaker"] for s in row["statements"]] == ["Xiaosheng Tan"] * 5
    assert all(s["reader_label"] == "" for s in row["statements"])  # no link back to the page it is on
    assert "Its statements (5):" in row["plain"]
    assert view.chart("themes-grid").click is open_clicked
    assert view.summary.startswith("Themes: the article's 19 paragraphs with their theme tags; opened: paragraph 9 (")
    assert [getattr(b, "key", "") for b in view.compact_blocks()] == ["opened-paragraph"]


def test_themes_view_reader_dims_paragraphs_without_the_chosen_theme(data):
    view = build(ThemesParams(theme=("privacy",)), data)
    article = next(b for b in view.blocks if isinstance(b, Records) and b.kind == "paragraph")
    assert len(article.rows) == 19
    dimmed = [r["paragraph"] for r in article.rows if "pl-paragraph dimmed" in r["html"]]
    assert len(dimmed) == 18 and 9 not in dimmed
    assert all(r["plain"].startswith(f"¶ {r['paragraph']} (") for r in article.rows)
    captions = [b.text for b in view.blocks if isinstance(b, Text) and b.style == "caption"]
    assert captions[0].startswith(r"Paragraphs without any of the themes chosen in the sidebar \(Privacy\)")
    assert not any(isinstance(b, Records) and b.kind == "opened-paragraph" for b in view.blocks)
    keywords = next(b for b in view.blocks if isinstance(b, Records) and b.kind == "keyword-table")
    privacy = next(r for r in keywords.rows if r["theme"] == "Privacy")
    assert privacy["keywords"] == "privacy; personal data" and privacy["paragraphs"] == 1
    assert keywords.options["frame"].loc["Privacy", "Keywords"] == "privacy; personal data"


def test_themes_view_of_a_paragraph_the_data_lacks_opens_none_and_says_so(data, paragraphs):
    short = Data(
        frames={**data.frames, "paragraphs": paragraphs[paragraphs["paragraph"] != 19]}, provenances=data.provenances
    )
    view = build(ThemesParams(paragraph=19), short)
    assert view.params.paragraph is None
    assert view.notes == ("Paragraph 19 is not in the article's data; no paragraph is opened.",)
