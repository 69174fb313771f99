"""Themes from the entrypoint: the link's paragraph opens it, invalid values are dropped, the theme filter dims."""

from tests.app.helpers import open_page

THEMES = "app_pages/themes.py"


def open_themes(app, **params):
    return open_page(app, THEMES, **params)


def html_blocks(app):
    return [h.proto.body for h in app.get("html")]


def test_paragraph_from_link_is_opened_with_its_statements(app):
    open_themes(app, paragraph="9")
    assert app.selectbox(key="paragraph").value == 9
    assert [s.value for s in app.subheader][0] == "Paragraph 9"
    opened = html_blocks(app)[0]
    assert 'data-paragraph="9"' in opened
    assert "invade the <mark" in opened and ">privacy</mark>" in opened
    assert "**Its statements (5)**" in [m.value for m in app.markdown]
    citations = [c.value for c in app.code if c.value.startswith("Xiaosheng Tan: ")]
    assert len(citations) == 5
    assert citations[2].startswith('Xiaosheng Tan: "For example, AI-generated content')


def test_invalid_paragraph_is_dropped_without_error(app):
    open_themes(app, paragraph="99")
    assert app.selectbox(key="paragraph").value is None
    assert "Paragraph 99" not in [s.value for s in app.subheader]
    assert len(html_blocks(app)) == 19  # the reader only, nothing opened


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
    assert table.loc["privacy", "keywords"] == "privacy; personal data"
    assert table.loc["privacy", "paragraphs"] == 1
    assert table.loc["blockchain", "keywords"] == "blockchain"
