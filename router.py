"""Policy Lens router: page config, shared sidebar widgets, navigation. No data and no charts here.

``app.py`` serves this script as an ASGI app (server/); AppTest runs it directly.
"""

from pathlib import Path

import streamlit as st

from components import link, shell
from policylens.views import BY_PATH, PAGES

# A local icon: a Material icon here would make every browser fetch it from a font CDN.
FAVICON = str(Path(__file__).parent / "assets" / "favicon.png")

st.set_page_config(
    page_title="Policy Lens",
    page_icon=FAVICON,
    layout="wide",
    initial_sidebar_state="collapsed" if shell.presenting() else "auto",
)

page = st.navigation(
    [
        st.Page(p.script, title=p.title, icon=f":material/{p.icon}:", url_path=p.path or None, default=not p.path)
        for p in PAGES
    ]
)
entry = BY_PATH[page.url_path]
link.read(entry)
shell.shared_sidebar()
shell.presentation_frame()
page.run()
shell.footer(entry)
shell.drawn_marker()  # the first paint hands over to this run (policylens/render/snapshot.py)
