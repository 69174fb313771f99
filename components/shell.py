"""The frame around every page: shared filters, presentation mode, footer."""

from __future__ import annotations

import streamlit as st

from components import data

THEME_KEY = "theme"
PRESENT_KEY = "present"

_PRESENT_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
html { font-size: 20px; }
</style>
"""


def presenting() -> bool:
    """Presentation mode, read before any widget exists (the page config depends on it)."""
    if PRESENT_KEY in st.session_state:
        return bool(st.session_state[PRESENT_KEY])
    return st.query_params.get(PRESENT_KEY, "").lower() == "true"


def theme_labels() -> dict[str, str]:
    themes, _ = data.load("themes")
    if themes is None:
        return {}
    return dict(zip(themes["id"], themes["label"], strict=True))


def shared_sidebar() -> None:
    """The filters every page shares; bound to the link so they survive reloads and page switches."""
    labels = theme_labels()
    with st.sidebar:
        st.multiselect(
            "Themes",
            # Bound widgets put their displayed option in the link, so the options are the theme ids themselves.
            options=list(labels),
            key=THEME_KEY,
            bind="query-params",
            placeholder="All themes",
            help="Narrows statements, paragraphs and timeline entries on every page.",
        )
        if not labels:
            st.caption("The theme filter is unavailable: the themes data cannot be read (see Sources and method).")
        st.toggle(
            "Presentation mode",
            key=PRESENT_KEY,
            bind="query-params",
            help="Hides the sidebar and header and enlarges type.",
        )


def _leave_presentation() -> None:
    st.session_state[PRESENT_KEY] = False


def presentation_frame() -> None:
    """In presentation mode: hide the chrome, enlarge type, and always keep a visible way out."""
    if not presenting():
        return
    st.html(_PRESENT_CSS)
    st.button("Exit presentation", key="exit_present", on_click=_leave_presentation, icon=":material/close_fullscreen:")


def set_themes_from_chart(chart_key: str) -> None:
    """An ``on_select`` callback: a clicked mark's theme id (custom data) toggles in the shared theme filter."""
    from policylens.selection import apply_click, selected_ids

    clicked = selected_ids(st.session_state.get(chart_key))
    st.session_state[THEME_KEY] = apply_click(selected_themes(), clicked)


def selected_themes() -> list[str]:
    return list(st.session_state.get(THEME_KEY) or [])


def origin() -> str:
    """scheme://host:port of the app as the browser sees it ('' when unknown, as in AppTest)."""
    from urllib.parse import urlsplit

    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def current_link() -> str:
    """The exact link of this view: the page's address and every parameter now in the URL, repeats included."""
    from policylens.share import view_link

    base = st.context.url or ""
    params = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    return view_link(base, params)


def share_and_cite(page_title: str) -> None:
    """Copy link and cite this view: the code blocks carry Streamlit's own copy button."""
    import datetime

    from policylens.share import bibtex, citation

    link = current_link()
    version = data.data_version()
    accessed = datetime.date.today().isoformat()
    with st.popover("Share and cite this view", icon=":material/share:", key="share"):
        st.caption("Link to exactly this view")
        st.code(link, language=None, wrap_lines=True)
        st.caption("Citation")
        st.code(citation(page_title, link, version, accessed), language=None, wrap_lines=True)
        st.caption("BibTeX")
        st.code(bibtex(page_title, link, version, accessed), language="bibtex")


def footer(page_title: str) -> None:
    st.divider()
    share_and_cite(page_title)
    st.caption(
        f"Policy Lens · data version `{data.data_version()}` · every figure is traceable to a row of the datasets on "
        "Sources and method · article: Keke Gai and Jing Yu, CGTN, November 2023."
    )
