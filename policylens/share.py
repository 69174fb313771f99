"""Links and citations of a view: the exact link, a citation line and a BibTeX entry naming the data version."""

from __future__ import annotations

import html
import re

from policylens.article import CITATION as ARTICLE


def citation(page_title: str, link: str, version: str, accessed: str) -> str:
    return f"Policy Lens, “{page_title}” (data version {version}), on {ARTICLE}. {link} (accessed {accessed})."


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}%&$#_\\])", r"\\\1", text)


def bibtex(page_title: str, link: str, version: str, accessed: str) -> str:
    key = "policylens-" + re.sub(r"[^a-z0-9]+", "-", page_title.lower()).strip("-") + "-" + version
    year = accessed[:4]
    return (
        f"@misc{{{key},\n"
        f"  title        = {{Policy Lens: {_bibtex_escape(page_title)}}},\n"
        f"  author       = {{{{Policy Lens}}}},\n"
        f"  year         = {{{year}}},\n"
        f"  howpublished = {{\\url{{{link}}}}},\n"
        f"  note         = {{Data version {version}; on {_bibtex_escape(ARTICLE)}; accessed {accessed}}}\n"
        f"}}"
    )


def embed_snippet(
    origin: str, path_and_query: str, title: str = "Policy Lens: CIIE exhibitors, editions 1 to 8"
) -> str:
    """An iframe for a view: ``embed=true`` hides the toolbar, ``present=true`` the sidebar and header."""
    joiner = "&" if "?" in path_and_query else "?"
    src = f"{origin or 'https://YOUR-HOST'}{path_and_query}{joiner}embed=true&present=true"
    return (
        f'<iframe src="{html.escape(src)}"\n        title="{html.escape(title)}" width="100%" height="720" '
        'style="border:0"></iframe>'
    )
