"""The slides without a chart, each laid out for a room from its view's data (issue 22): a row of large figures, a
quote card, a paragraph excerpt with its theme tags, a short table of sources; any other text as a readable excerpt.

Every word comes from the slide view's blocks (``Records`` rows and their fields); nothing is estimated or added
beyond the words that say where the rest is ("3 more on the live page"). Body text is at least 18 pt, measured to
fit its box (``policylens.slides_text``): where the data does not fit, the slide shows fewer rows or an excerpt and
says so. Nothing here imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from policylens import article, vocab
from policylens.palette import BASE
from policylens.render.markup import plain_text
from policylens.slides_text import GREY, INK, Para, add_text, excerpt, fill_frame, fit, paras_height, text_width
from policylens.views.base import Block, Records, Table, Text

CARD = RGBColor(0xF3, 0xF5, 0xF7)  # a card's fill: a light grey that reads on a projector
ACCENT = RGBColor.from_string(BASE.lstrip("#"))
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
GAP = Inches(0.2)
BODY, SMALL = 20, 18  # the body's size and the smallest text on a slide but its footer
MAX_ROWS = 6  # of a table on a slide; the rest is on the live page


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height


def _plain(markdown: object) -> str:
    """A field of a row (escaped Markdown) as the words a person reads, on one line."""
    return " ".join(plain_text(str(markdown or "")).split())


def _rectangle(slide, left, top, width, height, fill: RGBColor, *, rounded: bool = False, line: RGBColor | None = None):
    shape = slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE, left, top, width, height
    )
    if rounded:
        shape.adjustments[0] = 0.08
    shape.fill.solid()
    shape.fill.fore_color.rgb = fill
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = line
        shape.line.width = Pt(1.5)
    style = shape._element.find(qn("p:style"))  # the theme's style would add a shadow LibreOffice draws
    if style is not None:
        shape._element.remove(style)
    return shape


def _more_line(slide, box: Box, top: int, shown: int, total: int, what: str) -> int:
    """ "N more … on the live page" under what a slide showed; returns its height (0 when all are shown)."""
    if total <= shown:
        return 0
    paras = [Para(f"{total - shown} more {what} on the live page", SMALL, colour=GREY)]
    add_text(slide, box.left, top, box.width, paras, name="More")
    return paras_height(paras, box.width)


# ---------------------------------------------------------------------------------------------------- figures


def figures_row(slide, rows: Sequence[dict], box: Box) -> None:
    """The Overview's counts as a row of large numbers, each with its label under it, centred in ``box``."""
    count = len(rows)
    width = int((box.width - GAP * (count - 1)) / count)
    number_size = 72
    while number_size > 40 and max(text_width(f"{r['value']:,}", number_size, True) for r in rows) > Emu(width).pt - 14:
        number_size -= 4
    labels = [[Para(str(r["label"]), SMALL + 4, align=PP_ALIGN.CENTER)] for r in rows]
    label_height = max(paras_height(p, width) for p in labels)
    number_height = paras_height([Para("0", number_size, True)], width)
    pad = Inches(0.2)
    height = pad + number_height + label_height + pad
    top = box.top + max(0, (box.height - height) // 2)
    for i, (row, label) in enumerate(zip(rows, labels, strict=True)):
        left = box.left + i * (width + GAP)
        colour = ACCENT if row.get("verdict") else INK  # the total in ink, each verdict's count in blue
        _rectangle(slide, left, top, width, height, CARD, rounded=True)
        _rectangle(slide, left + Inches(0.25), top, width - Inches(0.5), Inches(0.07), colour)
        number = [Para(f"{row['value']:,}", number_size, True, colour=colour, align=PP_ALIGN.CENTER)]
        add_text(slide, left, top + pad, width, number, name="Figure")
        add_text(slide, left, top + pad + number_height, width, label, name="Figure label")


# ---------------------------------------------------------------------------------------------------- quote


def quote_card(slide, rows: Sequence[dict], box: Box) -> None:
    """The first statement as a quote card: the quote large, its speaker, capacity and where it was said; the
    statement's note under the card where it fits."""
    row = rows[0]
    bar, mark_width, pad = Inches(0.12), Inches(1.0), Inches(0.25)
    text_left = box.left + bar + mark_width
    text_width_emu = box.width - bar - mark_width - pad
    said = f"{row['kind_label']} · {article.CITATION}, paragraph {row['paragraph']}"
    attribution = [
        Para(_plain(row["speaker"]), SMALL + 4, bold=True, space_before=10),
        *([Para(_plain(row["capacity"]), SMALL, colour=GREY)] if row.get("capacity") else []),
        Para(said, SMALL, colour=GREY, space_before=4),
    ]
    note = [Para(_plain(row["note"]), SMALL, colour=GREY)] if row.get("note") else []
    more = [Para("0 more statements on the live page", SMALL)] if len(rows) > 1 else []
    fixed = paras_height(attribution, text_width_emu) + 2 * pad + paras_height(more, box.width)
    text = str(row.get("text") or _plain(row["quote"]))

    def quote(size: float) -> list[Para]:
        return [Para(f"“{text}”", size)]

    for with_note in (True, False):
        room = box.height - fixed - (paras_height(note, box.width) + GAP if with_note and note else 0)
        fitted = fit(quote, text_width_emu, room, (32, 30, 28, 26, 24))
        if fitted:
            break
    if not fitted:  # even at 24 pt the quote is longer than the card: an excerpt, the rest on the live page
        with_note = False
        room = box.height - fixed
        fitted = [Para(excerpt(f"“{text}”", text_width_emu, room, 24), 24)], 24
    paras = fitted[0]
    note = note if with_note else []
    card_height = 2 * pad + paras_height(paras, text_width_emu) + paras_height(attribution, text_width_emu)
    total = card_height + (paras_height(note, box.width) + GAP if note else 0) + paras_height(more, box.width)
    top = box.top + max(0, (box.height - total) // 2)
    _rectangle(slide, box.left, top, box.width, card_height, CARD)
    _rectangle(slide, box.left, top, bar, card_height, ACCENT)
    add_text(
        slide, box.left + bar, top + Inches(0.05), mark_width, [Para("“", 96, True, colour=ACCENT)], name="Quote mark"
    )
    quote_box = add_text(slide, text_left, top + pad, text_width_emu, paras, name="Quote")
    add_text(slide, text_left, quote_box.top + quote_box.height, text_width_emu, attribution, name="Speaker")
    below = top + card_height + GAP
    if note:
        below += add_text(slide, box.left, below, box.width, note, name="Note").height
    _more_line(slide, box, below, 1, len(rows), "statements")


# ---------------------------------------------------------------------------------------------------- paragraph


def _tint(colour: str, alpha: float = 0.35) -> str:
    """``colour`` (#RRGGBB) laid at ``alpha`` over white: the page's highlight (the colour at 0x40/0xFF), a little
    stronger so that it shows on a projector."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - c) * alpha):02X}" for c in channels)


def _chips(slide, tags: Sequence[dict], box: Box) -> int:
    """The paragraph's theme tags as chips (the theme's colour at the left, its label and the words behind it),
    flowed in rows across ``box``; returns their height."""
    left, top, row_height = box.left, box.top, 0
    for tag in tags:
        words = f"{tag['label']} · {tag['words']}" if tag.get("words") else str(tag["label"])
        paras = [Para(words, SMALL)]
        width = min(box.width, int(Pt(text_width(words, SMALL))) + Inches(0.5))
        height = paras_height(paras, width - Inches(0.12))
        if left > box.left and left + width > box.left + box.width:
            left, top = box.left, top + row_height + Inches(0.1)
            row_height = 0
        _rectangle(
            slide, left, top, width, height, WHITE, rounded=True, line=RGBColor.from_string(tag["colour"].lstrip("#"))
        )
        _rectangle(slide, left, top, Inches(0.12), height, RGBColor.from_string(tag["colour"].lstrip("#")))
        add_text(slide, left + Inches(0.12), top, width - Inches(0.12), paras, name="Theme tag")
        left += width + Inches(0.12)
        row_height = max(row_height, height)
    return top + row_height - box.top if tags else 0


def paragraph_excerpt(slide, row: dict, box: Box) -> None:
    """The opened paragraph as a readable excerpt (at least 20 pt) with its keywords highlighted in their themes'
    colours, its theme tags above it and where it stands in the article under it."""
    tags = row.get("tags") or ()
    colours = {t["id"]: _tint(t["colour"]) for t in tags}
    chips = _chips(slide, tags, box)
    text = str(row.get("text") or "")
    where = [Para(f"Paragraph {row['paragraph']} of {article.CITATION}", SMALL, colour=GREY)]
    top = box.top + chips + (GAP if chips else 0)
    room = box.bottom - top - paras_height(where, box.width) - Inches(0.1)

    def body(size: float) -> list[Para]:
        marks = tuple((s, e, colours[t]) for s, e, t in row.get("marks") or () if t in colours)
        return [Para(text, size, marks=marks)]

    fitted = fit(body, box.width, room, (28, 26, 24, 22, 20))
    if fitted is None:  # a long paragraph: its opening sentences, the whole of it on the live page
        cut = excerpt(text, box.width, room, 20)
        marks = tuple((s, e, colours[t]) for s, e, t in row.get("marks") or () if t in colours and e <= len(cut) - 2)
        paras = [Para(cut, 20, marks=marks)]
        where = [Para(where[0].text + " (the whole paragraph on the live page)", SMALL, colour=GREY)]
    else:
        paras = fitted[0]
    text_box = add_text(slide, box.left, top, box.width, paras, name="Paragraph")
    add_text(slide, box.left, text_box.top + text_box.height + Inches(0.1), box.width, where, name="Where")


# ---------------------------------------------------------------------------------------------------- sources


def sources_table(slide, row: dict, box: Box) -> None:
    """The dataset's sources as a short table (title, publisher, kind; at most ``MAX_ROWS``), under the dataset's
    title and size; the rest on the live page."""
    frame = row.get("frame")
    sources = row.get("sources")
    rows_said = f" · {len(frame):,} rows" if frame is not None else ""
    heading = [Para(f"{row.get('title', row['dataset'])}{rows_said}", BODY, bold=True)]
    if sources is not None:
        heading.append(Para(f"{len(sources)} sources, each with its publisher and kind:", SMALL, colour=GREY))
    heading_box = add_text(slide, box.left, box.top, box.width, heading, name="Dataset")
    if sources is None or sources.empty:
        return
    kinds = vocab.labels("sources", "kind")
    columns = (("Source", "title", 0.58), ("Publisher", "publisher", 0.28), ("Kind", "kind", 0.14))
    widths = [int(box.width * share) for _, _, share in columns]
    widths[-1] = box.width - sum(widths[:-1])

    def cells(source: dict | None) -> list[list[Para]]:
        if source is None:
            return [[Para(name, SMALL, bold=True, colour=WHITE)] for name, _, _ in columns]
        values = [str(source["title"]), str(source["publisher"]), kinds.get(source["kind"], str(source["kind"]))]
        return [[Para(v, SMALL)] for v in values]

    def height(source: dict | None) -> int:
        return max(paras_height(c, w) for c, w in zip(cells(source), widths, strict=True))

    records = sources.to_dict("records")
    top = heading_box.top + heading_box.height + Inches(0.1)
    more = paras_height([Para("0 more sources on the live page", SMALL)], box.width)
    room = box.bottom - top - more
    heights = [height(None)]
    for source in records[:MAX_ROWS]:
        if sum(heights) + height(source) > room:
            break
        heights.append(height(source))
    shown = records[: len(heights) - 1]
    frame_shape = slide.shapes.add_table(len(heights), len(columns), box.left, top, box.width, sum(heights))
    frame_shape.name = "Sources table"
    table = frame_shape.table
    table.first_row = True
    table.horz_banding = False
    for j, width in enumerate(widths):
        table.columns[j].width = width
    for i, (source, row_height) in enumerate(zip([None, *shown], heights, strict=True)):
        table.rows[i].height = row_height
        for j, paras in enumerate(cells(source)):
            cell = table.cell(i, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = INK if source is None else (CARD if i % 2 == 0 else WHITE)
            cell.margin_left = cell.margin_right = Inches(0.1)
            cell.margin_top = cell.margin_bottom = Inches(0.05)
            fill_frame(cell.text_frame, paras, MSO_ANCHOR.TOP)
    _more_line(slide, box, top + sum(heights) + Inches(0.05), len(shown), len(records), "sources")


# ---------------------------------------------------------------------------------------------------- any text


def blocks_text(blocks: Sequence[Block]) -> str:
    """The words of blocks no design above fits: their text blocks and cards, as plain text."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Text):
            parts.append(plain_text(block.text))
        elif isinstance(block, Records):
            if block.heading:
                parts.append(block.heading)
            parts += [str(row.get("plain", "")).strip() for row in block.rows]
            if not block.rows and block.empty:
                parts.append(plain_text(block.empty))
        elif isinstance(block, Table):
            if block.heading:
                parts.append(block.heading)
            parts += [" · ".join(str(v) for v in row) for row in block.frame.head(MAX_ROWS).itertuples(index=False)]
    return "\n".join(p for p in parts if p)


def text_excerpt(slide, text: str, box: Box) -> None:
    """Text as a readable excerpt: as large as fits (20 to 28 pt), cut with the rest on the live page."""
    fitted = fit(lambda size: [Para(text, size)], box.width, box.height, (28, 24, 22, BODY))
    if fitted is None:
        more = [Para("The rest on the live page", SMALL, colour=GREY)]
        cut = excerpt(text, box.width, box.height - paras_height(more, box.width), BODY)
        fitted = [Para(cut, BODY), *more], BODY
    add_text(slide, box.left, box.top, box.width, fitted[0], name="Body")


def design(slide, blocks: Sequence[Block], box: Box) -> None:
    """A slide without a chart, laid out by what its view's blocks hold (see the module's docstring)."""
    records = {b.kind: b for b in blocks if isinstance(b, Records) and b.rows}
    if "verdicts" in records:
        figures_row(slide, records["verdicts"].rows, box)
    elif "statement" in records:
        quote_card(slide, records["statement"].rows, box)
    elif "opened-paragraph" in records:
        paragraph_excerpt(slide, records["opened-paragraph"].rows[0], box)
    elif "provenance" in records and records["provenance"].rows[0].get("sources") is not None:
        sources_table(slide, records["provenance"].rows[0], box)
    else:
        text_excerpt(slide, blocks_text(blocks), box)
