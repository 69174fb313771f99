"""Research and patents: Stanford AI Index shares by measure and area, one edition at a time."""

import streamlit as st

from components import data
from components.chart import chart_card
from components.research import AREA_KEY, area_click, share_view
from policylens import research
from policylens.text import escape_markdown as md

shares = data.require("ai-research")
sources = data.require("sources")

st.title("Research and patents")
st.markdown(research.intro_markdown(shares))
st.warning(research.EDITIONS_WARNING, icon=":material/warning:")

# Bound widgets put their displayed option in the link, so the options are the ids themselves (no format_func).
edition_options = research.editions(shares)
pick_edition, pick_measure, pick_area = st.columns([1, 1, 2])
edition = pick_edition.selectbox(
    "AI Index edition",
    edition_options,
    index=edition_options.index(research.DEFAULT_EDITION) if research.DEFAULT_EDITION in edition_options else 0,
    key="edition",
    bind="query-params",
)
measure = pick_measure.selectbox("Measure", research.measures_in(shares, edition), key="measure", bind="query-params")
selected = pick_area.multiselect(
    "Highlight areas (or click a bar)",
    research.areas(shares),
    key=AREA_KEY,
    bind="query-params",
    placeholder="No area highlighted",
)
st.caption(
    md(
        f"{research.measure_label(measure)} · {research.edition_heading(shares, edition)}. "
        f"{research.EDITION_CAVEATS.get(edition, '')}"
    )
)

year = research.data_year(shares, edition)

st.subheader("Share of world total by area")
share_view(edition, measure, selected)

st.subheader("Patent filings vs granted patents")
patents = research.shares_table(shares, research.FILINGS_EDITION, ["patent-filings", "granted-patents"])
patents_year = research.data_year(shares, research.FILINGS_EDITION)
chart_card(
    research.filings_vs_grants(patents, research.FILINGS_EDITION, patents_year, selected),
    key="research_patents",
    alt=research.filings_alt(shares),
    source=research.source_line(patents, sources),
    table=patents,
    csv_name="ai-research-patents-AI-Index-2022.csv",
    on_select=area_click("research_patents"),
    caption=research.filings_caption(shares),
)

st.subheader("Publications and citations by venue type")
pubs = research.shares_table(shares, edition, research.venue_measures("publications"))
cites = research.shares_table(shares, edition, research.venue_measures("citations"))
if len(pubs) or len(cites):
    both = research.stack([pubs, cites])
    chart_card(
        research.venue_bars(pubs, cites, edition, year, selected),
        key="research_venues",
        alt=f"Grouped horizontal bars per area: shares of journal, conference and repository publications and "
        f"citations, {edition} (data year {year}).",
        source=research.source_line(both, sources),
        table=both,
        csv_name=f"ai-research-publications-citations-{edition.replace(' ', '-')}.csv",
        on_select=area_click("research_venues"),
    )
else:
    st.info(
        md(
            f"The dataset holds no publication or citation shares for {edition}: the dossier reports only its "
            "patent figures."
        ),
        icon=":material/info:",
    )
