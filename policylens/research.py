"""AI Index research shares: filters and figure builders for the Research and patents page (pure, no Streamlit).

Editions are never joined into one series: every figure is for one edition and says its data year. Areas not reported
for a measure stay gaps (None) labelled "not reported"; no residual ("rest of world") is ever computed here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from policylens import palette

DEFAULT_EDITION = "AI Index 2022"
FILINGS_EDITION = "AI Index 2022"  # the edition the article's 51.7% filings figure comes from

MEASURE_LABELS: dict[str, str] = {
    "patent-filings": "Patent filings",
    "granted-patents": "Granted patents",
    "journal-publications": "Journal publications",
    "conference-publications": "Conference publications",
    "repository-publications": "Repository publications",
    "journal-citations": "Journal citations",
    "conference-citations": "Conference citations",
    "repository-citations": "Repository citations",
}
MEASURE_ORDER: tuple[str, ...] = tuple(MEASURE_LABELS)

# Publications and citations come in three venue types; each type keeps one colour in every chart.
VENUE_TYPES: tuple[tuple[str, str, str], ...] = (
    ("journal", "Journal", palette.BASE),
    ("conference", "Conference", palette.ACCENT),
    ("repository", "Repository", palette.SECOND),
)

AREA_ORDER: tuple[str, ...] = (
    "China",
    "United States",
    "EU + UK",
    "India",
    "Rest of world",
    "East Asia & Pacific",
    "North America",
    "Europe & Central Asia",
)

EDITION_CAVEATS: dict[str, str] = {
    "AI Index 2022": "Patent and publication shares as published in AI Index 2022 (data year 2021).",
    "AI Index 2023": "AI Index 2023 re-based its publication data with a new methodology (CSET): its shares are not "
    "comparable with AI Index 2022.",
    "AI Index 2024": "AI Index 2024 uses a new patent dataset: its patent shares are not comparable with "
    "AI Index 2022.",
}
EDITIONS_WARNING = (
    "The editions are not one series: AI Index 2023 re-based publications with a new methodology, AI Index 2024 uses "
    "a new patent dataset, and the data years differ. Compare areas within one edition, never across editions."
)

CONFIDENCE_LABELS = {
    "reported-secondhand": "reported secondhand (quoted by a third party, not read in the Stanford PDF)",
    "verified-in-source": "verified in source",
}


def share_of(df: pd.DataFrame, edition: str, measure: str, area: str) -> float | None:
    """One published share, or None when the dataset has no such row."""
    row = df[(df["edition"] == edition) & (df["measure"] == measure) & (df["area"] == area)]
    return None if row.empty else float(row["share_pct"].iloc[0])


def _patent_shares(df: pd.DataFrame) -> dict[str, str]:
    def share(measure: str, area: str) -> str:
        return format_share(share_of(df, FILINGS_EDITION, measure, area))

    return {
        "cn_filed": share("patent-filings", "China"),
        "cn_granted": share("granted-patents", "China"),
        "us_filed": share("patent-filings", "United States"),
        "us_granted": share("granted-patents", "United States"),
    }


def intro_markdown(df: pd.DataFrame) -> str:
    """What the article says beside what the AI Index gives, figures read from the rows."""
    s = _patent_shares(df)
    return (
        "The article says China had *more than half* of the world's AI patent filings in 2021; the AI Index 2022 "
        f"(through a secondhand transcription) gives **{s['cn_filed']}**. These are the Stanford AI Index shares "
        "behind that figure and its neighbours: patents, publications and citations by area."
    )


def filings_caption(df: pd.DataFrame) -> str:
    s = _patent_shares(df)
    return (
        f"The article's claim and its caveat side by side: China filed {s['cn_filed']} of the world's AI patent "
        f"applications ({FILINGS_EDITION}, data year {data_year(df, FILINGS_EDITION)}), but the United States led "
        f"granted patents with {s['us_granted']} against China's {s['cn_granted']}. Both are reported secondhand."
    )


def filings_alt(df: pd.DataFrame) -> str:
    s = _patent_shares(df)
    return (
        "Grouped horizontal bars per area: patent filings beside granted patents, share of world, "
        f"{FILINGS_EDITION} (data year {data_year(df, FILINGS_EDITION)}). China {s['cn_filed']} of filings but "
        f"{s['cn_granted']} of grants; United States {s['us_filed']} of filings and {s['us_granted']} of grants."
    )


_ROW_HEIGHT = 22  # pixels per bar; a figure's height grows with its rows so labels never overlap


def measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, measure)


def editions(df: pd.DataFrame) -> list[str]:
    return sorted(df["edition"].dropna().unique().tolist())


def measures_in(df: pd.DataFrame, edition: str) -> list[str]:
    """The measures the dataset reports for ``edition``, in a fixed order (so the default measure is stable)."""
    present = set(df.loc[df["edition"] == edition, "measure"].dropna())
    return [m for m in MEASURE_ORDER if m in present] + sorted(present - set(MEASURE_ORDER))


def areas(df: pd.DataFrame) -> list[str]:
    """Every area in the dataset: countries and economies first, then regions."""
    present = set(df["area"].dropna())
    return [a for a in AREA_ORDER if a in present] + sorted(present - set(AREA_ORDER))


def data_year(df: pd.DataFrame, edition: str) -> int | None:
    years = df.loc[df["edition"] == edition, "data_year"].dropna().unique().tolist()
    return int(years[0]) if len(years) == 1 else None


def edition_heading(df: pd.DataFrame, edition: str) -> str:
    year = data_year(df, edition)
    return f"{edition} · data year {year}" if year is not None else edition


def format_share(value: float | None) -> str:
    """A share as published: at least one decimal (31.0%, 57.0%), two where the source gives two (61.13%)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return palette.NOT_REPORTED
    text = f"{value:.2f}".rstrip("0")
    return (text + "0" if text.endswith(".") else text) + "%"


