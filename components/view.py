"""Draw a ``View``: every block in order, its controls seeded from the link and writing ids back to it.

A page script is one call: ``render("expo")``. The story draws a compact layout of the same views.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from components import data, link
from components.chart import chart_card
from policylens.selection import selection_points
from policylens.text import escape_markdown as md
from policylens.views import Page, page
from policylens.views.base import Chart, Control, Data, Params, Records, Table, Text, Unavailable, View

# Record kind -> the function that draws one ``Records`` block. Component modules register theirs with ``records``.
RECORD_DRAWERS: dict[str, Callable[[Records], None]] = {}


def records(kind: str):
    def register(draw: Callable[[Records], None]) -> Callable[[Records], None]:
        RECORD_DRAWERS[kind] = draw
        return draw

    return register


def app_data() -> Data:
    """The datasets through the app's cache, loaded as a view asks for them."""
    return Data(
        version=data.data_version(), loader=data.load, provenance_loader=data.provenance, data_dir=data.data_dir()
    )


# A view is a value of its page, parameters and data: built once, drawn for every session that asks for it again
# (a click back, a second visitor, the slide of a page). Research's build is about 160 ms of pandas; a repeat is free.
# Drawing never changes a view (chart cards copy their figure), so one View serves every session.
VIEWS_KEPT = 64


# One build of a view at a time: the sessions that ask for the same new view at once (a shared link opened in a
# meeting, ten viewers clicking the same bar) wait for the first build and take it, instead of each building their own
# (50 sessions clicking at once built each new view ten times). Builds are CPU work under one interpreter lock, so
# serialising the ones that share a lock costs little. A build never asks for another view, so the locks never nest.
BUILD_LOCKS = tuple(threading.Lock() for _ in range(16))


@functools.lru_cache(maxsize=VIEWS_KEPT)
def _built(page_id: str, params: Params, version: str, folder: str) -> View:
    return page(page_id).build(params, app_data())


def built(entry: Page, params: Params, source: Data) -> View:
    """``entry.build(params, source)``, kept per page, parameters and data version. A page that cannot be built
    (``Unavailable``) is not kept: it says so again on the next run, and works as soon as its data does."""
    try:
        hash(params)
    except TypeError:  # parameters that cannot be a key (none today): build as before
        return entry.build(params, source)
    key = (entry.id, params, source.version, str(source.data_dir))
    with BUILD_LOCKS[hash(key) % len(BUILD_LOCKS)]:
        view = _built(*key)
    if view.params.dropped != params.dropped:  # the same view, asked for by a link that carried other junk
        view = dataclasses.replace(view, params=dataclasses.replace(view.params, dropped=params.dropped))
    return view


# ---------------------------------------------------------------------------------------------------- controls


def _on_change(name: str, widget: str) -> Callable[[], None]:
    def copy() -> None:
        params, _ = link.current()
        value = st.session_state.get(name)
        if widget in ("multiselect", "pills"):
            value = tuple(value or ())
        elif widget == "text":
            value = str(value or "")
        elif value is None:
            value = type(params).__dataclass_fields__[name].default
        # Through the page's own parsing, so a widget can never put a value in the link that a link could not.
        query = [(k, v) for k, v in params.replace(**{name: value}).to_query(pinned=True)]
        link.set_page_params(type(params).from_query(_grouped(query)))

    return copy


