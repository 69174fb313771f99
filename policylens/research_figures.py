"""The figures of the Research and patents page: share of world by area, one bar per series (pure, no Streamlit).

Areas are the categories of the y axis; several series per area are grouped by Plotly (``barmode="group"``, one
``offsetgroup`` per series), and the "not reported" labels of gaps are text scatters in the same offset groups
(``scattermode="group"``), so a label sits where its missing bar would be. Every bar carries its area id (a string)
and measure in ``customdata``: a click reports the area.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from policylens import palette
from policylens.research import VENUES, format_share, sorted_for_bars
from policylens.research_words import SECONDHAND_STAR, measure_label

# Each venue type keeps one colour (and one legend word) in every chart.
VENUE_STYLE: dict[str, tuple[str, str]] = {
    "journal": ("Journal", palette.BASE),
    "conference": ("Conference", palette.ACCENT),
    "repository": ("Repository", palette.SECOND),
}
ROW_HEIGHT = 22  # pixels per bar; a figure's height grows with its rows so labels never overlap


@dataclass(frozen=True)
class Series:
    measure: str
    label: str
    colour: str


def _subtitle(edition: str, year: int | None) -> str:
    return (
        f'<br><span style="font-size:13px;font-weight:normal">{edition} · data year {year} · {SECONDHAND_STAR}</span>'
    )


def tick_text(area: str, area_type: str, selected: bool) -> str:
    if area_type == "region":
        text = f"<i>{area} (region)</i>"
    elif area_type == "residual":
        text = f"<i>{area}</i>"  # a residual of the areas not listed, not a country
    else:
        text = area
    return f"<b>{text}</b>" if selected else text


def _add_area_bars(
    fig: go.Figure,
    table: pd.DataFrame,
    area_rows: pd.DataFrame,
    series: Sequence[Series],
    selected: Sequence[str],
    *,
    row: int = 1,
    show_legend: bool = True,
) -> None:
    """Horizontal bars on a categorical axis of areas, one bar per series in each area's group.

    ``customdata`` holds [area, measure] (strings) on every bar, which is what a click reports.
    """
    grouped = len(series) > 1
    areas = list(area_rows["area"])
    chosen = set(selected)
    any_selected = bool(chosen & set(areas))
    gap_labels: list[list[str]] = []
    # Each (area, measure)'s first row: its share and confidence (one pass, not a filter of the table per bar).
    rows: dict[tuple[str, str], tuple[float, str]] = {}
    for row_area, row_measure, share, row_confidence in zip(
        table["area"], table["measure"], table["share_pct"], table["confidence"], strict=True
    ):
        rows.setdefault((row_area, row_measure), (float(share), row_confidence))
    for s in series:
        xs, text, custom, colours, opacity, line_w, hover, gaps = [], [], [], [], [], [], [], []
        for area in areas:
            value, confidence = rows.get((area, s.measure), (math.nan, ""))
            is_gap = math.isnan(value)
            is_sel = area in chosen
            xs.append(None if is_gap else value)
            # A star marks a figure read secondhand, as on the Expo page (the subtitle explains it).
            text.append(format_share(value) + (" *" if confidence == "reported-secondhand" else ""))
            custom.append([area, s.measure])
            colours.append(palette.SELECTED if (is_sel and not grouped) else s.colour)
            opacity.append(1.0 if (is_sel or not any_selected) else palette.UNSELECTED_OPACITY)
            line_w.append(3 if (is_sel and grouped) else 0)
            hover.append(f"{area}<br>{s.label}: {format_share(value)}<br>{confidence}")
            gaps.append((f"{s.label}: {palette.NOT_REPORTED}" if grouped else palette.NOT_REPORTED) if is_gap else "")
        gap_labels.append(gaps)
        fig.add_trace(
            go.Bar(
                name=s.label,
                orientation="h",
                x=xs,
                y=areas,
                offsetgroup=s.measure,
                text=text,
                textposition="outside",
                cliponaxis=False,
                customdata=custom,
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "color": colours,
                    "opacity": opacity,
                    "line": {"color": palette.SELECTED, "width": line_w},
                },
                **palette.selection_style(),
                legendgroup=s.measure,
                showlegend=show_legend and grouped,
            ),
            row=row,
            col=1,
        )
    if any(label for labels in gap_labels for label in labels):
        # One text trace per series (even one without gaps), so the scatter groups line up with the bar groups.
        for s, labels in zip(series, gap_labels, strict=True):
            fig.add_trace(
                go.Scatter(
                    name=palette.NOT_REPORTED,
                    x=[0.0] * len(areas),
                    y=areas,
                    offsetgroup=s.measure,
                    orientation="h",
                    mode="text",
                    text=labels,
                    textposition="middle right",
                    textfont={"color": palette.NEUTRAL_TEXT, "size": 11},
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=s.measure,
                ),
                row=row,
                col=1,
            )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=areas,
        autorange="reversed",
        tickmode="array",
        tickvals=areas,
        ticktext=[tick_text(a, t, a in chosen) for a, t in zip(areas, area_rows["area_type"], strict=True)],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        row=row,
        col=1,
    )


def _style(fig: go.Figure, title: str, height: float, x_max: float, *, bargap: float) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 20, "t": 70, "b": 40},
        barmode="group",
        scattermode="group",
        bargap=bargap,
        scattergap=bargap,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        clickmode="event+select",
        dragmode=False,
    )
    fig.update_xaxes(range=[0, x_max * 1.25 if x_max > 0 else 1], ticksuffix="%", fixedrange=True)
    return fig


def _x_max(table: pd.DataFrame) -> float:
    values = table["share_pct"].dropna()
    return float(values.max()) if len(values) else 0.0


def _area_rows(table: pd.DataFrame) -> pd.DataFrame:
    return table[["area", "area_type"]].drop_duplicates("area").reset_index(drop=True)


def share_bars(table: pd.DataFrame, edition: str, year: int | None, measure: str, selected: Sequence[str]) -> go.Figure:
    """Share of the world total by area for one measure of one edition; selected areas in palette.SELECTED."""
    rows = sorted_for_bars(table, measure)
    area_rows = rows[["area", "area_type"]]
    fig = make_subplots(rows=1, cols=1)
    _add_area_bars(fig, rows, area_rows, [Series(measure, measure_label(measure), palette.BASE)], selected)
    title = f"{measure_label(measure)}: share of world total{_subtitle(edition, year)}"
    return _style(fig, title, 110 + ROW_HEIGHT * 1.6 * len(area_rows), _x_max(rows), bargap=0.3)


def filings_vs_grants(table: pd.DataFrame, edition: str, year: int | None, selected: Sequence[str]) -> go.Figure:
    """Patent filings beside granted patents per area, for the edition that holds both (AI Index 2022)."""
    area_rows = _area_rows(table)
    series = [
        Series("patent-filings", measure_label("patent-filings"), palette.BASE),
        Series("granted-patents", measure_label("granted-patents"), palette.ACCENT),
    ]
    fig = make_subplots(rows=1, cols=1)
    _add_area_bars(fig, table, area_rows, series, selected)
    title = f"Patent filings vs granted patents, share of world{_subtitle(edition, year)}"
    return _style(fig, title, 140 + ROW_HEIGHT * 2 * len(area_rows), _x_max(table), bargap=0.2)


def venue_bars(
    pubs: pd.DataFrame, cites: pd.DataFrame, edition: str, year: int | None, selected: Sequence[str]
) -> go.Figure:
    """Publications (top) and citations (bottom) by venue type, grouped per area, for one edition.

    Either table may be empty; its panel is then left out.
    """
    panels = [(t, k) for t, k in ((pubs, "publications"), (cites, "citations")) if len(t)]
    sizes = [t["area"].nunique() for t, _ in panels]
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        subplot_titles=[f"{kind.capitalize()}, share of world" for _, kind in panels],
        row_heights=sizes,
        vertical_spacing=0.12 if len(panels) > 1 else 0.0,
    )
    for r, (tbl, kind) in enumerate(panels, start=1):
        series = [Series(f"{v}-{kind}", VENUE_STYLE[v][0], VENUE_STYLE[v][1]) for v in VENUES]
        _add_area_bars(fig, tbl, _area_rows(tbl), series, selected, row=r, show_legend=(r == 1))
    x_max = max((_x_max(t) for t, _ in panels), default=0.0)
    for annotation in fig.layout.annotations:
        annotation.update(x=0, xanchor="left", font={"size": 13})
    title = f"Publications and citations by venue type{_subtitle(edition, year)}"
    fig = _style(fig, title, 170 + ROW_HEIGHT * 3 * sum(sizes), x_max, bargap=0.2)
    fig.update_layout(legend={"y": -0.06})
    return fig
