"""The story deck: slides defined as data (policylens/deck.json), each a page of the registry with a link query.

A slide is a page, the query of that page's link, a title and a speaker sentence. Its view is the page's own view
for that query (``Slide.view``): the story, the meeting pack and the page itself build it the same way. The deck
knows the pages only as it is handed them (``read_deck``): the registry lists the story, which reads the deck.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from policylens.datasets import row_key
from policylens.paths import REPO_ROOT
from policylens.views.base import Data, Page, Params, View
from policylens.views.kept import built

DECK_FILE = REPO_ROOT / "policylens" / "deck.json"


@dataclass(frozen=True)
class Slide:
    number: int
    entry: Page  # the slide's page in the registry
    title: str
    sentence: str
    params: dict[str, list[str]] = field(default_factory=dict)
    # The figures the title and sentence state, each with the dataset row it comes from (checked by the data tests).
    figures: tuple[dict, ...] = ()
    # Speaker notes (``notes=true``, the .pptx): what to say, then ``NOTES_FIGURES`` and one ``figure_line`` per
    # figure (tests/data/test_story_notes.py checks both against the rows).
    notes: str = ""

    @property
    def page(self) -> str:
        return self.entry.id

    @property
    def path(self) -> str:
        return self.entry.url

    @property
    def script(self) -> str:
        return self.entry.script

    def query(self) -> list[tuple[str, str]]:
        return [(key, value) for key, values in self.params.items() for value in values]

    def link(self, base: str = "") -> str:
        """The slide's full page, as a link (repeated parameters kept, in the deck's order)."""
        return self.entry.link(self.query(), base)

    def first(self, key: str, default: str | None = None) -> str | None:
        values = self.params.get(key) or []
        return values[0] if values else default

    def page_params(self) -> Params:
        """The slide page's parameters, read from the slide's query exactly as the page reads its link."""
        return self.entry.params.from_query(self.params)

    def view(self, data: Data) -> View:
        """The slide page's own view for the slide's query (raises ``Unavailable`` when a dataset is broken), from the
        kept views: the slide on screen, presented and with its notes, the deck, the pack and the page's own link
        share one build."""
        return built(self.entry, self.page_params(), data)


# The line between what to say and the figures, in a slide's notes.
NOTES_FIGURES = "Figures on this slide, with their rows and sources:"
NO_FIGURES = "No figure is stated on this slide."


def figure_line(figure: Mapping[str, str], source: str) -> str:
    """One figure of a slide in its notes: the words said, the dataset row and column, and the row's source."""
    return f"- “{figure['text']}”: {figure['dataset']} row {figure['key']}, column {figure['column']}; source: {source}"


def figure_source(figure: Mapping[str, str], frame: pd.DataFrame, provenance: dict, sources: pd.DataFrame) -> str:
    """Where the row of ``figure`` comes from, as its notes say it: the source's title and publisher and the row's
    confidence mark, or, for what the article says (a claim's ``article_*`` column), the article's paragraph.

    Raises KeyError when the row is missing and ValueError when the dataset names no source for it.
    """
    keys = row_key(frame, provenance).tolist()
    if figure["key"] not in keys:
        raise KeyError(f"no {figure['dataset']} row {figure['key']}")
    row = frame.iloc[keys.index(figure["key"])]
    if figure["column"].startswith("article_") and "paragraph" in row:
        return f"the CGTN article, paragraph {int(row['paragraph'])}"
    source_id = str(row.get("source_id", "") or "")
    cited = sources[sources["id"] == source_id]
    if cited.empty:
        raise ValueError(f"{figure['dataset']} row {figure['key']} names no source in the sources dataset")
    title, publisher = str(cited["title"].iloc[0]), str(cited["publisher"].iloc[0])
    confidence = str(row.get("confidence", "") or "")
    return f"{title} ({publisher})" + (f", {confidence}" if confidence else "")


def split_notes(notes: str) -> tuple[str, list[str]]:
    """A slide's notes as (what to say, the figure lines)."""
    say, _, figures = notes.partition(NOTES_FIGURES)
    return say.strip(), [line.strip() for line in figures.splitlines() if line.strip()]


def read_deck(pages: Mapping[str, Page], path: Path = DECK_FILE, itself: str = "story") -> tuple[str, list[Slide]]:
    """The deck's title and slides, numbered from 1, each with its page of ``pages`` (by id); raises ValueError
    naming the slide and what is wrong. The registry hands in every page but the story (``itself``): a slide cannot
    show the story itself (it would draw itself forever)."""
    path = Path(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    slides = []
    for number, item in enumerate(raw["slides"], start=1):
        if item.get("page") == itself:
            raise ValueError(
                f"{path.name}: slide {number} shows the Story itself; a slide shows one of the other pages."
            )
        if item.get("page") not in pages:
            raise ValueError(f"{path.name}: slide {number} names an unknown page {item.get('page')!r}.")
        for key in ("title", "sentence"):
            if not str(item.get(key, "")).strip():
                raise ValueError(f"{path.name}: slide {number} has no {key}.")
        params = {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in item.get("params", {}).items()}
        figures = tuple(item.get("figures", ()))
        notes = str(item.get("notes", "")).strip()
        slides.append(Slide(number, pages[item["page"]], item["title"], item["sentence"], params, figures, notes))
    return raw["title"], slides


def deck_length(path: Path = DECK_FILE) -> int:
    """How many slides the deck has (the largest valid ``slide=``)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return len(raw["slides"])