def _grouped(pairs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def control(block: Control, params: Params) -> None:
    """One widget for one link parameter: it shows the labels, the link keeps the ids."""
    spec = type(params).spec(block.name)
    allowed = list(spec.choices()) if spec.choices else []
    options = [o for o in block.options if o in allowed] if block.options else allowed
    value = getattr(params, block.name)
    labels = block.labels

    def show(option: Any) -> str:
        return str(labels.get(option, option))

    on_change = _on_change(block.name, block.widget)
    key = block.name
    if block.widget == "select":
        st.session_state[key] = value if value in options else None
        st.selectbox(
            block.label,
            options,
            format_func=show,
            key=key,
            on_change=on_change,
            help=block.help or None,
            placeholder=block.placeholder or None,
            # The value comes from session state, seeded from the link; a default here would compete with it.
            index=None,
        )
    elif block.widget in ("multiselect", "pills"):
        st.session_state[key] = [v for v in value if v in options]
        common = {"format_func": show, "key": key, "on_change": on_change, "help": block.help or None}
        if block.widget == "multiselect":
            st.multiselect(block.label, options, placeholder=block.placeholder or None, **common)
        else:
            st.pills(block.label, options, selection_mode="multi", **common)
    elif block.widget == "text":
        st.session_state[key] = value
        st.text_input(
            block.label,
            key=key,
            on_change=on_change,
            help=block.help or None,
            placeholder=block.placeholder or None,
            max_chars=200,
        )
    else:
        raise ValueError(f"unknown widget {block.widget!r}")


# ---------------------------------------------------------------------------------------------------- blocks


def _click(chart: Chart) -> Callable[[], None]:
    # The callback holds the chart's key and click rule, never the chart: Streamlit 1.67 keeps every widget's metadata,
    # callback included, until its session ends (WStates.remove_stale_widgets drops a stale widget's value, not its
    # metadata), and a chart is a new widget whenever its figure changes. A callback holding the whole Chart kept each
    # figure and table a session had ever been shown: about 0.04 MiB per click on a new view, without end.
    key, click, shared_click = chart.key, chart.click, chart.click_shared

    def copy() -> None:
        params, shared = link.current()
        points = selection_points(st.session_state.get(key))
        if not points:
            return
        if shared_click:
            link.write(params, click(shared, points))
        else:
            link.set_page_params(click(params, points))

    return copy


def text(block: Text) -> None:
    style = block.style
    container = st.container(key=block.key) if block.key else st.container()
    with container:
        if style == "caption":
            st.caption(block.text)
        elif style == "info":
            st.info(block.text, icon=":material/info:")
        elif style == "warning":
            st.warning(block.text, icon=":material/warning:")
        elif style == "header":
            st.header(block.text)
        elif style == "subheader":
            st.subheader(block.text)
        elif style == "title":
            st.title(block.text)
        else:
            st.markdown(block.text)


def chart(block: Chart, *, clickable: bool = True) -> None:
    if block.heading:
        st.header(md(block.heading))  # a section of the page, below its title (h2: headings go in order)
    chart_card(
        block.figure,
        key=block.key,
        alt=block.alt,
        source=block.source,
        table=block.table,
        csv_name=block.csv_name,
        on_select=_click(block) if (clickable and block.click) else None,
        caption=block.caption or None,
        title=block.title,
    )


def table(block: Table) -> None:
    if block.heading:
        st.header(md(block.heading))
    config: dict[str, Any] = dict(block.headings)
    for column in block.links:
        config[column] = st.column_config.LinkColumn(block.headings.get(column, column))
    st.dataframe(block.frame, hide_index=True, key=block.key or None, column_config=config)


def draw_blocks(blocks, params: Params, *, interactive: bool = True) -> None:
    import components.pages  # noqa: F401  (registers the record drawers)

    for block in blocks:
        if isinstance(block, Text):
            text(block)
        elif isinstance(block, Chart):
            chart(block, clickable=interactive)
        elif isinstance(block, Table):
            table(block)
        elif isinstance(block, Records):
            if block.heading:
                st.header(md(block.heading))
            if not block.rows and block.empty:
                st.info(block.empty, icon=":material/touch_app:")
            else:
                RECORD_DRAWERS[block.kind](block)
        elif isinstance(block, Control):
            if interactive:
                control(block, params)


def notes(view: View, version: str) -> None:
    """What the link asked for that the view could not show, and whether the data changed since the link."""
    from policylens.views.base import dropped_sentence

    said = dropped_sentence(view.params.dropped)
    if said:
        st.caption(md(said), help="The link carried values this page does not know; the view shows the rest.")
    for note in view.notes:
        st.caption(md(note))
    asked = st.query_params.get_all("v")
    if asked and asked[0] != version:
        changed_since(asked[0], version)


def changed_since(asked: str, version: str) -> None:
    """One line saying the data changed since the link's version, and the changelog entries since then."""
    from policylens.changelog import ChangelogError, entries_since, load_changelog

    try:
        since = entries_since(asked, load_changelog(data.data_dir()))
    except (ChangelogError, OSError):
        since = None
    shown = f"`{md(asked[:16])}`" if asked.isascii() and asked.isalnum() else "another version"
    with st.container(key="data-changed"):
        st.info(
            f"This link was made with data version {shown}; the data has changed since (now `{version}`). "
            + (
                f"{len(since)} change(s) since then, listed below and in the "
                if since
                else "The changelog does not list that version: see the "
            )
            + "[data changelog](/sources#data-changelog) on Sources and method.",
            icon=":material/history:",
        )
        if since:
            with st.expander("What changed since this link was made", icon=":material/history:"):
                st.markdown("\n".join(f"- `{e.version}` · {md(e.sentence())}" for e in since))


def unavailable(err: Unavailable, what: str = "This page") -> None:
    """What a page (or a slide, or the analysis) says when a dataset it needs cannot be read: the loader's sentence,
    which names the root cause first (file, row, column), escaped like any text."""
    st.error(
        f"{md(err.sentence)}\n\n{what} cannot be shown without that data; the pages that do not need it keep "
        "working, and [Sources and method](/sources) shows the state of every dataset.",
        icon=":material/error:",
    )


def render(page_id: str) -> View | None:
    """Draw a page: its title, its view for the link's parameters, and the notes about the link."""
    entry: Page = page(page_id)
    params, _ = link.current()
    source = app_data()
    try:
        view = built(entry, params, source)
    except Unavailable as err:
        st.title(entry.title)
        unavailable(err)
        return None
    st.title(md(view.title))
    notes(view, source.version)
    draw_blocks(view.blocks, view.params)
    st.session_state["_link_view"] = view
    return view
