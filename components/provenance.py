"""Sources and method records: a dataset's provenance panel, the meeting pack, the embed snippet, the changelog.

Drawing only: the rows are built by ``policylens.views.sources``.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components import data
from components.pack import meeting_pack_button
from components.shell import origin
from policylens.share import embed_snippet
from policylens.text import escape_markdown
from policylens.views.base import Records


def _raw_download(row: Mapping) -> None:
    """The file exactly as published; a missing or unreadable file gets a sentence instead of the button."""
    dataset_id = row["dataset"]
    try:
        raw = data.raw_csv(dataset_id)
    except OSError:
        st.caption(
            escape_markdown(f"The data file {row['file_name']} cannot be read, so there is nothing to download.")
        )
        return
    st.download_button(
        f"Download {row['file_name']}",
        data=raw,
        file_name=row["file_name"],
        mime="text/csv",
        key=f"download-{dataset_id}",
        icon=":material/download:",
    )


def provenance_panel(block: Records) -> None:
    for row in block.rows:
        dataset_id = row["dataset"]
        if row["prov_error"]:
            st.error(escape_markdown(row["prov_error"]), icon=":material/error:")
            _raw_download(row)
            continue
        with st.container(key=block.key or "provenance"):
            st.header(escape_markdown(row["title"]))
            st.markdown(escape_markdown(row["description"]))
            st.markdown(row["facts_md"])
            for caveat in row["caveats"]:
                st.warning(escape_markdown(caveat), icon=":material/info:")
        if row["error"]:
            st.error(escape_markdown(row["error"]), icon=":material/error:")
        _raw_download(row)
        tab_data, tab_columns, tab_sources = st.tabs(["Data", "Columns", "Sources"])
        with tab_data:
            if row["frame"] is not None:
                st.dataframe(row["frame"], hide_index=True, key=f"table-{dataset_id}")
            else:
                st.caption("The table is not shown while the file is invalid; the raw file can still be downloaded.")
        with tab_columns:
            st.dataframe(row["columns"], hide_index=True, key=f"columns-{dataset_id}")
        with tab_sources:
            if row["sources"] is None:
                st.caption("The sources list cannot be read.")
            else:
                st.dataframe(
                    row["sources"],
                    hide_index=True,
                    column_config={"url": st.column_config.LinkColumn("address")},
                    key=f"sources-{dataset_id}",
                )


def meeting_pack(block: Records) -> None:
    for row in block.rows:
        meeting_pack_button(row["key"])


def embed(block: Records) -> None:
    for row in block.rows:
        # Wrapped: a sideways-scrolling code block cannot be reached with the keyboard (axe: scrollable-region).
        st.code(embed_snippet(origin(), row["path"], row["title"]), language="html", wrap_lines=True)


def changelog(block: Records) -> None:
    """One line per change of the data (rows carry their Markdown, escaped by the view)."""
    for row in block.rows:
        st.markdown(row.get("markdown") or escape_markdown(row["plain"]))
