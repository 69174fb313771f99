"""The Story page: one row of controls (Previous, "3 / 10", Next, the way out to the slide's full page), the slide
drawn from its page's View, and, out of presentation mode, the meeting pack and the slides. The slide's view is built
in the core (``policylens.views.story``); presented, it fits one screen (``shell.story_style``).

Keys: Left and Right everywhere; presented, also PageDown and Space (next), PageUp (previous), Home and End (first
and last), through buttons that are never shown.
"""

from __future__ import annotations

import dataclasses
import functools

import streamlit as st

from components import data, link, presenter, shell
from components.chart import chart_config, sent
from components.data import app_data, unavailable
from components.pack import meeting_pack_button
from components.view import draw_blocks, notes, text
from policylens.export import image_support
from policylens.present import HELD, SLOT, SLOTS_STYLE, STEP_KEYS, slot_rules
from policylens.text import escape_markdown
from policylens.views import load_deck, page
from policylens.views.base import Chart, Text, Unavailable, View
from policylens.views.deck import Slide
from policylens.views.kept import built
from policylens.views.story import StoryParams, slide_of


@st.cache_data(show_spinner=False, max_entries=4)
def _slides_pptx(folder: str, version: str, base_url: str) -> bytes:
    """The deck as .pptx, built when first asked for and cached per data (folder, version) and host."""
    from policylens.slides_pptx import deck_pptx  # python-pptx: half a second of imports, paid when asked for

    title, slides = load_deck()
    return deck_pptx(title, slides, app_data(), base_url)


def slides_button(key: str) -> None:
    """Download slides (.pptx), or one sentence saying why it is not offered here."""
    broken = data.broken()
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
    _go_to(slide_of(params, load_deck()[1]).number + delta)


def _go_to(number: int) -> None:
    params, _ = link.current()
    presenter.stop_following()  # a follower who moves their own slide leaves the presenter (a button takes them back)
    count = len(load_deck()[1])
    link.set_page_params(params.replace(slide=min(max(number, 1), count)))


def navigation(slide: Slide, count: int, presented: bool) -> None:
    """One row: Previous, the position ("3 / 10"), Next (they write ``slide`` into the link), the slide's full page
    and, presented, the way out. Previous, the position and Next never wrap apart, even on a phone."""
    first, last = slide.number == 1, slide.number == count
    with st.container(horizontal=True, vertical_alignment="center", key="slide-controls"):
        with st.container(horizontal=True, vertical_alignment="center", width="content", key="slide-nav"):
            st.button(
                "Previous",
                icon=":material/arrow_back:",
                on_click=_go,
                args=(-1,),
                disabled=first,
                key="prev",
                shortcut=STEP_KEYS["prev"][0],
            )
            with st.container(key="slide-position", width="content"):
                st.markdown(f"{slide.number} / {count}", text_alignment="center")
            st.button(
                "Next",
                icon=":material/arrow_forward:",
                on_click=_go,
                args=(1,),
                disabled=last,
                key="next",
                shortcut=STEP_KEYS["next"][0],
            )
        st.page_link(
            slide.script,
            label="Open this view on its full page",
            query_params=slide.query(),
            icon=":material/open_in_new:",
        )
        if presented:
            shell.exit_presentation_button()
    if presented:
        # The other keys a presenter reaches for. Streamlit's Space shortcut goes to the next slide even when another
        # button has the focus (checked in the browser: tests/e2e/test_present.py).
        with st.container(key="slide-keys"):
            for label, key, shortcut, target, disabled in (
                ("Next slide", "next-pagedown", STEP_KEYS["next-pagedown"][0], slide.number + 1, last),
                ("Next slide", "next-space", STEP_KEYS["next-space"][0], slide.number + 1, last),
                ("Previous slide", "prev-pageup", STEP_KEYS["prev-pageup"][0], slide.number - 1, first),
                ("First slide", "first", "Home", 1, first),
                ("Last slide", "last", "End", count, last),
            ):
                st.button(label, key=key, shortcut=shortcut, on_click=_go_to, args=(target,), disabled=disabled)


def presented_chart(block: Chart) -> None:
    """A slide's chart on a screen: as tall as the slide leaves free, its text sized for the screen, and its source
    line; no table or downloads (those are on the full page). It is drawn once per screen size of
    ``present.SCREENS`` (the presented view holds each one, sized when the view was built) and the slide's CSS shows
    the one for the viewer's screen."""
    # Every chart of a presented slide carries its screens (policylens.views.story.presented_blocks): sizing them here
    # would cost 30 to 40 ms of Plotly on every run, uncached.
    assert block.screens, f"a presented chart without its screens: {block.key}"
    for name, figure in block.screens:
        with st.container(key=f"slide-chart-{name}"):
            st.plotly_chart(
                sent(figure),
                key=f"{block.key}-{name}",
                alt=block.alt,
                config=chart_config(block.key, block.csv_name),
                height="stretch",
            )
    with st.container(key="slide-source"):
        st.caption(f"Source: {escape_markdown(block.source)}")


