"""The reference of /analyze: what a text is compared with, built once per page run from the curated data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from policylens import themes
from policylens.analyze.splitting import normalise


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    dataset: str
    key: str
    topic: str


@dataclass(frozen=True)
class Reference:
    """What the analysis compares a text with, from the curated data: the themes and their rules, the CGTN article's
    paragraphs and statements (whose curated tags apply to the same words), its claims and the rows figures match."""

    keywords: dict[str, tuple[str, ...]]
    labels: dict[str, str]
    colours: dict[str, str]
    overrides: tuple[themes.TagOverride, ...]
    article_paragraphs: dict[str, int]  # normalised text -> paragraph number
    article_statements: dict[str, str]  # normalised text -> statement id
    article_tags: tuple[tuple[str, ...], ...]  # the curated tags of each article paragraph
    claims: tuple[Claim, ...]
    expo: tuple[dict, ...]
    research: tuple[dict, ...]
    timeline: tuple[dict, ...]
    metric_labels: dict[str, str] = field(default_factory=dict)
    measure_labels: dict[str, str] = field(default_factory=dict)
    expo_by_metric: dict[str, tuple[dict, ...]] = field(default_factory=dict)  # reported rows only

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(self.keywords)

    def article_profile(self) -> dict[str, int]:
        return themes.count_tags(self.article_tags, self.theme_ids)


def _records(frame: pd.DataFrame | None) -> tuple[dict, ...]:
    if frame is None:
        return ()
    return tuple({k: (None if _missing(v) else v) for k, v in row.items()} for row in frame.to_dict("records"))


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value)) if not isinstance(value, (tuple, list)) else False
    except (TypeError, ValueError):
        return False


def build_reference(
    *,
    theme_frame: pd.DataFrame,
    tag_overrides: Iterable[Mapping] | None,
    paragraphs: pd.DataFrame,
    statements: pd.DataFrame,
    claims: pd.DataFrame,
    expo: pd.DataFrame,
    research: pd.DataFrame,
    timeline: pd.DataFrame,
    metric_labels: Mapping[str, str] | None = None,
    measure_labels: Mapping[str, str] | None = None,
) -> Reference:
    keywords = {str(r["id"]): tuple(r["keywords"] or ()) for r in theme_frame.to_dict("records")}
    expo_rows = _records(expo)
    by_metric: dict[str, list[dict]] = {}
    for row in expo_rows:
        if row.get("value") is not None:
            by_metric.setdefault(str(row["metric"]), []).append(row)
    return Reference(
        keywords=keywords,
        labels={str(r["id"]): str(r["label"]) for r in theme_frame.to_dict("records")},
        colours={str(r["id"]): str(r["colour"]) for r in theme_frame.to_dict("records")},
        overrides=tuple(themes.parse_overrides(tag_overrides)),
        article_paragraphs={normalise(r["text"]): int(r["paragraph"]) for r in paragraphs.to_dict("records")},
        article_statements={normalise(r["text"]): str(r["id"]) for r in statements.to_dict("records")},
        article_tags=tuple(tuple(r["themes"] or ()) for r in paragraphs.to_dict("records")),
        claims=tuple(
            Claim(str(r["id"]), normalise(r["claim_text"]), str(r["source_dataset"]), str(r["source_key"]), r["topic"])
            for r in claims.to_dict("records")
            if r.get("source_dataset") and r.get("source_key") and str(r.get("claim_text") or "").strip()
        ),
        expo=expo_rows,
        research=_records(research),
        timeline=_records(timeline),
        metric_labels=dict(metric_labels or {}),
        measure_labels=dict(measure_labels or {}),
        expo_by_metric={metric: tuple(rows) for metric, rows in by_metric.items()},
    )
