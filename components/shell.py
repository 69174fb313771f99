"""The frame around every page: shared filters, presentation mode, footer."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import streamlit as st

from components import data, link
from policylens import article, palette, present, vocab
from policylens.render import snapshot
from policylens.share import bibtex, citation
from policylens.text import escape_markdown
from policylens.views import Page
from policylens.views.shared import lens_theme_ids, theme_ids

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


def _rgb(colour: str) -> str:
    """``#rrggbb`` as the ``rgb(r, g, b)`` that Plotly writes into a text's style."""
    value = colour.lstrip("#")
    return "rgb(" + ", ".join(str(int(value[i : i + 2], 16)) for i in (0, 2, 4)) + ")"


# Every page, both themes (``light-dark()`` follows the color-scheme Streamlit sets on the app for its theme).
# Streamlit's greys for captions and quotes (3.9:1 on white), its selected pills (4.5:1 light, 3.6:1 dark) and a
# chart's neutral text (palette.NEUTRAL_TEXT, which cannot read on both backgrounds) get colours that reach 4.5:1 on
# their background in each theme.
_BASE_CSS = f"""
<style>
[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"] blockquote {{
  color: light-dark(#66635F, {palette.NEUTRAL_TEXT_DARK}) !important;
  opacity: 1 !important; /* Streamlit fades them with opacity 0.6 */
}}
.stPlotlyChart svg text[style*="fill: {_rgb(palette.NEUTRAL_TEXT)}"] {{
  fill: light-dark({palette.NEUTRAL_TEXT}, {palette.NEUTRAL_TEXT_DARK}) !important;
}}
button[data-variant="pills"][data-selected="true"] {{ color: light-dark(#A8303D, #EE7F8A) !important; }}
/* Card headings go one level below their section (h3, h4) and keep the size they had as h4 and h5. */
[class*="st-key-claim-"] h3, [class*="st-key-expo-detail-"] h3 {{ font-size: 1.5rem; }}
[class*="st-key-claim-"] h4 {{ font-size: 1.25rem; }}
.st-key-article-detail h2 {{ font-size: 1.5rem; }}
.st-key-opened-paragraph h2, .st-key-provenance h2 {{ font-size: 1.75rem; }}
/* A statement card's capacity (:gray[:small[...]] in the card's head) keeps a caption's line height when it wraps. */
[class*="st-key-statement-"] p:has(> .stMarkdownColoredText:only-child) {{ font-size: 0.875rem; }}
</style>
"""

# The Story, in either mode: the speaker sentence is the slide's second heading, in the size of a lead paragraph;
# Previous, "3 / 10" and Next stay on one line on a phone.
_STORY_CSS = """
<style>
[class*="st-key-slide-sentence"] h2 { font-size: 1.3rem; font-weight: 600; line-height: 1.4; padding: 0.25rem 0; }
.st-key-slide-nav { flex-wrap: nowrap !important; }
.st-key-slide-nav button p { white-space: nowrap; }
.st-key-slide-position p { white-space: nowrap; margin: 0; }
.st-key-slide-position [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
</style>
"""

# The Story presented: one screen per slide, no scrolling at 1280x720 or 1920x1080. The page is a column as tall as
# the viewport; the chart's box takes what the title, sentence, source line and controls leave (its Plotly chart
# stretches to it), and shows the chart drawn for the viewer's screen (present.SCREENS). Extra slide keys (PageDown,
# Space, Home, ...) live on buttons nobody needs to see.
LARGE = f"(min-width: {present.LARGE_FROM[0]}px) and (min-height: {present.LARGE_FROM[1]}px)"
_SLIDE_CSS = f"""
<style>
html {{ font-size: clamp(16px, 1.85vh, 28px); }}
[data-testid="stMainBlockContainer"] {{
  height: 100vh; box-sizing: border-box; padding: 0.6rem 2rem 0.6rem !important; max-width: 100%;
}}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {{ height: 100%; gap: 0.4rem; }}
[data-testid="stLayoutWrapper"]:has(> .st-key-slide-view), .st-key-slide-view {{
  flex: 1 1 0 !important; min-height: 0; gap: 0.4rem;
}}
.st-key-slide-view > * {{ flex-shrink: 0; }}
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-slide-chart-"]), [class*="st-key-slide-chart-"] {{
  flex: 1 1 0 !important; min-height: 0; overflow: hidden;
}}
@media {LARGE} {{
  [data-testid="stLayoutWrapper"]:has(> .st-key-slide-chart-small) {{ display: none !important; }}
}}
@media not all and {LARGE} {{
  [data-testid="stLayoutWrapper"]:has(> .st-key-slide-chart-large) {{ display: none !important; }}
}}
.st-key-slide-title h1 {{ font-size: clamp(1.4rem, min(5.2vh, 4.2vw), 3.2rem); padding: 0; line-height: 1.15; }}
.st-key-slide-sentence h2 {{ font-size: clamp(1rem, min(2.9vh, 2.4vw), 1.9rem); padding: 0; }}
.st-key-slide-provenance-title h2 {{ font-size: clamp(1.1rem, 3.4vh, 2.2rem); padding: 0; }}
.st-key-slide-keys {{ display: none !important; }}
/* Streamlit pulls text up under the next element (-1rem): on a slide the next one is the chart, which would
   cover the sentence's last line. */
:is(.st-key-slide-title, .st-key-slide-sentence, .st-key-slide-source, [class*="st-key-slide-provenance-"])
  :is([data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], p) {{ margin-bottom: 0 !important; }}
.st-key-slide-controls {{ gap: 0.5rem 1rem; }}
</style>
"""