# A presented slide without a chart (the first one) still makes the browser fetch and start Plotly's bundle, with a
# chart drawn where nobody sees it: the first change to a chart slide is then as quick as the later ones (issue 22:
# 1.41 s against 0.23 s on screen before the slide had it; the bundle is 4.7 MB of JavaScript to fetch,
# compile and run, and a first draw). The chart is the next slide's own, at the width that slide draws it, when the
# next slide has one: the first time a text is drawn (tick labels, titles, legend), Plotly measures it with a forced
# layout and the browser shapes it, and both keep what they found; the next slide's chart then finds it kept. With a
# small stand-in chart, the first change took 0.16 to 0.21 s of the browser's main thread against 0.09 to 0.15 s for
# a later change (Chromium traces, the same tab); with the next slide's chart, 0.13 to 0.15 s.
WARMUP_KEY = "plotly-warmup-chart"  # not a chart of the slide (tests leave it out)
WARMUP_SIZE = (320, 200)
# A container drawn where nobody sees it: in the page's column (so it has the column's width, as the next slide's
# chart will), under a box of no height that clips it and takes back the column's gap (``gap``): nothing shows,
# nothing moves, no scrolling is added, no pointer reaches it.
_UNSEEN_CSS = """<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-{key}) {{
  position: relative; height: 0 !important; min-height: 0; overflow: hidden; margin-top: -{gap};
  pointer-events: none; visibility: hidden;
}}
.st-key-{key} {{ position: absolute !important; top: 0; left: 0; right: 0; }}
{screens}
</style>"""
_WARMUP_SCREENS = f"""
@media {shell.LARGE} {{ .st-key-plotly-warmup-small {{ display: none !important; }} }}
@media not all and {shell.LARGE} {{ .st-key-plotly-warmup-large {{ display: none !important; }} }}
"""


@functools.cache
def _warmup_figure():
    """A stand-in where the next slide has no chart: bars with value labels, a legend, a title, an annotation and a
    shape, and a treemap. Plotly's code for each part is compiled the first time a chart uses it."""
    import plotly.graph_objects as go

    figure = go.Figure(
        [
            go.Bar(x=["a", "b"], y=[1, 2], text=["1", "2"], textposition="outside", name="a", xaxis="x", yaxis="y"),
            go.Bar(x=["a", "b"], y=[2, 1], name="b", xaxis="x", yaxis="y"),
            go.Treemap(labels=["r", "s", "t"], parents=["", "r", "r"], values=[0, 1, 2], domain={"x": [0.6, 1]}),
        ]
    )
    figure.update_layout(
        width=WARMUP_SIZE[0],
        height=WARMUP_SIZE[1],
        title={"text": "w", "subtitle": {"text": "u"}},
        xaxis={"domain": [0, 0.5], "title": {"text": "x"}},
        yaxis={"title": {"text": "y"}},
        annotations=[{"text": "n", "x": "a", "y": 2, "showarrow": False}],
        shapes=[{"type": "line", "x0": 0, "x1": 1, "y0": 1, "y1": 1, "xref": "x domain", "yref": "y"}],
        clickmode="event+select",
    )
    return figure


def _next_chart(params: StoryParams, count: int, source) -> Chart | None:
    """The first chart of the slide after this one (None: none)."""
    if params.slide >= count:
        return None
    try:
        view = built(page("story"), params.replace(slide=params.slide + 1), source)
    except Unavailable:
        return None
    return next((b for b in view.blocks if isinstance(b, Chart)), None)


def plotly_warmup(following: Chart | None) -> None:
    """Presented, draw ``following`` (the next slide's chart) where nobody sees it, as that slide will draw it: each
    screen's figure with only the viewer's screen shown. Without one, a stand-in. The slide's chart is as tall as the
    slide leaves free and this one has Plotly's default height: the same tick labels at 1280x720, 1366x900 and
    1920x1080 (checked in Chromium), and the other texts do not depend on the height."""
    gap = "0.4rem"  # the presented column's gap between elements
    if following is None:
        st.html(_UNSEEN_CSS.format(key="plotly-warmup", gap=gap, screens=""))
        with st.container(key="plotly-warmup"):
            st.plotly_chart(
                sent(_warmup_figure()),
                key=WARMUP_KEY,
                config={"displayModeBar": False},
                width=WARMUP_SIZE[0],
                height=WARMUP_SIZE[1],
            )
        return
    config = chart_config(following.key, following.csv_name)  # its mode bar too: drawn with the chart
    # A presented chart always carries its screens (policylens.views.story.presented_blocks; ``presented_chart``).
    st.html(_UNSEEN_CSS.format(key="plotly-warmup", gap=gap, screens=_WARMUP_SCREENS))
    with st.container(key="plotly-warmup"):
        for name, figure in following.screens:
            with st.container(key=f"plotly-warmup-{name}"):
                st.plotly_chart(sent(figure), key=f"{WARMUP_KEY}-{name}", config=config)


