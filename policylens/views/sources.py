"""PLACEHOLDER: to be replaced by the sources view."""

from __future__ import annotations

from dataclasses import dataclass

from policylens.views.base import Data, Params, Text, View


@dataclass(frozen=True)
class SourcesParams(Params):
    PAGE = "sources"


def build(params: SourcesParams, data: Data) -> View:
    return View("sources", "sources", params, (Text("not yet"),))
