"""Statement cards: who says it, in what capacity, the sentence (with search matches highlighted), why it is listed,
its themes, a link to its paragraph in the reader and a citation to copy.

Rows come from ``policylens.search.statement_record``: every text in them is already escaped Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from policylens.text import escape_markdown
from policylens.views import page
from policylens.views.base import Records

KIND_STYLE = {
    "direct-quote": ("blue", ":material/format_quote:"),
    "paraphrase": ("violet", ":material/short_text:"),
    "authors-view": ("gray", ":material/edit_note:"),
}


def statement_cards(block: Records) -> None:
    for row in block.rows:
        statement_card(row)


def statement_card(row: Mapping) -> None:
    """One bordered card for one statement row."""
    statement_id = row["id"]
    with st.container(border=True, key=f"statement-{statement_id}"):
        st.markdown(_head(row))
        with st.container(key=f"statement-text-{statement_id}"):
            st.markdown(f"> {row['quote']}")
        if row["why"]:
            with st.container(key=f"statement-why-{statement_id}"):
                st.caption(row["why"], help="Why this statement is listed for your search.")
        st.caption("  \n".join(line for line in (row["themes"], row["note"]) if line))
        if row["reader_label"]:
            st.page_link(
                page("themes").script,
                label=row["reader_label"],
                query_params=dict(row["reader_query"]),
                icon=":material/article:",
            )
        # Drawn when opened (one rerun): 28 closed cards send no code block, and the page loads no highlighter.
        citation = st.expander(
            "Copy citation", icon=":material/content_copy:", key=f"cite-{statement_id}", on_change="rerun"
        )
        if citation.open:
            with citation:
                st.code(row["citation"], language=None, wrap_lines=True)


def _head(row: Mapping) -> str:
    """The card's head as one Markdown element instead of three: the speaker in bold, the capacity below it in a
    caption's size and a muted grey (``:gray`` reads at 6.1:1 in the light theme, 8.7:1 in the dark; its line height
    comes from ``components.shell``), then the kind badge written as ``st.badge`` writes it."""
    colour, icon = KIND_STYLE.get(row["kind"], ("gray", None))
    lines = [f"**{row['speaker']}**"]
    if row["capacity"]:
        lines.append(f":gray[:small[{row['capacity']}]]")
    lines.append(f":{colour}-badge[{icon + ' ' if icon else ''}{escape_markdown(row['kind_label'])}]")
    return "\n\n".join(lines)
