"""The presenter view (``/story?presenter=true``) and the windows that follow it (``/story?room=CODE``); issue 22.

The presenter view shows the current slide small, the next one smaller, the speaker notes large, the elapsed time and
the clock, and the slide list to jump from; the keys are the slides' keys. It owns a room (policylens/rooms.py): its
session holds the room's secret, which no link, page, preview or log ever carries, and every slide change writes the
slide number to the room. A phone paired with a PIN ("Use a phone as remote") holds a secret of its own and moves the
room too (components/presenter_room.py: the room's part of this view, and pairing). The audience window
(``present=true&room=CODE``) and anyone's laptop or phone (``room=CODE``, the "Follow the presenter" link and QR
code) follow: the server reruns a following session as soon as its room moves (components/follow_push.py), and a
fragment reads the room every ``SAFETY_SECONDS`` in case a notice was lost (every ``FOLLOW_SECONDS`` where the server
cannot push). A follower who moves their own slide stops following and gets a button back. A follower's window only
reads the slide number; it never moves the room.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from zoneinfo import ZoneInfo

import plotly.graph_objects as go
import streamlit as st

from components import follow_push, link, presenter_room, shell
from components.chart import chart_config, coloured, derived, sent
from components.data import app_data
from components.view import draw_blocks, text
from policylens import rooms
from policylens.text import escape_markdown
from policylens.views import load_deck, page
from policylens.views.base import Chart, Text, Unavailable, View
from policylens.views.kept import built
from policylens.views.notes import notes_of
from policylens.views.story import StoryParams

FOLLOW_SECONDS = 0.2  # how often a follower's window reads its room's slide where the server cannot push
SAFETY_SECONDS = 5.0  # ...and where it pushes: only a notice lost on the way (one read per follower, not a rerun)

_STARTED = "_presenter_started"
_FOLLOW = "_follow"  # {"room": code, "on": bool} of a follower's window

_PRESENTER_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 1.5rem 1rem !important; max-width: 100%; }
.st-key-presenter-bar { gap: 0.5rem 1.25rem; }
.st-key-presenter-clock p { font-size: 1.6rem; font-variant-numeric: tabular-nums; margin: 0; white-space: nowrap; }
.st-key-presenter-current-slide-title h1 { font-size: 1.5rem; padding: 0; }
.st-key-presenter-current-slide-sentence h2 { font-size: 1.05rem; padding: 0; }
.st-key-presenter-next-slide-title h1 { font-size: 1.1rem; padding: 0; }
.st-key-presenter-next-slide-sentence h2 { font-size: 0.9rem; padding: 0; font-weight: 500; }
.st-key-presenter-next { opacity: 0.85; }
.st-key-presenter-notes p, .st-key-presenter-notes li { font-size: 1.45rem; line-height: 1.45; }
.st-key-presenter-notes .st-key-presenter-figures p,
.st-key-presenter-notes .st-key-presenter-figures li { font-size: 0.95rem; line-height: 1.35; }
.st-key-presenter-list button { justify-content: flex-start; text-align: left; }
.st-key-presenter-list button p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.st-key-slide-keys { display: none !important; }
</style>
"""


# ---------------------------------------------------------------------------------------------------- drawing


def _go(number: int) -> None:
    params, _ = link.current()
    count = len(load_deck()[1])
    link.set_page_params(params.replace(slide=min(max(number, 1), count)))


def _controls(number: int, count: int) -> None:
    """Previous, the position, Next, and the slides' other keys on buttons nobody needs to see."""
    first, last = number == 1, number == count
    with st.container(horizontal=True, vertical_alignment="center", width="content", key="slide-nav"):
        st.button("Previous", icon=":material/arrow_back:", on_click=_go, args=(number - 1,), disabled=first,
                  key="prev", shortcut="Left")  # fmt: skip
        with st.container(key="slide-position", width="content"):
            st.markdown(f"{number} / {count}", text_alignment="center")
        st.button("Next", icon=":material/arrow_forward:", on_click=_go, args=(number + 1,), disabled=last,
                  key="next", shortcut="Right")  # fmt: skip
    with st.container(key="slide-keys"):
        for label, key, shortcut, target, disabled in (
            ("Next slide", "next-pagedown", "PageDown", number + 1, last),
            ("Next slide", "next-space", "Space", number + 1, last),
            ("Previous slide", "prev-pageup", "PageUp", number - 1, first),
            ("First slide", "first", "Home", 1, first),
            ("Last slide", "last", "End", count, last),
        ):
            st.button(label, key=key, shortcut=shortcut, on_click=_go, args=(target,), disabled=disabled)


