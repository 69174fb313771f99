"""Text helpers shared by the app: escaping for Markdown so data is always shown as text."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$~:])")


def escape_markdown(text: object) -> str:
    """Backslash-escape every Markdown (and Streamlit LaTeX ``$``) control character, so text renders literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
