"""Text helpers shared by the app: escaping for Markdown so data is always shown as text."""

from __future__ import annotations

import re
from urllib.parse import quote

import pandas as pd

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$~:])")
# GitHub-flavoured Markdown links bare addresses (https://…, www.…, name@host.…) after escapes are read, so a
# backslash cannot stop it: a word joiner (U+2060, invisible) inside "://", "www." and after "@" does.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=\\:)(?=//)|(?i:(?<=www)(?=\\\.))|(?<=@)")


def escape_markdown(text: object) -> str:
    """Backslash-escape every Markdown (and Streamlit LaTeX ``$``) control character, and break bare addresses that
    GitHub-flavoured Markdown would turn into links, so text renders literally."""
    return _AUTOLINK.sub(WORD_JOINER, _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)))


def markdown_link(label: object, url: object) -> str:
    """A Markdown link with an escaped label; only http(s) addresses become links, anything else is plain text.

    Characters that would end a Markdown link early (parentheses, spaces) are percent-encoded in the address.
    """
    address = "" if url is None else str(url).strip()
    if not address.lower().startswith(("https://", "http://")):
        return escape_markdown(label)
    # Inside a link's text Markdown links no bare address, so the label needs no word joiners.
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", str(label))
    return f"[{text}]({quote(address, safe=':/?&=#%~+,;@!$*')})"


def cell_text(value: object) -> str:
    """A table cell as text: a missing value (None, NaN, pd.NA) reads as ''."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)
