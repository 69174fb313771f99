"""A view's blocks as HTML and as plain text, for every drawing outside the app (the meeting pack, the slides, the
first paint). Text from the data arrives as Markdown whose data parts are escaped (``policylens.text``); everything
written here is escaped again for HTML, so no value can open a tag. Pure: no Streamlit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

import pandas as pd

from policylens.views.base import Block, Chart, Records, Table, Text

_ICON = re.compile(r"(?<!\\):material/[a-z0-9_]+:")
_LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\(([^()\s]*)\)")
_DIRECTIVE = re.compile(r"(?<!\\):[a-z]+(?:-[a-z]+)*\[((?:\\.|[^\]\\])*)\]")  # Streamlit's :gray[...], :small[...]
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^\s*[-*]\s+(.*)$")
_SAFE_HREF = re.compile(r"^(https?://|/|\?|#)[^\s\"'<>]*$")


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def plain_text(markdown: str) -> str:
    """Markdown a view wrote, as the words a person reads: escapes undone, emphasis marks and icons dropped,
    links as "label (address)"."""
    text = _ICON.sub("", markdown)
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch != "*":  # unescaped asterisks are emphasis marks; data asterisks arrive escaped
            out.append(ch)
        i += 1
    return "\n".join(line.strip() for line in "".join(out).strip().splitlines())


def _inline(markdown: str) -> str:
    """One line of Markdown as HTML: escapes undone, ``**strong**``, ``*emphasis*``, links, Streamlit's directives
    and icons reduced to their words. Every character of the text is escaped."""
    text = _ICON.sub("", markdown)
    while (reduced := _DIRECTIVE.sub(lambda m: m.group(1), text)) != text:  # directives nest: :gray[:small[...]]
        text = reduced
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(escape(text[i + 1]))
            i += 2
            continue
        link = _LINK.match(text, i) if ch == "[" else None
        if link:
            label, href = _inline(link.group(1)), link.group(2)
            out.append(f'<a href="{escape(href)}">{label}</a>' if _SAFE_HREF.match(href) else label)
            i = link.end()
            continue
        if ch == "*":
            tag = "strong" if text.startswith("**", i) else "em"
            if open_tags and open_tags[-1] == tag:
                out.append(f"</{open_tags.pop()}>")
            else:
                out.append(f"<{tag}>")
                open_tags.append(tag)
            i += 2 if tag == "strong" else 1
            continue
        out.append(escape(ch))
        i += 1
    out += [f"</{tag}>" for tag in reversed(open_tags)]
    return "".join(out)


def markdown_html(markdown: str, heading_shift: int = 0) -> str:
    """A view's Markdown as HTML: headings, lists and paragraphs of inline text (see ``_inline``)."""
    parts: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            parts.append("<p>" + " ".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for line in markdown.splitlines():
        if not line.strip():
            flush()
            continue
        if heading := _HEADING.match(line.strip()):
            flush()
            level = min(6, len(heading.group(1)) + heading_shift)
            parts.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif item := _ITEM.match(line):
            if paragraph:
                flush()
            items.append(_inline(item.group(1)))
        else:
            if items:
                flush()
            paragraph.append(_inline(line.strip()))
    flush()
    return "".join(parts)


def paragraph(text: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<p{cls}>" + "<br>".join(escape(line) for line in text.splitlines()) + "</p>"


def _cell(value: object) -> str:
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # a list or array in a cell
        pass
    return escape(value)


def table_html(block: Table, max_rows: int | None = None) -> str:
    heading = f"<h3>{escape(block.heading)}</h3>" if block.heading else ""
    columns = list(block.frame.columns)
    head = "".join(f"<th>{escape(block.headings.get(c, c))}</th>" for c in columns)
    frame = block.frame if max_rows is None else block.frame.head(max_rows)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return f"{heading}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def records_html(block: Records) -> str:
    heading = f"<h3>{escape(block.heading)}</h3>" if block.heading else ""
    rows = "".join(paragraph(str(row.get("plain", "")), "record") for row in block.rows)
    return f'{heading}<div class="records">{rows}</div>' if rows else heading


_TEXT_CSS = {"caption": "meta", "info": "note", "warning": "note"}


def text_html(block: Text) -> str:
    """A text block as plain words (the meeting pack's reading)."""
    words = plain_text(block.text)
    if not words:
        return ""
    if block.style in ("title", "header", "subheader"):
        return f"<h3>{escape(words)}</h3>"
    return paragraph(words, _TEXT_CSS.get(block.style, ""))


def blocks_html(
    blocks: Sequence[Block],
    chart_html: Callable[[Chart, int], str],
    text: Callable[[Text], str] = text_html,
    table: Callable[[Table], str] = table_html,
) -> str:
    """Blocks as HTML; ``chart_html(chart, n)`` draws the n-th chart (from 1), ``text`` a text block. Controls are
    widgets: a drawing outside the app has none (the first paint writes their values in its own way)."""
    parts: list[str] = []
    charts = 0
    for block in blocks:
        if isinstance(block, Chart):
            charts += 1
            parts.append(chart_html(block, charts))
        elif isinstance(block, Table):
            parts.append(table(block))
        elif isinstance(block, Records):
            parts.append(records_html(block))
        elif isinstance(block, Text):
            parts.append(text(block))
    return "".join(parts)