def _area_frame(df: pd.DataFrame, edition: str, area_types: Iterable[str]) -> pd.DataFrame:
    """The areas of ``edition`` (of the given area types) in display order, with their type."""
    sub = df[(df["edition"] == edition) & (df["area_type"].isin(list(area_types)))]
    order = {a: i for i, a in enumerate(areas(df))}
    frame = sub[["area", "area_type"]].drop_duplicates("area")
    frame = frame.assign(_o=frame["area"].map(order)).sort_values(["_o"]).drop(columns="_o")
    return frame.reset_index(drop=True)


def shares_table(df: pd.DataFrame, edition: str, measures: Sequence[str]) -> pd.DataFrame:
    """One row per (area, measure) of ``edition``: the reported share, or NaN with status "not reported".

    The areas are those the edition reports for these measures' area types (a measure that reports no regions
    gets no region rows); countries first, then regions, each in a fixed order.
    """
    sub = df[(df["edition"] == edition) & (df["measure"].isin(list(measures)))]
    area_rows = _area_frame(df, edition, sub["area_type"].dropna().unique())
    rows = []
    for _, area in area_rows.iterrows():
        for measure in measures:
            hit = sub[(sub["area"] == area["area"]) & (sub["measure"] == measure)]
            if len(hit):
                rec = hit.iloc[0]
                rows.append(
                    {
                        "edition": edition,
                        "data_year": rec["data_year"],
                        "measure": measure,
                        "area": area["area"],
                        "area_type": area["area_type"],
                        "share_pct": float(rec["share_pct"]),
                        "status": "reported",
                        "source_id": rec["source_id"],
                        "confidence": rec["confidence"],
                        "note": "" if pd.isna(rec["note"]) else rec["note"],
                    }
                )
            else:
                rows.append(
                    {
                        "edition": edition,
                        "data_year": data_year(df, edition),
                        "measure": measure,
                        "area": area["area"],
                        "area_type": area["area_type"],
                        "share_pct": math.nan,
                        "status": palette.NOT_REPORTED,
                        "source_id": "",
                        "confidence": "",
                        "note": "",
                    }
                )
    columns = ["edition", "data_year", "measure", "area", "area_type", "share_pct", "status", "source_id"]
    return pd.DataFrame(rows, columns=[*columns, "confidence", "note"])


