"""Analyse a text: the paste box and the file upload, and the analysis drawn below them.

The text lives in ``st.session_state`` only (never in the link, never on disk); "Forget this text" drops it. Reading
and analysing happen in the core (``policylens.analyze``), the blocks in the view (``policylens.views.analyze``);
this module only draws. A text or file that cannot be analysed gets the core's one sentence, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from components.data import app_data, unavailable
from policylens import analyze
from policylens.text import escape_markdown
from policylens.views import analyze as analyze_view
from policylens.views import page
from policylens.views.base import Block, Params, Records, Unavailable

PASTE_KEY = "analyze-paste"
SOURCE = "_analyze_source"  # {"name": ..., "text": ..., "origin": "paste" | "file"}
ERROR = "_analyze_error"  # the sentence for the last text or file that could not be analysed
RESULT = "_analyze_result"  # (fingerprint of text and data version, Analysis)
ROUND = "_analyze_round"  # bumped by "Forget this text", which gives the uploader a fresh key (it cannot be cleared)
UPLOAD_LIMIT_MB = 50  # the uploader refuses larger files itself; up to this size the core says what the limit is
UNEXPECTED = (
    "This text could not be analysed because of an error on our side: try again, or paste a shorter part of it."
)


def _keep(text: str, name: str, origin: str) -> None:
    st.session_state[SOURCE] = {"text": text, "name": name, "origin": origin}
    st.session_state[ERROR] = ""
    st.session_state.pop(RESULT, None)


def _refuse(sentence: str) -> None:
    st.session_state[SOURCE] = None
    st.session_state[ERROR] = sentence
    st.session_state.pop(RESULT, None)


def _use_paste() -> None:
    text = st.session_state.get(PASTE_KEY) or ""
    try:
        analyze.check_text(text)
    except analyze.InputError as err:
        _refuse(err.sentence)
        return
    _keep(text, "pasted text", "paste")


def _use_file(key: str) -> None:
    uploaded = st.session_state.get(key)
    if uploaded is None:  # the file was removed from the uploader
        if (st.session_state.get(SOURCE) or {}).get("origin") == "file":
            st.session_state[SOURCE] = None
        st.session_state[ERROR] = ""
        return
    try:
        text = analyze.read_file(uploaded.name, uploaded.getvalue())
    except analyze.InputError as err:
        _refuse(err.sentence)
        return
    except Exception:  # noqa: BLE001  (the page stays usable whatever a file does to a reader)
        _refuse(UNEXPECTED)
        return
    _keep(text, analyze.shown_name(uploaded.name), "file")


def _forget() -> None:
    for key in (SOURCE, ERROR, RESULT):
        st.session_state.pop(key, None)
    st.session_state[PASTE_KEY] = ""
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def text_input() -> None:
    """The paste box (analysed on "Analyse the pasted text" or Ctrl+Enter) and the file upload beside it."""
    paste, upload = st.columns([3, 2], gap="large")
    with paste, st.form("analyze-form", border=False, enter_to_submit=False):
        st.text_area(
            "Paste a text",
            key=PASTE_KEY,
            height=200,
            placeholder="Paste an op-ed, a speech or a ministry notice here …",
            help=analyze.LIMITS_SENTENCE,
        )
        st.form_submit_button(
            "Analyse the pasted text",
            key="analyze-run",
            on_click=_use_paste,
            type="primary",
            icon=":material/manage_search:",
        )
    with upload:
        key = f"analyze-file-{st.session_state.get(ROUND, 0)}"
        with st.container(key="analyze-upload"):
            st.file_uploader(
                "Or upload a file",
                type=list(analyze.EXTENSIONS),
                key=key,
                on_change=_use_file,
                args=(key,),
                help=analyze.LIMITS_SENTENCE,
                max_upload_size=UPLOAD_LIMIT_MB,
            )
    error = st.session_state.get(ERROR)
    if error:
        with st.container(key="analyze-error"):
            st.error(escape_markdown(error), icon=":material/error:")
    source = st.session_state.get(SOURCE)
    if source:
        with st.container(key="analyze-source", horizontal=True, vertical_alignment="center"):
            st.caption(
                f"Analysing **{escape_markdown(source['name'])}** ({analyze.count_words(source['text']):,} words), "
                "held in this session only."
            )
            st.button("Forget this text", key="analyze-forget", on_click=_forget, icon=":material/delete:")


def current_analysis(data, lens: str = "article") -> analyze.Analysis | None:
    """The analysis of the session's text under ``lens``, made once per text, lens and data version and kept in the
    session."""
    source = st.session_state.get(SOURCE)
    if not source:
        return None
    stamp = (analyze.fingerprint(source["text"]), data.version, source["name"], lens)
    kept = st.session_state.get(RESULT)
    if kept and kept[0] == stamp:
        return kept[1]
    result = analyze.analyze(source["text"], analyze_view.reference(data, lens), source=source["name"])
    st.session_state[RESULT] = (stamp, result)
    return result


def text_analysis(block: Records, draw_blocks: Callable[[Sequence[Block], Params], None]) -> None:
    """The slot of the Analyse page: the text box, then the analysis of the session's text, drawn by ``draw_blocks``
    (components/view.py, which lists this drawer: it is handed in rather than imported)."""
    params = block.options["params"]
    text_input()
    data = app_data()
    try:
        analysis = current_analysis(data, getattr(params, "lens", "article"))
        blocks = analyze_view.analysis_view(analysis, params, data, version=data.version)
    except Unavailable as err:
        unavailable(err, "The analysis")
        return
    except analyze.InputError as err:
        st.error(escape_markdown(err.sentence), icon=":material/error:")
        return
    draw_blocks(blocks, params)


# ---------------------------------------------------------------------------------------------------- records


def paragraph_cards(block: Records) -> None:
    with st.container(key=block.key or "analysis-paragraphs"):
        for row in block.rows:
            with st.container(key=row["key"], gap=None):
                st.caption(escape_markdown(row["heading"]))
                st.markdown(row["text"])
                st.caption(row["why"])


def figure_cards(block: Records) -> None:
    with st.container(key=block.key or "analysis-figures"):
        for row in block.rows:
            with st.container(border=True, key=row["key"]):
                st.markdown(f"**{row['heading']}**" + (f" · {row['normalised']}" if row["normalised"] else ""))
                st.markdown(f"> {row['sentence']}")
                st.caption(escape_markdown(row["where"]))
                if not row["matches"]:
                    st.caption("No curated row matches this figure: check it against its own source.")
                for match in row["matches"]:
                    st.markdown(
                        f":material/fact_check: {match['text']}: **{match['value'] or '—'}** · {match['confidence']}"
                        f" · *{match['how']}*"
                    )
                    if match["page"]:
                        st.page_link(
                            page(match["page"]).script,
                            label=match["page_label"],
                            query_params=match["query"],
                            icon=":material/open_in_new:",
                        )


def quote_cards(block: Records) -> None:
    with st.container(key=block.key or "analysis-quotes"):
        for row in block.rows:
            with st.container(border=True, key=row["key"]):
                st.markdown(f"> {row['quote']}")
                who = f"**{row['speaker']}**" if row["named"] else f"*{row['speaker']}*"
                st.markdown(who + (f", {row['role']}" if row["role"] else ""))
                st.caption(row["how"])


def downloads(block: Records) -> None:
    with st.container(key=block.key or "analysis-downloads", horizontal=True):
        for row in block.rows:
            st.download_button(
                row["label"],
                data=row["data"],
                file_name=row["file_name"],
                mime=row["mime"],
                key=row["key"],
                on_click="ignore",
                icon=":material/download:",
            )
