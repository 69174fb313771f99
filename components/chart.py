"""The chart card every chart uses: the chart (with alt text), a source line, its data as a table and as CSV."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from policylens.text import escape_markdown as md


def chart_card(
    fig: go.Figure,
    *,
    key: str,
    alt: str,
    source: str,
    table: pd.DataFrame,
    csv_name: str,
    on_select: Callable[[], None] | None = None,
    selection_mode: str | tuple[str, ...] = "points",
    caption: str | None = None,
) -> None:
    """Draw ``fig`` with its provenance.

    ``source`` is the source line (dataset, source, confidence), plain text. ``table`` is exactly the data drawn,
    offered as a table and as a CSV download. ``on_select`` makes marks clickable; the callback must copy the
    selection into a keyed, link-bound widget (the chart's own selection resets whenever the figure changes).
    """
    with st.container(key=f"card-{key}"):
        kwargs = {"on_select": on_select, "selection_mode": selection_mode} if on_select else {}
        st.plotly_chart(fig, key=key, alt=alt, config={"displaylogo": False}, **kwargs)
        if caption:
            st.caption(md(caption))
        st.caption(f"Source: {md(source)}")
        with st.expander("Data behind this chart", icon=":material/table:"):
            st.dataframe(table, hide_index=True, key=f"{key}-table")
            st.download_button(
                "Download CSV",
                data=table.to_csv(index=False).encode("utf-8"),
                file_name=csv_name,
                mime="text/csv",
                key=f"{key}-csv",
                icon=":material/download:",
            )
