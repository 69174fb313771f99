"""Data policy page records: the open article's detail card and the list of the chosen pillars' articles."""

from __future__ import annotations

import streamlit as st

from policylens.text import escape_markdown
from policylens.views.base import Records


def article_detail(block: Records) -> None:
    """One article of the Data 20 Measures in a bordered card (heading, lines and source built by the view)."""
    for row in block.rows:
        with st.container(border=True, key=block.key or "article-detail"):
            # The opened article is a section of the page (h2), like the opened paragraph on Themes.
            st.markdown(f"## {escape_markdown(row['heading'])}")
            for line in row["lines"]:
                st.markdown(line)
            st.caption(row["source"])


def pillar_articles(block: Records) -> None:
    """The articles of the chosen pillars, one line each: number, Chinese title and English working gloss."""
    with st.container(key=block.key or "pillar-articles"):
        for row in block.rows:
            st.markdown(row["markdown"])
