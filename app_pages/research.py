"""Placeholder: being built."""

import streamlit as st

st.title("research")
