"""The article reader: paragraphs with theme chips and keyword highlights, the paragraph-by-theme grid, keyword table.

The reader's HTML is built from curated data only (paragraph text and the themes dataset), every text through
``html.escape``; colours are checked as ``#RRGGBB`` before they enter a style attribute. Nothing from the link is
ever put in this HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from policylens.palette import MUTED, UNSELECTED_OPACITY
from policylens.themes import count_tags, keyword_spans, matching_keywords, parse_overrides

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")

# The article's body paragraphs, as the paragraphs contract says (column paragraph: min 1, max 19); a test checks it.
ARTICLE_PARAGRAPHS: tuple[int, ...] = tuple(range(1, 20))
OPENING_WORDS = 6
PARAGRAPHS_HEADING = "¶"  # the keyword table's paragraph count


@dataclass(frozen=True)
class ThemeInfo:
    id: str
    label: str
    colour: str
    keywords: tuple[str, ...]


def theme_infos(themes: pd.DataFrame) -> dict[str, ThemeInfo]:
    return {
        row["id"]: ThemeInfo(row["id"], row["label"], safe_colour(row["colour"]), tuple(row["keywords"]))
        for _, row in themes.iterrows()
    }


def safe_colour(colour: str) -> str:
    return colour if _HEX.match(str(colour)) else MUTED


def explaining_keywords(text: str, tags: Iterable[str], infos: Mapping[str, ThemeInfo]) -> dict[str, list[str]]:
    """Theme id -> the keywords of that theme that occur in the text (what explains the tag)."""
    return {t: matching_keywords(text, infos[t].keywords) for t in tags if t in infos}


def theme_highlight_spans(text: str, tags: Iterable[str], infos: Mapping[str, ThemeInfo]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, theme id) spans of the tagged themes' keywords; the earlier theme wins a tie."""
    spans = []
    for order, theme_id in enumerate(t for t in tags if t in infos):
        for start, end in keyword_spans(text, infos[theme_id].keywords):
            spans.append((start, -(end - start), order, theme_id))
    chosen: list[tuple[int, int, str]] = []
    for start, negative_length, _, theme_id in sorted(spans):
        end = start - negative_length
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, theme_id))
    return chosen


def highlighted_html(text: str, tags: Iterable[str], infos: Mapping[str, ThemeInfo]) -> str:
    """The paragraph as escaped HTML with each explaining keyword marked in its theme's colour."""
    out, position = [], 0
    for start, end, theme_id in theme_highlight_spans(text, tags, infos):
        info = infos[theme_id]
        out.append(html.escape(text[position:start]))
        out.append(
            f'<mark class="pl-kw" data-theme="{html.escape(theme_id)}" title="{html.escape(info.label)}" '
            f'style="background:{info.colour}40;color:inherit;border-bottom:2px solid {info.colour};'
            f'padding:0 2px;border-radius:3px">{html.escape(text[start:end])}</mark>'
        )
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def chip_html(info: ThemeInfo, keywords: Iterable[str], reason: str = "") -> str:
    """A theme chip with the keywords that explain the tag, or, for a curated tag without one, its written reason."""
    words = ", ".join(f"“{html.escape(k)}”" for k in keywords) or (f"curated: {html.escape(reason)}" if reason else "")
    return (
        f'<span class="pl-chip" data-theme="{html.escape(info.id)}" style="display:inline-block;max-width:100%;'
        f"margin:0 4px 4px 0;padding:0 8px;border:1px solid {info.colour};border-left:8px solid {info.colour};"
        f'border-radius:10px;font-size:0.85em">{html.escape(info.label)}'
        f"{' · ' + words if words else ''}</span>"
    )


def paragraph_tags(
    text: str, tags: Iterable[str], infos: Mapping[str, ThemeInfo], curated: Mapping[str, str] | None = None
) -> tuple[dict, ...]:
    """A paragraph's theme tags as data, as its chips say them: each theme's id, label, colour and the words that
    explain the tag (its keywords in the text, or "curated: " and the written reason)."""
    tags = [t for t in tags if t in infos]
    explained = explaining_keywords(text, tags, infos)
    rows = []
    for t in tags:
        reason = (curated or {}).get(t, "")
        words = ", ".join(f"“{k}”" for k in explained[t]) or (f"curated: {reason}" if reason else "")
        rows.append({"id": t, "label": infos[t].label, "colour": infos[t].colour, "words": words})
    return tuple(rows)


def paragraph_html(
    number: int,
    text: str,
    tags: Iterable[str],
    infos: Mapping[str, ThemeInfo],
    *,
    dimmed: bool = False,
    opened: bool = False,
    curated: Mapping[str, str] | None = None,
) -> str:
    """One paragraph of the reader: its number, theme chips (with the keywords that explain them) and the text.

    ``curated`` maps a theme tagged by hand (themes provenance ``tag_overrides``) to its written reason.
    """
    tags = [t for t in tags if t in infos]
    explained = explaining_keywords(text, tags, infos)
    chips = "".join(chip_html(infos[t], explained[t], (curated or {}).get(t, "")) for t in tags)
    style = "margin:0 0 1rem 0;overflow-wrap:anywhere"
    if dimmed:
        style += ";opacity:0.45"
    if opened:
        style += ";font-size:1.1em"
    state = " dimmed" if dimmed else ""
    return (
        f'<div class="pl-paragraph{state}" data-paragraph="{int(number)}" style="{style}">'
        f'<div style="font-weight:600;font-size:0.85em">¶ {int(number)}</div>'
        f"<div>{chips}</div>"
        f'<p style="margin:0.25rem 0 0 0;line-height:1.6">{highlighted_html(text, tags, infos)}</p></div>'
    )


