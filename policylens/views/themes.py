"""PLACEHOLDER: to be replaced by the themes view."""

from __future__ import annotations

from dataclasses import dataclass

from policylens.views.base import Data, Params, Text, View


@dataclass(frozen=True)
class ThemesParams(Params):
    PAGE = "themes"


def build(params: ThemesParams, data: Data) -> View:
    return View("themes", "themes", params, (Text("not yet"),))
