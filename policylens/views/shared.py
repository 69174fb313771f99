"""The link parameters every page shares: the theme filter and presentation mode (the router draws them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from policylens import vocab
from policylens.selection import apply_click, selected_point_ids
from policylens.views.base import Params, param


def theme_ids() -> tuple[str, ...]:
    return vocab.allowed("themes", "id")


@dataclass(frozen=True)
class SharedParams(Params):
    PAGE = ""
    REPORT_UNKNOWN: ClassVar[bool] = False  # the page's own parameters are not unknown here
    theme: tuple[str, ...] = param("choices", (), theme_ids, "not a theme of the themes dataset")
    present: bool = param("flag", False)


def toggle_theme(shared: SharedParams, points) -> SharedParams:
    """A click on a theme bar (its id in custom data): the theme joins the shared filter, or leaves it when it was
    there; the filter keeps the themes' order. Every chart that filters by theme (Overview, Voices, Analyse) uses it."""
    allowed = theme_ids()
    clicked = [t for t in selected_point_ids(points) if t in allowed]
    if not clicked:
        return shared
    chosen = set(apply_click(list(shared.theme), clicked))
    return shared.replace(theme=tuple(t for t in allowed if t in chosen))
