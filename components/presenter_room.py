"""The presenter view's room (issue 22): which rooms this session holds, keeping the room and this window on the same
slide, and pairing a phone as the presenter's remote.

A session holds a room when it has one of the room's secrets in ``_owned()`` (the session that made the room, or one
that typed a pairing PIN); no link, page, preview or log carries a secret. Two holders (the laptop and its phone) must
not fight over the slide, so a holder reads before it writes: when this window still shows the slide it last wrote
and the room shows another one, the other holder moved, and this window moves to the room's slide; only a move made
in this window (its slide differs from the one it last wrote) is written. A holder is also registered with
components/follow_push.py, so the laptop redraws at once when the phone moves it; the clock's fragment reads the room
every second in case a notice was lost.

Pairing: the owner's "Use a phone as remote" popover shows the remote link (``/story?presenter=true&room=CODE``, no
secret in it) and its QR code, and, only while the popover is open, a six-digit PIN from the store (valid two minutes,
once). The phone opens the link and types the PIN; the store gives its session a secret of its own.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import io
import secrets
import time

import streamlit as st

from components import follow_push, link, shell
from policylens import rooms
from policylens.views import load_deck
from policylens.views.story import StoryParams

TOUCH_SECONDS = 60  # a holder writes its slide again this often, keeping the room alive

_OWNED = "_rooms_owned"  # code -> secret, of the rooms this session holds (never in a link or on a page)
_OFFLINE = "_presenter_room_offline"
_WRITTEN = "_presenter_written"  # (code, slide, time) last written to (or read from) the room by this window
_PIN = "_presenter_pin"  # (code, pin, wall-clock end) of the PIN this window showed, while it is valid
_PAIR_SAID = "_presenter_pair_said"  # what the last PIN typed here came to, in one sentence
_PIN_INPUT = "presenter-pin"

OFFLINE_SENTENCE = (
    "The room is offline: this window keeps working, and the audience catches up as soon as the room is back."
)


def owned() -> dict[str, str]:
    return st.session_state.setdefault(_OWNED, {})


def _write(code: str, number: int) -> None:
    """Write the slide to the room; on a lost store, remember it (the clock says so and tries again). A room that
    refuses this window's secret (the store lost it and another holder made it again) is no longer held."""
    secret = owned().get(code)
    if secret is None:
        return
    try:
        accepted = rooms.store().move(code, secret, number)
    except rooms.RoomsOffline:
        st.session_state[_OFFLINE] = True
        return
    st.session_state[_OFFLINE] = False
    if not accepted:
        owned().pop(code, None)
        return
    st.session_state[_WRITTEN] = (code, number, time.monotonic())


def to_room_slide(params: StoryParams, number: int) -> StoryParams:
    """The window's link moved to the room's slide ``number`` (within the deck): a holder taking the other holder's
    move, a follower taking the presenter's."""
    params = params.replace(slide=min(max(number, 1), len(load_deck()[1])))
    link.set_page_params(params)
    return params


def sync(params: StoryParams) -> StoryParams:
    """A holder's window and its room on one slide: this window's own move is written, another holder's is taken.
    Returns the params of the slide to show. Nothing for a window that does not hold its room."""
    code = params.room
    if code not in owned():
        follow_push.leave()
        return params
    follow_push.follow(code, params.slide)  # before reading: a move from here on reruns this window
    written = st.session_state.get(_WRITTEN)
    if written and written[:2] == (code, params.slide):  # no move here since the last write: read first
        try:
            number = rooms.store().slide(code)
        except rooms.RoomsOffline:
            st.session_state[_OFFLINE] = True
            return params
        if number is not None and number != params.slide:  # the other holder moved
            params = to_room_slide(params, number)
            st.session_state[_WRITTEN] = (code, params.slide, time.monotonic())
            follow_push.follow(code, params.slide)
            return params
        fresh = time.monotonic() - written[2] < TOUCH_SECONDS
        if number is not None and fresh and not st.session_state.get(_OFFLINE):
            return params
    _write(code, params.slide)  # a move here, a room to touch or to make again, or a store that is back
    return params


def keep(code: str) -> None:
    """The clock fragment's part, every second: the room read (or written again), the window moved when the other
    holder moved and no notice came, and the offline sentence."""
    params, _ = link.current()
    if code in owned() and params.room == code:
        slide = params.slide
        if sync(params).slide != slide:
            st.rerun()  # the whole view draws the room's slide
    if st.session_state.get(_OFFLINE):
        st.warning(OFFLINE_SENTENCE, icon=":material/cloud_off:")


def new_room(params: StoryParams) -> StoryParams:
    """A room for this presenter view: made in the store (or, offline, a code kept until the store is back)."""
    try:
        code, secret = rooms.store().create(params.slide)
        st.session_state[_OFFLINE] = False
    except rooms.RoomsOffline:
        code, secret = rooms.new_code(), secrets.token_urlsafe(24)
        st.session_state[_OFFLINE] = True
    owned()[code] = secret
    params = params.replace(room=code)
    link.set_page_params(params)
    return params