def sorted_for_bars(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Countries then regions; within each, the largest share first and gaps last."""
    one = table[table["measure"] == measure].copy()
    one["_region"] = one["area_type"] == "region"
    one["_gap"] = one["share_pct"].isna()
    one = one.sort_values(["_region", "_gap", "share_pct"], ascending=[True, True, False])
    return one.drop(columns=["_region", "_gap"]).reset_index(drop=True)


def source_line(table: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Dataset, each source (publisher) and its confidence; secondhand figures say so."""
    reported = table[table["status"] == "reported"]
    publishers = dict(zip(sources["id"], sources["publisher"], strict=True))
    parts = []
    for (source_id, confidence), _ in reported.groupby(["source_id", "confidence"], sort=False):
        who = publishers.get(source_id) or source_id
        parts.append(f"{who} [{source_id}], {CONFIDENCE_LABELS.get(confidence, confidence)}")
    editions_seen = ", ".join(sorted(table["edition"].unique()))
    text = f"dataset ai-research ({editions_seen}; Stanford AI Index, Ch. 1) · " + "; ".join(parts)
    return text


@dataclass(frozen=True)
class Series:
    measure: str
    label: str
    colour: str


def _subtitle(edition: str, year: int | None) -> str:
    return (
        f'<br><span style="font-size:13px;font-weight:normal">{edition} · data year {year} · '
        "* reported secondhand</span>"
    )


def _tick_text(area: str, area_type: str, selected: bool) -> str:
    text = f"{area} (region)" if area_type == "region" else area
    if area_type == "region":
        text = f"<i>{text}</i>"
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
    """Horizontal bars, one group per area and one bar per series, on a numeric axis so gaps can be labelled.

    ``customdata`` holds the area name (a string) on every bar, which is what a click reports.
    """
    n = len(series)
    group = 0.8
    width = group / n
    chosen = set(selected)
    any_selected = bool(chosen & set(area_rows["area"]))
    gaps_x: list[float] = []
    gaps_y: list[float] = []
    gaps_text: list[str] = []
    for k, s in enumerate(series):
        ys, xs, text, custom, colours, opacity, line_w, hover = [], [], [], [], [], [], [], []
        for i, area in enumerate(area_rows["area"]):
            y = i - group / 2 + width * (k + 0.5) if n > 1 else float(i)
            hit = table[(table["area"] == area) & (table["measure"] == s.measure)]
            value = float(hit["share_pct"].iloc[0]) if len(hit) else math.nan
            is_gap = math.isnan(value)
            is_sel = area in chosen
            ys.append(y)
            xs.append(None if is_gap else value)
            secondhand = len(hit) > 0 and hit["confidence"].iloc[0] == "reported-secondhand"
            # A star marks a figure read secondhand, as on the Expo page (the subtitle explains it).
            text.append(format_share(value) + (" *" if secondhand else ""))
            custom.append([area, s.measure])
            colours.append(palette.SELECTED if (is_sel and n == 1) else s.colour)
            opacity.append(1.0 if (is_sel or not any_selected) else palette.UNSELECTED_OPACITY)
            line_w.append(3 if (is_sel and n > 1) else 0)
            confidence = hit["confidence"].iloc[0] if len(hit) else ""
            hover.append(f"{area}<br>{s.label}: {format_share(value)}<br>{confidence}")
            if is_gap:
                gaps_x.append(0.0)
                gaps_y.append(y)
                gaps_text.append(f"{s.label}: {palette.NOT_REPORTED}" if n > 1 else palette.NOT_REPORTED)
        fig.add_trace(
            go.Bar(
                name=s.label,
                orientation="h",
                x=xs,
                y=ys,
                width=width if n > 1 else 0.7,
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
                # Plotly.js reads ``selected.textfont`` of bars with text on a click and fails when no ``selected``
                # style exists; these also match the highlight the rerun draws.
                selected={"marker": {"opacity": 1.0}},
                unselected={"marker": {"opacity": palette.UNSELECTED_OPACITY}},
                legendgroup=s.measure,
                showlegend=show_legend and n > 1,
            ),
            row=row,
            col=1,
        )
    if gaps_y:
        fig.add_trace(
            go.Scatter(
                name=palette.NOT_REPORTED,
                x=gaps_x,
                y=gaps_y,
                mode="text",
                text=gaps_text,
                textposition="middle right",
                textfont={"color": palette.MUTED, "size": 11},
                hoverinfo="skip",
                showlegend=False,
            ),
            row=row,
            col=1,
        )
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(area_rows))),
        ticktext=[
            _tick_text(a, t, a in chosen) for a, t in zip(area_rows["area"], area_rows["area_type"], strict=True)
        ],
        range=[len(area_rows) - 0.5, -0.5],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        row=row,
        col=1,
    )


