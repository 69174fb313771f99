"""Text on a slide, measured before it is placed: a box is as tall as its lines, and nothing is left to a shrink.

PowerPoint and LibreOffice shrink or spill text that does not fit its box (LibreOffice shrinks "fit to shape" text
below any size we chose, and lets other text run past the box). So every text of the deck is wrapped here with the
widths of Arial (LibreOffice draws it with the metric-compatible Liberation Sans: the same advance widths), and each
box is made as tall as its lines need; a layout that cannot fit picks a smaller size within its floor, fewer rows, or
an excerpt. The estimate errs wide (unknown characters count as wide ones), so a line breaks no later than the
renderer breaks it. Nothing here imports Streamlit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

FONT = "Arial"  # on every PowerPoint; LibreOffice draws it with the metric-compatible Liberation Sans
INK, GREY = RGBColor(0x1F, 0x23, 0x28), RGBColor(0x57, 0x60, 0x6A)
LINE = 1.2  # line pitch in ems (LibreOffice draws Liberation Sans at 1.19)
INSET_X, INSET_Y = Inches(0.1), Inches(0.05)  # a text box's own margins (python-pptx's defaults)
SLACK = 1.04  # widths are counted 4% wider than the font's, so a line breaks before the renderer's would

# Advance widths in thousandths of an em of ASCII 32..126 (Liberation Sans Regular and Bold, equal to Arial's).
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 278 278 "
    "584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 944 "
    "667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 "
    "278 556 500 722 500 500 500 334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 333 333 "
    "584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 611 722 667 944 "
    "667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 "
    "333 611 556 778 556 556 500 389 280 389 584"
)
_WIDTHS = {
    False: {chr(32 + i): int(w) for i, w in enumerate(_REGULAR.split())},
    True: {chr(32 + i): int(w) for i, w in enumerate(_BOLD.split())},
}
_PUNCTUATION = {"“": 333, "”": 333, "‘": 222, "’": 222, "–": 556, "—": 1000, "…": 1000, "·": 278, "¶": 537, "•": 350}
_BREAK_AFTER = "-/"  # a renderer may also break a word after these


def char_width(ch: str, bold: bool = False) -> int:
    """One character's advance in thousandths of an em: the font's, or an upper bound where it is not listed."""
    known = _WIDTHS[bold].get(ch) or _PUNCTUATION.get(ch)
    if known:
        return known
    return 1000 if unicodedata.east_asian_width(ch) in ("W", "F") else 667


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of ``text`` in points at ``size`` points (with ``SLACK``)."""
    return sum(char_width(ch, bold) for ch in text) * size / 1000 * SLACK


def _pieces(word: str) -> list[str]:
    """A word cut where a line may break inside it (after a hyphen or a slash)."""
    pieces, start = [], 0
    for i, ch in enumerate(word):
        if ch in _BREAK_AFTER and 0 < i < len(word) - 1:
            pieces.append(word[start : i + 1])
            start = i + 1
    return [*pieces, word[start:]]


