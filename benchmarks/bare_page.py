"""The baseline: a bare Streamlit page with one clickable Plotly bar chart (streamlit-notes.md measured ~2.0 s to
drawn and ~0.25 s from a bar click to the finished rerun). A click reruns the script and names the chosen bar."""

import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
event = st.plotly_chart(
    go.Figure(go.Bar(x=list("abcdefgh"), y=[1, 2, 3, 4, 5, 6, 7, 8])),
    key="bare",
    on_select="rerun",
    selection_mode="points",
)
chosen = [str(point.get("x")) for point in event.selection.points] if event else []
st.caption(f"Chosen: {', '.join(chosen) or 'nothing'}")