def _take_new_room() -> None:
    params, _ = link.current()
    new_room(params)


@functools.lru_cache(maxsize=64)
def qr_image(url: str) -> str:
    """The QR code of ``url`` as a PNG in a data: address, made once per link (the presenter view draws two on every
    run, and making one took about 10 ms of CPU, a third of that run). Not through Streamlit's media files: a full
    run drops the session's hold on its pictures when it starts, and another session's run ending before this one
    drew the code again deleted it, so a window asking for it then met a 404 (seen once in `make test`, 2026-12-07).
    The Content-Security-Policy allows data: pictures (server/headers.py)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# ---------------------------------------------------------------------------------------------------- pairing


def _new_pin(code: str) -> None:
    """A fresh PIN from the store for this window to show (the one before it is void)."""
    st.session_state.pop(_PIN, None)
    secret = owned().get(code)
    if secret is None:
        return
    try:
        pin = rooms.store().pair_pin(code, secret)
    except rooms.RoomsOffline:
        return
    if pin:
        st.session_state[_PIN] = (code, pin, time.time() + rooms.PAIR_SECONDS)


def _live_pin(code: str) -> tuple[str, float] | None:
    shown = st.session_state.get(_PIN)
    if shown and shown[0] == code and time.time() < shown[2]:
        return shown[1], shown[2]
    return None


def remote_popover(code: str) -> None:
    """The owner's "Use a phone as remote": the remote link, its QR code and, only while open, a PIN."""
    remote = f"{shell.origin()}/story?presenter=true&room={code}"
    popover = st.popover("Use a phone as remote", icon=":material/smartphone:", key="presenter-remote",
                         on_change="rerun")  # fmt: skip
    with popover:
        st.markdown("On the phone, open this link (or scan the code), then type the PIN below:")
        st.code(remote, language=None, wrap_lines=True)
        st.image(qr_image(remote), width=220, caption=f"Room {code}")
        if not popover.open:  # the PIN is drawn only while someone looks at it
            return
        if _live_pin(code) is None:
            _new_pin(code)
        live = _live_pin(code)
        if live is None:
            st.caption("No PIN now: the room is offline. Try again in a moment.")
        else:
            pin, until = live
            with st.container(key="presenter-remote-pin"):
                st.markdown(f"## {pin[:3]} {pin[3:]}")
            ends = dt.datetime.fromtimestamp(until).astimezone().strftime("%H:%M:%S")
            st.caption(f"PIN valid for 2 minutes, once (until {ends} on this server's clock).")
        st.button("New PIN", key="presenter-new-pin", on_click=_new_pin, args=(code,), icon=":material/refresh:")
        st.caption("The phone then moves the slides with this window; a follower's link never can.")


def _pair() -> None:
    """The PIN typed in a window that does not hold its room: right, the window holds it (on the room's slide)."""
    params, _ = link.current()
    typed = str(st.session_state.get(_PIN_INPUT, ""))
    st.session_state[_PIN_INPUT] = ""
    code, pin = params.room, rooms.normal_pin(typed)
    try:
        secret = rooms.store().pair(code, pin) if pin else None
        left = 0 if secret else rooms.store().pin_tries(code)
        number = rooms.store().slide(code) if secret else None
    except rooms.RoomsOffline:
        st.session_state[_PAIR_SAID] = "The room is offline: try the PIN again in a moment."
        return
    if secret is None:
        st.session_state[_PAIR_SAID] = (
            f"That PIN is not right: {left} {'try' if left == 1 else 'tries'} left before it is void."
            if left
            else "That PIN does not open this room (wrong, used or expired): ask the presenter for a new one."
        )
        return
    st.session_state.pop(_PAIR_SAID, None)
    owned()[code] = secret
    params = to_room_slide(params, number or params.slide)
    st.session_state[_WRITTEN] = (code, params.slide, time.monotonic())


def not_held(code: str) -> None:
    """What a presenter view that does not hold its room offers: a PIN to take control, or a room of its own."""
    st.info(
        f"This window does not hold room {code} (it was opened from a link or reloaded), so it moves only itself.",
        icon=":material/info:",
    )
    with st.form("presenter-pair", border=False, enter_to_submit=True):
        st.text_input("Enter the PIN shown on the presenter's laptop to control this room", key=_PIN_INPUT,
                      max_chars=7, placeholder="123 456", autocomplete="off")  # fmt: skip
        st.form_submit_button("Control this room", on_click=_pair, type="primary", icon=":material/phonelink:")
    said = st.session_state.get(_PAIR_SAID)
    if said:
        st.error(said, icon=":material/pin:")
    st.caption("Or take a new room, then open the audience window again.")
    st.button("Take a new room", key="presenter-new-room", on_click=_take_new_room)