def _style(fig: go.Figure, title: str, height: int, x_max: float) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 20, "t": 70, "b": 40},
        barmode="overlay",
        bargap=0.2,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        clickmode="event+select",
        dragmode=False,
    )
    fig.update_xaxes(range=[0, x_max * 1.25 if x_max > 0 else 1], ticksuffix="%", fixedrange=True)
    return fig


def _x_max(table: pd.DataFrame) -> float:
    values = table["share_pct"].dropna()
    return float(values.max()) if len(values) else 0.0


def share_bars(table: pd.DataFrame, edition: str, year: int | None, measure: str, selected: Sequence[str]) -> go.Figure:
    """Share of the world total by area for one measure of one edition; selected areas in palette.SELECTED."""
    rows = sorted_for_bars(table, measure)
    area_rows = rows[["area", "area_type"]]
    fig = make_subplots(rows=1, cols=1)
    _add_area_bars(fig, rows, area_rows, [Series(measure, measure_label(measure), palette.BASE)], selected)
    title = f"{measure_label(measure)}: share of world total{_subtitle(edition, year)}"
    return _style(fig, title, 110 + _ROW_HEIGHT * 1.6 * len(area_rows), _x_max(rows))


def filings_vs_grants(table: pd.DataFrame, edition: str, year: int | None, selected: Sequence[str]) -> go.Figure:
    """Patent filings beside granted patents per area, for the edition that holds both (AI Index 2022)."""
    area_rows = table[["area", "area_type"]].drop_duplicates("area").reset_index(drop=True)
    series = [
        Series("patent-filings", "Patent filings", palette.BASE),
        Series("granted-patents", "Granted patents", palette.ACCENT),
    ]
    fig = make_subplots(rows=1, cols=1)
    _add_area_bars(fig, table, area_rows, series, selected)
    title = f"Patent filings vs granted patents, share of world{_subtitle(edition, year)}"
    return _style(fig, title, 140 + _ROW_HEIGHT * 2 * len(area_rows), _x_max(table))


def venue_measures(kind: str) -> list[str]:
    return [f"{venue}-{kind}" for venue, _, _ in VENUE_TYPES]


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
        area_rows = tbl[["area", "area_type"]].drop_duplicates("area").reset_index(drop=True)
        series = [Series(f"{v}-{kind}", label, colour) for v, label, colour in VENUE_TYPES]
        _add_area_bars(fig, tbl, area_rows, series, selected, row=r, show_legend=(r == 1))
    x_max = max((_x_max(t) for t, _ in panels), default=0.0)
    for annotation in fig.layout.annotations:
        annotation.update(x=0, xanchor="left", font={"size": 13})
    title = f"Publications and citations by venue type{_subtitle(edition, year)}"
    fig = _style(fig, title, 170 + _ROW_HEIGHT * 3 * sum(sizes), x_max)
    fig.update_layout(legend={"y": -0.06})
    return fig


def stack(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Several ``shares_table`` results as one table (for the data view and CSV of a multi-panel chart)."""
    present = [t for t in tables if len(t)]
    return pd.concat(present, ignore_index=True) if present else pd.DataFrame()
