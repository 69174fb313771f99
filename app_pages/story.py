"""Story: an ordered deck of live slides for presenting the article's evidence in a meeting."""

import streamlit as st

from components.pack import meeting_pack_button
from components.story import slide_view
from policylens.story import load_deck
from policylens.text import escape_markdown as md

SLIDE_KEY = "slide"
deck_title, slides = load_deck()
count = len(slides)


def _step(delta: int) -> None:
    current = int(st.session_state.get(SLIDE_KEY) or 1)
    st.session_state[SLIDE_KEY] = min(max(current + delta, 1), count)


st.caption(md(deck_title))
previous, position, total, following = st.columns([2, 2, 1, 2], vertical_alignment="center")
number = position.number_input(
    "Slide", min_value=1, max_value=count, step=1, key=SLIDE_KEY, bind="query-params", label_visibility="collapsed"
)
slide = slides[int(number or 1) - 1]
total.markdown(f"of {count}")
previous.button(
    "Previous", icon=":material/arrow_back:", on_click=_step, args=(-1,), disabled=slide.number == 1, key="prev"
)
following.button(
    "Next", icon=":material/arrow_forward:", on_click=_step, args=(1,), disabled=slide.number == count, key="next"
)

with st.container(key="slide-view"):
    st.title(md(slide.title))
    st.markdown(f"#### {md(slide.sentence)}")
    slide_view(slide)

st.page_link(
    slide.script,
    label="Open this view on its full page",
    query_params=slide.query(),
    icon=":material/open_in_new:",
)
meeting_pack_button("story-pack")
