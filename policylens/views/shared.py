"""The link parameters every page shares: the theme filter and presentation mode (the router draws them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from policylens import vocab
from policylens.views.base import Params, param


def theme_ids() -> tuple[str, ...]:
    return vocab.allowed("themes", "id")


@dataclass(frozen=True)
class SharedParams(Params):
    PAGE = ""
    REPORT_UNKNOWN: ClassVar[bool] = False  # the page's own parameters are not unknown here
    theme: tuple[str, ...] = param("choices", (), theme_ids, "not a theme of the themes dataset")
    present: bool = param("flag", False)
