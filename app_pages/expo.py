"""Expo (CIIE): one metric across editions 1 to 8, the chosen editions in detail, deals against exhibitors."""

import streamlit as st

from components import data
from components.chart import chart_card
from components.expo import definition_warnings, edition_detail
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
caveats = (data.provenance("expo")[0] or {}).get("caveats", [])

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

series = expo.metric_series(rows, metric)
chart_card(
    expo.expo_bars(series, metric, editions),
    key="expo_bars",
    alt=expo.bars_alt(series, metric),
    source=expo.source_line(series),
    table=expo.series_table(series, metric),
    csv_name=f"ciie-{metric}.csv",
    on_select=_pick_from("expo_bars"),
    caption=(
        "Click a bar to add its edition to the chosen ones (shift-click works too); click it again to remove it. "
        "Bar text is the figure as reported: “+” at least, “~” about, “pre-event” announced before the edition; "
        "hatched bars marked * are reported secondhand. The shaded column is the article's edition."
    ),
)
definition_warnings(expo.definition_notes(rows, metric), expo.metric_caveats(caveats, series, metric))

st.header("The chosen editions")
edition_detail(rows, editions)

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
