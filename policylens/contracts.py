"""Checks that span datasets: verbatim text, theme tags explained by keywords (or a curated override with its
reason), claims that match the rows they cite, and the expo's confidence rules.

``load_dataset`` checks each file against its own schema; these checks need several datasets (and the article), so
they run over the whole data folder (tests/data and ``python -m policylens.validate``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from policylens.claims import CITED_DATASETS, EDITORS_NOTE, NOT_CHECKABLE
from policylens.datasets import (
    DATASET_IDS,
    DataError,
    Problem,
    csv_path,
    dependencies,
    file_label,
    load_dataset,
    read_provenance,
    row_key,
)
from policylens.paths import DATA_DIR
from policylens.themes import (
    OVERRIDE_ACTIONS,
    TAGGED_DATASETS,
    TagOverride,
    expected_tags,
    matching_keywords,
    overrides_for,
    parse_overrides,
    tag_text,
)

ARTICLE_FILE = "cgtn-article.txt"


def article_path(data_dir: Path = DATA_DIR) -> Path:
    """The article as published (kept beside the paragraphs it was split into)."""
    return Path(data_dir) / "paragraphs" / ARTICLE_FILE


def read_article(data_dir: Path = DATA_DIR) -> str:
    return article_path(data_dir).read_text(encoding="utf-8")


def _where(dataset_id: str, data_dir: Path) -> str:
    return file_label(csv_path(dataset_id, data_dir))


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
    frame: pd.DataFrame,
    dataset_id: str,
    text_column: str,
    paragraphs: pd.DataFrame,
    data_dir: Path = DATA_DIR,
    editors_note: str | None = None,
) -> list[Problem]:
    """Each row's text must be a verbatim span of the paragraph it names.

    With ``editors_note``, paragraph 0 names the editor's note (which precedes the body): the text must be a span of
    it. Without it, paragraph 0 is an unknown paragraph like any other.
    """
    texts = _paragraph_text(paragraphs)
    if editors_note is not None:
        texts[EDITORS_NOTE] = editors_note
    label = _where(dataset_id, data_dir)
    problems = []
    for i, (paragraph, text) in enumerate(zip(frame["paragraph"], frame[text_column], strict=True)):
        if int(paragraph) not in texts:
            problems.append(Problem(label, f"there is no paragraph {paragraph} in the article.", i + 1, "paragraph"))
        elif text not in texts[int(paragraph)]:
            where = "the editor's note" if int(paragraph) == EDITORS_NOTE else f"paragraph {paragraph}"
            problems.append(
                Problem(label, f"this text is not a verbatim span of {where}.", row=i + 1, column=text_column)
            )
    return problems


def theme_tag_problems(
    frame: pd.DataFrame,
    dataset_id: str,
    text_column: str,
    themes: pd.DataFrame,
    data_dir: Path = DATA_DIR,
    overrides: list[TagOverride] | None = None,
) -> list[Problem]:
    """Every theme tag must be explained by one of the theme's keywords occurring in the text, or by a curated
    override (``overrides``, from the themes provenance) with its reason; and every keyword match must tag the text
    unless an override removes it, so that the stored tags are exactly ``expected_tags``."""
    keywords = dict(zip(themes["id"], themes["keywords"], strict=True))
    key_column = TAGGED_DATASETS.get(dataset_id)
    label = _where(dataset_id, data_dir)
    problems = []
    for i, row in enumerate(frame.to_dict("records")):
        text, tags = row[text_column], list(row["themes"])
        own = overrides_for(overrides or [], dataset_id, row[key_column]) if key_column else []
        added = {o.theme for o in own if o.action == "add"}
        for tag in tags:
            if not matching_keywords(text, keywords.get(tag, ())) and tag not in added:
                problems.append(
                    Problem(
                        label,
                        f"the theme '{tag}' is not explained: none of its keywords occurs in the text, and no "
                        "curated override (themes provenance, tag_overrides) adds it.",
                        row=i + 1,
                        column="themes",
                    )
                )
        if overrides is None:
            continue
        expected = expected_tags(text, keywords, own)
        missing = [t for t in expected if t not in tags]
        if missing:
            problems.append(
                Problem(
                    label,
                    f"the text should carry {', '.join(repr(t) for t in missing)}: a keyword occurs in it (or an "
                    "override adds it); remove the keyword match by a curated override with a reason, or tag it.",
                    row=i + 1,
                    column="themes",
                )
            )
        if tags != [t for t in expected if t in tags]:
            problems.append(
                Problem(label, "the themes are not in the order of the themes dataset.", row=i + 1, column="themes")
            )
    return problems


def override_problems(
    overrides: list[TagOverride],
    frames: dict[str, pd.DataFrame],
    themes: pd.DataFrame,
    data_dir: Path = DATA_DIR,
) -> list[Problem]:
    """Each curated override names a tagged item and a theme, says why, and changes what the keywords say."""
    label = file_label(Path(data_dir) / "themes" / "provenance.json")
    keywords = dict(zip(themes["id"], themes["keywords"], strict=True))
    problems = []
    seen: set[tuple[str, str, str]] = set()
    for n, o in enumerate(overrides, start=1):
        where = f"tag_overrides entry {n}"
        if o.dataset not in TAGGED_DATASETS or o.dataset not in frames:
            problems.append(Problem(label, f"{where}: '{o.dataset}' is not a tagged dataset (paragraphs, statements)."))
            continue
        frame = frames[o.dataset]
        items = dict(zip(frame[TAGGED_DATASETS[o.dataset]].astype(str), frame["text"], strict=True))
        if o.key not in items:
            problems.append(Problem(label, f"{where}: {o.dataset} has no item {o.key!r}."))
            continue
        if o.theme not in keywords:
            problems.append(Problem(label, f"{where}: '{o.theme}' is not a theme id."))
            continue
        if o.action not in OVERRIDE_ACTIONS:
            problems.append(Problem(label, f"{where}: the action must be 'add' or 'remove', not {o.action!r}."))
        if len(o.reason) < 20:
            problems.append(Problem(label, f"{where}: the reason must say in a sentence why the tag is curated."))
        matched = o.theme in tag_text(items[o.key], {o.theme: keywords[o.theme]})
        if o.action == "add" and matched:
            problems.append(Problem(label, f"{where}: a keyword already tags {o.dataset} {o.key} with '{o.theme}'."))
        if o.action == "remove" and not matched:
            problems.append(Problem(label, f"{where}: no keyword tags {o.dataset} {o.key} with '{o.theme}'."))
        if (o.dataset, o.key, o.theme) in seen:
            problems.append(Problem(label, f"{where}: a second override of '{o.theme}' on {o.dataset} {o.key}."))
        seen.add((o.dataset, o.key, o.theme))
    return problems


def claim_citation_problems(
    claims: pd.DataFrame, frames: dict[str, pd.DataFrame], data_dir: Path = DATA_DIR
) -> list[Problem]:
    """Each claim cites an existing row, and its source figure equals that row's value.

    A not-checkable claim cites nothing (source_dataset, source_key, source_value and source_column empty); every
    other claim cites a row. A claim citing a sources row says that source's confidence in its own confidence
    column; a claim citing a row with a confidence of its own leaves that column empty.
    """
    label = _where("claims", data_dir)
    problems = []
    keys = {
        dataset_id: row_key(frame, read_provenance(dataset_id, data_dir)).tolist()
        for dataset_id, frame in frames.items()
    }
    for i, claim in enumerate(claims.itertuples(index=False)):
        row = i + 1
        dataset_id = claim.source_dataset
        has_value = not (isinstance(claim.source_value, float) and math.isnan(claim.source_value))
        own_confidence = getattr(claim, "confidence", "")
        if claim.verdict == NOT_CHECKABLE:
            for column in ("source_dataset", "source_key", "source_column", "source_value_text", "confidence"):
                if getattr(claim, column, ""):
                    problems.append(
                        Problem(label, "a not-checkable claim cites no evidence: leave this cell empty.", row, column)
                    )
            if has_value:
                problems.append(
                    Problem(
                        label, "a not-checkable claim cites no evidence: leave this cell empty.", row, "source_value"
                    )
                )
            continue
        if not dataset_id or not claim.source_key:
            column = "source_dataset" if not dataset_id else "source_key"
            problems.append(
                Problem(
                    label,
                    f"a '{claim.verdict}' claim must cite the row that holds its evidence; only a not-checkable "
                    "claim cites none.",
                    row,
                    column,
                )
            )
            continue
        if not claim.source_value_text:
            problems.append(
                Problem(label, "a checked claim needs the source figure as reported.", row, "source_value_text")
            )
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
        cited = frames[dataset_id]
        if "confidence" in cited.columns and own_confidence:
            problems.append(
                Problem(
                    label,
                    f"the confidence is the cited {dataset_id} row's own; leave this cell empty.",
                    row,
                    "confidence",
                )
            )
        if dataset_id == "sources" and not own_confidence:
            problems.append(
                Problem(
                    label, "a claim citing a sources row must give that source's confidence mark.", row, "confidence"
                )
            )
        if not has_value:
            continue
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


def expo_confidence_problems(expo: pd.DataFrame, data_dir: Path = DATA_DIR) -> list[Problem]:
    """A pre-event figure is reported-secondhand, never verified-in-source (the method's confidence marks)."""
    label = _where("expo", data_dir)
    return [
        Problem(
            label,
            "a pre-event figure is reported-secondhand unless a post-event source confirms it (then its qualifier is "
            "no longer pre-event); it cannot be verified-in-source.",
            i + 1,
            "confidence",
        )
        for i, r in enumerate(expo.itertuples(index=False))
        if r.qualifier == "pre-event" and r.confidence == "verified-in-source"
    ]


def editors_note(data_dir: Path = DATA_DIR) -> str:
    """The editor's note of the article, verbatim, from the paragraphs provenance ('' when it is not there)."""
    article = read_provenance("paragraphs", data_dir).get("article") or {}
    return str(article.get("editors_note") or "")


def tag_overrides(data_dir: Path = DATA_DIR) -> list[TagOverride]:
    """The curated theme tags of the themes provenance (``tag_overrides``), as records."""
    return parse_overrides(read_provenance("themes", data_dir).get("tag_overrides"))


def dependency_order(data_dir: Path = DATA_DIR) -> list[str]:
    """Every dataset id, each after the datasets it refers to (roots first; DATASET_IDS order between equals).

    The references come from the provenance files that can be read; a dataset whose provenance cannot be read keeps
    its place in DATASET_IDS order.
    """
    upstream: dict[str, list[str]] = {}
    for dataset_id in DATASET_IDS:
        try:
            upstream[dataset_id] = dependencies(read_provenance(dataset_id, data_dir))
        except DataError:
            upstream[dataset_id] = []
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(dataset_id: str) -> None:
        if dataset_id in ordered or dataset_id in visiting:
            return  # done, or a cycle (the references would then be checked in DATASET_IDS order)
        visiting.add(dataset_id)
        for other in upstream[dataset_id]:
            visit(other)
        visiting.discard(dataset_id)
        ordered.append(dataset_id)

    for dataset_id in DATASET_IDS:
        visit(dataset_id)
    return ordered


CORPUS_MIN_TEST = 8  # issue 19: at least 8 test paragraphs per theme of each lens


def _ids(cell: object) -> list[str]:
    if isinstance(cell, (list, tuple)):
        return [str(x) for x in cell]
    if isinstance(cell, str):
        return [x for x in cell.split(";") if x]
    return []


def corpus_problems(
    corpus: pd.DataFrame, themes: pd.DataFrame, data_dir: Path = DATA_DIR, min_test: int = CORPUS_MIN_TEST
) -> list[Problem]:
    """The labelled corpus' own rules: every theme of each lens (the article's themes, the OECD headings of its
    provenance) has at least ``min_test`` test paragraphs, and a document's title, publisher, origin, date and
    address are the same on each of its rows."""
    label = _where("policy-corpus", data_dir)
    problems: list[Problem] = []
    test = corpus[corpus["split"] == "test"]
    columns = {c["name"]: c for c in read_provenance("policy-corpus", data_dir)["columns"]}
    lenses = (
        ("article_themes", [str(t) for t in themes["id"]]),
        ("oecd_themes", [str(t) for t in columns["oecd_themes"].get("allowed") or []]),
    )
    for column, ids in lenses:
        counts = {t: 0 for t in ids}
        for cell in test[column]:
            for t in _ids(cell):
                counts[t] = counts.get(t, 0) + 1
        for t, n in counts.items():
            if n < min_test:
                problems.append(
                    Problem(
                        label,
                        f"the theme '{t}' has {n} test paragraphs; the test part needs at least {min_test}.",
                        column=column,
                    )
                )
    fixed = ["document_title", "publisher", "origin", "published", "document_address"]
    for document_id, rows in corpus.groupby("document_id", sort=False):
        for column in fixed:
            if rows[column].astype(str).nunique(dropna=False) > 1:
                first = int(rows.index[0]) + 1
                problems.append(
                    Problem(
                        label,
                        f"the document '{document_id}' has more than one {column} across its rows.",
                        row=first,
                        column=column,
                    )
                )
    return problems


def lexicon_problems(
    lexicon: pd.DataFrame, themes: pd.DataFrame, oecd_themes: pd.DataFrame, data_dir: Path = DATA_DIR
) -> list[Problem]:
    """The theme lexicon's rule beyond its columns: each entry's theme is a theme of its lens (the article's themes
    for lens article, the OECD principles for lens oecd)."""
    label = _where("theme-lexicon", data_dir)
    ids = {"article": set(map(str, themes["id"])), "oecd": set(map(str, oecd_themes["id"]))}
    names = {"article": "themes", "oecd": "oecd-themes"}
    problems = []
    for i, row in enumerate(lexicon.to_dict("records"), start=1):
        lens, theme = str(row["lens"]), str(row["theme"])
        if lens in ids and theme not in ids[lens]:
            problems.append(
                Problem(
                    label,
                    f"the theme {theme!r} is not a theme of the {lens} lens (an id of the {names[lens]} dataset).",
                    row=i,
                    column="theme",
                )
            )
    return problems


def dataset_problems(data_dir: Path = DATA_DIR) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every dataset loaded against its own contract: the frames that load, and the problems of the others.

    Datasets are checked roots first (``dependency_order``), so a broken dataset is named before the datasets that
    refer to it; a problem a referring dataset repeats (its root cause) is listed once.
    """
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for dataset_id in dependency_order(data_dir):
        try:
            frames[dataset_id] = load_dataset(dataset_id, data_dir)
        except DataError as err:
            problems.extend(p for p in err.problems if p not in problems)
    return frames, problems


def contract_problems(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem of the data folder: each dataset against its schema (roots first), then, when every dataset
    loads, the cross-dataset checks."""
    frames, problems = dataset_problems(data_dir)
    if problems:
        return problems
    paragraphs, statements, themes = frames["paragraphs"], frames["statements"], frames["themes"]
    overrides = tag_overrides(data_dir)
    problems += verbatim_problems(paragraphs, read_article(data_dir), data_dir)
    problems += within_paragraph_problems(statements, "statements", "text", paragraphs, data_dir)
    problems += within_paragraph_problems(
        frames["claims"], "claims", "claim_text", paragraphs, data_dir, editors_note=editors_note(data_dir)
    )
    problems += override_problems(overrides, frames, themes, data_dir)
    problems += theme_tag_problems(paragraphs, "paragraphs", "text", themes, data_dir, overrides=overrides)
    problems += theme_tag_problems(statements, "statements", "text", themes, data_dir, overrides=overrides)
    cited = {k: frames[k] for k in CITED_DATASETS}
    problems += claim_citation_problems(frames["claims"], cited, data_dir)
    problems += expo_gap_problems(frames["expo"], data_dir)
    problems += expo_confidence_problems(frames["expo"], data_dir)
    problems += corpus_problems(frames["policy-corpus"], themes, data_dir)
    problems += lexicon_problems(frames["theme-lexicon"], themes, frames["oecd-themes"], data_dir)
    return problems
