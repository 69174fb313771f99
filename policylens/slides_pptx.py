"""The story as a PowerPoint deck: one 16:9 slide per story slide, built from the same views as the Story page.

Each slide carries the slide's title, its main chart (the first chart of the slide view's compact layout) as a PNG
rendered on the server from the same figure (``policylens.export.chart_image``, at scale 2), the speaker sentence and
the source line as text on the slide, and the speaker notes in the slide's notes. A slide whose view has no chart
shows its cards as text instead. Nothing here imports Streamlit; ``chart_image`` raises ``ImageUnavailable`` where
no browser can render the pictures.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from policylens.export import chart_image
from policylens.render.markup import plain_text
from policylens.share import ARTICLE
from policylens.views.base import Block, Chart, Data, Records, Table, Text, Unavailable
from policylens.views.deck import Slide
from policylens.views.notes import notes_text

# PowerPoint's own 16:9 size, exactly (Inches(13.333) is 305 EMU short of it).
SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12_192_000), Emu(6_858_000)
MARGIN = Inches(0.5)
FONT = "Arial"  # on every PowerPoint; LibreOffice draws it with the metric-compatible Liberation Sans
INK, GREY = RGBColor(0x1F, 0x23, 0x28), RGBColor(0x57, 0x60, 0x6A)

# Where things go (inches from the top): title, chart, sentence, source line.
TITLE_TOP, TITLE_HEIGHT = 0.3, 0.85
BODY_TOP, BODY_HEIGHT = 1.15, 4.65
SENTENCE_TOP, SENTENCE_HEIGHT = 5.85, 0.95
SOURCE_TOP, SOURCE_HEIGHT = 6.85, 0.5

# The picture: 1000 CSS pixels wide, rendered at twice that, with text a little larger than on screen so that it
# reads at the size it has on the slide.
IMAGE_WIDTH, IMAGE_SCALE, IMAGE_FONT = 960, 2, 16
RECORD_CHARACTERS = 1100  # of card text on a slide without a chart; the rest is in the live view
_FIXED_TIME = dt.datetime(2023, 11, 5)  # the same data gives the same bytes
_ZIP_TIME = (2023, 11, 5, 0, 0, 0)

Render = Callable[..., bytes]


def main_chart(blocks: Sequence[Block]) -> Chart | None:
    """The chart a slide shows: the first chart of the slide view's compact blocks."""
    return next((b for b in blocks if isinstance(b, Chart)), None)


def blocks_text(blocks: Sequence[Block]) -> str:
    """The words of a slide without a chart: its text blocks and cards, as plain text."""
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
            parts += [" · ".join(str(v) for v in row) for row in block.frame.head(12).itertuples(index=False)]
    text = "\n".join(p for p in parts if p)
    if len(text) > RECORD_CHARACTERS:
        text = text[: RECORD_CHARACTERS - 1].rsplit(" ", 1)[0] + " …"
    return text


def speaker_notes(slide: Slide) -> str:
    """The slide's notes, as the Story page and the presenter view show them (``policylens.views.notes``)."""
    return notes_text(slide)


def _text_box(slide, top: float, height: float, text: str, size: int, *, bold=False, colour=INK, shrink=False):
    box = slide.shapes.add_textbox(MARGIN, Inches(top), SLIDE_WIDTH - 2 * MARGIN, Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    if shrink:  # PowerPoint and LibreOffice shrink the text to the box when it overflows
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for i, line in enumerate(text.splitlines() or [""]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = colour
    return box


def _picture(slide, png: bytes, width_px: int, height_px: int) -> None:
    """The chart's picture, as large as the body allows, centred, keeping its proportions."""
    box_w, box_h = SLIDE_WIDTH - 2 * MARGIN, Inches(BODY_HEIGHT)
    ratio = min(box_w / width_px, box_h / height_px)
    width, height = Emu(int(width_px * ratio)), Emu(int(height_px * ratio))
    left = Emu(int((SLIDE_WIDTH - width) / 2))
    slide.shapes.add_picture(io.BytesIO(png), left, Inches(BODY_TOP), width, height)


def _image_height(chart: Chart) -> int:
    """The picture's height in CSS pixels: the figure's own (it was sized for its content), within what fits."""
    own = chart.figure.layout.height or 500
    return int(min(max(own, 440), 600))


def _add_slide(prs, slide: Slide, count: int, data: Data, base_url: str, render: Render) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": the title is the slide's title placeholder
    title = page.shapes.title
    title.left, title.top, title.width, title.height = (
        MARGIN,
        Inches(TITLE_TOP),
        SLIDE_WIDTH - 2 * MARGIN,
        Inches(TITLE_HEIGHT),
    )
    title.text_frame.word_wrap = True
    title.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    title.text_frame.text = slide.title
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.name = Pt(30), True, FONT
            run.font.color.rgb = INK

    try:
        blocks = slide.view(data).compact_blocks()
    except Unavailable as err:
        blocks = ()
        _text_box(page, BODY_TOP, BODY_HEIGHT, f"This slide cannot show the {err.dataset_id} data. {err.sentence}", 18)
        source = f"Source: dataset {err.dataset_id} (unavailable)"
    else:
        chart = main_chart(blocks)
        if chart is not None:
            height = _image_height(chart)
            png = render(chart, "png", IMAGE_WIDTH, height, IMAGE_SCALE, font_size=IMAGE_FONT)
            _picture(page, png, IMAGE_WIDTH, height)
            source = f"Source: {chart.source}"
        else:
            _text_box(page, BODY_TOP, BODY_HEIGHT, blocks_text(blocks), 16, shrink=True)
            datasets = sorted({f["dataset"] for f in slide.figures})
            named = f"; datasets {', '.join(datasets)}" if datasets else ""
            source = f"Source: Policy Lens, the {slide.entry.title} view{named} (every row names its source)"

    _text_box(page, SENTENCE_TOP, SENTENCE_HEIGHT, slide.sentence, 20, shrink=True)
    footer = f"{source} · Slide {slide.number} of {count} · live view: {slide.link(base_url)}"
    if data.version:
        footer += f" · data version {data.version}"
    _text_box(page, SOURCE_TOP, SOURCE_HEIGHT, footer, 10, colour=GREY, shrink=True)
    page.notes_slide.notes_text_frame.text = speaker_notes(slide)


def _fixed_zip(payload: bytes) -> bytes:
    """The same package with every entry dated alike, so that the same data gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, source.read(info.filename))
    return out.getvalue()


def deck_pptx(
    deck_title: str,
    slides: Sequence[Slide],
    data: Data,
    base_url: str = "",
    render: Render = chart_image,
) -> bytes:
    """The deck as a .pptx file: one 16:9 slide per story slide (see the module's docstring).

    ``render`` draws a chart's picture (``chart_image``; it raises ``ImageUnavailable`` without a browser).
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    props = prs.core_properties
    props.title = deck_title
    props.author = props.last_modified_by = "Policy Lens"
    props.subject = ARTICLE
    props.created = props.modified = _FIXED_TIME
    props.revision = 1
    for slide in slides:
        _add_slide(prs, slide, len(slides), data, base_url, render)
    buffer = io.BytesIO()
    prs.save(buffer)
    return _fixed_zip(buffer.getvalue())