def _clock_text(started: float) -> str:
    elapsed = int(time.time() - started)
    try:
        zone = ZoneInfo(st.context.timezone) if st.context.timezone else None
    except Exception:  # an unknown zone name from the browser: the server's clock
        zone = None
    now = dt.datetime.now(zone)
    return f"{elapsed // 3600}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d} · {now:%H:%M}"


@st.fragment(run_every=1)
def _clock_and_room(code: str) -> None:
    """Elapsed time and clock, every second; the room read and written as ``presenter_room.keep`` says."""
    with st.container(key="presenter-clock", width="content"):
        st.markdown(_clock_text(st.session_state.setdefault(_STARTED, time.time())), help="Elapsed time · clock")
    presenter_room.keep(code)


def _restart_timer() -> None:
    st.session_state[_STARTED] = time.time()


def _follow_popover(code: str) -> None:
    follow = f"{shell.origin()}/story?room={code}"
    with st.popover("Follow the presenter", icon=":material/qr_code_2:", key="presenter-follow"):
        st.markdown("People in the room open this link, or scan the code, to follow the slides on their own screen:")
        st.code(follow, language=None, wrap_lines=True)
        st.image(presenter_room.qr_image(follow), width=260, caption=f"Room {code}")
        st.caption("Following only shows the slides: a follower cannot move them for anyone else.")


def _preview(number: int, where: str, chart_height: int) -> None:
    """Slide ``number`` as the audience sees it, small: title, sentence and its one block (a chart, or cards)."""
    source = app_data()
    try:
        view = built(page("story"), StoryParams(slide=number, present=True), source)
    except Unavailable as err:
        st.caption(escape_markdown(err.sentence))
        return
    for block in view.blocks:
        if isinstance(block, Chart):
            figure = derived(coloured(block.figure), "presenter-thumbnail", _thumbnail)
            st.plotly_chart(
                sent(figure),
                key=f"presenter-{where}-{block.key}",
                alt=block.alt,
                config={**chart_config(block.key, block.csv_name), "staticPlot": True},
                height=chart_height,
            )
        elif isinstance(block, Text):
            text(dataclasses.replace(block, key=f"presenter-{where}-{block.key}" if block.key else ""))
        elif where == "current":
            draw_blocks([block], view.params, interactive=False)
        else:  # the next slide's cards would repeat the keys of a page's cards: named, not drawn
            st.caption("Then the page's cards, as on the slide.")


def _thumbnail(fig: go.Figure) -> go.Figure:
    """A slide's chart small: the builder's own text sizes, without its title (the slide's title is above it)."""
    fig = go.Figure(fig)
    fig.layout.title.text = None
    fig.layout.height = None
    fig.layout.margin.t = 24
    return fig


def _notes(number: int) -> None:
    _, slides = load_deck()
    slide = slides[number - 1]
    written = notes_of(slide)
    with st.container(key="presenter-notes"):
        st.markdown(escape_markdown(written.say) if written.say else "No notes: say the slide's sentence.")
        if written.figures:
            with st.container(key="presenter-figures"):
                st.markdown("\n".join("- " + escape_markdown(line.removeprefix("- ")) for line in written.figures))


def _slide_list(number: int) -> None:
    _, slides = load_deck()
    with st.container(key="presenter-list", gap="small"):
        for slide in slides:
            st.button(
                f"{slide.number}. {slide.title}",
                key=f"jump-{slide.number}",
                on_click=_go,
                args=(slide.number,),
                type="primary" if slide.number == number else "secondary",
                width="stretch",
            )