def presenting() -> bool:
    """Presentation mode, read before any widget exists (the page config depends on it)."""
    if PRESENT_KEY in st.session_state:
        return bool(st.session_state[PRESENT_KEY])
    return st.query_params.get(PRESENT_KEY, "").lower() == "true"


def _page_theme_ids() -> tuple[str, ...]:
    """The themes the sidebar filter offers: the OECD principles on a page showing lens=oecd, else the article's."""
    params, _ = link.current()
    return lens_theme_ids(getattr(params, "lens", "article"))


def _theme_changed() -> None:
    link.set_shared(theme=tuple(t for t in _page_theme_ids() if t in (st.session_state.get(THEME_KEY) or [])))


def _present_changed() -> None:
    link.set_shared(present=bool(st.session_state.get(PRESENT_KEY)))


def shared_sidebar() -> None:
    """The filters every page shares; seeded from the link, writing theme ids back to it on every change."""
    _, shared = link.current()
    options = _page_theme_ids()
    lens_dataset = "oecd-themes" if options and options[0] not in theme_ids() else "themes"
    labels = vocab.labels(lens_dataset, "id")
    themes, _ = data.load(lens_dataset)
    if themes is not None:
        labels |= dict(zip(themes["id"], themes["label"], strict=True))
    st.session_state[THEME_KEY] = [t for t in shared.theme if t in options]
    st.session_state[PRESENT_KEY] = shared.present
    with st.sidebar:
        st.multiselect(
            "Themes",
            options=list(options),
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


def exit_presentation_button() -> None:
    """The visible way out of presentation mode."""
    st.button("Exit presentation", key="exit_present", on_click=_leave_presentation, icon=":material/close_fullscreen:")


def _on_story() -> bool:
    params, _ = link.current()
    return params.PAGE == "story"


def presentation_frame() -> None:
    """The styles every page needs and, in presentation mode, no chrome, larger type and a visible way out (the
    Story draws its way out in its own row of controls)."""
    st.html(_BASE_CSS + (_PRESENT_CSS if presenting() else ""))
    if presenting() and not _on_story():
        exit_presentation_button()


def story_style(presented: bool) -> None:
    """The Story's styles; ``presented``: the slide fills one screen."""
    st.html(_STORY_CSS + (_SLIDE_CSS if presented else ""))


def origin() -> str:
    """scheme://host:port of the app as the browser sees it ('' when unknown, as in AppTest)."""
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
    # Filled when opened (one rerun): a page sends no code blocks until someone shares, and loads no highlighter.
    box = st.popover("Share and cite this view", icon=":material/share:", key="share", on_change="rerun")
    if not box.open:
        return
    pinned = pinned_link(entry)
    version = data.data_version()
    accessed = datetime.date.today().isoformat()
    with box:
        st.caption("Link to exactly this view (every choice written out, and the data version)")
        st.code(pinned, language=None, wrap_lines=True)
        st.caption("Citation")
        st.code(citation(entry.title, pinned, version, accessed), language=None, wrap_lines=True)
        st.caption("BibTeX")
        st.code(bibtex(entry.title, pinned, version, accessed), language="bibtex")


def drawn_marker() -> None:
    """An empty element at the end of every run: the first paint (server/firstpaint.py) waits for it, and for the
    first chart, before it gives the page to the live app."""
    st.html(f'<span class="{snapshot.MARKER}" aria-hidden="true"></span>')


def footer(entry: Page) -> None:
    if entry.id == "story" and (presenting() or st.query_params.get("presenter") == "true"):
        return  # a presented slide (or the presenter view) is one screen; sharing and citing are on the Story
    st.divider()
    share_and_cite(entry)
    st.caption(
        f"Policy Lens · data version `{escape_markdown(data.data_version())}` · every figure is traceable to a row of "
        f"the datasets on Sources and method · article: {escape_markdown(article.SHORT_CITATION)}."
    )
