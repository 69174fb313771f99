"""Expo page building blocks: the detail of the chosen editions and the notes on differing definitions."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from policylens import expo
from policylens.text import escape_markdown as md


def edition_detail(rows: pd.DataFrame, editions: Sequence[int]) -> None:
    """Every metric of each chosen edition (``rows`` from ``expo.with_sources``), one bordered card per edition."""
    if not editions:
        st.info(
            "Click bars or points (each click adds or removes an edition), or pick editions above, to see every "
            "figure of an edition with its definition, source and confidence.",
            icon=":material/touch_app:",
        )
        return
    for edition in editions:
        chosen = rows[rows["edition"] == edition]
        year = int(chosen["year"].iloc[0])
        with st.container(border=True, key=f"expo-detail-{edition}"):
            article = f" · {expo.ARTICLE_NOTE}" if edition == expo.ARTICLE_EDITION else ""
            st.markdown(f"#### {md(expo.ordinal(edition))} CIIE, {year}{md(article)}")
            st.markdown(expo.detail_markdown(chosen))


def definition_warnings(notes: Sequence[str], caveats: Sequence[str]) -> None:
    """Where the figures of one metric do not count the same thing in every edition, say so beside the chart."""
    if notes:
        st.warning(
            "**Definitions differ between editions**, so the bars do not measure exactly the same thing:\n"
            + "\n".join(f"- {md(note)}" for note in notes),
            icon=":material/compare_arrows:",
        )
    for caveat in caveats:
        st.caption(f":material/info: {md(caveat)}")


def expo_view(
    metric: str,
    editions: Sequence[int],
    *,
    key_prefix: str = "expo",
    on_select_factory=None,
    caption: str | None = None,
    detail: bool = True,
) -> None:
    """The Expo page's main view for given parameters: the bars of one metric, its notes, the chosen editions.

    The page passes its widget values and click callbacks; the Story draws the same view for a slide's parameters.
    """
    from components import data
    from components.chart import chart_card

    rows = expo.with_sources(data.require("expo"), data.require("sources"))
    caveats = (data.provenance("expo")[0] or {}).get("caveats", [])
    series = expo.metric_series(rows, metric)
    chart_key = f"{key_prefix}_bars"
    chart_card(
        expo.expo_bars(series, metric, editions),
        key=chart_key,
        alt=expo.bars_alt(series, metric),
        source=expo.source_line(series),
        table=expo.series_table(series, metric),
        csv_name=f"ciie-{metric}.csv",
        on_select=on_select_factory(chart_key) if on_select_factory else None,
        caption=caption,
    )
    definition_warnings(expo.definition_notes(rows, metric), expo.metric_caveats(caveats, series, metric))
    if detail:
        st.header("The chosen editions")
        edition_detail(rows, editions)
