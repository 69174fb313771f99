"""The link is the state: read it into ``Params`` once per run, write canonical ids back on every change.

Widgets are not bound to the link by Streamlit (a bound select would write its displayed words, not its ids, into
the link). Each widget is seeded from the parsed parameters on every run and writes the ids back in its callback.
On a page switch, the shared parameters (theme, present) carry over from the session; the old page's own
parameters are left behind.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from policylens.views import Page
from policylens.views.base import Params
from policylens.views.shared import SharedParams

_PAGE = "_link_page"
_SHARED = "_link_shared"
_PARAMS = "_link_params"
_QUERY = "_link_query"  # the address the view is at, as a query string (``query_string``)


def raw_query() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def query_string() -> str | None:
    """The address this session's view is at, as a query string: what its last full run read (and wrote), or what a
    callback or fragment wrote since; None before a run. Not ``st.query_params`` in a fragment's run: that is the
    address the browser sent with the fragment's request, which can be older (a clock's tick asked for before the
    browser heard the click's new address). components/follow_push.py reruns a session with this one."""
    return st.session_state.get(_QUERY)


def _remember_query() -> None:
    ctx = get_script_run_ctx()
    query = getattr(ctx, "query_string", None)  # Streamlit's own record of the run's address, written links included
    if isinstance(query, str):
        st.session_state[_QUERY] = query


def _history_navigation() -> bool:
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


# After a server restart an open tab reconnects by itself, but Streamlit's frontend asks the new server for a run only
# when the page holds a fragment that reruns on a timer (or a run was under way); otherwise the tab keeps the old
# server's drawing and the new server never draws the view. An empty fragment on every page makes each tab ask, so
# the view is drawn again from the link in its address bar (tests/e2e/test_restart.py). Its own timer does nothing.
REDRAW_TIMER_SECONDS = 86_400


@st.fragment(run_every=REDRAW_TIMER_SECONDS)
def _redraw_after_reconnect() -> None:
    """Draws nothing: its timer is what makes a reconnected tab ask for a run."""


def read(page: Page) -> tuple[Params, SharedParams]:
    """This run's parameters of ``page`` and the shared ones, from the link (kept in the session for callbacks)."""
    with st.sidebar:
        _redraw_after_reconnect()
    query = raw_query()
    switched = st.session_state.get(_PAGE) not in (None, page.id) and not _history_navigation()
    st.session_state[_PAGE] = page.id
    shared = SharedParams.from_query(query)
    if switched:
        before: SharedParams = st.session_state.get(_SHARED) or SharedParams()
        carried = {name: getattr(before, name) for name in SharedParams.link_names() if name not in query}
        shared = shared.replace(**carried) if carried else shared
        own = set(page.params.link_names())
        params = page.params.from_query({k: v for k, v in query.items() if k in own})
        write(params, shared)
    else:
        params = page.params.from_query(query)
        if params.dropped or shared.dropped:
            # The page says which values it ignored (components.view.notes); the link bar shows what is shown.
            write(params.with_shared(shared), shared, keep=[("v", v) for v in query.get("v", [])[:1]])
    params = params.with_shared(shared)
    st.session_state[_SHARED] = shared
    st.session_state[_PARAMS] = params
    _remember_query()
    return params, shared


def current() -> tuple[Params, SharedParams]:
    return st.session_state[_PARAMS], st.session_state[_SHARED]


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def write(
    params: Params | None = None, shared: SharedParams | None = None, keep: list[tuple[str, str]] | None = None
) -> None:
    """Make the link say exactly these parameters (defaults left out), in canonical order, and ``keep``."""
    shared = shared if shared is not None else st.session_state[_SHARED]
    params = (params if params is not None else st.session_state[_PARAMS]).with_shared(shared)
    if "theme" in params.link_names() and getattr(params, "theme", ()) != shared.theme:
        shared = shared.replace(theme=params.theme)  # the filter keeps only the themes this view can show
    st.session_state[_PARAMS], st.session_state[_SHARED] = params, shared
    wanted = _grouped([*params.to_query(), *shared.to_query(), *(keep or [])])
    if wanted != raw_query():
        st.query_params.from_dict(wanted)
    _remember_query()


def set_page_params(params: Params) -> None:
    write(params, st.session_state[_SHARED])


def set_shared(**changes) -> None:
    write(st.session_state[_PARAMS], st.session_state[_SHARED].replace(**changes))


def pinned_query(params: Params, shared: SharedParams, version: str) -> list[tuple[str, str]]:
    """Every parameter of the view written out, and the data version: the link of "Share and cite this view"."""
    return [*params.to_query(pinned=True), *shared.to_query(pinned=True), ("v", version)]
