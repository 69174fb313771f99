"""Policy Lens router: page config, shared sidebar widgets, navigation. No data and no charts here."""

from pathlib import Path

import streamlit as st

from components import shell

# A local icon: a Material icon here would make every browser fetch it from a font CDN.
FAVICON = str(Path(__file__).parent / "assets" / "favicon.png")

st.set_page_config(
    page_title="Policy Lens",
    page_icon=FAVICON,
    layout="wide",
    initial_sidebar_state="collapsed" if shell.presenting() else "auto",
)

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("app_pages/expo.py", title="Expo (CIIE)", icon=":material/storefront:", url_path="expo"),
    st.Page("app_pages/research.py", title="Research and patents", icon=":material/science:", url_path="research"),
    st.Page("app_pages/policy.py", title="Data policy", icon=":material/account_balance:", url_path="policy"),
    st.Page("app_pages/voices.py", title="Voices", icon=":material/record_voice_over:", url_path="voices"),
    st.Page("app_pages/themes.py", title="Themes", icon=":material/sell:", url_path="themes"),
    st.Page("app_pages/sources.py", title="Sources and method", icon=":material/menu_book:", url_path="sources"),
    st.Page("app_pages/story.py", title="Story", icon=":material/slideshow:", url_path="story"),
]

page = st.navigation(PAGES)
shell.shared_sidebar()
shell.presentation_frame()
page.run()
shell.footer(page.title)
