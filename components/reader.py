"""The article reader's blocks: a paragraph with its theme chips and keyword highlights, and the opened paragraph.

The HTML comes from policylens.reader, built from curated data only (escaped); link values never reach it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from components.statements import statement_card
from policylens.reader import ThemeInfo, paragraph_html


def paragraph_block(
    paragraph: Mapping,
    infos: Mapping[str, ThemeInfo],
    *,
    dimmed: bool = False,
    opened: bool = False,
    key_prefix: str = "paragraph",
) -> None:
    with st.container(key=f"{key_prefix}-{paragraph['paragraph']}"):
        st.html(
            paragraph_html(
                int(paragraph["paragraph"]), paragraph["text"], paragraph["themes"], infos, dimmed=dimmed, opened=opened
            )
        )


def opened_paragraph(
    paragraph: Mapping, statements: pd.DataFrame, infos: Mapping[str, ThemeInfo], theme_labels: Mapping[str, str]
) -> None:
    """The paragraph chosen in the grid or the selectbox, at the top of the page, with its statements."""
    number = int(paragraph["paragraph"])
    with st.container(border=True, key="opened-paragraph"):
        st.subheader(f"Paragraph {number}")
        paragraph_block(paragraph, infos, opened=True, key_prefix="opened-text")
        own = statements[statements["paragraph"] == number]
        st.markdown(f"**Its statements ({len(own)})**")
        for statement in own.to_dict("records"):
            statement_card(statement, theme_labels, link_to_paragraph=False)
