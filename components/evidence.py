"""Claim cards: what the article says beside what the source says, the verdict and where it comes from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from policylens.claims import CITED_DATASETS, VERDICT_LABELS, evidence_from
from policylens.text import escape_markdown as md

VERDICT_STYLE = {
    "consistent": ("green", ":material/check_circle:"),
    "more-precise": ("blue", ":material/straighten:"),
    "needs-caveat": ("orange", ":material/warning:"),
}


def source_line(claim: pd.Series) -> str:
    """The provenance of one figure: source, confidence and the dataset row it comes from."""
    publisher = md(claim["publisher"] or claim["source_title"] or "source not named")
    link = f"[{publisher}]({claim['url']})" if claim["url"] else publisher
    return (
        f"Source: {link} · confidence: {md(claim['confidence'])} · "
        f"dataset `{claim['source_dataset']}`, row {claim['source_row']} (`{claim['source_key']}`)"
    )


def claim_card(claim: pd.Series) -> None:
    colour, icon = VERDICT_STYLE[claim["verdict"]]
    with st.container(border=True, key=f"claim-{claim['id']}"):
        st.markdown(f"**{md(claim['topic'])}**")
        said, found = st.columns(2)
        with said:
            st.caption("The article says")
            st.markdown(f"#### {md(claim['article_value_text'] or '(no figure)')}")
        with found:
            st.caption("The source says")
            st.markdown(f"##### {md(claim['source_value_text'] or '(no figure)')}")
        st.badge(claim["verdict_label"], color=colour, icon=icon)
        st.markdown(f"> {md(claim['claim_text'])}  \n— the article, paragraph {claim['paragraph']}")
        if claim["note"]:
            st.markdown(md(claim["note"]))
        st.caption(source_line(claim))
        with st.popover("Evidence", icon=":material/fact_check:", key=f"evidence-{claim['id']}"):
            evidence_details(claim)


def evidence_details(claim: pd.Series) -> None:
    """Everything needed to check one claim by hand."""
    st.markdown(f"**The article's words** (paragraph {claim['paragraph']}):")
    st.markdown(f"> {md(claim['claim_text'])}")
    st.markdown(f"**The source figure:** {md(claim['source_value_text'] or '(no figure)')}")
    colour, icon = VERDICT_STYLE[claim["verdict"]]
    st.badge(claim["verdict_label"], color=colour, icon=icon)
    if claim["url"]:
        st.markdown(
            f"**Source:** [{md(claim['source_title'] or claim['publisher'])}]({claim['url']}), {md(claim['publisher'])}"
        )
    st.markdown(
        f"**Row:** dataset `{claim['source_dataset']}`, row {claim['source_row']}, key `{claim['source_key']}` · "
        f"**confidence:** {md(claim['confidence'])}"
    )
    st.page_link(
        "app_pages/sources.py",
        label=f"Open the {claim['source_dataset']} dataset",
        query_params={"dataset": claim["source_dataset"]},
        icon=":material/menu_book:",
    )


def evidence() -> pd.DataFrame:
    """Every claim with its evidence; stops the page with a plain sentence if a dataset it needs is broken."""
    ids = ("claims", "sources", *CITED_DATASETS)
    frames = {dataset_id: data.require(dataset_id) for dataset_id in ids}
    return evidence_from(frames, {dataset_id: data.provenance(dataset_id)[0] for dataset_id in CITED_DATASETS})


def verdict_summary(claims: pd.DataFrame) -> None:
    """How many claims were checked and how many got each verdict."""
    counts = claims["verdict_label"].value_counts()
    summary = st.columns(4)
    summary[0].metric("Claims checked", len(claims))
    for column, label in zip(summary[1:], VERDICT_LABELS.values(), strict=True):
        column.metric(label, int(counts.get(label, 0)))


def headline_cards(claims: pd.DataFrame) -> None:
    """The claims marked as headline figures, two cards a row."""
    columns = st.columns(2)
    for i, (_, claim) in enumerate(claims[claims["headline"]].iterrows()):
        with columns[i % 2]:
            claim_card(claim)
