"""Expo (CIIE): one metric across editions 1 to 8, the chosen editions in detail, deals against exhibitors."""

import streamlit as st

from components import data
from components.chart import chart_card
from components.expo import expo_view
from policylens import expo
from policylens.selection import selected_ids
from policylens.text import escape_markdown as md

EDITION_KEY = "edition"
METRIC_KEY = "metric"


def _pick_from(chart_key: str):
    def copy_selection() -> None:
        clicked = selected_ids(st.session_state.get(chart_key))
        st.session_state[EDITION_KEY] = expo.toggle_editions(st.session_state.get(EDITION_KEY, []), clicked)

    return copy_selection


st.title("China International Import Expo (CIIE)")
st.markdown(
    "The article cites the **6th CIIE (Shanghai, November 2023)**. Here are the figures of all eight editions "
    "(2018 to 2025) as their sources report them. A figure no source reports is left as a gap, *not reported*."
)

rows = expo.with_sources(data.require("expo"), data.require("sources"))

metric = st.selectbox(
    "Metric",
    # Bound widgets put the displayed option in the link: the options are the metric ids, the labels are below.
    options=list(expo.METRICS),
    key=METRIC_KEY,
    bind="query-params",
    help="  \n".join(f"**{metric_id}**: {m.label} ({m.axis})" for metric_id, m in expo.METRICS.items()),
)
metric = expo.clean_metric(metric)
st.caption(md(f"{expo.METRICS[metric].label} ({expo.METRICS[metric].axis})"))

editions = expo.clean_editions(
    st.multiselect(
        "Editions (1 = 2018 … 8 = 2025; the article's is 6)",
        options=list(expo.EDITIONS),
        key=EDITION_KEY,
        bind="query-params",
        placeholder="Click bars to choose editions",
    )
)

expo_view(
    metric,
    editions,
    on_select_factory=_pick_from,
    caption=(
        "Click a bar to add its edition to the chosen ones (shift-click works too); click it again to remove it. "
        "Bar text is the figure as reported: “+” at least, “~” about, “pre-event” announced before the edition; "
        "hatched bars marked * are reported secondhand. The shaded column is the article's edition."
    ),
)

st.header("Deals against exhibitors")
pairs, not_plotted = expo.scatter_pairs(rows)
chart_card(
    expo.expo_scatter(pairs, editions),
    key="expo_scatter",
    alt=expo.scatter_alt(pairs),
    source=expo.scatter_source_line(rows),
    table=pairs,
    csv_name="ciie-deals-exhibitors.csv",
    on_select=_pick_from("expo_scatter"),
    caption="One point per edition; the diamond is the article's edition; * marks a secondhand figure. "
    "Click a point to add or remove its edition.",
)
if not_plotted:
    st.markdown(
        "Not plotted (deals or exhibitors not reported): "
        + ", ".join(md(expo.ordinal(e)) + " edition" for e in not_plotted)
    )
