"""PLACEHOLDER: to be replaced by the story view."""

from __future__ import annotations

from dataclasses import dataclass

from policylens.views.base import Data, Params, Text, View


@dataclass(frozen=True)
class StoryParams(Params):
    PAGE = "story"


def build(params: StoryParams, data: Data) -> View:
    return View("story", "story", params, (Text("not yet"),))
