"""The story deck: slides defined as data (policylens/deck.json), each a live view of a page with its parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

DECK_FILE = Path(__file__).with_name("deck.json")

# Page id -> (url path, app_pages script). The paths are the public link contract of product.md.
PAGES = {
    "overview": ("", "app_pages/overview.py"),
    "expo": ("expo", "app_pages/expo.py"),
    "research": ("research", "app_pages/research.py"),
    "policy": ("policy", "app_pages/policy.py"),
    "voices": ("voices", "app_pages/voices.py"),
    "themes": ("themes", "app_pages/themes.py"),
    "sources": ("sources", "app_pages/sources.py"),
}


@dataclass(frozen=True)
class Slide:
    number: int
    page: str
    title: str
    sentence: str
    params: dict[str, list[str]] = field(default_factory=dict)
    # The figures the title and sentence state, each with the dataset row it comes from (checked by the data tests).
    figures: tuple[dict, ...] = ()

    @property
    def path(self) -> str:
        return "/" + PAGES[self.page][0]

    @property
    def script(self) -> str:
        return PAGES[self.page][1]

    def query(self) -> list[tuple[str, str]]:
        return [(key, value) for key, values in self.params.items() for value in values]

    def link(self, base: str = "") -> str:
        """The slide's full page, as a link (repeated parameters kept)."""
        query = urlencode(self.query())
        return f"{base}{self.path}" + (f"?{query}" if query else "")

    def first(self, key: str, default: str | None = None) -> str | None:
        values = self.params.get(key) or []
        return values[0] if values else default


def load_deck(path: Path = DECK_FILE) -> tuple[str, list[Slide]]:
    """The deck's title and slides, numbered from 1; raises ValueError naming the slide and what is wrong."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    slides = []
    for number, item in enumerate(raw["slides"], start=1):
        if item.get("page") not in PAGES:
            raise ValueError(f"{path.name}: slide {number} names an unknown page {item.get('page')!r}.")
        for key in ("title", "sentence"):
            if not str(item.get(key, "")).strip():
                raise ValueError(f"{path.name}: slide {number} has no {key}.")
        params = {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in item.get("params", {}).items()}
        figures = tuple(item.get("figures", ()))
        slides.append(Slide(number, item["page"], item["title"], item["sentence"], params, figures))
    return raw["title"], slides
