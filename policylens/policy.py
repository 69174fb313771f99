"""The Data 20 Measures and China's AI and data policy timeline: filters and figure builders (pure, no Streamlit).

The English article titles are the dossier's working glosses, not official translations: every view says so.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from policylens import palette, vocab
from policylens.selection import point_id
from policylens.text import markdown_link

# Pillar and document-type names live in the data contracts (provenance.json ``labels``), read through vocab.
# Okabe–Ito colours, one per pillar; parts I and VI (no pillar) are grey. SELECTED stays reserved for the selection.
PILLAR_COLOURS: dict[str, str] = {
    "property-rights": palette.BASE,
    "circulation-trading": palette.ACCENT,
    "income-distribution": palette.SECOND,
    "governance": palette.FOURTH,
}
WORKING_TRANSLATION = "working translation"
DATA20_TIMELINE_ID = "2022-12-data-20-measures"
ARTICLE_NUMBERS: tuple[int, ...] = tuple(range(1, 21))


def pillar_ids() -> tuple[str, ...]:
    """The article's four pillars, in the contract's order (parts II to V)."""
    return vocab.allowed("data-policy", "pillar")


def type_ids() -> tuple[str, ...]:
    """The document types of the timeline, in the contract's order (which is also the timeline's axis order)."""
    return vocab.allowed("policy-timeline", "type")


def pillar_label(pillar: str | None) -> str:
    if not pillar or pd.isna(pillar):
        return "none of the four pillars"
    return vocab.label("data-policy", "pillar", str(pillar))


def type_label(kind: str) -> str:
    return vocab.label("policy-timeline", "type", str(kind))


def _blank(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def articles_in_pillars(articles: pd.DataFrame, pillars: Iterable[str]) -> pd.DataFrame:
    """The articles of the chosen pillars, in article order (all four pillars' articles are 3 to 16)."""
    chosen = list(pillars)
    return articles[articles["pillar"].isin(chosen)].sort_values("article_no").reset_index(drop=True)


def article(articles: pd.DataFrame, number: int | None) -> pd.Series | None:
    if number is None:
        return None
    hit = articles[articles["article_no"] == int(number)]
    return None if hit.empty else hit.iloc[0]


def _wrap(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width=width)) or text


def _mix(colour: str, other: str, share: float) -> str:
    """``colour`` blended with ``share`` of ``other``, opaque (transparency would turn dark on the dark theme)."""
    a, b = colour.lstrip("#"), other.lstrip("#")
    mixed = (round(int(a[i : i + 2], 16) * (1 - share) + int(b[i : i + 2], 16) * share) for i in (0, 2, 4))
    return "#" + "".join(f"{c:02X}" for c in mixed)


FADE = 0.75  # articles outside the chosen pillars: mostly grey, a hint of their pillar's colour


def treemap_nodes(articles: pd.DataFrame, pillars: Sequence[str], selected_article: int | None) -> pd.DataFrame:
    """The treemap's nodes: root, 6 parts, 20 articles, with ids, parents, labels, colours and custom data.

    ``kind``/``value`` are the custom data a click reports: ("part", pillar id or "") or ("article", "3").
    Articles outside the chosen pillars (when any are chosen) are faded; the selected article gets an outline.
    """
    chosen = set(pillars)
    rows = [
        {
            "id": "data-20",
            "parent": "",
            "label": "Data 20 Measures",
            "kind": "root",
            "value": "",
            "colour": "rgba(0,0,0,0)",
            "line_colour": palette.MUTED,
            "line_width": 1,
            "hover": "Data 20 Measures: 6 parts, 20 articles",
            "size": len(articles),
        }
    ]
    for part, group in articles.groupby("part", sort=False):
        pillar = _blank(group["pillar"].iloc[0])
        base = PILLAR_COLOURS.get(pillar, palette.MUTED)
        faded = bool(chosen) and pillar not in chosen
        rows.append(
            {
                "id": f"part-{part}",
                "parent": "data-20",
                "label": f"Part {part}" + (f" · {pillar_label(pillar)}" if pillar else ""),
                "kind": "part",
                "value": pillar,
                "colour": _mix(_mix(base, "#FFFFFF", 0.45), palette.MUTED, FADE if faded else 0.0),
                "line_colour": palette.MUTED,
                "line_width": 1,
                "hover": f"Part {part}: {group['part_title_en'].iloc[0]} ({WORKING_TRANSLATION})",
                "size": len(group),
            }
        )
        for _, art in group.iterrows():
            number = int(art["article_no"])
            is_selected = selected_article is not None and number == int(selected_article)
            rows.append(
                {
                    "id": f"article-{number}",
                    "parent": f"part-{part}",
                    "label": f"{number} · {_wrap(art['article_title_en'], 22)}",
                    "kind": "article",
                    "value": str(number),
                    "colour": _mix(base, palette.MUTED, FADE) if faded else base,
                    "line_colour": palette.SELECTED if is_selected else palette.MUTED,
                    "line_width": 5 if is_selected else 1,
                    "hover": f"Article {number}: {art['article_title_zh']}<br>{art['article_title_en']} "
                    f"({WORKING_TRANSLATION})",
                    "size": 1,
                }
            )
    return pd.DataFrame(rows)


