"""The article reader's records: paragraphs with theme chips and keyword highlights, the opened paragraph with its
statements, and the keyword table.

The HTML in the rows comes from policylens.reader, built from curated data only (escaped); link values never reach it.
"""

from __future__ import annotations

import streamlit as st

from components.statements import statement_card
from policylens.views.base import Records


def paragraphs(block: Records) -> None:
    for row in block.rows:
        with st.container(key=f"paragraph-{row['paragraph']}"):
            st.html(row["html"])


def opened_paragraph(block: Records) -> None:
    """The paragraph chosen in the grid or the picker, at the top of the page, with its statements."""
    for row in block.rows:
        with st.container(border=True, key="opened-paragraph"):
            st.header(row["heading"])
            with st.container(key=f"opened-text-{row['paragraph']}"):
                st.html(row["html"])
            st.markdown(row["statements_heading"])
            for statement in row["statements"]:
                statement_card(statement)


def keyword_table(block: Records) -> None:
    with st.container(key=block.key or "keyword-table"):
        st.table(block.options["frame"])
