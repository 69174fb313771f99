"""Checks that span datasets: verbatim text, theme tags explained by keywords, claims that match the rows they cite.

``load_dataset`` checks each file against its own schema; these checks need several datasets (and the article), so
they run over the whole data folder (tests/data and ``python -m policylens.validate``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from policylens.claims import CITED_DATASETS
from policylens.datasets import (
    DATASET_IDS,
    DataError,
    Problem,
    _label,
    csv_path,
    load_dataset,
    read_provenance,
    row_key,
)
from policylens.paths import DATA_DIR
from policylens.themes import matching_keywords

ARTICLE_FILE = "cgtn-article.txt"


def article_path(data_dir: Path = DATA_DIR) -> Path:
    """The article as published (kept beside the paragraphs it was split into)."""
    return Path(data_dir) / "paragraphs" / ARTICLE_FILE


def read_article(data_dir: Path = DATA_DIR) -> str:
    return article_path(data_dir).read_text(encoding="utf-8")


def _where(dataset_id: str, data_dir: Path) -> str:
    return _label(csv_path(dataset_id, data_dir))


def verbatim_problems(paragraphs: pd.DataFrame, article: str, data_dir: Path = DATA_DIR) -> list[Problem]:
    label = _where("paragraphs", data_dir)
    return [
        Problem(label, "this text does not appear verbatim in the article.", row=i + 1, column="text")
        for i, text in enumerate(paragraphs["text"])
        if text not in article
    ]


def _paragraph_text(paragraphs: pd.DataFrame) -> dict[int, str]:
    return dict(zip(paragraphs["paragraph"].astype(int), paragraphs["text"], strict=True))


def within_paragraph_problems(
    frame: pd.DataFrame, dataset_id: str, text_column: str, paragraphs: pd.DataFrame, data_dir: Path = DATA_DIR
) -> list[Problem]:
    """Each row's text must be a verbatim span of the paragraph it names."""
    texts = _paragraph_text(paragraphs)
    label = _where(dataset_id, data_dir)
    problems = []
    for i, (paragraph, text) in enumerate(zip(frame["paragraph"], frame[text_column], strict=True)):
        if text not in texts.get(int(paragraph), ""):
            problems.append(
                Problem(
                    label, f"this text is not a verbatim span of paragraph {paragraph}.", row=i + 1, column=text_column
                )
            )
    return problems


def theme_tag_problems(
    frame: pd.DataFrame, dataset_id: str, text_column: str, themes: pd.DataFrame, data_dir: Path = DATA_DIR
) -> list[Problem]:
    """Every theme tag must be explained by one of the theme's keywords occurring in the text."""
    keywords = dict(zip(themes["id"], themes["keywords"], strict=True))
    label = _where(dataset_id, data_dir)
    problems = []
    for i, (text, tags) in enumerate(zip(frame[text_column], frame["themes"], strict=True)):
        for tag in tags:
            if not matching_keywords(text, keywords.get(tag, ())):
                problems.append(
                    Problem(
                        label,
                        f"the theme '{tag}' is not explained: none of its keywords occurs in the text.",
                        row=i + 1,
                        column="themes",
                    )
                )
    return problems


def claim_citation_problems(
    claims: pd.DataFrame, frames: dict[str, pd.DataFrame], data_dir: Path = DATA_DIR
) -> list[Problem]:
    """Each claim cites an existing row, and its source figure equals that row's value."""
    label = _where("claims", data_dir)
    problems = []
    keys = {
        dataset_id: row_key(frame, read_provenance(dataset_id, data_dir)).tolist()
        for dataset_id, frame in frames.items()
    }
    for i, claim in enumerate(claims.itertuples(index=False)):
        row = i + 1
        dataset_id = claim.source_dataset
        if dataset_id not in frames:
            problems.append(Problem(label, f"'{dataset_id}' is not a dataset claims can cite.", row, "source_dataset"))
            continue
        try:
            position = keys[dataset_id].index(claim.source_key)
        except ValueError:
            problems.append(
                Problem(label, f"no row of {dataset_id} has the key {claim.source_key!r}.", row, "source_key")
            )
            continue
        if isinstance(claim.source_value, float) and math.isnan(claim.source_value):
            continue
        cited = frames[dataset_id]
        if claim.source_column not in cited.columns:
            problems.append(
                Problem(label, f"{dataset_id} has no column {claim.source_column!r}.", row, "source_column")
            )
            continue
        value = cited.iloc[position][claim.source_column]
        if pd.isna(value) or float(value) != float(claim.source_value):
            problems.append(
                Problem(
                    label,
                    f"the source figure {claim.source_value:g} does not match {dataset_id} row {position + 1} "
                    f"({claim.source_key}), whose {claim.source_column} is {value}.",
                    row,
                    "source_value",
                )
            )
    return problems


def expo_gap_problems(expo: pd.DataFrame, data_dir: Path = DATA_DIR) -> list[Problem]:
    """Gaps stay gaps: not-found rows hold no figure and no source; reported rows hold both."""
    label = _where("expo", data_dir)
    text_metrics = {"dates", "theme"}
    problems = []
    for i, r in enumerate(expo.itertuples(index=False)):
        row = i + 1
        has_value = not math.isnan(r.value)
        if r.confidence == "not-found":
            if has_value or r.value_text or r.source_id:
                problems.append(
                    Problem(label, "a not-found row must leave value, value_text and source_id empty.", row, "value")
                )
        else:
            if not r.value_text or not r.source_id:
                problems.append(Problem(label, "a reported figure needs value_text and source_id.", row, "value_text"))
            if r.metric not in text_metrics and not has_value:
                problems.append(
                    Problem(label, f"the metric '{r.metric}' is numeric, but value is empty.", row, "value")
                )
    return problems


def contract_problems(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every cross-dataset problem in the data folder (schema problems come from load_dataset)."""
    frames = {}
    problems: list[Problem] = []
    for dataset_id in DATASET_IDS:
        try:
            frames[dataset_id] = load_dataset(dataset_id, data_dir)
        except DataError as err:
            problems.extend(err.problems)
    if problems:
        return problems
    paragraphs, statements, themes = frames["paragraphs"], frames["statements"], frames["themes"]
    problems += verbatim_problems(paragraphs, read_article(data_dir), data_dir)
    problems += within_paragraph_problems(statements, "statements", "text", paragraphs, data_dir)
    problems += within_paragraph_problems(frames["claims"], "claims", "claim_text", paragraphs, data_dir)
    problems += theme_tag_problems(paragraphs, "paragraphs", "text", themes, data_dir)
    problems += theme_tag_problems(statements, "statements", "text", themes, data_dir)
    cited = {k: frames[k] for k in CITED_DATASETS}
    problems += claim_citation_problems(frames["claims"], cited, data_dir)
    problems += expo_gap_problems(frames["expo"], data_dir)
    return problems
