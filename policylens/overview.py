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
            **palette.selection_style(unselected_opacity=1.0),
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


def strip_alt(coverage: pd.DataFrame, total: int) -> str:
    """The theme strip in words, for screen readers and the meeting pack."""
    counts = "; ".join(f"{row.label} {row.paragraphs}" for row in coverage.itertuples())
    return f"Bar chart: how many of the article's {total} paragraphs carry each theme. {counts}"


def paragraphs_with_themes(paragraphs: pd.DataFrame, themes: tuple[str, ...] | list[str]) -> set[int]:
    """The numbers of the paragraphs tagged with at least one of ``themes``."""
    wanted = set(themes)
    return {
        int(number)
        for number, tags in zip(paragraphs["paragraph"], paragraphs["themes"], strict=True)
        if wanted & set(tags or ())
    }


def claims_of_themes(claims: pd.DataFrame, paragraphs: pd.DataFrame, themes: tuple[str, ...]) -> pd.DataFrame:
    """The claims whose paragraph carries one of ``themes`` (all claims when no theme is chosen)."""
    if not themes:
        return claims
    kept = paragraphs_with_themes(paragraphs, themes)
    return claims[claims["paragraph"].astype(int).isin(kept)].reset_index(drop=True)


def verdict_counts(claims: pd.DataFrame, verdicts: list[str]) -> dict[str, int]:
    """How many claims got each verdict, for every verdict of the contract (0 where none did)."""
    counts = claims["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in verdicts}
