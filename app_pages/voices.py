"""Voices: every sentence of the article, attributed; search it, filter it by speaker, kind and theme, cite it."""

import streamlit as st

from components import data, shell
from components.chart import chart_card
from components.statements import statement_card
from policylens.search import (
    KIND_LABELS,
    query_terms,
    select_statements,
    speaker_names,
    statements_per_theme_bars,
    theme_counts,
)
from policylens.text import escape_markdown as md

CHART_KEY = "voices-theme-bars"

statements = data.require("statements")
themes = data.require("themes")
labels = dict(zip(themes["id"], themes["label"], strict=True))
speakers = speaker_names(statements)

st.title("Voices")
st.markdown(
    "Every sentence of the article as a statement, with who says it: the two quoted entrepreneurs, the three "
    "paraphrased sources and the authors' own view. Search, filter, and copy a citation."
)

st.text_input(
    "Search statements",
    key="q",
    bind="query-params",
    placeholder="e.g. privacy, blockchain, Tan",
    help="Every word must occur (case-insensitive, at the start of a word) in the sentence, its speaker, role or "
    "organisation, or the label or keywords of one of its themes.",
)
# Bound widgets put the displayed option in the link, so the options are the ids; the names are in the help.
left, right = st.columns(2)
left.multiselect(
    "Speaker",
    options=list(speakers),
    key="speaker",
    bind="query-params",
    placeholder="All speakers",
    help="  \n".join(f"**{sid}**: {md(name)}" for sid, name in speakers.items()),
)
right.multiselect(
    "Kind",
    options=list(KIND_LABELS),
    key="kind",
    bind="query-params",
    placeholder="All kinds",
    help="  \n".join(f"**{kid}**: {label}" for kid, label in KIND_LABELS.items()),
)

query = st.session_state.get("q") or ""
chosen_themes = shell.selected_themes()
searched, shown, matches = select_statements(
    statements,
    themes,
    query,
    speakers=st.session_state.get("speaker") or [],
    kinds=st.session_state.get("kind") or [],
    chosen_themes=chosen_themes,
)

with st.container(key="voices-count"):
    st.markdown(f"**{len(shown)} of {len(statements)} statements**")
if chosen_themes:
    st.caption(md("Theme filter (sidebar): " + ", ".join(labels.get(t, t) for t in chosen_themes)))


counts = theme_counts(searched, themes)
st.subheader("Statements per theme")
chart_card(
    statements_per_theme_bars(counts, chosen_themes),
    key=CHART_KEY,
    alt="Horizontal bars: how many of the statements found carry each theme, one bar per theme in its colour.",
    source="dataset statements (every sentence of the article, attributed) · source: Keke Gai and Jing Yu, CGTN, "
    "November 2023 · confidence: verified-in-source for the text; theme tags are keyword matches (themes dataset)",
    table=counts[["theme", "label", "statements"]],
    csv_name="statements-per-theme.csv",
    on_select=lambda: shell.set_themes_from_chart(CHART_KEY),
    caption="Counts the statements your search, speaker and kind filters keep. Click a bar to add its theme to the "
    "filter, click it again to remove it, as on the Overview; a sentence may carry several themes.",
)

st.subheader("Statements")
if shown.empty:
    if query_terms(query):
        st.info(f"No statement matches “{md(query)}” with these filters.", icon=":material/search_off:")
    else:
        st.info("No statement matches these filters.", icon=":material/filter_alt_off:")
for statement in shown.to_dict("records"):
    statement_card(statement, labels, matches.get(statement["id"]))