def text_colour(background: str) -> str:
    """Dark text on light tiles, white on dark ones (WCAG relative luminance), so every label keeps its contrast."""
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", background):
        return palette.NEUTRAL_TEXT  # the transparent root, on the page: the app recolours it in the dark theme
    value = background.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with black (L + 0.05) / 0.05 beats contrast with white 1.05 / (L + 0.05) above L ≈ 0.179.
    return "#1F2328" if luminance > 0.179 else "#FFFFFF"


def data20_treemap(articles: pd.DataFrame, pillars: Sequence[str], selected_article: int | None) -> go.Figure:
    """Root → 6 parts → 20 articles; parts II–V in their pillar's colour, parts I and VI grey."""
    nodes = treemap_nodes(articles, pillars, selected_article)
    fig = go.Figure(
        go.Treemap(
            ids=nodes["id"],
            parents=nodes["parent"],
            labels=nodes["label"],
            customdata=nodes[["kind", "value"]].to_numpy().tolist(),
            hovertext=nodes["hover"],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "colors": nodes["colour"],
                "line": {"color": nodes["line_colour"].tolist(), "width": nodes["line_width"].tolist()},
            },
            textfont={"size": 12, "color": [text_colour(c) for c in nodes["colour"]]},
            tiling={"pad": 2},
            pathbar={"visible": False},
            values=nodes["size"],
            branchvalues="total",  # every article the same size: the parts differ only by their count of articles
            sort=False,
        )
    )
    fig.update_layout(
        title={
            "text": "The Data 20 Measures: 6 parts, 20 articles<br>"
            '<span style="font-size:13px;font-weight:normal">English titles: working translations</span>',
            "x": 0,
            "font": {"size": 15},
        },
        height=620,
        margin={"l": 4, "r": 4, "t": 64, "b": 4},
    )
    return fig


def partial_date_start(date: str) -> pd.Timestamp:
    """A partial ISO date (``2017``, ``2017-06``, ``2017-07-08``) at the first day of its period."""
    text = str(date)
    if len(text) == 4:
        text += "-01-01"
    elif len(text) == 7:
        text += "-01"
    return pd.Timestamp(text)


def filter_timeline(timeline: pd.DataFrame, themes: Sequence[str], types: Sequence[str]) -> pd.DataFrame:
    """Entries whose themes intersect the chosen themes (all when none) and of the chosen types (all when none)."""
    keep = pd.Series(True, index=timeline.index)
    if themes:
        wanted = set(themes)
        keep &= timeline["themes"].map(lambda ts: bool(wanted & set(ts or ())))
    if types:
        keep &= timeline["type"].isin(list(types))
    out = timeline[keep].copy()
    out["date_start"] = out["date"].map(partial_date_start)
    return out.sort_values(["date_start", "id"]).reset_index(drop=True)


def timeline_types(timeline: pd.DataFrame) -> list[str]:
    """The document types present in ``timeline``, in the contract's order (unknown ones last, sorted)."""
    present = list(dict.fromkeys(timeline["type"].dropna()))
    known = type_ids()
    return [t for t in known if t in present] + sorted(set(present) - set(known))


def timeline_years(timeline: pd.DataFrame) -> tuple[int, int] | None:
    """The first and last year of the milestones (the years their dates start with), or None when there are none."""
    years = sorted({int(str(d)[:4]) for d in timeline["date"].dropna() if str(d)[:4].isdigit()})
    return (years[0], years[-1]) if years else None


def year_span(years: tuple[int, int] | None, sep: str = " to ") -> str:
    if years is None:
        return ""
    first, last = years
    return str(first) if first == last else f"{first}{sep}{last}"


def timeline_scatter(
    entries: pd.DataFrame, highlight_ids: Sequence[str], years: tuple[int, int] | None = None
) -> go.Figure:
    """Policy milestones: x the date (partial dates at the start of their period), y the type.

    ``customdata`` is [id, type]; highlighted entries are drawn larger in palette.SELECTED. ``years`` is the span
    the title names (the whole timeline's, so that a filter does not rename the chart); default: the entries'.
    """
    lit = set(highlight_ids)
    is_lit = entries["id"].isin(lit)
    hover = [
        f"<b>{_wrap(_blank(e['title_en']), 60)}</b><br>{_blank(e['title_zh'])}<br>date: {e['date']}<br>"
        f"issuer: {_blank(e['issuer'])}"
        + (f"<br>key figures: {_wrap(_blank(e['key_figures']), 60)}" if _blank(e["key_figures"]) else "")
        + f"<br>confidence: {_blank(e['confidence'])}"
        for _, e in entries.iterrows()
    ]
    fig = go.Figure(
        go.Scatter(
            x=entries["date_start"],
            y=[type_label(t) for t in entries["type"]],
            mode="markers",
            customdata=entries[["id", "type"]].to_numpy().tolist(),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "color": [palette.SELECTED if h else palette.BASE for h in is_lit],
                "size": [18 if h else 11 for h in is_lit],
                "symbol": ["star" if h else "circle" for h in is_lit],
                "line": {"color": "white", "width": 1},
                "opacity": 1.0,
            },
            showlegend=False,
        )
    )
    types_shown = [type_label(t) for t in timeline_types(entries)]
    span = year_span(years or timeline_years(entries), "–")
    fig.update_layout(
        title={
            "text": "China's AI and data policy milestones" + (f", {span}" if span else ""),
            "x": 0,
            "font": {"size": 15},
        },
        height=140 + 28 * max(len(types_shown), 1),
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        dragmode=False,
    )
    fig.update_xaxes(range=["2016-10-01", "2025-12-31"], fixedrange=True)
    fig.update_yaxes(categoryorder="array", categoryarray=types_shown[::-1], fixedrange=True)
    return fig


