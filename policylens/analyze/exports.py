"""The downloads of an analysis: a CSV of its sentences and a JSON of its figures, quotes and theme profile."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping

import pandas as pd

from policylens.analyze.analysis import Analysis
from policylens.analyze.profile import profile_table
from policylens.analyze.reference import Reference

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: object) -> str:
    """A text cell that a spreadsheet will not run as a formula (a leading = + - @ gets a quote mark)."""
    value = str(text)
    return "'" + value if value.startswith(_FORMULA_START) else value


def explanation_words(why: Mapping[str, Mapping[str, object]], labels: Mapping[str, str]) -> str:
    """What explains each tag, in one line: 'AI safety: “safety”, “reliability”; Trade & expo: curated: …'."""
    parts = []
    for theme_id, explained in why.items():
        words = ", ".join(f"“{k}”" for k in explained.get("keywords") or ())
        reason = str(explained.get("reason") or "")
        parts.append(f"{labels.get(theme_id, theme_id)}: {words or 'curated: ' + reason}")
    return "; ".join(parts)


SENTENCE_COLUMNS = ("sentence", "paragraph", "part", "text", "themes", "theme_labels", "explained_by")


def sentences_frame(analysis: Analysis, labels: Mapping[str, str]) -> pd.DataFrame:
    rows = [
        {
            "sentence": s.number,
            "paragraph": s.paragraph if s.paragraph else "",
            "part": s.part,
            "text": s.text,
            "themes": ";".join(s.tags),
            "theme_labels": "; ".join(labels.get(t, t) for t in s.tags),
            "explained_by": explanation_words(s.why, labels),
        }
        for s in analysis.sentences
    ]
    return pd.DataFrame(rows, columns=list(SENTENCE_COLUMNS))


def sentences_csv(analysis: Analysis, labels: Mapping[str, str]) -> bytes:
    """Every sentence with its paragraph, themes and the keywords that explain them (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SENTENCE_COLUMNS)
    for row in sentences_frame(analysis, labels).itertuples(index=False):
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def analysis_json(analysis: Analysis, ref: Reference, data_version: str = "") -> bytes:
    """The figures (with their candidate rows) and quotes of the text, with its theme profile, as JSON."""
    table = profile_table(analysis, ref)
    document = {
        "made_by": "Policy Lens, Analyse a text (/analyze)",
        "data_version": data_version,
        "source": analysis.source,
        "words": analysis.words,
        "paragraphs": len(analysis.body),
        "sentences": len(analysis.sentences),
        "theme_profile": [
            {
                "theme": row["theme"],
                "label": row["Theme"],
                "paragraphs": int(row["This text: paragraphs"]),
                "share_pct": float(row["This text: share (%)"]),
                "cgtn_article_paragraphs": int(row["CGTN article: paragraphs"]),
                "cgtn_article_share_pct": float(row["CGTN article: share (%)"]),
            }
            for _, row in table.iterrows()
        ],
        "figures": [f.as_dict() for f in analysis.figures],
        "quotes": [q.as_dict() for q in analysis.quotes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
