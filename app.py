"""Policy Lens router: page config, shared sidebar widgets, navigation. No data and no charts here."""

import streamlit as st

from components import shell

st.set_page_config(
    page_title="Policy Lens",
    page_icon=":material/policy:",
    layout="wide",
    initial_sidebar_state="collapsed" if shell.presenting() else "auto",
)

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
    st.Page("app_pages/sources.py", title="Sources and method", icon=":material/menu_book:", url_path="sources"),
]

page = st.navigation(PAGES)
shell.shared_sidebar()
shell.presentation_frame()
page.run()
shell.footer()
