"""PLACEHOLDER: to be replaced by the research view."""

from __future__ import annotations

from dataclasses import dataclass

from policylens.views.base import Data, Params, Text, View


@dataclass(frozen=True)
class ResearchParams(Params):
    PAGE = "research"


def build(params: ResearchParams, data: Data) -> View:
    return View("research", "research", params, (Text("not yet"),))
