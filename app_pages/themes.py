"""Themes: the article as a reader with theme highlights, a paragraph-by-theme grid and the keywords behind each tag."""

import streamlit as st

from components import data, shell
from components.chart import chart_card
from components.reader import opened_paragraph, paragraph_block
from policylens.reader import grid_table, keyword_table, paragraph_has_any, paragraph_theme_grid, theme_infos
from policylens.selection import selected_ids
from policylens.text import escape_markdown as md

GRID_KEY = "themes-grid"
PARAGRAPH_KEY = "paragraph"

paragraphs = data.require("paragraphs")
statements = data.require("statements")
themes = data.require("themes")
infos = theme_infos(themes)
labels = {theme_id: info.label for theme_id, info in infos.items()}
numbers = [int(p) for p in paragraphs["paragraph"]]

st.title("Themes")
st.markdown(
    "The article paragraph by paragraph. Each paragraph shows the themes it carries and, beside each theme, the "
    "keywords that explain the tag; those keywords are highlighted in the text in the theme's colour."
)

# The options are the paragraph numbers themselves: a bound widget puts its displayed option in the link.
st.selectbox(
    "Open a paragraph",
    options=numbers,
    index=None,
    key=PARAGRAPH_KEY,
    bind="query-params",
    placeholder="Choose a paragraph, or click a square of the grid",
)
opened = st.session_state.get(PARAGRAPH_KEY)
by_number = {int(p["paragraph"]): p for p in paragraphs.to_dict("records")}
if opened in by_number:
    opened_paragraph(by_number[opened], statements, infos, labels)


def _open_clicked() -> None:
    picked = [int(p) for p in selected_ids(st.session_state.get(GRID_KEY)) if p.isdigit() and int(p) in by_number]
    if picked:
        st.session_state[PARAGRAPH_KEY] = picked[-1]


cells = grid_table(paragraphs, themes)
st.subheader("Paragraphs by theme")
chart_card(
    paragraph_theme_grid(cells, themes, len(paragraphs), opened if opened in by_number else None),
    key=GRID_KEY,
    alt="A grid with one column per theme and one row per paragraph (1 at the top); a square in the theme's colour "
    "marks each paragraph that carries the theme.",
    source="dataset paragraphs (the article, paragraph by paragraph) · source: Keke Gai and Jing Yu, CGTN, November "
    "2023 · confidence: verified-in-source for the text; tags are keyword matches (themes dataset)",
    table=cells,
    csv_name="paragraph-themes.csv",
    on_select=_open_clicked,
    caption="Click a square to open its paragraph at the top of the page.",
)

st.subheader("The article")
chosen = shell.selected_themes()
if chosen:
    st.caption(
        md(
            "Paragraphs without any of the themes chosen in the sidebar ("
            + ", ".join(labels.get(t, t) for t in chosen)
            + ") are dimmed, not hidden, so the article still reads in order."
        )
    )
for paragraph in by_number.values():
    paragraph_block(paragraph, infos, dimmed=not paragraph_has_any(paragraph["themes"], chosen))

st.subheader("Keywords behind each theme")
st.caption(
    "A paragraph or statement carries a theme only where one of the theme's keywords occurs (case-insensitive, at "
    "the start of a word: “patent” matches “patents”)."
)
with st.container(key="keyword-table"):
    st.table(keyword_table(themes, paragraphs).set_index("theme"))
