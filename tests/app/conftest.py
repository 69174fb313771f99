from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from policylens.paths import REPO_ROOT

APP = str(Path(REPO_ROOT) / "app.py")


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


def open_page(app, page: str, **params):
    """Seed the link with ``params``, run the router, switch to ``page``; the run must raise nothing."""
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    app.switch_page(page).run()
    assert not app.exception
    return app
