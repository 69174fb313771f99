"""Text helpers shared by the app: escaping for Markdown so data is always shown as text."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$~:])")


def escape_markdown(text: object) -> str:
    """Backslash-escape every Markdown (and Streamlit LaTeX ``$``) control character, so text renders literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def markdown_link(label: object, url: object) -> str:
    """A Markdown link with an escaped label; only http(s) addresses become links, anything else is plain text.

    Characters that would end a Markdown link early (parentheses, spaces) are percent-encoded in the address.
    """
    from urllib.parse import quote

    text = escape_markdown(label)
    address = "" if url is None else str(url).strip()
    if not address.lower().startswith(("https://", "http://")):
        return text
    return f"[{text}]({quote(address, safe=':/?&=#%~+,;@!$*')})"
