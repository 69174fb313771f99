"""Themes from the entrypoint: the link's paragraph opens it, invalid values are dropped, the theme filter dims."""

from policylens.render import snapshot
from tests.app.helpers import open_boxes, open_page

THEMES = "app_pages/themes.py"


def open_themes(app, **params):
    return open_page(app, THEMES, **params)


def html_blocks(app):
    """The page's HTML blocks (the app's own style sheets and its end-of-run marker for the first paint, drawn with
    st.html too, are not part of the page)."""
    return [
        h.proto.body
        for h in app.get("html")
        if not h.proto.body.lstrip().startswith("<style>") and snapshot.MARKER not in h.proto.body
    ]


def test_paragraph_from_link_is_opened_with_its_statements(app, frames):
    open_themes(app, paragraph="9")
    picker = app.selectbox(key="paragraph")
    assert picker.value == 9
    assert picker.format_func(9).startswith("Paragraph 9: ")  # the picker shows words, the link keeps the number
    assert app.query_params["paragraph"] == "9"
    assert [s.value for s in app.header][0] == "Paragraph 9"
    opened = html_blocks(app)[0]
    assert 'data-paragraph="9"' in opened
    assert "invade the <mark" in opened and ">privacy</mark>" in opened
    assert "**Its statements (5)**" in [m.value for m in app.markdown]
    open_boxes(app, *(f"cite-{sid}" for sid in frames["statements"]["id"]))
    citations = [c.value for c in app.code if c.value.startswith("Xiaosheng Tan: ")]
    assert len(citations) == 5
    assert citations[2].startswith('Xiaosheng Tan: "For example, AI-generated content')


def test_invalid_paragraph_is_dropped_without_error(app):
    open_themes(app, paragraph="99")
    assert app.selectbox(key="paragraph").value is None
    assert "Paragraph 99" not in [s.value for s in app.header]
    assert any("paragraph '99': the article has paragraphs 1 to 19" in c.value.replace("\\", "") for c in app.caption)
    assert len(html_blocks(app)) == 19  # the reader only, nothing opened
    assert dict(app.query_params) == {}  # the link opens canonically: the dropped value leaves it


def test_theme_filter_dims_paragraphs_without_it(app):
    open_themes(app, theme="privacy")
    blocks = html_blocks(app)
    assert len(blocks) == 19
    dimmed = [b for b in blocks if "pl-paragraph dimmed" in b]
    assert len(dimmed) == 18
    assert not any('data-paragraph="9"' in b for b in dimmed)


def test_keyword_table_lists_privacy_keywords(app):
    open_themes(app)
    table = app.table[0].value
    assert list(table.columns) == ["Description", "Keywords", "¶"]  # headed in words, themes by name
    assert table.loc["Privacy", "Keywords"] == "privacy; personal data"
    assert table.loc["Privacy", "¶"] == 1
    assert table.loc["Blockchain", "Keywords"] == "blockchain"


def test_picker_offers_every_paragraph_by_its_first_words(app):
    open_themes(app)
    picker = app.selectbox(key="paragraph")
    assert picker.value is None
    assert len(picker.options) == 19
    assert picker.options[0] == "Paragraph 1: The 6th China International Import Expo …"
    assert all(option.startswith(f"Paragraph {n}: ") for n, option in enumerate(picker.options, start=1))


def test_opened_paragraph_cards_carry_no_link_back_to_the_reader(app, frames):
    open_themes(app, paragraph="12")
    assert [s.value for s in app.header][0] == "Paragraph 12"
    assert not [p for p in app.get("page_link") if "article reader" in p.proto.label]
    open_boxes(app, *(f"cite-{sid}" for sid in frames["statements"]["id"]))
    assert any("Linhua Dong" in c.value for c in app.code)


def test_oecd_lens_grid_data_names_each_paragraphs_own_words(app):
    """Under lens=oecd each (paragraph, principle) row of the grid's data gives the words the reader found in that
    paragraph, not every word of the principle found anywhere in the article ("safe" is inside "safety")."""
    open_themes(app, lens="oecd")
    open_boxes(app, "themes-grid-data")
    [cells] = [d.value for d in app.dataframe if "keywords found" in d.value.columns]
    why = {(int(r["paragraph"]), r["theme"]): r["keywords found"] for r in cells.to_dict("records")}
    assert why[(2, "oecd-robustness")] == "safety"
    assert why[(9, "oecd-robustness")] == "safety; reliability; controllability"
    assert why[(8, "oecd-international-cooperation")] == "international collaboration"
    assert (12, "oecd-robustness") not in why  # removed by a curated override, with its reason
    assert why[(9, "oecd-human-rights")] == "fairness; privacy; personal data; false information"
