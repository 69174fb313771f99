"""The theme profile: the share of paragraphs per theme in a text beside the CGTN article's, as a table and a chart."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from policylens import palette
from policylens.analyze.analysis import Analysis
from policylens.analyze.reference import Reference


def profile_table(analysis: Analysis | None, ref: Reference) -> pd.DataFrame:
    """One row per theme: paragraphs carrying it and their share, in this text and in the CGTN article."""
    article = ref.article_profile()
    article_total = len(ref.article_tags)
    rows = []
    own = analysis.profile() if analysis else {}
    own_total = len(analysis.body) if analysis else 0
    for theme_id in ref.theme_ids:
        row = {"theme": theme_id, "Theme": ref.labels.get(theme_id, theme_id)}
        if analysis is not None:
            row["This text: paragraphs"] = own.get(theme_id, 0)
            row["This text: share (%)"] = _share(own.get(theme_id, 0), own_total)
        row["CGTN article: paragraphs"] = article.get(theme_id, 0)
        row["CGTN article: share (%)"] = _share(article.get(theme_id, 0), article_total)
        rows.append(row)
    return pd.DataFrame(rows)


def _share(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


TEXT_COLOUR = palette.BASE
ARTICLE_COLOUR = palette.MUTED


def profile_bars(table: pd.DataFrame, selected: Iterable[str] = ()) -> go.Figure:
    """Horizontal bars: the share of paragraphs per theme in this text beside the CGTN article's.

    Both bars of a theme carry its id in ``custom_data``, so a click on either toggles that theme in the filter.
    """
    chosen = set(selected)
    ids = [str(t) for t in table["theme"]]
    labels = list(table["Theme"])
    opacity = [1.0 if not chosen or t in chosen else palette.UNSELECTED_OPACITY for t in ids]
    fig = go.Figure()
    series = [("CGTN article", "CGTN article", ARTICLE_COLOUR, "")]
    if "This text: share (%)" in table:
        series.insert(0, ("This text", "This text", TEXT_COLOUR, ""))
    for name, prefix, colour, _ in series:
        shares = [float(v) for v in table[f"{prefix}: share (%)"]]
        counts = [int(v) for v in table[f"{prefix}: paragraphs"]]
        fig.add_trace(
            go.Bar(
                name=name,
                x=shares,
                y=labels,
                orientation="h",
                marker={"color": colour, "opacity": opacity},
                customdata=[[t, str(c)] for t, c in zip(ids, counts, strict=True)],
                text=[f"{s:g}% ({c})" for s, c in zip(shares, counts, strict=True)],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name}: %{{y}}, %{{x:g}}% of paragraphs (%{{customdata[1]}})<extra></extra>",
                # Plotly's select step reads both styles, text included (streamlit-notes.md).
                selected={"marker": {"opacity": 1.0}, "textfont": {}},
                unselected={"marker": {"opacity": palette.UNSELECTED_OPACITY}, "textfont": {}},
            )
        )
    top = max([0.0, *(float(v) for c in table.columns if c.endswith("share (%)") for v in table[c])])
    fig.update_layout(
        barmode="group",
        height=140 + (44 if len(series) > 1 else 26) * len(labels),
        margin={"l": 8, "r": 24, "t": 8, "b": 40},
        xaxis={"title": {"text": "share of paragraphs (%)"}, "range": [0, max(10.0, top * 1.25)]},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def profile_alt(table: pd.DataFrame) -> str:
    parts = []
    for _, row in table.iterrows():
        if "This text: share (%)" in table:
            parts.append(f"{row['Theme']} {row['This text: share (%)']:g}% against {row['CGTN article: share (%)']:g}%")
        else:
            parts.append(f"{row['Theme']} {row['CGTN article: share (%)']:g}%")
    if "This text: share (%)" in table:
        head = "Share of paragraphs per theme, this text against the CGTN article: "
    else:
        head = "Share of the CGTN article's paragraphs per theme: "
    return head + "; ".join(parts) + "."
