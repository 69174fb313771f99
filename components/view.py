"""Draw a ``View``: every block in order, its controls seeded from the link and writing ids back to it.

A page script is one call: ``render("expo")``. The story draws a compact layout of the same views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components import analyze, data, evidence, expo, link, policy, provenance, reader, statements
from components.chart import chart_card
from components.data import app_data, unavailable
from policylens.changelog import ChangelogError, entries_since, load_changelog
from policylens.selection import selection_points
from policylens.text import escape_markdown
from policylens.views import page
from policylens.views.base import Chart, Control, Params, Records, Table, Text, Unavailable, View, dropped_sentence
from policylens.views.kept import built

# Record kind (``Records.kind``, written by the views) -> the function that draws one such block.
RECORD_DRAWERS: dict[str, Callable[[Records], None]] = {
    "text-analysis": lambda block: analyze.text_analysis(block, draw_blocks),
    "analysis-paragraph": analyze.paragraph_cards,
    "analysis-figure": analyze.figure_cards,
    "analysis-quote": analyze.quote_cards,
    "analysis-download": analyze.downloads,
    "verdicts": evidence.verdict_summary,
    "claim": evidence.claim_cards,
    "page-link": evidence.page_links,
    "claims-download": evidence.claims_download,
    "edition": expo.edition_detail,
    "article": policy.article_detail,
    "pillar-article": policy.pillar_articles,
    "provenance": provenance.provenance_panel,
    "pack": provenance.meeting_pack,
    "embed": provenance.embed,
    "changelog": provenance.changelog,
    "paragraph": reader.paragraphs,
    "opened-paragraph": reader.opened_paragraph,
    "keyword-table": reader.keyword_table,
    "statement": statements.statement_cards,
}


# ---------------------------------------------------------------------------------------------------- controls


def _on_change(name: str, widget: str) -> Callable[[], None]:
    def write_widget_to_link() -> None:
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

    return write_widget_to_link


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

    def write_click_to_link() -> None:
        params, shared = link.current()
        points = selection_points(st.session_state.get(key))
        if not points:
            return
        if shared_click:
            link.write(params, click(shared, points))
        else:
            link.set_page_params(click(params, points))

    return write_click_to_link


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
        st.header(escape_markdown(block.heading))  # a section of the page, below its title (h2: headings go in order)
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
        st.header(escape_markdown(block.heading))
    config: dict[str, Any] = dict(block.headings)
    for column in block.links:
        config[column] = st.column_config.LinkColumn(block.headings.get(column, column))
    st.dataframe(block.frame, hide_index=True, key=block.key or None, column_config=config)


def draw_blocks(blocks, params: Params, *, interactive: bool = True) -> None:
    for block in blocks:
        if isinstance(block, Text):
            text(block)
        elif isinstance(block, Chart):
            chart(block, clickable=interactive)
        elif isinstance(block, Table):
            table(block)
        elif isinstance(block, Records):
            if block.heading:
                st.header(escape_markdown(block.heading))
            if not block.rows and block.empty:
                st.info(block.empty, icon=":material/touch_app:")
            else:
                RECORD_DRAWERS[block.kind](block)
        elif isinstance(block, Control):
            if interactive:
                control(block, params)


def notes(view: View, version: str) -> None:
    """What the link asked for that the view could not show, and whether the data changed since the link."""
    said = dropped_sentence(view.params.dropped)
    if said:
        st.caption(
            escape_markdown(said), help="The link carried values this page does not know; the view shows the rest."
        )
    for note in view.notes:
        st.caption(escape_markdown(note))
    asked = st.query_params.get_all("v")
    if asked and asked[0] != version:
        changed_since(asked[0], version)


def changed_since(asked: str, version: str) -> None:
    """One line saying the data changed since the link's version, and the changelog entries since then."""
    try:
        since = entries_since(asked, load_changelog(data.data_dir()))
    except (ChangelogError, OSError):
        since = None
    shown = f"`{escape_markdown(asked[:16])}`" if asked.isascii() and asked.isalnum() else "another version"
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
                st.markdown("\n".join(f"- `{e.version}` · {escape_markdown(e.sentence())}" for e in since))


def render() -> View | None:
    """Draw the page the router read the link for: its title, its view for the link's parameters, and the notes
    about the link."""
    params, _ = link.current()
    entry = page(params.PAGE)
    source = app_data()
    try:
        view = built(entry, params, source)
    except Unavailable as err:
        st.title(entry.title)
        unavailable(err)
        return None
    st.title(escape_markdown(view.title))
    notes(view, source.version)
    draw_blocks(view.blocks, view.params)
    st.session_state["_link_view"] = view
    return view
