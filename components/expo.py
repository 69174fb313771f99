"""Expo page records: the detail of each chosen edition, one bordered card per edition."""

from __future__ import annotations

import streamlit as st

from policylens.text import escape_markdown
from policylens.views.base import Records


def edition_detail(block: Records) -> None:
    """Every metric of each chosen edition (heading and Markdown built by the view)."""
    for row in block.rows:
        with st.container(border=True, key=f"expo-detail-{row['edition']}"):
            st.markdown(f"### {escape_markdown(row['heading'])}")
            st.markdown(row["markdown"])
