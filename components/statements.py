"""Statement cards: who says it, in what capacity, the sentence (with search matches highlighted), why it is listed,
its themes, a link to its paragraph in the reader and a citation to copy."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from policylens.search import KIND_LABELS, StatementMatch, citation, highlight_markdown
from policylens.text import escape_markdown as md

KIND_STYLE = {
    "direct-quote": ("blue", ":material/format_quote:"),
    "paraphrase": ("violet", ":material/short_text:"),
    "authors-view": ("gray", ":material/edit_note:"),
}


def statement_card(
    statement: Mapping,
    theme_labels: Mapping[str, str],
    match: StatementMatch | None = None,
    *,
    link_to_paragraph: bool = True,
) -> None:
    with st.container(border=True, key=f"statement-{statement['id']}"):
        st.markdown(f"**{md(statement['speaker'])}**")
        capacity = ", ".join(md(part) for part in (statement["role"], statement["organisation"]) if part)
        if capacity:
            st.caption(capacity)
        colour, icon = KIND_STYLE.get(statement["kind"], ("gray", None))
        st.badge(KIND_LABELS.get(statement["kind"], statement["kind"]), color=colour, icon=icon)
        spans = match.spans if match else ()
        quote = highlight_markdown(statement["text"], spans)
        with st.container(key=f"statement-text-{statement['id']}"):
            st.markdown(f"> {quote}")
        if match is not None:
            with st.container(key=f"statement-why-{statement['id']}"):
                st.caption(md(match.explanation(theme_labels)), help="Why this statement is listed for your search.")
        themes = ", ".join(theme_labels.get(t, t) for t in statement["themes"] or ())
        st.caption(md(f"Themes: {themes}" if themes else "Themes: none (no theme keyword occurs in this sentence)"))
        if statement.get("note"):
            st.caption(md(f"Note: {statement['note']}"))
        if link_to_paragraph:
            st.page_link(
                "app_pages/themes.py",
                label=f"Paragraph {statement['paragraph']} in the article reader",
                query_params={"paragraph": str(statement["paragraph"])},
                icon=":material/article:",
            )
        with st.expander("Copy citation", icon=":material/content_copy:"):
            st.code(citation(statement), language=None, wrap_lines=True)
