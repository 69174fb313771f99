"""Overview records: the verdict summary, claim cards with their evidence popover, and links to other pages.

Drawing only: the rows (words, escaped Markdown, ids) are built by ``policylens.views.overview``.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components import shell
from components.data import app_data
from policylens.claimreview import claims_jsonld
from policylens.text import escape_markdown
from policylens.views.base import Records

# Badge colour and icon of a verdict; a verdict without a style here (a new one) reads grey, without an icon.
VERDICT_STYLE = {
    "consistent": ("green", ":material/check_circle:"),
    "more-precise": ("blue", ":material/straighten:"),
    "needs-caveat": ("orange", ":material/warning:"),
    "not-checkable": ("gray", ":material/help:"),
}
DEFAULT_STYLE = ("gray", None)


def verdict_badge(row: Mapping) -> None:
    colour, icon = VERDICT_STYLE.get(row["verdict"], DEFAULT_STYLE)
    st.badge(row["verdict_label"], color=colour, icon=icon)


def verdict_summary(block: Records) -> None:
    """How many claims were checked and how many got each verdict: one metric per row, in one line."""
    with st.container(key=block.key or None):
        for column, row in zip(st.columns(len(block.rows)), block.rows, strict=True):
            column.metric(row["label"], row["value"])


def claim_cards(block: Records) -> None:
    """Claim cards, two a row."""
    columns = st.columns(2)
    for i, row in enumerate(block.rows):
        with columns[i % 2]:
            claim_card(row)


def claim_card(row: Mapping) -> None:
    with st.container(border=True, key=f"claim-{row['id']}"):
        st.markdown(f"**{escape_markdown(row['topic'])}**")
        said, found = st.columns(2)
        with said:
            st.caption("The article says")
            st.markdown(f"### {escape_markdown(row['said'])}")
        with found:
            st.caption("The source says")
            st.markdown(f"#### {escape_markdown(row['found'])}")
        verdict_badge(row)
        st.markdown(f"> {escape_markdown(row['claim_text'])}  \n— {escape_markdown(row['where'])}")
        if row["note"]:
            st.markdown(escape_markdown(row["note"]))
        st.caption(row["source_md"])
        # Filled when opened (one rerun): a closed card sends none of its evidence (words, figure, row, dataset link).
        box = st.popover("Evidence", icon=":material/fact_check:", key=f"evidence-{row['id']}", on_change="rerun")
        if not box.open:
            return
        with box:
            evidence_details(row)


def evidence_details(row: Mapping) -> None:
    """Everything needed to check one claim by hand."""
    st.markdown(f"**The article's words** ({escape_markdown(row['where'])}):")
    st.markdown(f"> {escape_markdown(row['claim_text'])}")
    st.markdown(f"**The source figure:** {escape_markdown(row['found'])}")
    verdict_badge(row)
    if row["source_link_md"]:
        st.markdown(f"**Source:** {row['source_link_md']}, {escape_markdown(row['publisher'])}")
    if not row["dataset"]:
        st.markdown(row["row_md"])
        return
    st.markdown(f"**Row:** {row['row_md']} · **confidence:** {escape_markdown(row['confidence'])}")
    st.page_link(
        "app_pages/sources.py",
        label=f"Open the dataset: {row['dataset_title']}",
        query_params={"dataset": row["dataset"]},
        icon=":material/menu_book:",
    )


def page_links(block: Records) -> None:
    """Links to other pages of the app (the link keeps the page's own parameters of ``query``)."""
    for row in block.rows:
        st.page_link(
            f"app_pages/{row['page']}.py",
            label=row["label"],
            query_params=dict(row.get("query") or {}) or None,
            icon=f":material/{row['icon']}:",
        )


def claims_download(block: Records) -> None:
    """Every claim as schema.org ClaimReview JSON-LD, with evidence links on the serving host (built when clicked)."""
    origin = shell.origin()
    for row in block.rows:
        st.download_button(
            row["label"],
            data=lambda: claims_jsonld(app_data(), origin).encode("utf-8"),
            file_name=row["file_name"],
            mime="application/ld+json",
            key=block.key or None,
            icon=":material/data_object:",
            on_click="ignore",
        )
