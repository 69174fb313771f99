"""The frame around every page: shared filters, presentation mode, footer."""

from __future__ import annotations

import streamlit as st

from components import data, link
from policylens import vocab
from policylens.text import escape_markdown as md
from policylens.views import Page
from policylens.views.shared import theme_ids

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


def _theme_changed() -> None:
    link.set_shared(theme=tuple(t for t in theme_ids() if t in (st.session_state.get(THEME_KEY) or [])))


def _present_changed() -> None:
    link.set_shared(present=bool(st.session_state.get(PRESENT_KEY)))


def shared_sidebar() -> None:
    """The filters every page shares; seeded from the link, writing theme ids back to it on every change."""
    _, shared = link.current()
    labels = vocab.labels("themes", "id")
    themes, _ = data.load("themes")
    if themes is not None:
        labels |= dict(zip(themes["id"], themes["label"], strict=True))
    st.session_state[THEME_KEY] = list(shared.theme)
    st.session_state[PRESENT_KEY] = shared.present
    with st.sidebar:
        st.multiselect(
            "Themes",
            options=list(theme_ids()),
            format_func=lambda theme_id: labels.get(theme_id, theme_id),
            key=THEME_KEY,
            on_change=_theme_changed,
            placeholder="All themes",
            help="Narrows statements, paragraphs and timeline entries on every page.",
        )
        if themes is None:
            st.caption("The theme filter is unavailable: the themes data cannot be read (see Sources and method).")
        st.toggle(
            "Presentation mode",
            key=PRESENT_KEY,
            on_change=_present_changed,
            help="Hides the sidebar and header and enlarges type.",
        )


def _leave_presentation() -> None:
    st.session_state[PRESENT_KEY] = False
    link.set_shared(present=False)


def presentation_frame() -> None:
    """In presentation mode: hide the chrome, enlarge type, and always keep a visible way out."""
    if not presenting():
        return
    st.html(_PRESENT_CSS)
    st.button("Exit presentation", key="exit_present", on_click=_leave_presentation, icon=":material/close_fullscreen:")


def selected_themes() -> list[str]:
    _, shared = link.current()
    return list(shared.theme)


def origin() -> str:
    """scheme://host:port of the app as the browser sees it ('' when unknown, as in AppTest)."""
    from urllib.parse import urlsplit

    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def pinned_link(entry: Page) -> str:
    """The link that pins this view: every parameter written out, defaults included, and the data version."""
    view = st.session_state.get("_link_view")
    params, shared = link.current()
    if view is not None and view.page == entry.id:
        params = view.params  # as resolved by the view (a measure the data chose)
    return entry.link(link.pinned_query(params, shared, data.data_version()), base=origin())


def share_and_cite(entry: Page) -> None:
    """Copy link and cite this view: the code blocks carry Streamlit's own copy button."""
    import datetime

    from policylens.share import bibtex, citation

    pinned = pinned_link(entry)
    version = data.data_version()
    accessed = datetime.date.today().isoformat()
    with st.popover("Share and cite this view", icon=":material/share:", key="share"):
        st.caption("Link to exactly this view (every choice written out, and the data version)")
        st.code(pinned, language=None, wrap_lines=True)
        st.caption("Citation")
        st.code(citation(entry.title, pinned, version, accessed), language=None, wrap_lines=True)
        st.caption("BibTeX")
        st.code(bibtex(entry.title, pinned, version, accessed), language="bibtex")


def footer(entry: Page) -> None:
    st.divider()
    share_and_cite(entry)
    st.caption(
        f"Policy Lens · data version `{md(data.data_version())}` · every figure is traceable to a row of the datasets "
        "on Sources and method · article: Keke Gai and Jing Yu, CGTN, 9 November 2023."
    )