def presenter_page(params: StoryParams) -> View | None:
    """The presenter view; the room is made on its first run, and each run first puts this window and its room on
    one slide (``presenter_room.sync``: this window's move is written, the other holder's is taken)."""
    st.html(_PRESENTER_CSS)
    if not params.room:
        params = presenter_room.new_room(params)
    code = params.room
    params = presenter_room.sync(params)  # first thing in the run: followers read it while this window draws
    owner = code in presenter_room.owned()
    _, slides = load_deck()
    count, number = len(slides), params.slide

    with st.container(horizontal=True, vertical_alignment="center", key="presenter-bar"):
        _controls(number, count)
        _clock_and_room(code)
        st.button("Restart timer", key="presenter-timer", on_click=_restart_timer, icon=":material/timer:")
        audience = f"{shell.origin()}/story?present=true&room={code}"
        st.link_button("Open the audience window", audience, icon=":material/present_to_all:", type="primary")
        _follow_popover(code)
        if owner:
            presenter_room.remote_popover(code)
    if not owner:
        presenter_room.not_held(code)

    left, right = st.columns([11, 9], gap="medium")
    with left:
        st.caption(f"Now: slide {number} of {count}")
        with st.container(key="presenter-current", border=True, height=390):
            _preview(number, "current", 250)
        if number < count:
            st.caption(f"Next: slide {number + 1}")
            with st.container(key="presenter-next", border=True, height=230):
                _preview(number + 1, "next", 130)
        else:
            st.caption("Next: the end of the deck")
    with right:
        st.caption("Speaker notes")
        with st.container(height=400, border=False, key="presenter-notes-box"):
            _notes(number)
        st.caption("Slides: click one to jump to it")
        with st.container(height=240, border=False, key="presenter-list-box"):
            _slide_list(number)
    try:
        view = built(page("story"), params, app_data())
    except Unavailable:
        return None
    st.session_state["_link_view"] = view
    return view


# ---------------------------------------------------------------------------------------------------- followers


def follow(params: StoryParams) -> StoryParams:
    """A follower's window (``room=`` without ``presenter=true``): on the room's slide while following."""
    if not params.room or params.presenter:
        return params
    state = st.session_state.get(_FOLLOW)
    if not state or state["room"] != params.room:
        state = st.session_state[_FOLLOW] = {"room": params.room, "on": True, "missing": False}
    if not state["on"]:
        follow_push.leave()
        return params
    # Registered before reading: a move from here on reruns this session once this run is over, unless the run
    # read the moved slide itself.
    state["pushed"] = follow_push.follow(params.room, params.slide)
    try:
        number = rooms.store().slide(params.room)
    except rooms.RoomsOffline:
        return params  # keep the slide; the room's notice (or the poll) catches up when it is back
    state["missing"] = number is None
    if number is not None and number != params.slide:
        params = presenter_room.to_room_slide(params, number)
        if state["pushed"]:
            follow_push.follow(params.room, params.slide)
    return params


def stop_following() -> None:
    """The follower moved their own slide: they leave the presenter (a button takes them back)."""
    state = st.session_state.get(_FOLLOW)
    params, _ = link.current()
    if state and not getattr(params, "presenter", False):
        state["on"] = False
        follow_push.leave()


def _follow_again() -> None:
    state = st.session_state.get(_FOLLOW)
    if state:
        state["on"] = True  # this run's ``follow`` takes the room's slide


@st.fragment(run_every=FOLLOW_SECONDS)
def _poll() -> None:
    """Where the server cannot push: reads the room's slide often (see ``_read_room``)."""
    _read_room()


@st.fragment(run_every=SAFETY_SECONDS)
def _poll_seldom() -> None:
    """Where the server pushes: reads the room's slide now and then, in case a notice was lost."""
    _read_room()


def _read_room() -> None:
    """Reads the room's slide; when the presenter moved, the window moves (a full run draws the new slide)."""
    state = st.session_state.get(_FOLLOW)
    params, _ = link.current()
    if not state or not state["on"] or getattr(params, "room", "") != state["room"]:
        return
    try:
        number = rooms.store().slide(state["room"])
    except rooms.RoomsOffline:
        return
    if number is not None and number != params.slide:
        presenter_room.to_room_slide(params, number)
        st.rerun()


def follow_bar(params: StoryParams) -> None:
    """What a follower's window says about its room, and the button back when they stopped following."""
    state = st.session_state.get(_FOLLOW)
    if not params.room or params.presenter or not state:
        return
    if state["on"]:
        with st.sidebar:
            (_poll_seldom if state.get("pushed") else _poll)()
    if state["on"] and state.get("missing"):
        st.caption(
            f"Room {params.room} is not open (it ended, or the code is mistyped): these slides move on their own."
        )
    elif state["on"] and not params.present:
        st.caption(f"Following the presenter (room {params.room}): the slides move with theirs.")
    elif not state["on"]:
        with st.container(horizontal=True, vertical_alignment="center", key="follow-again-row"):
            st.caption("You moved on your own, so this window stopped following the presenter.")
            st.button("Follow the presenter again", key="follow-again", on_click=_follow_again,
                      icon=":material/sync:", type="primary")  # fmt: skip
