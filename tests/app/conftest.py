import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.helpers import APP


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    monkeypatch.delenv("POLICYLENS_DATA_DIR", raising=False)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def app():
    """The app from its entrypoint (the router), not a page on its own."""
    return AppTest.from_file(APP, default_timeout=30)