def timeline_table(entries: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The filtered entries as a table with their source (publisher and address) and confidence."""
    by_id = sources.set_index("id")
    return pd.DataFrame(
        {
            "date": entries["date"],
            "title": entries["title_en"],
            "title_zh": entries["title_zh"].fillna(""),
            "issuer": entries["issuer"],
            "type": entries["type"],
            "themes": entries["themes"].map(lambda ts: ", ".join(ts or ())),
            "key_figures": entries["key_figures"].fillna(""),
            "source": entries["source_id"].map(lambda s: _blank(by_id["publisher"].get(s, s))),
            "source_url": entries["source_id"].map(lambda s: _blank(by_id["url"].get(s, ""))),
            "confidence": entries["confidence"],
            "id": entries["id"],
        }
    )


def timeline_highlight(pillars: Sequence[str], selected_article: int | None) -> list[str]:
    """The timeline entries linked to the current Data 20 selection (the Data 20 Measures entry itself)."""
    return [DATA20_TIMELINE_ID] if (pillars or selected_article is not None) else []


def treemap_click(points: Sequence[Mapping[str, Any]], articles: pd.DataFrame) -> tuple[str, str] | None:
    """What a treemap click means: ("article", "3"), ("pillar", "governance") or None (root or a part without one).

    Streamlit reports a treemap click with the node's ``id`` ("article-3", "part-V") and no custom data, so the node id
    is read first and the custom data (["article", "3"]) second.
    """
    part_pillars = {f"part-{p}": _blank(g["pillar"].iloc[0]) for p, g in articles.groupby("part", sort=False)}
    for point in points:
        node = str(point.get("id") or "")
        kind, value = point_id(point, 0) or "", point_id(point, 1) or ""
        if node.startswith("article-"):
            kind, value = "article", node.removeprefix("article-")
        elif node in part_pillars:
            kind, value = "part", part_pillars[node]
        if kind == "article" and value.isdigit() and int(value) in ARTICLE_NUMBERS:
            return "article", value
        if kind == "part" and value in pillar_ids():
            return "pillar", value
    return None


def source_markdown(source_id: str, sources: pd.DataFrame) -> str:
    """A Markdown link to the source (its publisher as text), or the escaped name when it has no web address."""
    name, url = source_name_url(source_id, sources)
    return markdown_link(name, url)


def source_plain(source_id: str, sources: pd.DataFrame) -> str:
    """The source in plain text: its publisher and address."""
    name, url = source_name_url(source_id, sources)
    return f"{name} ({url})" if url else name


def source_name_url(source_id: str, sources: pd.DataFrame) -> tuple[str, str]:
    hit = sources[sources["id"] == source_id]
    if hit.empty:
        return str(source_id), ""
    row = hit.iloc[0]
    return (_blank(row["publisher"]) or str(source_id)), _blank(row["url"])


def treemap_alt(articles: pd.DataFrame) -> str:
    """The treemap in words, counted from the rows: parts, articles, and which parts carry which pillar."""
    parts = list(dict.fromkeys(articles["part"]))
    with_pillar = [p for p in parts if _blank(articles.loc[articles["part"] == p, "pillar"].iloc[0])]
    without = [p for p in parts if p not in with_pillar]
    pillars = [pillar_label(p) for p in dict.fromkeys(articles["pillar"].dropna()) if _blank(p)]
    text = f"Treemap of the Data 20 Measures: {len(parts)} parts and their {len(articles)} articles."
    if with_pillar:
        count = count_words(len(pillars))
        text += (
            f" Parts {_span(with_pillar)} carry the article's {count} pillars ({', '.join(pillars)}) in {count} colours"
        )
        text += f"; parts {' and '.join(without)} are grey." if without else "."
    return text


def _span(parts: Sequence[str]) -> str:
    return f"{parts[0]} to {parts[-1]}" if len(parts) > 2 else " and ".join(parts)


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_words(n: int) -> str:
    """A small count in words ("four pillars"), larger ones in figures."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
