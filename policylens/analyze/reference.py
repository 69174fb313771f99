"""The reference of /analyze: what a text is compared with, built once per page run from the curated data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from policylens import themes
from policylens.analyze.splitting import normalise
from policylens.analyze.tagging import Lexicon, compile_lexicon, lexicon_from_frame, tag

LENSES = ("article", "oecd")  # the article's themes (themes dataset) and the OECD AI Principles (oecd-themes)


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    dataset: str
    key: str
    topic: str


@dataclass(frozen=True)
class Reference:
    """What the analysis compares a text with, from the curated data: the themes of one lens and their reader, the
    CGTN article's paragraphs and statements (whose curated tags apply to the same words), its claims and the rows
    figures match. ``keywords`` are the article's own keyword list (its curated reading); ``lexicon`` reads any
    text under ``lens``."""

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
    lens: str = "article"
    lexicon: Lexicon = field(default_factory=lambda: compile_lexicon("article", (), ()))

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(self.labels)

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
    lens: str = "article",
    lexicon: pd.DataFrame | None = None,
    lens_frame: pd.DataFrame | None = None,
    lens_overrides: Iterable[Mapping] | None = None,
) -> Reference:
    """The reference under ``lens``: "article" (the themes dataset, ``theme_frame``) or "oecd" (``lens_frame``, the
    oecd-themes dataset, with its ``lens_overrides``); ``lexicon`` is the theme-lexicon dataset. Under the OECD lens
    the CGTN article's tags are the reader's, with the OECD themes' curated overrides."""
    keywords = {str(r["id"]): tuple(r["keywords"] or ()) for r in theme_frame.to_dict("records")}
    lens = lens if lens in LENSES else "article"
    themes_of_lens = theme_frame if lens == "article" or lens_frame is None else lens_frame
    theme_rows = themes_of_lens.to_dict("records")
    ids = tuple(str(r["id"]) for r in theme_rows)
    reader = lexicon_from_frame(lens, ids, lexicon)
    overrides = tuple(themes.parse_overrides(tag_overrides if lens == "article" else lens_overrides))
    paragraph_rows = paragraphs.to_dict("records")
    if lens == "article":
        article_tags = tuple(tuple(r["themes"] or ()) for r in paragraph_rows)
    else:
        article_tags = tuple(
            tag(str(r["text"]), reader, themes.overrides_for(overrides, "paragraphs", r["paragraph"]))[0]
            for r in paragraph_rows
        )
    expo_rows = _records(expo)
    by_metric: dict[str, list[dict]] = {}
    for row in expo_rows:
        if row.get("value") is not None:
            by_metric.setdefault(str(row["metric"]), []).append(row)
    return Reference(
        keywords=keywords,
        labels={str(r["id"]): str(r["label"]) for r in theme_rows},
        colours={str(r["id"]): str(r["colour"]) for r in theme_rows},
        overrides=overrides,
        article_paragraphs={normalise(r["text"]): int(r["paragraph"]) for r in paragraph_rows},
        article_statements={normalise(r["text"]): str(r["id"]) for r in statements.to_dict("records")},
        article_tags=article_tags,
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
        lens=lens,
        lexicon=reader,
    )
