"""Overview: what Policy Lens is, and the article's headline figures beside their sources."""

import streamlit as st

from components import data, shell
from components.chart import chart_card
from components.evidence import evidence, headline_cards, verdict_summary
from policylens.claims import CLAIM_TABLE_HEADINGS
from policylens.overview import theme_coverage, theme_strip
from policylens.text import escape_markdown as md

st.title("Policy Lens")
st.markdown(
    "An evidence dashboard for one article: **“China's efforts in global technological collaboration”** by Keke Gai "
    "and Jing Yu (CGTN, November 2023). It sets each factual claim of the article beside the best public figure we "
    "found, says whether the two agree, and traces every number to a source row."
)

claims = evidence()
verdict_summary(claims)

st.header("Headline figures")
st.caption("What the article says, what the source says, and our verdict. Figures not reported stay not reported.")
headline_cards(claims)

st.header("Themes of the article")
paragraphs = data.require("paragraphs")
coverage = theme_coverage(data.require("themes"), paragraphs)
chosen = shell.selected_themes()
chart_card(
    theme_strip(coverage, chosen, len(paragraphs)),
    key="theme_strip",
    alt=f"Bar chart: how many of the article's {len(paragraphs)} paragraphs carry each theme. "
    + "; ".join(f"{r.label} {r.paragraphs}" for r in coverage.itertuples()),
    source="paragraphs dataset (the article, tagged by theme keywords), verified-in-source",
    table=coverage[["id", "label", "paragraphs"]],
    csv_name="theme-coverage.csv",
    on_select=lambda: shell.set_themes_from_chart("theme_strip"),
    caption="Click a bar to add its theme to the filter of every page, click it again to remove it; "
    "the filter is in the link.",
)

st.header("Every claim")
st.dataframe(
    claims[["paragraph", *CLAIM_TABLE_HEADINGS]],
    hide_index=True,
    column_config={"paragraph": st.column_config.NumberColumn("¶", width="small"), **CLAIM_TABLE_HEADINGS},
    key="claims_table",
)

st.header("Explore")
st.page_link(
    "app_pages/sources.py",
    label="Sources and method: every dataset, its provenance and its columns",
    icon=":material/menu_book:",
)

article = (data.provenance("paragraphs")[0] or {}).get("article", {})
if article:
    st.caption(md(f"About the article: {article.get('editors_note', '')}"))