def paragraph_has_any(tags: Iterable[str], selected: Iterable[str]) -> bool:
    """True when no theme is selected or the paragraph carries one of the selected themes."""
    selected = set(selected)
    return not selected or bool(selected.intersection(tags or ()))


def grid_table(
    paragraphs: pd.DataFrame,
    themes: pd.DataFrame,
    curated: Mapping[int, Mapping[str, str]] | None = None,
    words: Mapping[int, Mapping[str, Sequence[str]]] | None = None,
) -> pd.DataFrame:
    """One row per (paragraph, theme) tag with the keywords that explain it (or, for a curated tag, its reason):
    exactly the cells of the grid. ``curated`` maps a paragraph number to {theme: reason}. ``words`` (paragraph
    number -> {theme: words as written}) gives each paragraph's own words behind each tag, as the theme reader found
    them (the OECD lens); without it a theme's keywords are looked for in the paragraph (the article's keyword rule).
    """
    infos = theme_infos(themes)
    rows = []
    for paragraph in paragraphs.to_dict("records"):
        number = int(paragraph["paragraph"])
        for theme_id in themes["id"]:
            if theme_id in (paragraph["themes"] or ()):
                if words is not None:
                    found = list(words.get(number, {}).get(theme_id, ()))
                else:
                    found = matching_keywords(paragraph["text"], infos[theme_id].keywords)
                rows.append(
                    {
                        "paragraph": number,
                        "theme": theme_id,
                        "label": infos[theme_id].label,
                        "keywords found": "; ".join(found)
                        or "curated: " + (curated or {}).get(number, {}).get(theme_id, ""),
                    }
                )
    return pd.DataFrame(rows, columns=["paragraph", "theme", "label", "keywords found"])


def paragraph_theme_grid(
    cells: pd.DataFrame, themes: pd.DataFrame, n_paragraphs: int, opened: int | None = None
) -> go.Figure:
    """A grid: x = theme, y = paragraph, a square where the paragraph carries the theme, in the theme's colour.

    ``cells`` is ``grid_table``'s output. ``custom_data`` holds the paragraph number as a string. With an opened
    paragraph, its row keeps full colour and an outline; the other squares fade.
    """
    infos = theme_infos(themes)
    labels = [infos[t].label for t in themes["id"]]
    paragraphs = [int(p) for p in cells["paragraph"]]
    opacity = [1.0 if opened is None or p == opened else UNSELECTED_OPACITY for p in paragraphs]
    line = [2 if p == opened else 0 for p in paragraphs]
    fig = go.Figure(
        go.Scatter(
            x=list(cells["label"]),
            y=paragraphs,
            mode="markers",
            marker={
                "symbol": "square",
                "size": 16,
                "color": [infos[t].colour for t in cells["theme"]],
                "opacity": opacity,
                "line": {"width": line, "color": "#777777"},
            },
            customdata=[[str(p)] for p in paragraphs],
            hovertemplate="paragraph %{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        height=120 + 26 * n_paragraphs,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        xaxis={"categoryorder": "array", "categoryarray": labels, "tickangle": -60, "automargin": True},
        yaxis={
            "title": "paragraph",
            "range": [n_paragraphs + 0.5, 0.5],
            "dtick": 1,
            "automargin": True,
        },
        showlegend=False,
        dragmode=False,
    )
    return fig


def keyword_table(themes: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Each theme with its label, description, keywords and how many paragraphs carry it."""
    counts = count_tags(paragraphs["themes"], themes["id"])
    return pd.DataFrame(
        {
            "theme": list(themes["id"]),
            "label": list(themes["label"]),
            "description": list(themes["description"]),
            "keywords": ["; ".join(k) for k in themes["keywords"]],
            "paragraphs": [counts[t] for t in themes["id"]],
        }
    )


def opening_words(text: str, words: int = OPENING_WORDS) -> str:
    """The first words of a paragraph, to name it in a list ("The 6th China International Import Expo …")."""
    parts = str(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def paragraph_label(number: int, text: str) -> str:
    """What the paragraph picker shows for one paragraph: "Paragraph 3: <its first words>"."""
    return f"Paragraph {int(number)}: {opening_words(text)}"


def keyword_rows(themes: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The keyword table as a person reads it: indexed by theme name (not id), columns headed in words.

    The paragraph count is headed "¶", as the reader numbers paragraphs: a wider heading pushed the column off a
    390 px screen.
    """
    table = keyword_table(themes, paragraphs)
    return pd.DataFrame(
        {
            "Description": list(table["description"]),
            "Keywords": list(table["keywords"]),
            PARAGRAPHS_HEADING: list(table["paragraphs"]),
        },
        index=pd.Index(list(table["label"]), name="Theme"),
    )


def curated_reasons(themes_provenance: Mapping, dataset: str = "paragraphs") -> dict[str, dict[str, str]]:
    """Item key (a paragraph number or statement id, as text) -> {theme: reason} of the tags added by hand."""
    out: dict[str, dict[str, str]] = {}
    for override in parse_overrides(themes_provenance.get("tag_overrides")):
        if override.dataset == dataset and override.action == "add":
            out.setdefault(override.key, {})[override.theme] = override.reason
    return out
