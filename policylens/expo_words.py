"""The words of the Expo page: definition notes, source lines, alt text, an edition's detail (pure, no Streamlit).

Every figure in a sentence is read from the rows, never written here: the data may change under the words. Data text
set in Markdown is escaped; a figure no source reports reads "not reported".
"""

from __future__ import annotations

import pandas as pd

from policylens import palette
from policylens.expo import DETAIL_METRICS, METRICS, NOT_FOUND, QUALIFIER_WORDS, _text, metric_series
from policylens.text import escape_markdown, markdown_link

ARTICLE_NOTE = "the article's edition"


def definition_notes(expo: pd.DataFrame, metric: str) -> list[str]:
    """'2018 (1st): ...' for every reported edition, when the definitions of ``metric`` differ between editions."""
    series = metric_series(expo, metric)
    shown = series[series["value"].notna()]
    if shown["definition"].nunique() <= 1:
        return []
    return [f"{row.label}: {row.definition}" for row in shown.itertuples()]


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
            line = f"- **{escape_markdown(label)}:** *{palette.NOT_REPORTED}*"
        else:
            qualifier = QUALIFIER_WORDS.get(_text(row["qualifier"]), "")
            line = f"- **{escape_markdown(label)}:** {escape_markdown(row['value_text'])}"
            if qualifier:
                line += f" ({escape_markdown(qualifier)})"
            if _text(row["definition"]):
                line += f" — {escape_markdown(row['definition'])}"
            publisher = _text(row["publisher"]) or _text(row["source_id"])
            line += f"  \n  Source: {markdown_link(publisher, _text(row['url']))}"
            line += f" · confidence: {escape_markdown(row['confidence'])}"
        if _text(row["note"]):
            line += f"  \n  Note: {escape_markdown(row['note'])}"
        lines.append(line)
    return "\n".join(lines)
