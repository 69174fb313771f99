"""Data policy: the Data 20 Measures (6 parts, 20 articles, the article's four pillars) and the policy timeline."""

import streamlit as st

from components import data, shell
from components.chart import chart_card
from components.policy import (
    ARTICLE_KEY,
    PILLAR_KEY,
    TYPE_KEY,
    policy_view,
    timeline_click,
    treemap_click,
)
from policylens import policy
from policylens.text import escape_markdown as md

articles = data.require("data-policy")
timeline = data.require("policy-timeline")
sources = data.require("sources")

st.title("Data policy")
st.markdown(
    "The article cites China's 2022 guideline on data infrastructure, the **Data 20 Measures**, and its four areas: "
    "data property rights, circulation and trading, income distribution and security governance. Here are its 20 "
    "articles and the policy milestones around it. English titles are working translations, not official ones."
)

# Bound widgets put their displayed option in the link, so the options are the ids themselves (no format_func).
pillars = st.pills(
    "Pillars of the article", list(policy.PILLARS), selection_mode="multi", key=PILLAR_KEY, bind="query-params"
)
st.caption(" · ".join(f"{md(k)}: {md(v)}" for k, v in policy.PILLARS.items()))
chosen_article = st.selectbox(
    "Article (1 to 20)",
    policy.ARTICLE_NUMBERS,
    index=None,
    key=ARTICLE_KEY,
    bind="query-params",
    placeholder="Click an article in the map, or pick one",
)

policy_view(pillars, chosen_article, on_select=treemap_click)

st.header("Policy timeline, 2017 to 2025")
themes = shell.selected_themes()
types = st.multiselect(
    "Types of document", policy.timeline_types(timeline), key=TYPE_KEY, bind="query-params", placeholder="All types"
)
entries = policy.filter_timeline(timeline, themes, types)
if themes:
    st.caption(md(f"Showing milestones tagged with any of the themes chosen in the sidebar: {', '.join(themes)}."))
if entries.empty:
    st.info("No milestone matches these themes and types. Clear a filter to see more.", icon=":material/info:")
else:
    lit = policy.timeline_highlight(pillars, chosen_article)
    table = policy.timeline_table(entries, sources)
    chart_card(
        policy.timeline_scatter(entries, lit),
        key="policy_timeline",
        alt=f"Timeline scatter of {len(entries)} policy milestones from 2017 to 2025 by type of document"
        + ("; the Data 20 Measures (December 2022) is highlighted." if lit else "."),
        source="dataset policy-timeline (dossier §3.4) · one source per entry, listed with its confidence in the table "
        "below",
        table=table,
        csv_name="policy-timeline.csv",
        on_select=timeline_click("policy_timeline"),
        caption="Partial dates (a month, or a year) are drawn at the first day of the period; the hover shows the "
        "date as published. Click a milestone to keep only its type."
        + (" The star is the Data 20 Measures, the document your selection comes from." if lit else ""),
    )
    st.dataframe(
        table,
        hide_index=True,
        key="policy_timeline_entries",
        column_config={
            "source_url": st.column_config.LinkColumn("source address"),
            "title_zh": "title (Chinese)",
            "key_figures": "key figures",
        },
    )
