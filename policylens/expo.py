"""The CIIE editions (expo dataset): link-value cleaning, per-metric series, the bar and scatter builders, the detail.

Pure: no Streamlit. Gaps (confidence not-found, empty value) stay None in every figure and are labelled
"not reported"; they are never drawn as 0.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from policylens import palette, vocab
from policylens.datasets import caveats_for
from policylens.text import escape_markdown as md
from policylens.text import markdown_link

EDITIONS: tuple[int, ...] = tuple(range(1, 9))
ARTICLE_EDITION = 6  # the article (November 2023) writes about the 6th CIIE
ARTICLE_NOTE = "the article's edition"
SECONDHAND = "reported-secondhand"
NOT_FOUND = "not-found"


@dataclass(frozen=True)
class Metric:
    label: str  # what a person reads
    axis: str  # the unit, for the axis title
    short: bool = False  # bar text drops "USD" and "bn" (the axis says it)


# The metrics drawn as bars, in menu order; their labels and units live in the expo contract (provenance.json), read
# through policylens.vocab. The text metrics (dates, theme) appear in the detail only.
CHART_METRICS: tuple[str, ...] = (
    "intended_deals",
    "exhibitors",
    "exhibitor_countries_regions",
    "countries_regions_ios",
    "exhibition_area",
    "business_exhibition_area",
    "new_products",
    "fortune500_and_leaders",
    "visitors",
)
SHORT_BAR_TEXT = ("intended_deals",)  # bar text drops "USD" and "bn" (the axis says it)
_LABELS, _UNITS = vocab.labels("expo", "metric"), vocab.units("expo", "metric")
METRICS: dict[str, Metric] = {
    m: Metric(_LABELS.get(m, m), _UNITS.get(m, ""), short=m in SHORT_BAR_TEXT) for m in CHART_METRICS
}
DEFAULT_METRIC = "intended_deals"
DETAIL_METRICS: dict[str, str] = {m: _LABELS.get(m, m) for m in (*CHART_METRICS, "dates", "theme")}
QUALIFIER_WORDS = {"exact": "", "at-least": "at least", "about": "about", "pre-event": "announced before the edition"}


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition_label(edition: int, year: int) -> str:
    """'2023 (6th)'."""
    return f"{year} ({ordinal(edition)})"


def clean_editions(values: Iterable[object] | None) -> list[int]:
    """The valid editions among ``values`` (ints or digit strings), sorted, each once; anything else is dropped."""
    picked: set[int] = set()
    for value in values or []:
        text = str(value).strip()
        if text.isdigit() and int(text) in EDITIONS:
            picked.add(int(text))
    return sorted(picked)


def clean_metric(value: object) -> str:
    return value if isinstance(value, str) and value in METRICS else DEFAULT_METRIC


def with_sources(expo: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every expo row with its source's publisher, title and address (empty strings where there is no source)."""
    cited = sources[["id", "publisher", "title", "url"]].rename(columns={"id": "source_id", "title": "source_title"})
    merged = expo.merge(cited, on="source_id", how="left")
    for column in ("publisher", "source_title", "url"):
        merged[column] = merged[column].fillna("").astype(str)
    return merged


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)


def reported(row: pd.Series | dict) -> bool:
    return row["confidence"] != NOT_FOUND and not pd.isna(row["value"])


def bar_text(row: pd.Series | dict, metric: str) -> str:
    """The figure as reported, short enough for a bar: '2,900+', '~2,600', '78.41'; '*' marks secondhand."""
    if not reported(row):
        return ""
    text = _text(row["value_text"])
    if METRICS[metric].short:
        text = text.removeprefix("USD ").removesuffix(" bn")
    if row["qualifier"] == "pre-event":
        text += "<br>pre-event"
    if row["confidence"] == SECONDHAND:
        text += "*"
    return text


def _hover(row: pd.Series, metric: str) -> str:
    label = METRICS[metric].label
    head = f"<b>{edition_label(row['edition'], row['year'])} CIIE</b>"
    if not reported(row):
        return f"{head}<br>{html.escape(label)}: {palette.NOT_REPORTED}"
    qualifier = QUALIFIER_WORDS.get(_text(row["qualifier"]), "")
    lines = [
        head,
        f"{html.escape(label)}: {html.escape(_text(row['value_text']))}" + (f" ({qualifier})" if qualifier else ""),
        f"Counts: {html.escape(_text(row['definition']))}",
        f"Source: {html.escape(_text(row.get('publisher', '')) or _text(row['source_id']))}",
        f"Confidence: {html.escape(_text(row['confidence']))}",
    ]
    return "<br>".join(lines)


