"""How well the theme readers read: precision, recall and F1 per theme and overall (micro) on the labelled corpus.

Two readers under each lens: the curated lexicon (``policylens.analyze.tagging.tag``) and, beside it, the themes
dataset's old keyword list (``tagging.tag_keywords``; under the OECD lens the keyword list mapped through the OECD
themes' documented mapping to the article's themes). ``make eval-themes`` measures them on the corpus' test part
(``scripts/eval_themes.py``); while the vocabulary is written only the development part is read (``part="dev"``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from policylens.analyze.tagging import Lexicon, lexicon_from_frame, tag, tag_keywords
from policylens.datasets import load_dataset

LENSES = ("article", "oecd")
LENS_COLUMNS = {"article": "article_themes", "oecd": "oecd_themes"}
READERS = ("lexicon", "keywords")


@dataclass(frozen=True)
class Score:
    theme: str
    support: int  # paragraphs labelled with the theme
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]], theme_ids: Sequence[str]
) -> tuple[list[Score], Score]:
    """Per-theme scores and the overall micro-averaged one ("overall")."""
    per = []
    for theme_id in theme_ids:
        tp = fp = fn = support = 0
        for g, p in zip(gold, predicted, strict=True):
            g, p = set(g), set(p)
            support += theme_id in g
            tp += theme_id in g and theme_id in p
            fp += theme_id not in g and theme_id in p
            fn += theme_id in g and theme_id not in p
        per.append(Score(theme_id, support, tp, fp, fn))
    total = Score(
        "overall", sum(s.support for s in per), sum(s.tp for s in per), sum(s.fp for s in per), sum(s.fn for s in per)
    )
    return per, total


def split_list(value: object) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    return tuple(t for t in str(value).split(";") if t)


def corpus_part(part: str) -> pd.DataFrame:
    """The rows of one part of the labelled corpus ("dev" or "test"), filtered before anything else reads them."""
    if part not in ("dev", "test"):
        raise ValueError("part is dev or test")
    frame = load_dataset("policy-corpus")
    return frame[frame["split"] == part].reset_index(drop=True)


@dataclass(frozen=True)
class Readers:
    """Both readers of both lenses, built from the curated data."""

    theme_ids: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, Mapping[str, str]]
    lexicons: Mapping[str, Lexicon]
    keywords: Mapping[str, tuple[str, ...]]
    mapping: Mapping[str, tuple[str, ...]]  # OECD theme -> the article's themes it maps to

    def reader(self, lens: str, kind: str) -> Callable[[str], tuple[str, ...]]:
        if kind == "lexicon":
            lexicon = self.lexicons[lens]
            return lambda text: tag(text, lexicon)[0]
        if lens == "article":
            return lambda text: tag_keywords(text, self.keywords)[0]

        def mapped(text: str) -> tuple[str, ...]:
            article = set(tag_keywords(text, self.keywords)[0])
            return tuple(o for o in self.theme_ids["oecd"] if article & set(self.mapping.get(o, ())))

        return mapped


def readers() -> Readers:
    themes = load_dataset("themes")
    oecd = load_dataset("oecd-themes")
    lexicon = load_dataset("theme-lexicon")
    ids = {"article": tuple(themes["id"]), "oecd": tuple(oecd["id"])}
    return Readers(
        theme_ids=ids,
        labels={
            "article": dict(zip(themes["id"], themes["label"], strict=True)),
            "oecd": dict(zip(oecd["id"], oecd["label"], strict=True)),
        },
        lexicons={lens: lexicon_from_frame(lens, ids[lens], lexicon) for lens in LENSES},
        keywords={str(r["id"]): tuple(r["keywords"] or ()) for r in themes.to_dict("records")},
        mapping={str(r["id"]): split_list(r["article_themes"]) for r in oecd.to_dict("records")},
    )


def evaluate(rows: pd.DataFrame, built: Readers | None = None) -> dict[str, dict[str, tuple[list[Score], Score]]]:
    """lens -> reader -> (per-theme scores, overall) on ``rows``."""
    built = built or readers()
    out: dict[str, dict[str, tuple[list[Score], Score]]] = {}
    texts = list(rows["text"])
    for lens in LENSES:
        gold = [split_list(v) for v in rows[LENS_COLUMNS[lens]]]
        out[lens] = {}
        for kind in READERS:
            read = built.reader(lens, kind)
            out[lens][kind] = score(gold, [read(t) for t in texts], built.theme_ids[lens])
    return out
