"""The Story page: the slide's position, Previous and Next, the slide drawn from its page's View, the way out to
that page, and the meeting pack. The slide's view is built in the core (``policylens.views.story``)."""

from __future__ import annotations

import streamlit as st

from components import data, link, shell
from components.pack import meeting_pack_button
from components.view import app_data, draw_blocks, notes
from policylens.story import Slide, load_deck
from policylens.text import escape_markdown as md
from policylens.views import page
from policylens.views.base import Unavailable, View
from policylens.views.story import StoryParams, slide_of


@st.cache_data(show_spinner=False, max_entries=4)
def _slides_pptx(folder: str, version: str, base_url: str) -> bytes:
    """The deck as .pptx, built when first asked for and cached per data (folder, version) and host."""
    from policylens.slides_pptx import deck_pptx

    title, slides = load_deck()
    return deck_pptx(title, slides, app_data(), base_url)


def slides_button(key: str) -> None:
    """Download slides (.pptx), or one sentence saying why it is not offered here."""
    from policylens.datasets import DATASET_IDS
    from policylens.export import image_support

    broken = [d for d in DATASET_IDS if data.load(d)[0] is None]
    reason = image_support()
    if broken:
        st.caption(f"The slides (.pptx) are unavailable while these datasets are invalid: {', '.join(broken)}.")
        return
    if reason:
        st.caption("The slides (.pptx) are unavailable here: the server cannot draw their charts.", help=reason)
        return
    version, origin, folder = data.data_version(), shell.origin(), str(data.data_dir())
    st.download_button(
        "Download slides (.pptx)",
        data=lambda: _slides_pptx(folder, version, origin),
        file_name=f"policy-lens-slides-{version}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key=key,
        icon=":material/slideshow:",
        on_click="ignore",
        help="The story as a 16:9 PowerPoint deck: each slide's chart as a picture drawn from the same figure, "
        "its sentence and source line, and the speaker notes.",
    )


def _go(delta: int) -> None:
    params, _ = link.current()
    count = len(load_deck()[1])
    number = min(max(slide_of(params).number + delta, 1), count)
    link.set_page_params(params.replace(slide=number))


def navigation(slide: Slide, count: int) -> None:
    """The position ("3 / 10") between Previous and Next, which write ``slide`` into the link (arrow keys too)."""
    previous, position, following = st.columns([2, 1, 2], vertical_alignment="center")
    previous.button(
        "Previous",
        icon=":material/arrow_back:",
        on_click=_go,
        args=(-1,),
        disabled=slide.number == 1,
        key="prev",
        shortcut="Left",
    )
    with position.container(key="slide-position"):
        st.markdown(f"{slide.number} / {count}", text_alignment="center")
    following.button(
        "Next",
        icon=":material/arrow_forward:",
        on_click=_go,
        args=(1,),
        disabled=slide.number == count,
        key="next",
        shortcut="Right",
    )


def story_page() -> View | None:
    params, _ = link.current()
    assert isinstance(params, StoryParams)
    _, slides = load_deck()
    slide = slide_of(params)
    navigation(slide, len(slides))
    source = app_data()
    view: View | None
    try:
        view = page("story").build(params, source)
    except Unavailable as err:
        view = None
        with st.container(key="slide-view"):
            st.title(md(slide.title))
            st.error(f"This slide cannot show the **{err.dataset_id}** data. {err.sentence}", icon=":material/error:")
    if view is not None:
        notes(view, source.version)
        with st.container(key="slide-view"):
            # A slide is shown, not worked: no widgets and no chart clicks (those belong to the full page).
            draw_blocks(view.blocks, view.params, interactive=False)
        st.session_state["_link_view"] = view
    st.page_link(
        slide.script,
        label="Open this view on its full page",
        query_params=slide.query(),
        icon=":material/open_in_new:",
    )
    meeting_pack_button("story-pack")
    slides_button("story-pptx")
    return view
