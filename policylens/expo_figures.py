"""The figures of the Expo page: one metric across CIIE editions 1 to 8, deals against exhibitors (pure, no Streamlit).

Gaps (``None`` in ``metric_series``) are handed to Plotly as gaps and labelled "not reported"; they are never drawn
as 0. Every mark carries its edition (a string) in ``customdata``: a click reports the edition. The article's edition
is marked; chosen editions are highlighted and the others dimmed.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from policylens import palette
from policylens.expo import ARTICLE_EDITION, METRICS, SECONDHAND, ordinal
from policylens.expo_words import ARTICLE_NOTE


def mark_colours(editions: Sequence[int], selected: Iterable[int]) -> tuple[list[str], list[float]]:
    """Selected editions in palette.SELECTED; with a selection, the others in palette.BASE at reduced opacity."""
    chosen = set(selected)
    colours = [palette.SELECTED if e in chosen else palette.BASE for e in editions]
    opacity = [1.0 if not chosen or e in chosen else palette.UNSELECTED_OPACITY for e in editions]
    return colours, opacity


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
