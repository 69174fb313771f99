"""The statement explorer's core: search with explained matches, filters, citations and the per-theme counts figure.

Search is case-insensitive substring matching on the words of the query; a statement matches when every word occurs
in its text, its speaker (name, role, organisation) or the label or keywords of one of its themes. Each match says
where each word was found, so a card can explain why it is listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from policylens import article, vocab
from policylens.palette import UNSELECTED_OPACITY, selection_style
from policylens.text import escape_markdown
from policylens.themes import count_tags, merge_spans

ARTICLE_REFERENCE = f"in {article.AUTHORS}, '{article.TITLE}', {article.PUBLISHER}, {article.PUBLISHED}"

# A pasted paragraph is not a query: keep the first words, each of a sane length.
MAX_TERMS = 12
MAX_TERM_LENGTH = 80
_EDGE_PUNCTUATION = ".,;:!?\"'“”‘’"

# Where a word can be found, in the order an explanation lists them.
WHERE_ORDER = ("text", "speaker", "role", "organisation", "theme")


@dataclass(frozen=True)
class Hit:
    """One word of the query found in one place of a statement."""

    term: str
    where: str  # one of WHERE_ORDER
    theme_id: str | None = None


@dataclass(frozen=True)
class StatementMatch:
    statement_id: str
    spans: tuple[tuple[int, int], ...]  # where the words occur in the statement's text
    hits: tuple[Hit, ...]

    def explanation(self, theme_labels: Mapping[str, str] | None = None) -> str:
        """'matched: “privacy” in the text; “privacy” in theme Privacy' (plain text, not Markdown)."""
        labels = theme_labels or {}
        parts = []
        for where in WHERE_ORDER:
            for hit in self.hits:
                if hit.where != where:
                    continue
                if where == "text":
                    parts.append(f"“{hit.term}” in the text")
                elif where == "theme":
                    parts.append(f"“{hit.term}” in theme {labels.get(hit.theme_id, hit.theme_id)}")
                else:
                    parts.append(f"“{hit.term}” in the {where}")
        return "matched: " + "; ".join(parts)


def query_terms(query: str | None) -> list[str]:
    """The distinct lower-case words of a query, without surrounding punctuation."""
    terms: list[str] = []
    for word in (query or "").lower().split():
        word = word.strip(_EDGE_PUNCTUATION)[:MAX_TERM_LENGTH]
        if word and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


@lru_cache(maxsize=256)
def term_pattern(term: str) -> re.Pattern[str]:
    """A query word matches case-insensitively where a word starts: "tan" finds "Tan", not "Stanford"."""
    return re.compile(r"(?<!\w)" + re.escape(term), re.IGNORECASE)


def text_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of every case-insensitive occurrence of every term at a word start."""
    return merge_spans([m.span() for term in terms for m in term_pattern(term).finditer(text)])


def match_statement(
    statement: Mapping, terms: Sequence[str], theme_words: Mapping[str, Sequence[str]]
) -> StatementMatch | None:
    """The match of one statement, or None when a word of the query is found nowhere in it.

    ``theme_words`` maps a theme id to its label and keywords (lower case).
    """
    if not terms:
        return None
    hits: list[Hit] = []
    text = str(statement["text"])
    for term in terms:
        found = []
        pattern = term_pattern(term)
        if pattern.search(text):
            found.append(Hit(term, "text"))
        for where in ("speaker", "role", "organisation"):
            if pattern.search(str(statement.get(where) or "")):
                found.append(Hit(term, where))
        for theme_id in statement.get("themes") or ():
            if any(pattern.search(word) for word in theme_words.get(theme_id, ())):
                found.append(Hit(term, "theme", theme_id))
        if not found:
            return None
        hits.extend(found)
    return StatementMatch(str(statement["id"]), tuple(text_spans(text, terms)), tuple(hits))


def theme_search_words(themes: pd.DataFrame) -> dict[str, list[str]]:
    """Theme id -> its label and keywords in lower case: what a query word may match for a theme."""
    return {
        row["id"]: [str(row["label"]).lower(), *(str(k).lower() for k in row["keywords"])]
        for _, row in themes.iterrows()
    }


def search_statements(statements: pd.DataFrame, query: str | None, themes: pd.DataFrame) -> dict[str, StatementMatch]:
    """Statement id -> its match, for the statements every word of the query matches (in statement order)."""
    terms = query_terms(query)
    if not terms:
        return {}
    words = theme_search_words(themes)
    matches = {}
    for statement in statements.to_dict("records"):
        match = match_statement(statement, terms, words)
        if match is not None:
            matches[match.statement_id] = match
    return matches


