"""Research page building blocks: the chart-click callback that copies clicked areas into the bound `area` widget."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from policylens.selection import selected_ids

AREA_KEY = "area"


def area_click(chart_key: str) -> Callable[[], None]:
    """A chart's ``on_select``: the clicked bars' areas (custom_data[0]) become the `area` selection.

    An empty selection (a click beside the bars) leaves the selection as it is; the multiselect clears it.
    """

    def _copy() -> None:
        picked = selected_ids(st.session_state.get(chart_key))
        if picked:
            st.session_state[AREA_KEY] = picked

    return _copy


def share_view(edition: str, measure: str, selected, *, key_prefix: str = "research", clickable: bool = True) -> None:
    """Shares of world total by area for one measure and edition, the selected areas highlighted.

    The page draws it with its widget values (and clicks); the Story draws it for a slide's parameters.
    """
    from components import data
    from components.chart import chart_card
    from policylens import research

    shares = data.require("ai-research")
    sources = data.require("sources")
    year = research.data_year(shares, edition)
    by_area = research.shares_table(shares, edition, [measure])
    chart_key = f"{key_prefix}_share"
    chart_card(
        research.share_bars(by_area, edition, year, measure, selected),
        key=chart_key,
        alt=f"Horizontal bars: {research.measure_label(measure)}, share of world total by area, {edition} "
        f"(data year {year}). Countries first, then regions.",
        source=research.source_line(by_area, sources),
        table=research.sorted_for_bars(by_area, measure),
        csv_name=f"ai-research-{measure}-{edition.replace(' ', '-')}.csv",
        on_select=area_click(chart_key) if clickable else None,
        caption="Regions (in italics) overlap the countries: China is part of East Asia & Pacific. A gap is a figure "
        "the source does not report.",
    )