def wrap(text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into the lines a renderer draws in ``width_pt`` points: at spaces, and inside a word longer
    than a line (an address). Each line of the text (``\\n``) starts a new line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width_pt:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for piece in _pieces(word):
                if line and text_width(line + piece, size, bold) > width_pt:
                    lines.append(line)
                    line = ""
                while len(piece) > 1 and text_width(piece, size, bold) > width_pt:
                    cut = max([1] + [i for i in range(1, len(piece)) if text_width(piece[:i], size, bold) <= width_pt])
                    lines.append(piece[:cut])
                    piece = piece[cut:]
                line += piece
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box: its text, size and style; ``marks`` are (start, end, colour) spans drawn bold
    with a highlight in that colour (a theme's keywords in a paragraph)."""

    text: str
    size: float
    bold: bool = False
    italic: bool = False
    colour: RGBColor = INK
    space_before: float = 0  # points
    marks: tuple[tuple[int, int, str], ...] = ()
    align: PP_ALIGN = PP_ALIGN.LEFT


def lines_height(count: int, size: float) -> float:
    """The height in points of ``count`` lines at ``size`` points."""
    return count * size * LINE


def paras_height(paras: Sequence[Para], width: Emu) -> Emu:
    """How tall a text box of ``width`` must be for ``paras``: their lines, spaces between them and the insets."""
    inner = Emu(width - 2 * INSET_X).pt
    points = sum(lines_height(len(wrap(p.text, inner, p.size, p.bold)), p.size) + p.space_before for p in paras)
    return Emu(int(Pt(points) + 2 * INSET_Y + Pt(2)))


def add_text(
    slide,
    left: Emu,
    top: Emu,
    width: Emu,
    paras: Sequence[Para],
    *,
    name: str = "",
    height: Emu | None = None,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
):
    """A text box at (``left``, ``top``), ``width`` wide and as tall as its text (or ``height``), never shrunk."""
    needed = paras_height(paras, width)
    box = slide.shapes.add_textbox(left, top, width, max(needed, height or 0))
    if name:
        box.name = name
    fill_frame(box.text_frame, paras, anchor)
    return box


def fill_frame(frame, paras: Sequence[Para], anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:
    """Write ``paras`` into a text frame (a box, a shape or a table cell): every run with its size, font and colour."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    for i, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = para.align
        paragraph.line_spacing = 1.0
        if para.space_before:
            paragraph.space_before = Pt(para.space_before)
        position = 0
        for start, end, colour in [*para.marks, (len(para.text), len(para.text), "")]:
            if start > position:
                _run(paragraph, para.text[position:start], para, para.bold)
            if end > start:
                _highlight(_run(paragraph, para.text[start:end], para, True), colour)
            position = max(position, end)
        if not para.text:
            _run(paragraph, "", para, para.bold)


def _run(paragraph, text: str, para: Para, bold: bool):
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.size, font.bold, font.italic, font.name = Pt(para.size), bold, para.italic, FONT
    font.color.rgb = para.colour
    return run


def _highlight(run, colour: str) -> None:
    """The run highlighted in ``colour`` (#RRGGBB), as PowerPoint's text highlighter marks it."""
    properties = run._r.get_or_add_rPr()
    highlight = etree.SubElement(properties, qn("a:highlight"))
    etree.SubElement(highlight, qn("a:srgbClr"), val=colour.lstrip("#").upper())
    # a:highlight must follow the fill and precede the font names (CT_TextCharacterProperties' sequence)
    latin = properties.find(qn("a:latin"))
    if latin is not None:
        latin.addprevious(highlight)


def fit(
    make: Callable[[float], list[Para]],
    width: Emu,
    height: Emu,
    sizes: Sequence[float],
):
    """The first of ``make(size)`` (a list of Paras) for ``sizes`` (largest first) whose box fits ``height``, with
    that size; None when none fits."""
    for size in sizes:
        paras = make(size)
        if paras_height(paras, width) <= height:
            return paras, size
    return None


def excerpt(text: str, width: Emu, height: Emu, size: float, bold: bool = False, tail: str = " …") -> str:
    """As much of ``text`` as fits ``height`` at ``size``, cut after a whole sentence where one fits, else after a
    word, with ``tail``; the text itself when it fits."""
    inner = Emu(width - 2 * INSET_X).pt
    room = int((Emu(height - 2 * INSET_Y - Pt(2)).pt) // (size * LINE))
    if len(wrap(text, inner, size, bold)) <= room:
        return text
    words = text.split(" ")
    best = ""
    for count in range(len(words), 0, -1):
        candidate = " ".join(words[:count]) + tail
        if len(wrap(candidate, inner, size, bold)) <= room:
            best = " ".join(words[:count])
            break
    sentence_end = max(best.rfind(". "), best.rfind("? "), best.rfind("! "), best.rfind(".” "), best.rfind('." '))
    if sentence_end > len(best) // 2:
        best = best[: sentence_end + 1]
    return (best.rstrip(" ,;:") + tail) if best else ""