# On screen, a slide change shows a slide the browser already has (issue 22). The page draws the current slide and its
# neighbours, each in slot ``number % 3`` of the slide's container (``SLOT``): a slide keeps its slot while it is the
# previous, the current or the next one, and a run draws it there with the same elements and keys (``_in_slot``), so
# Streamlit keeps what the browser drew (an element is keyed by its id, which hashes a chart's figure and options; an
# identical one stays mounted and Plotly does not draw it again). Only the current slot shows; the others are laid
# out at the column's width, out of the flow and hidden (``policylens.present.slot_rules``). The browser moves to a
# neighbour at the key press or click itself (server/slidekeys.py), before the run that writes the link has begun; the
# run then finds the slide drawn and only draws the new neighbour, unseen. A slot ends with an element naming the
# slide it holds (``HELD``), so the browser never shows a slot the server has not filled with the slide it expects.


def _in_slot(view: View, slot: int) -> list:
    """The slide's blocks with their keys made the slot's own: three slides are drawn at once, and keys are unique."""
    return [dataclasses.replace(b, key=f"{b.key}-s{slot}") if getattr(b, "key", "") else b for b in view.blocks]


def slides_in_slots(view: View, params: StoryParams, count: int, source, *, previous: bool) -> None:
    """The current slide and its neighbours, each in its slot (see above); the current one shown. Without
    ``previous`` (the page's first run: a link just opened), the previous slide is left out: a load draws one slide
    more than the slide itself, not two (each a chart to draw), and a later run draws it."""
    number = params.slide
    around = (number - 1, number, number + 1) if previous else (number, number + 1)
    with st.container(key="slide-view"):
        st.html(f"<style>\n{SLOTS_STYLE}\n{slot_rules(number % 3)}\n</style>")
        for slot in range(3):
            with st.container(key=f"{SLOT}{slot}"):
                held = next((n for n in around if n % 3 == slot and 1 <= n <= count), 0)
                if not held:
                    continue
                try:
                    shown = view if held == number else built(page("story"), params.replace(slide=held), source)
                except Unavailable:
                    continue  # the browser does not move to it; the change's run says why
                # A slide is shown, not worked: no widgets and no chart clicks (those belong to the full page).
                draw_blocks(_in_slot(shown, slot), shown.params, interactive=False)
                # Last: while a run replaces a slot's slide, the slot still names the slide it held until the new
                # one's elements have all been sent (the browser never moves to a half-drawn slot).
                current = ' data-current="1"' if held == number else ""
                st.html(f'<span class="{HELD}" data-slide="{held}"{current} aria-hidden="true"></span>')


def presented_slide(blocks, view: View) -> None:
    for block in blocks:
        if isinstance(block, Chart):
            presented_chart(block)
        elif isinstance(block, Text):
            text(block)
        else:
            draw_blocks([block], view.params, interactive=False)


def story_page() -> View | None:
    params, _ = link.current()
    assert isinstance(params, StoryParams)
    if params.presenter:
        return presenter.presenter_page(params)  # notes, next slide and clock; it owns a room (issue 22)
    params = presenter.follow(params)  # a window following a room shows the room's slide
    presented = params.present
    shell.story_style(presented)
    _, slides = load_deck()
    slide = slide_of(params, slides)
    navigation(slide, len(slides), presented)
    presenter.follow_bar(params)
    source = app_data()
    view: View | None
    try:
        view = built(page("story"), params, source)
    except Unavailable as err:
        view = None
        with st.container(key="slide-view"):
            st.title(escape_markdown(slide.title))
            unavailable(err, "This slide")  # the sentence escaped like any text, root cause first
    if view is not None:
        notes(view, source.version)
        if presented:
            # The slide fills the screen; speaker notes (notes=true, a presenter's second screen) follow below it.
            keys = [getattr(b, "key", "") for b in view.blocks]
            cut = keys.index("speaker-notes") if "speaker-notes" in keys else len(keys)
            with st.container(key="slide-view"):
                presented_slide(view.blocks[:cut], view)
            draw_blocks(view.blocks[cut:], view.params, interactive=False)
        else:
            # The last run drew the Story (a change, a follower's move): its slides are in the browser, keep them all.
            last = st.session_state.get("_link_view")
            slides_in_slots(view, params, len(slides), source, previous=getattr(last, "page", "") == "story")
        st.session_state["_link_view"] = view
    if not presented:
        meeting_pack_button("story-pack")
        slides_button("story-pptx")
    if presented and not _has_chart(view):
        # Presented, a slide without a chart draws the next slide's charts unseen; last, so the slide is drawn first.
        plotly_warmup(_next_chart(params, len(slides), source))
    return view


def _has_chart(view: View | None) -> bool:
    return view is not None and any(isinstance(b, Chart) for b in view.blocks)
