"""The link parameters every page shares: the theme filter and presentation mode (the router draws them).

Two theme lenses exist (issue 19): the CGTN article's themes (the themes dataset) and the OECD AI Principles (the
oecd-themes dataset). The shared ``theme`` filter takes ids of either; a page keeps only the ids of the lens it shows
(``lens=article|oecd`` on /analyze and /themes; every other page shows the article's themes), and its link names the
others in its one-line "ignored" note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from policylens import vocab
from policylens.selection import apply_click, selected_point_ids
from policylens.views.base import MAX_VALUES, Dropped, Params, clean_text, param, values_of

LENSES: tuple[str, ...] = ("article", "oecd")
LENS_LABELS = {"article": "The article's themes", "oecd": "OECD AI Principles (2024)"}
LENS_WHY = "lens is article (the article's themes) or oecd (the OECD AI Principles)"


def theme_ids() -> tuple[str, ...]:
    return vocab.allowed("themes", "id")


def oecd_theme_ids() -> tuple[str, ...]:
    return vocab.allowed("oecd-themes", "id")


def lens_theme_ids(lens: str) -> tuple[str, ...]:
    """The theme ids of one lens, in the lens's order."""
    return oecd_theme_ids() if lens == "oecd" else theme_ids()


def all_theme_ids() -> tuple[str, ...]:
    return theme_ids() + oecd_theme_ids()


def lenses() -> tuple[str, ...]:
    return LENSES


@dataclass(frozen=True)
class SharedParams(Params):
    PAGE = ""
    REPORT_UNKNOWN: ClassVar[bool] = False  # the page's own parameters are not unknown here
    theme: tuple[str, ...] = param("choices", (), all_theme_ids, "not a theme of the themes or oecd-themes dataset")
    present: bool = param("flag", False)


class LensParams(Params):
    """A page with a ``lens`` parameter and a ``theme`` filter of that lens: the theme ids of the other lens are
    dropped, and a link that carried them says so in its "ignored" note."""

    def __post_init__(self) -> None:
        own = lens_theme_ids(getattr(self, "lens", "article"))
        kept = tuple(t for t in getattr(self, "theme", ()) if t in own)
        if kept != getattr(self, "theme", ()):
            object.__setattr__(self, "theme", kept)

    @classmethod
    def from_query(cls, query):
        params = super().from_query(query)
        own = set(lens_theme_ids(getattr(params, "lens", "article")))
        # Each id of the other lens once, as many as a repeated parameter keeps (base.MAX_VALUES).
        asked = dict.fromkeys(values_of(query, "theme"))
        other = [v for v in asked if v in all_theme_ids() and v not in own][:MAX_VALUES]
        if not other:
            return params
        name = "the OECD AI Principles" if getattr(params, "lens", "article") == "oecd" else "the article's themes"
        extra = tuple(Dropped("theme", clean_text(v), f"not a theme of this lens ({name})") for v in other)
        return _with_dropped(params, params.dropped + extra)


def _with_dropped(params: Params, dropped: tuple[Dropped, ...]) -> Params:
    object.__setattr__(params, "dropped", dropped)
    return params


def toggle_theme(shared: SharedParams, points) -> SharedParams:
    """A click on a theme bar (its id in custom data): the theme joins the shared filter, or leaves it when it was
    there; the filter keeps the themes' order. Every chart that filters by theme (Overview, Voices, Analyse) uses it."""
    allowed = all_theme_ids()
    clicked = [t for t in selected_point_ids(points) if t in allowed]
    if not clicked:
        return shared
    chosen = set(apply_click(list(shared.theme), clicked))
    return shared.replace(theme=tuple(t for t in allowed if t in chosen))
