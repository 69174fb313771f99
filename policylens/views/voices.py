"""Voices: every sentence of the article, attributed; search it, filter it by speaker, kind and theme, cite it."""

from __future__ import annotations

from dataclasses import dataclass

from policylens import article, vocab
from policylens.search import (
    query_terms,
    select_statements,
    speaker_names,
    statement_record,
    statements_per_theme_bars,
    theme_counts,
)
from policylens.text import escape_markdown
from policylens.views.base import Chart, Control, Data, Params, Records, Text, View, param
from policylens.views.shared import theme_ids, toggle_theme

CHART_KEY = "voices-theme-bars"
COUNT_KEY = "voices-count"
STATEMENTS_KEY = "voices-statements"

SEARCH_HELP = (
    "Every word must occur (case-insensitive, at the start of a word) in the sentence, its speaker, role or "
    "organisation, or the label or keywords of one of its themes."
)


def speaker_ids() -> tuple[str, ...]:
    return vocab.allowed("statements", "speaker_id")


def kind_ids() -> tuple[str, ...]:
    return vocab.allowed("statements", "kind")


TITLE = "Voices"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class VoicesParams(Params):
    PAGE = "voices"
    q: str = param("text", "")
    speaker: tuple[str, ...] = param("choices", (), speaker_ids, "not a speaker of the statements dataset")
    kind: tuple[str, ...] = param(
        "choices", (), kind_ids, "not a kind of statement (direct quote, paraphrase or the authors' view)"
    )
    theme: tuple[str, ...] = param("choices", (), theme_ids, "not a theme of the themes dataset")


def _names(ids, labels) -> str:
    return ", ".join(labels.get(i, i) for i in ids)


def build(params: VoicesParams, data: Data) -> View:
    statements = data.frame("statements")
    themes = data.frame("themes")
    labels = dict(zip(themes["id"], themes["label"], strict=True))
    speakers = speaker_names(statements)
    kinds = vocab.labels("statements", "kind")
    query = params.q
    searched, shown, matches = select_statements(
        statements, themes, query, speakers=params.speaker, kinds=params.kind, chosen_themes=params.theme
    )
    blocks: list = [
        Text(
            "Every sentence of the article as a statement, with who says it: the two quoted entrepreneurs, the three "
            "paraphrased sources and the authors' own view. Search, filter, and copy a citation."
        ),
        Control("q", "Search statements", "text", placeholder="e.g. privacy, blockchain, Tan", help=SEARCH_HELP),
        Control("speaker", "Speaker", "multiselect", labels=speakers, placeholder="All speakers"),
        Control("kind", "Kind", "multiselect", labels=kinds, placeholder="All kinds"),
        Text(f"**{len(shown)} of {len(statements)} statements**", key=COUNT_KEY),
    ]
    if params.theme:
        blocks.append(Text(escape_markdown("Theme filter (sidebar): " + _names(params.theme, labels)), "caption"))
    counts = theme_counts(searched, themes)
    blocks.append(
        Chart(
            key=CHART_KEY,
            figure=statements_per_theme_bars(counts, params.theme),
            title="Statements per theme",
            heading="Statements per theme",
            alt="Horizontal bars: how many of the statements found carry each theme, one bar per theme in its colour.",
            source="dataset statements (every sentence of the article, attributed) · source: "
            f"{article.SHORT_CITATION} · confidence: verified-in-source for the text; theme tags are keyword matches "
            "(themes dataset)",
            table=counts[["theme", "label", "statements"]],
            csv_name="statements-per-theme.csv",
            caption="Counts the statements your search, speaker and kind filters keep. Click a bar to add its theme "
            "to the filter, click it again to remove it, as on the Overview; a sentence may carry several themes.",
            click=toggle_theme,
            click_shared=True,
        )
    )
    if query_terms(query):
        empty = f"No statement matches “{escape_markdown(query)}” with these filters."
    else:
        empty = "No statement matches these filters."
    blocks.append(
        Records(
            "statement",
            tuple(
                statement_record(statement, labels, matches.get(statement["id"]))
                for statement in shown.to_dict("records")
            ),
            key=STATEMENTS_KEY,
            heading="Statements",
            empty=empty,
        )
    )
    return View(
        TITLE,
        params,
        tuple(blocks),
        summary=_summary(params, len(shown), len(statements), speakers, kinds, labels),
        slide_keys=(COUNT_KEY, STATEMENTS_KEY),
    )


def _summary(params: VoicesParams, shown: int, total: int, speakers, kinds, labels) -> str:
    parts = [f"{shown} of {total} statements of the article"]
    if params.q:
        parts.append(f"matching “{params.q}”")
    if params.speaker:
        parts.append("by " + _names(params.speaker, speakers))
    if params.kind:
        parts.append("of kind " + _names(params.kind, kinds))
    if params.theme:
        parts.append("on " + _names(params.theme, labels))
    return "Voices: " + ", ".join(parts) + "."
