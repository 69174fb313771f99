"""The Overview's theme strip: how much of the article each theme covers, the chosen themes highlighted."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from policylens import palette
from policylens.themes import count_tags


def theme_coverage(themes: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per theme: id, label, colour and the number of article paragraphs tagged with it."""
    counts = count_tags(paragraphs["themes"], themes["id"])
    table = themes[["id", "label", "colour"]].copy()
    table["paragraphs"] = [counts[theme_id] for theme_id in table["id"]]
    return table.sort_values(["paragraphs", "label"], ascending=[False, True]).reset_index(drop=True)


def theme_strip(coverage: pd.DataFrame, selected: list[str], total: int) -> go.Figure:
    """Bars of paragraphs per theme in each theme's colour; with a selection, the others fade."""
    chosen = set(selected)
    opacity = [1.0 if not chosen or t in chosen else palette.UNSELECTED_OPACITY for t in coverage["id"]]
    fig = go.Figure(
        go.Bar(
            x=coverage["label"],
            y=coverage["paragraphs"],
            marker={"color": list(coverage["colour"]), "opacity": opacity},
            customdata=[[t] for t in coverage["id"]],
            text=coverage["paragraphs"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{x}}: %{{y}} of {total} paragraphs<extra></extra>",
            # plotly.js reads selected.textfont when styling a selection of bars that carry text; without it the
            # click throws "Cannot read properties of undefined (reading 'textfont')".
            selected={"marker": {"opacity": 1.0}, "textfont": {}},
            unselected={"marker": {"opacity": 1.0}, "textfont": {}},
        )
    )
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"title": "paragraphs", "rangemode": "tozero"},
        xaxis={"tickangle": -35},
        showlegend=False,
        clickmode="event+select",
    )
    return fig
