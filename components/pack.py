"""The meeting-pack download: built lazily (only when clicked) and cached per data version and host."""

from __future__ import annotations

import streamlit as st

from components import data, shell
from policylens.datasets import DATASET_IDS
from policylens.views import load_deck
from policylens.views.base import Data


@st.cache_data(show_spinner=False, max_entries=4)
def _pack(folder: str, version: str, base_url: str) -> bytes:
    # Imported when a pack is built: its slides bring python-pptx, half a second of imports no page view needs.
    from policylens.pack import meeting_pack

    frames, provenances, raw = {}, {}, {}
    for dataset_id in DATASET_IDS:
        frame, error = data.load(dataset_id)
        prov, prov_error = data.provenance(dataset_id)
        if frame is None or prov is None:  # the button is not offered then; this guards a race with a data edit
            raise RuntimeError(error or prov_error)
        frames[dataset_id], provenances[dataset_id], raw[dataset_id] = frame, prov, data.raw_csv(dataset_id)
    title, slides = load_deck()
    return meeting_pack(title, slides, Data(frames, provenances, version), raw, base_url)


def meeting_pack_button(key: str) -> None:
    broken = data.broken()
    if broken:
        st.caption(f"The meeting pack is unavailable while these datasets are invalid: {', '.join(broken)}.")
        return
    version, origin, folder = data.data_version(), shell.origin(), str(data.data_dir())
    st.download_button(
        "Download the meeting pack (zip)",
        data=lambda: _pack(folder, version, origin),
        file_name=f"policy-lens-meeting-pack-{version}.zip",
        mime="application/zip",
        key=key,
        icon=":material/folder_zip:",
        help="One zip: a self-contained HTML page with every chart of the story (opens with no network), "
        "the CSV of every dataset and a sources file.",
    )
