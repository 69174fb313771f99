"""The baseline: a bare Streamlit page with one Plotly bar chart (streamlit-notes.md measured ~2.0 s to drawn)."""

import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
st.plotly_chart(go.Figure(go.Bar(x=list("abcdefgh"), y=[1, 2, 3, 4, 5, 6, 7, 8])), key="bare")
