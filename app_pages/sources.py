"""Sources and method: every dataset with its provenance, confidence, column dictionary, table and CSV."""

import streamlit as st

from components import data
from components.pack import meeting_pack_button
from components.provenance import dataset_overview, provenance_panel
from components.shell import origin
from policylens.datasets import DATASET_IDS
from policylens.share import embed_snippet

st.title("Sources and method")
st.markdown(
    "Every number in Policy Lens comes from one of the datasets below. Each was curated by hand from the article "
    "itself and from a dossier of public sources; each row names its source and a confidence mark:\n"
    "- **verified-in-source**: the exact figure was read in the cited page;\n"
    "- **reported-secondhand**: read in a transcription, aggregator, re-post or pre-event figure;\n"
    "- **not-found**: searched for and not found. Such a figure is shown as *not reported*, never as zero and never "
    "estimated.\n\n"
    "English titles of Chinese documents marked *working gloss* are our working translations. Derived numbers (sums, "
    "residuals) are only used as checks, never as data."
)
st.caption(f"Data version `{data.data_version()}`: a fingerprint of every data file; it changes when any file changes.")

titles = {}
for dataset_id in DATASET_IDS:
    prov, _ = data.provenance(dataset_id)
    titles[dataset_id] = prov["title"] if prov else dataset_id

chosen = st.selectbox(
    "Dataset",
    # The link holds the displayed option, so the options are the dataset ids (the titles are listed in the help).
    options=list(DATASET_IDS),
    key="dataset",
    help="  \n".join(f"**{dataset_id}**: {title}" for dataset_id, title in titles.items()),
    bind="query-params",
)
provenance_panel(chosen)

st.header("All datasets")
dataset_overview()

st.header("Meeting pack")
st.markdown(
    "One zip for a meeting without network: a self-contained HTML page with every chart of the Story (plotly.js "
    "inlined once), the CSV of every dataset exactly as published, and a sources file."
)
meeting_pack_button("sources-pack")

st.header("Embedding")
st.markdown(
    "Any view of Policy Lens can sit in an iframe: add `embed=true` to its link to hide Streamlit's toolbar, and "
    "`present=true` for a larger view without the sidebar. For example:"
)
st.code(embed_snippet(origin(), "/expo?edition=6&metric=exhibitors"), language="html")
