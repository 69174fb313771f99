"""A second reference beside the bare page: the same one-chart page inside the frame every page of the app has.

The frame is what the app draws around any page, whatever the page holds: wide layout and a local favicon, the
navigation of nine pages with their Material icons, the sidebar's theme filter and presentation switch, the empty
timer fragment that makes a reconnected tab ask for a run (components/link.py), one style block, and the footer (a
divider, the closed "Share and cite this view" popover, a caption). Its chart does what the app's charts do on a
click: the clicked bar is highlighted, so the figure changes and Plotly redraws it (the bare page's figure stays the
same and only Plotly's own selection shows). No data is loaded and pandas is not imported: the difference to the bare
page is the frame and the highlight alone.
"""

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
BARS = list("abcdefgh")
PAGES = [  # the app's nine pages (policylens/views/registry): title, Material icon, path
    ("Overview", "home", ""),
    ("Expo (CIIE)", "storefront", "expo"),
    ("Research and patents", "science", "research"),
    ("Data policy", "account_balance", "policy"),
    ("Voices", "record_voice_over", "voices"),
    ("Themes", "sell", "themes"),
    ("Sources and method", "menu_book", "sources"),
    ("Story", "slideshow", "story"),
    ("Analyse a text", "manage_search", "analyze"),
]


def _pick() -> None:
    """A click toggles its bar in the highlighted set (as the Expo bars do)."""
    event = st.session_state.get("bare")
    points = event.selection.points if event else []
    chosen = set(st.session_state.get("chosen", ()))
    for point in points:
        chosen ^= {str(point.get("x"))}
    st.session_state["chosen"] = tuple(sorted(chosen))


def chart_page() -> None:
    st.title("Framed page")
    chosen = st.session_state.get("chosen", ())
    colours = ["#D95F02" if x in chosen else "#A6CEE3" for x in BARS]
    figure = go.Figure(go.Bar(x=BARS, y=[1, 2, 3, 4, 5, 6, 7, 8], marker_color=colours))
    st.plotly_chart(figure, key="bare", on_select=_pick, selection_mode="points")
    st.caption(f"Chosen: {', '.join(chosen) or 'nothing'}")


def other_page() -> None:
    st.title("Another page")


@st.fragment(run_every=86_400)
def _timer() -> None:
    """Draws nothing (as components.link._redraw_after_reconnect)."""


st.set_page_config(page_title="Framed page", page_icon=str(ROOT / "assets" / "favicon.png"), layout="wide")
page = st.navigation(
    [
        st.Page(chart_page if not path else other_page, title=title, icon=f":material/{icon}:",
                url_path=path or None, default=not path)
        for title, icon, path in PAGES
    ]
)  # fmt: skip
with st.sidebar:
    _timer()
    st.multiselect("Themes", ["privacy", "talent", "research"], key="themes", placeholder="All themes")
    st.toggle("Presentation mode", key="present")
st.html("<style>[data-testid='stCaptionContainer'] { opacity: 1 !important; }</style>")
page.run()
st.divider()
st.popover("Share and cite this view", icon=":material/share:", key="share", on_change="rerun")
st.caption("Policy Lens · the frame of every page, measured without its contents.")
