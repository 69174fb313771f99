"""The story as a PowerPoint deck: one 16:9 slide per story slide, built from the same views as the Story page.

Each slide carries the slide's title, its body, the speaker sentence, a footer (the source line, the slide's number,
its live view's link and the data version) and the speaker notes in the slide's notes. A chart slide's body is its
main chart (the first chart of the slide view's compact layout) as a PNG rendered on the server from the same figure
(``policylens.export.chart_image``, at scale 2). A slide without a chart is laid out for a room from its view's data
(``policylens.slides_designs``: a row of figures, a quote card, a paragraph, a short table). Every text is measured
to fit its box (``policylens.slides_text``): body text at least 18 pt, the footer 12 pt, nothing shrunk or spilled.
Nothing here imports Streamlit; ``chart_image`` raises ``ImageUnavailable`` where no browser can render the pictures.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence

from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from policylens.export import chart_image
from policylens.share import ARTICLE
from policylens.slides_designs import Box, design, text_excerpt
from policylens.slides_text import FONT, GREY, INK, INSET_X, Para, add_text, paras_height, wrap
from policylens.views.base import Block, Chart, Data, Unavailable
from policylens.views.deck import Slide
from policylens.views.notes import notes_text

# PowerPoint's own 16:9 size, exactly (Inches(13.333) is 305 EMU short of it).
SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12_192_000), Emu(6_858_000)
MARGIN = Inches(0.5)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP = Inches(0.3)
TITLE_SIZES = (30, 28, 26, 24)  # the title on one line at the largest of these, else on two at the smallest
BOTTOM = SLIDE_HEIGHT - Inches(0.12)  # the footer's last line ends above this
SENTENCE_SIZE, FOOTER_SIZE = 20, 12
GAP = Inches(0.1)

# The picture: 1000 CSS pixels wide, rendered at twice that, with text a little larger than on screen so that it
# reads at the size it has on the slide.
IMAGE_WIDTH, IMAGE_SCALE, IMAGE_FONT = 960, 2, 16
_FIXED_TIME = dt.datetime(2023, 11, 5)  # the same data gives the same bytes
_ZIP_TIME = (2023, 11, 5, 0, 0, 0)

Render = Callable[..., bytes]


def main_chart(blocks: Sequence[Block]) -> Chart | None:
    """The chart a slide shows: the first chart of the slide view's compact blocks."""
    return next((b for b in blocks if isinstance(b, Chart)), None)


def speaker_notes(slide: Slide) -> str:
    """The slide's notes, as the Story page and the presenter view show them (``policylens.views.notes``)."""
    return notes_text(slide)


def _title(page, text: str) -> int:
    """The slide's title in its placeholder, on one line as large as fits; returns where the title ends."""
    inner = Emu(CONTENT_WIDTH - 2 * INSET_X).pt
    size = next((s for s in TITLE_SIZES if len(wrap(text, inner, s, True)) == 1), TITLE_SIZES[-1])
    paras = [Para(text, size, bold=True)]
    height = paras_height(paras, CONTENT_WIDTH)
    title = page.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, TITLE_TOP, CONTENT_WIDTH, height
    frame = title.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = INSET_X
    frame.text = text
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size, run.font.bold, run.font.name = Pt(size), True, FONT
            run.font.color.rgb = INK
    return TITLE_TOP + height


def _picture(page, png: bytes, width_px: int, height_px: int, box: Box) -> None:
    """The chart's picture, as large as ``box`` allows, centred, keeping its proportions."""
    ratio = min(box.width / width_px, box.height / height_px)
    width, height = Emu(int(width_px * ratio)), Emu(int(height_px * ratio))
    left = Emu(int((SLIDE_WIDTH - width) / 2))
    page.shapes.add_picture(io.BytesIO(png), left, box.top, width, height)


def _image_height(chart: Chart) -> int:
    """The picture's height in CSS pixels: the figure's own (it was sized for its content), within what fits."""
    own = chart.figure.layout.height or 500
    return int(min(max(own, 440), 600))


def _footer(page, source: str, slide: Slide, count: int, data: Data, base_url: str) -> int:
    """The source line, then the slide's number, its live view and the data version, at the slide's foot (12 pt);
    returns where the footer starts."""
    where = f"Slide {slide.number} of {count} · live view: {slide.link(base_url)}"
    if data.version:
        where += f" · data version {data.version}"
    paras = [Para(source, FOOTER_SIZE, colour=GREY), Para(where, FOOTER_SIZE, colour=GREY)]
    top = BOTTOM - paras_height(paras, CONTENT_WIDTH)
    add_text(page, MARGIN, top, CONTENT_WIDTH, paras, name="Footer")
    return top


def _sentence(page, sentence: str, bottom: int) -> int:
    """The speaker sentence above ``bottom``; returns where it starts."""
    paras = [Para(sentence, SENTENCE_SIZE)]
    top = bottom - paras_height(paras, CONTENT_WIDTH)
    add_text(page, MARGIN, top, CONTENT_WIDTH, paras, name="Sentence")
    return top


def _add_slide(prs, slide: Slide, count: int, data: Data, base_url: str, render: Render) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": the title is the slide's title placeholder
    body_top = _title(page, slide.title) + GAP
    try:
        blocks = slide.view(data).compact_blocks()
    except Unavailable as err:
        blocks, chart = (), None
        source = f"Source: dataset {err.dataset_id} (unavailable)"
        unavailable = f"This slide cannot show the {err.dataset_id} data. {err.sentence}"
    else:
        unavailable = ""
        chart = main_chart(blocks)
        if chart is not None:
            source = f"Source: {chart.source}"
        else:
            datasets = sorted({f["dataset"] for f in slide.figures})
            named = f"; datasets {', '.join(datasets)}" if datasets else ""
            source = f"Source: Policy Lens, the {slide.entry.title} view{named} (every row names its source)"
    footer_top = _footer(page, source, slide, count, data, base_url)
    sentence_top = _sentence(page, slide.sentence, footer_top - GAP)
    if chart is None:  # a designed slide leaves a little more air under its title
        body_top += GAP
    box = Box(MARGIN, body_top, CONTENT_WIDTH, sentence_top - GAP - body_top)
    if chart is not None:
        height = _image_height(chart)
        png = render(chart, "png", IMAGE_WIDTH, height, IMAGE_SCALE, font_size=IMAGE_FONT)
        _picture(page, png, IMAGE_WIDTH, height, box)
    elif unavailable:
        text_excerpt(page, unavailable, box)
    else:
        design(page, blocks, box)
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
