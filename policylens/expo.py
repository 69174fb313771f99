"""The CIIE editions (expo dataset): the data helpers of the Expo page (pure, no Streamlit).

Link-value cleaning, per-metric series (with each edition's bar text and hover), the scatter pairs, the table
behind the bars and the caveats of a metric. Gaps (confidence not-found, empty value) stay None in every series and
are labelled "not reported"; they are never drawn as 0. The figures are built in ``expo_figures``, the words in
``expo_words``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from policylens import palette, vocab
from policylens.datasets import caveats_for
from policylens.text import cell_text as _text

EDITIONS: tuple[int, ...] = tuple(range(1, 9))
ARTICLE_EDITION = 6  # the article (November 2023) writes about the 6th CIIE
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
    # The metric's rows as plain records by edition: reading a pandas row per edition was most of a page's build.
    rows = {int(record["edition"]): record for record in expo[expo["metric"] == metric].to_dict("records")}
    out = []
    for edition in EDITIONS:
        row = rows.get(edition)
        if row is None:
            row = {"edition": edition, "year": edition + 2017, "value": None, "confidence": NOT_FOUND}
            row |= {k: "" for k in ("value_text", "qualifier", "definition", "source_id", "note", "publisher")}
        else:
            row = {**row, "edition": edition}
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


def toggle_editions(current: Iterable[object], clicked: Iterable[object]) -> list[int]:
    """The chosen editions after clicking ``clicked``: a click adds an edition, a click on a chosen one removes it.

    The chart is drawn anew whenever the choice changes, so Plotly forgets its own selection: a click (with or
    without shift) arrives as that one mark, and the page keeps the running choice.
    """
    return sorted(set(clean_editions(current)) ^ set(clean_editions(clicked)))


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


def metric_caveats(provenance: Mapping, series: pd.DataFrame, metric: str) -> list[str]:
    """The provenance caveats that concern ``metric``: those that name it in ``metrics``, and those that name in
    ``qualifiers`` the qualifier of one of the series' rows (the pre-event caveat when a figure is pre-event)."""
    return caveats_for(provenance, metric, series["qualifier"])


def series_table(series: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The data behind the bar chart, as a person reads it."""
    table = series[["edition", "year", "value", "as_reported", "qualifier", "definition", "publisher", "confidence"]]
    return table.assign(metric=metric)[["edition", "year", "metric", *table.columns[2:]]]