def metric_series(expo: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per edition 1..8 for ``metric``, in edition order; ``value`` is None where not reported."""
    rows = expo[expo["metric"] == metric].set_index("edition")
    out = []
    for edition in EDITIONS:
        row = rows.loc[edition] if edition in rows.index else None
        if row is None:
            record = {"edition": edition, "year": edition + 2017, "value": None, "confidence": NOT_FOUND}
            record |= {k: "" for k in ("value_text", "qualifier", "definition", "source_id", "note", "publisher")}
            row = pd.Series(record)
        else:
            row = row.copy()
            row["edition"] = edition
        is_reported = reported(row)
        out.append(
            {
                "edition": edition,
                "year": int(row["year"]),
                "label": edition_label(edition, int(row["year"])),
                "value": float(row["value"]) if is_reported else None,
                "as_reported": _text(row["value_text"]) if is_reported else palette.NOT_REPORTED,
                "qualifier": _text(row["qualifier"]),
                "definition": _text(row["definition"]),
                "source_id": _text(row["source_id"]),
                "publisher": _text(row.get("publisher", "")),
                "confidence": _text(row["confidence"]),
                "note": _text(row["note"]),
                "bar_text": bar_text(row, metric),
                "hover": _hover(row, metric),
            }
        )
    frame = pd.DataFrame(out)
    # None, not NaN, for a figure not reported: the builders hand it to Plotly as a gap.
    frame["value"] = pd.Series([r["value"] for r in out], dtype="object")
    return frame


def mark_colours(editions: Sequence[int], selected: Iterable[int]) -> tuple[list[str], list[float]]:
    """Selected editions in palette.SELECTED; with a selection, the others in palette.BASE at reduced opacity."""
    chosen = set(selected)
    colours = [palette.SELECTED if e in chosen else palette.BASE for e in editions]
    opacity = [1.0 if not chosen or e in chosen else palette.UNSELECTED_OPACITY for e in editions]
    return colours, opacity


def toggle_editions(current: Iterable[object], clicked: Iterable[object]) -> list[int]:
    """The chosen editions after clicking ``clicked``: a click adds an edition, a click on a chosen one removes it.

    The chart is drawn anew whenever the choice changes, so Plotly forgets its own selection: a click (with or
    without shift) arrives as that one mark, and the page keeps the running choice.
    """
    return sorted(set(clean_editions(current)) ^ set(clean_editions(clicked)))


def expo_bars(series: pd.DataFrame, metric: str, selected: Sequence[int] = ()) -> go.Figure:
    """Bars of ``metric`` per edition (``metric_series``): gaps labelled, the 6th marked, picks highlighted."""
    info = METRICS[metric]
    editions = [int(e) for e in series["edition"]]
    years = [int(y) for y in series["year"]]
    values = [None if v is None or pd.isna(v) else float(v) for v in series["value"]]
    colours, opacity = mark_colours(editions, selected)
    secondhand = [c == SECONDHAND for c in series["confidence"]]
    bar = {
        "x": years,
        "y": values,
        "customdata": [[str(e), h] for e, h in zip(editions, series["hover"], strict=True)],
        "text": list(series["bar_text"]),
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{customdata[1]}<extra></extra>",
        "marker": {
            "color": colours,
            "opacity": opacity,
            "pattern": {"shape": ["/" if s else "" for s in secondhand], "solidity": 0.35},
        },
        "name": info.label,
        "showlegend": False,
    }
    # No ``selectedpoints``: the chart is drawn anew after every pick, so a click on an already chosen mark must reach
    # the page as a click (to toggle it off), not as Plotly's "deselect all".
    bar |= palette.selection_style(selected_colour=palette.SELECTED)
    fig = go.Figure(go.Bar(**bar))
    if any(secondhand):
        # A legend entry with no data: it only explains the hatch.
        fig.add_trace(
            go.Bar(
                x=[None],
                y=[None],
                name="* reported secondhand",
                marker={"color": palette.MUTED, "pattern": {"shape": "/"}},
                showlegend=True,
                hoverinfo="skip",
            )
        )
    peak = max((v for v in values if v is not None), default=1.0)
    for year, value in zip(years, values, strict=True):
        if value is None:
            fig.add_annotation(
                x=year,
                y=0,
                yanchor="bottom",
                text=palette.NOT_REPORTED,
                textangle=-90,
                showarrow=False,
                font={"size": 12, "color": palette.NEUTRAL_TEXT},
            )
    if ARTICLE_EDITION in editions:
        year = years[editions.index(ARTICLE_EDITION)]
        fig.add_shape(
            type="rect",
            xref="x",
            yref="paper",
            x0=year - 0.5,
            x1=year + 0.5,
            y0=0,
            y1=1,
            fillcolor=palette.MUTED,
            opacity=0.18,
            line={"width": 0},
            layer="below",
        )
        fig.add_annotation(
            x=year, y=1, yref="paper", yanchor="bottom", text=ARTICLE_NOTE, showarrow=False, font={"size": 12}
        )
    # Plotly titles do not wrap: break long ones so they fit a phone's width.
    title = textwrap.wrap(f"{info.label}, CIIE editions 1 to 8", 42)
    fig.update_layout(
        title={"text": "<br>".join(title)},
        xaxis={
            "title": {"text": "year (edition)"},
            "tickmode": "array",
            "tickvals": years,
            "ticktext": [f"{y}<br>{ordinal(e)}" for e, y in zip(editions, years, strict=True)],
        },
        yaxis={"title": {"text": info.axis}, "rangemode": "tozero", "range": [0, peak * 1.22]},
        margin={"l": 10, "r": 10, "t": 52 + 20 * len(title), "b": 10},
        legend={"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top"},
        clickmode="event+select",
        bargap=0.25,
    )
    return fig


def scatter_pairs(expo: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """Editions with both intended deals and exhibitors reported (one row each), and the editions lacking either."""
    deals = metric_series(expo, "intended_deals").set_index("edition")
    exhibitors = metric_series(expo, "exhibitors").set_index("edition")
    rows, missing = [], []
    for edition in EDITIONS:
        deal, firms = deals.loc[edition], exhibitors.loc[edition]
        if pd.isna(deal["value"]) or pd.isna(firms["value"]):
            missing.append(edition)
            continue
        secondhand = SECONDHAND in (deal["confidence"], firms["confidence"])
        rows.append(
            {
                "edition": edition,
                "year": int(deal["year"]),
                "label": deal["label"],
                "exhibitors": firms["value"],
                "exhibitors_as_reported": firms["as_reported"],
                "exhibitors_confidence": firms["confidence"],
                "intended_deals": deal["value"],
                "intended_deals_as_reported": deal["as_reported"],
                "intended_deals_confidence": deal["confidence"],
                "secondhand": secondhand,
            }
        )
    columns = [
        "edition",
        "year",
        "label",
        "exhibitors",
        "exhibitors_as_reported",
        "exhibitors_confidence",
        "intended_deals",
        "intended_deals_as_reported",
        "intended_deals_confidence",
        "secondhand",
    ]
    return pd.DataFrame(rows, columns=columns), missing


def expo_scatter(pairs: pd.DataFrame, selected: Sequence[int] = ()) -> go.Figure:
    """Intended deals against exhibitors, one point per edition (from ``scatter_pairs``), picks highlighted."""
    editions = [int(e) for e in pairs["edition"]]
    colours, opacity = mark_colours(editions, selected)
    hover = [
        f"<b>{html.escape(r.label)} CIIE</b><br>Exhibitors: {html.escape(r.exhibitors_as_reported)} "
        f"({r.exhibitors_confidence})<br>Intended deals: {html.escape(r.intended_deals_as_reported)} "
        f"({r.intended_deals_confidence})"
        for r in pairs.itertuples()
    ]
    point = {
        "x": [float(v) for v in pairs["exhibitors"]],
        "y": [float(v) for v in pairs["intended_deals"]],
        "mode": "markers+text",
        "text": [f"{r.year}{'*' if r.secondhand else ''}" for r in pairs.itertuples()],
        # The 6th and 7th editions lie close together: the 6th's label goes to the left so both stay readable.
        "textposition": ["middle left" if e == ARTICLE_EDITION else "top center" for e in editions],
        "customdata": [[str(e), h] for e, h in zip(editions, hover, strict=True)],
        "hovertemplate": "%{customdata[1]}<extra></extra>",
        "marker": {
            "color": colours,
            "opacity": opacity,
            "size": [18 if e == ARTICLE_EDITION else 13 for e in editions],
            "symbol": ["diamond" if e == ARTICLE_EDITION else "circle" for e in editions],
            "line": {"width": 1, "color": palette.MUTED},
        },
        "showlegend": False,
    }
    point |= palette.selection_style(selected_colour=palette.SELECTED)
    fig = go.Figure(go.Scatter(**point))
    fig.update_layout(
        title={"text": "Intended deals against exhibitors"},
        xaxis={"title": {"text": "exhibitors (companies)"}},
        yaxis={"title": {"text": "intended deals (USD bn)"}},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        clickmode="event+select",
    )
    return fig


def definition_notes(expo: pd.DataFrame, metric: str) -> list[str]:
    """'2018 (1st): ...' for every reported edition, when the definitions of ``metric`` differ between editions."""
    series = metric_series(expo, metric)
    shown = series[series["value"].notna()]
    if shown["definition"].nunique() <= 1:
        return []
    return [f"{row.label}: {row.definition}" for row in shown.itertuples()]


def metric_caveats(provenance: Mapping, series: pd.DataFrame, metric: str) -> list[str]:
    """The provenance caveats that concern ``metric``: those that name it in ``metrics``, and those that name in
    ``qualifiers`` the qualifier of one of the series' rows (the pre-event caveat when a figure is pre-event)."""
    return caveats_for(provenance, metric, series["qualifier"])


def series_table(series: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The data behind the bar chart, as a person reads it."""
    table = series[["edition", "year", "value", "as_reported", "qualifier", "definition", "publisher", "confidence"]]
    return table.assign(metric=metric)[["edition", "year", "metric", *table.columns[2:]]]


def source_line(series: pd.DataFrame) -> str:
    """Dataset, sources and confidence counts of one series (plain text)."""
    publishers = list(dict.fromkeys(p for p in series["publisher"] if p))
    counts = series["confidence"].value_counts()
    confidence = ", ".join(
        f"{counts[c]} {palette.NOT_REPORTED if c == NOT_FOUND else c}" for c in counts.index if counts[c]
    )
    return f"dataset expo (CIIE editions 1 to 8) · sources: {'; '.join(publishers)} · confidence: {confidence}"


def scatter_source_line(expo: pd.DataFrame) -> str:
    both = pd.concat([metric_series(expo, "intended_deals"), metric_series(expo, "exhibitors")], ignore_index=True)
    return source_line(both)


def bars_alt(series: pd.DataFrame, metric: str) -> str:
    parts = [f"{row.label}: {row.as_reported}" for row in series.itertuples()]
    return f"Bar chart of {METRICS[metric].label} ({METRICS[metric].axis}) by CIIE edition. " + "; ".join(parts) + "."


def scatter_alt(pairs: pd.DataFrame) -> str:
    parts = [
        f"{row.label}: {row.exhibitors_as_reported} exhibitors, {row.intended_deals_as_reported}"
        for row in pairs.itertuples()
    ]
    return "Scatter plot of intended deals (USD bn) against exhibitors, one point per CIIE edition. " + "; ".join(parts)


def detail_markdown(rows: pd.DataFrame) -> str:
    """Every metric of one edition (rows of ``with_sources``) as a Markdown list; data text is escaped."""
    by_metric = rows.set_index("metric")
    lines = []
    for metric_id, label in DETAIL_METRICS.items():
        if metric_id not in by_metric.index:
            continue
        row = by_metric.loc[metric_id]
        if row["confidence"] == NOT_FOUND or not _text(row["value_text"]):
            line = f"- **{md(label)}:** *{palette.NOT_REPORTED}*"
        else:
            qualifier = QUALIFIER_WORDS.get(_text(row["qualifier"]), "")
            line = f"- **{md(label)}:** {md(row['value_text'])}"
            if qualifier:
                line += f" ({md(qualifier)})"
            if _text(row["definition"]):
                line += f" — {md(row['definition'])}"
            publisher = _text(row["publisher"]) or _text(row["source_id"])
            line += f"  \n  Source: {markdown_link(publisher, _text(row['url']))} · confidence: {md(row['confidence'])}"
        if _text(row["note"]):
            line += f"  \n  Note: {md(row['note'])}"
        lines.append(line)
    return "\n".join(lines)
