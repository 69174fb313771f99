"""Splitting a text into blocks (paragraphs, headings, editor's notes) and a paragraph into sentences."""

from __future__ import annotations

import re

# Words after which a full stop does not end a sentence (titles, references, Latin abbreviations, initials).
NO_BREAK_AFTER = frozenset(
    "mr mrs ms dr prof sr jr st no nos vs fig figs art arts sec para paras vol pp p gen rep sen gov col lt "
    "e.g i.e etc. cf al u.s u.k u.n approx dept ca".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)")
_FRONT_NOTE = re.compile(r"^(?:editor['’]s note|editors['’] note|note from the editor)\b", re.IGNORECASE)
HEADING_MAX_WORDS = 14


def split_blocks(text: str) -> list[str]:
    """Paragraphs: blocks between blank lines (their lines joined); a text without blank lines, one per line.

    A block whose every line reads as a heading (a title above its byline) stays one block per line. Every run of
    whitespace (no-break spaces included) becomes one space, so the same words compare equal.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    lines = text.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    blank_inside = content and any(not lines[i].strip() for i in range(content[0], content[-1]))
    raw = re.split(r"\n[^\S\n]*\n\s*", text) if blank_inside else lines
    blocks = []
    for block in raw:
        rows = [" ".join(line.split()) for line in block.split("\n") if line.strip()]
        if len(rows) > 1 and all(block_kind(row) == "heading" for row in rows):
            blocks += rows
        elif rows:
            blocks.append(" ".join(rows))
    return blocks


def block_kind(block: str) -> str:
    """The kind of a block: "note" (an editor's note), "heading" (a short line ending without a full stop) or
    "paragraph"."""
    if _FRONT_NOTE.match(block):
        return "note"
    if len(block.split()) <= HEADING_MAX_WORDS and not re.search(r"[.!?:;…\"”’)]$", block):
        return "heading"
    return "paragraph"


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph: a break after . ! ? (and closing quotes) before a capital, digit or quote."""
    out: list[str] = []
    start = 0
    size = len(paragraph)
    for match in _SENTENCE_END.finditer(paragraph):
        after = match.end()
        while after < size and paragraph[after].isspace():
            after += 1
        if after >= size:
            break
        following = paragraph[after]
        if not (following.isupper() or following.isdigit() or following in "\"“‘'([¿¡"):
            continue
        if match.group().startswith(".") and match.group() == "." * len(match.group()):
            space = paragraph.rfind(" ", start, match.start())
            word = paragraph[space + 1 : match.start()].lstrip("\"“‘'([").lower()
            if word in NO_BREAK_AFTER or word + "." in NO_BREAK_AFTER or (len(word) == 1 and word.isalpha()):
                continue
        out.append(paragraph[start : match.end()].strip())
        start = after
    rest = paragraph[start:].strip()
    if rest:
        out.append(rest)
    return out


def normalise(text: str) -> str:
    return " ".join(str(text).split())
