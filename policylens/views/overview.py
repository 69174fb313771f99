"""PLACEHOLDER: to be replaced by the overview view."""

from __future__ import annotations

from dataclasses import dataclass

from policylens.views.base import Data, Params, Text, View


@dataclass(frozen=True)
class OverviewParams(Params):
    PAGE = "overview"


def build(params: OverviewParams, data: Data) -> View:
    return View("overview", "overview", params, (Text("not yet"),))
