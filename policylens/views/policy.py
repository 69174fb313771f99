"""PLACEHOLDER: to be replaced by the policy view."""

from __future__ import annotations

from dataclasses import dataclass

from policylens.views.base import Data, Params, Text, View


@dataclass(frozen=True)
class PolicyParams(Params):
    PAGE = "policy"


def build(params: PolicyParams, data: Data) -> View:
    return View("policy", "policy", params, (Text("not yet"),))