def filter_statements(
    statements: pd.DataFrame,
    *,
    speakers: Iterable[str] = (),
    kinds: Iterable[str] = (),
    themes: Iterable[str] = (),
    ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The statements of any chosen speaker, of any chosen kind and with any chosen theme; empty choices keep all.

    ``ids`` (the ids a search matched) keeps only those statements when given.
    """
    speakers, kinds, themes = set(speakers), set(kinds), set(themes)
    keep = pd.Series(True, index=statements.index)
    if speakers:
        keep &= statements["speaker_id"].isin(speakers)
    if kinds:
        keep &= statements["kind"].isin(kinds)
    if themes:
        keep &= statements["themes"].map(lambda tags: bool(themes.intersection(tags or ())))
    if ids is not None:
        keep &= statements["id"].isin(set(ids))
    return statements[keep]


def speaker_names(statements: pd.DataFrame) -> dict[str, str]:
    """Speaker id -> display name, in order of first appearance in the article."""
    first = statements.drop_duplicates("speaker_id")
    return dict(zip(first["speaker_id"], first["speaker"], strict=True))


def highlight_markdown(text: str, spans: Iterable[tuple[int, int]], colour: str = "orange") -> str:
    """The text escaped for Markdown, each span bold inside Streamlit's ``:colour-background[...]`` directive."""
    out, position = [], 0
    for start, end in sorted(spans):
        out.append(escape_markdown(text[position:start]))
        # Bold as well: the light theme's background tint alone is faint. Terms never start or end with a space.
        out.append(f":{colour}-background[**{escape_markdown(text[start:end])}**]")
        position = end
    out.append(escape_markdown(text[position:]))
    return "".join(out)


def citation(statement: Mapping) -> str:
    """A citation line for one statement, to paste into a note."""
    return f'{statement["speaker"]}: "{statement["text"]}", {ARTICLE_REFERENCE}, paragraph {statement["paragraph"]}.'


def statement_record(
    statement: Mapping,
    theme_labels: Mapping[str, str],
    match: StatementMatch | None = None,
    *,
    link_to_paragraph: bool = True,
) -> dict:
    """One statement as a card's row: every text already escaped Markdown, plus the row in plain text.

    ``link_to_paragraph`` adds the reader link (the Themes page opened at the statement's paragraph).
    """
    kind = str(statement["kind"])
    kind_label = vocab.label("statements", "kind", kind)
    capacity_parts = [str(part) for part in (statement.get("role"), statement.get("organisation")) if part]
    tags = [str(theme_labels.get(t, t)) for t in statement.get("themes") or ()]
    themes_line = f"Themes: {', '.join(tags)}" if tags else "Themes: none (no theme keyword occurs in this sentence)"
    note = str(statement.get("note") or "")
    why = match.explanation(theme_labels) if match is not None else ""
    paragraph = int(statement["paragraph"])
    plain = [
        f"{statement['speaker']} ({kind_label})" + (f", {', '.join(capacity_parts)}" if capacity_parts else ""),
        f"“{statement['text']}”",
        themes_line,
        *([f"Note: {note}"] if note else []),
        f"Paragraph {paragraph} of the article.",
    ]
    return {
        "id": str(statement["id"]),
        "speaker": escape_markdown(statement["speaker"]),
        "capacity": ", ".join(escape_markdown(part) for part in capacity_parts),
        "kind": kind,
        "kind_label": kind_label,
        "quote": highlight_markdown(str(statement["text"]), match.spans if match else ()),
        "text": str(statement["text"]),  # the sentence as it is (not Markdown), for drawings outside the app
        "why": escape_markdown(why) if why else "",
        "themes": escape_markdown(themes_line),
        "note": escape_markdown(f"Note: {note}") if note else "",
        "paragraph": paragraph,
        "reader_label": f"Paragraph {paragraph} in the article reader" if link_to_paragraph else "",
        "reader_query": {"paragraph": str(paragraph)} if link_to_paragraph else {},
        "citation": citation(statement),
        "plain": "\n".join(plain),
    }


def theme_counts(statements: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """How many of the statements carry each theme (every theme listed, in taxonomy order; 0 is a real count)."""
    counts = count_tags(statements["themes"], themes["id"])
    return pd.DataFrame(
        {
            "theme": list(themes["id"]),
            "label": list(themes["label"]),
            "colour": list(themes["colour"]),
            "statements": [counts[t] for t in themes["id"]],
        }
    )


def statements_per_theme_bars(counts: pd.DataFrame, selected: Iterable[str] = ()) -> go.Figure:
    """Horizontal bars of statements per theme in each theme's colour; with a selection, the others are faded.

    ``custom_data`` holds the theme id (a string) so a click can be read back as an id.
    """
    selected = set(selected)
    opacity = [1.0 if not selected or t in selected else UNSELECTED_OPACITY for t in counts["theme"]]
    fig = go.Figure(
        go.Bar(
            x=list(counts["statements"]),
            y=list(counts["label"]),
            orientation="h",
            marker={"color": list(counts["colour"]), "opacity": opacity},
            customdata=[[str(t)] for t in counts["theme"]],
            text=list(counts["statements"]),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} statements<extra></extra>",
            **selection_style(),
        )
    )
    top = max(1, int(counts["statements"].max()) if len(counts) else 1)
    fig.update_layout(
        height=80 + 28 * len(counts),
        margin={"l": 8, "r": 24, "t": 8, "b": 36},
        xaxis={"title": "statements", "range": [0, top * 1.15], "dtick": max(1, -(-top // 5))},
        yaxis={"autorange": "reversed", "automargin": True},
        showlegend=False,
        dragmode=False,
    )
    return fig


def select_statements(
    statements: pd.DataFrame,
    themes: pd.DataFrame,
    query: str | None,
    speakers: Iterable[str] = (),
    kinds: Iterable[str] = (),
    chosen_themes: Iterable[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, StatementMatch]]:
    """What Voices shows for a query and filters: (searched, shown, matches).

    ``searched`` keeps what the search, speaker and kind filters keep (the theme chart counts it); ``shown`` also
    applies the theme filter; ``matches`` explains each statement the query matched.
    """
    matches = search_statements(statements, query, themes)
    searched = filter_statements(
        statements,
        speakers=list(speakers),
        kinds=list(kinds),
        ids=matches if query_terms(query) else None,
    )
    return searched, filter_statements(searched, themes=list(chosen_themes)), matches
