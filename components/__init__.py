"""Streamlit building blocks. They may import streamlit and policylens, never app_pages."""
