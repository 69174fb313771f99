"""How a dataset is shown on Sources and method: provenance, column dictionary, table and download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data
from policylens.datasets import DATASET_IDS, column_dictionary, csv_path
from policylens.text import escape_markdown as md


def _source_rows(source_ids: list[str]) -> pd.DataFrame | None:
    sources, _ = data.load("sources")
    if sources is None:
        return None
    return sources[sources["id"].isin(source_ids)][["id", "title", "publisher", "url", "kind"]]


def provenance_panel(dataset_id: str) -> None:
    prov, prov_error = data.provenance(dataset_id)
    if prov is None:
        st.error(prov_error, icon=":material/error:")
        return
    frame, error = data.load(dataset_id)
    with st.container(key="provenance"):
        st.subheader(md(prov["title"]))
        st.markdown(md(prov["description"]))
        facts = {
            "Producer": prov["producer"],
            "Derived from": "; ".join(prov.get("derived_from", [])),
            "Accessed": prov["accessed"],
            "Licence": prov["licence"],
            "Confidence": prov["confidence"],
            "Rows": "cannot be read" if frame is None else str(len(frame)),
            "File": f"{csv_path(dataset_id, data.data_dir()).name}, sha256 {prov['sha256']}",
        }
        st.markdown("\n".join(f"- **{name}:** {md(value)}" for name, value in facts.items() if value))
        for caveat in prov.get("caveats", []):
            st.warning(md(caveat), icon=":material/info:")
    if error:
        st.error(error, icon=":material/error:")
    st.download_button(
        f"Download {dataset_id}.csv",
        data=data.raw_csv(dataset_id),
        file_name=f"{dataset_id}.csv",
        mime="text/csv",
        key=f"download-{dataset_id}",
        icon=":material/download:",
    )
    tab_data, tab_columns, tab_sources = st.tabs(["Data", "Columns", "Sources"])
    with tab_data:
        if frame is not None:
            st.dataframe(frame, hide_index=True, key=f"table-{dataset_id}")
        else:
            st.caption("The table is not shown while the file is invalid; the raw file can still be downloaded.")
    with tab_columns:
        st.dataframe(column_dictionary(prov), hide_index=True, key=f"columns-{dataset_id}")
    with tab_sources:
        rows = _source_rows(prov.get("source_ids", []))
        if rows is None:
            st.caption("The sources list cannot be read.")
        else:
            st.dataframe(
                rows,
                hide_index=True,
                column_config={"url": st.column_config.LinkColumn("address")},
                key=f"sources-{dataset_id}",
            )


def dataset_overview() -> None:
    rows = []
    for dataset_id in DATASET_IDS:
        prov, prov_error = data.provenance(dataset_id)
        frame, error = data.load(dataset_id)
        rows.append(
            {
                "dataset": dataset_id,
                "title": prov["title"] if prov else "",
                "rows": None if frame is None else len(frame),
                "confidence": prov["confidence"] if prov else "",
                "status": "valid" if frame is not None else (error or prov_error),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="datasets-overview")
