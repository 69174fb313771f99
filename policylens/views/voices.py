"""PLACEHOLDER: to be replaced by the voices view."""

from __future__ import annotations

from dataclasses import dataclass

from policylens.views.base import Data, Params, Text, View


@dataclass(frozen=True)
class VoicesParams(Params):
    PAGE = "voices"


def build(params: VoicesParams, data: Data) -> View:
    return View("voices", "voices", params, (Text("not yet"),))
