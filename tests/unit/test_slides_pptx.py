"""The story as a .pptx deck, read back with python-pptx, and opened by LibreOffice (converted to PDF once per module,
read with pypdf and drawn as pictures with poppler's pdftoppm), checked as a person in the room would check it.

The chart pictures render through kaleido with Debian's chromium, and the LibreOffice check needs Debian's
libreoffice-impress and poppler-utils (all installed by scripts/setup.sh --browser): without them these tests fail,
never skip.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu
from pypdf import PdfReader

from policylens.datasets import data_version
from policylens.render.markup import plain_text
from policylens.slides_pptx import deck_pptx, main_chart, speaker_notes
from policylens.slides_text import SLACK, text_width
from policylens.views import load_deck
from policylens.views.base import Chart, Data, Records

BASE = "https://lens.example"
TITLE, SLIDES = load_deck()


@pytest.fixture(scope="module")
def data(frames, provenances) -> Data:
    return Data(frames=dict(frames), provenances=dict(provenances), version=data_version())


@pytest.fixture(scope="module")
def deck(data) -> bytes:
    return deck_pptx(TITLE, SLIDES, data, BASE)


@pytest.fixture(scope="module")
def prs(deck):
    return Presentation(io.BytesIO(deck))


def chart_of(slide, data) -> Chart | None:
    return main_chart(slide.view(data).compact_blocks())


def shape_text(shape) -> str:
    """The words of a shape: its text frame's, or its table's cells, row by row."""
    if shape.has_text_frame:
        return shape.text_frame.text
    if shape.has_table:
        return "\n".join(cell.text_frame.text for row in shape.table.rows for cell in row.cells)
    return ""


def shape_runs(shape):
    """Every run of a shape's text (a table's: every cell's)."""
    frames = [shape.text_frame] if shape.has_text_frame else []
    if shape.has_table:
        frames = [cell.text_frame for row in shape.table.rows for cell in row.cells]
    return [run for frame in frames for paragraph in frame.paragraphs for run in paragraph.runs]


def slide_text(pptx_slide) -> str:
    return "\n".join(shape_text(shape) for shape in pptx_slide.shapes if shape_text(shape))


def rows_of(story_slide, data, kind: str) -> tuple:
    return next(b for b in story_slide.view(data).compact_blocks() if isinstance(b, Records) and b.kind == kind).rows


def page_of(page: str, prs):
    story_slide = next(s for s in SLIDES if s.page == page)
    return story_slide, prs.slides[story_slide.number - 1]


def named(pptx_slide, name: str) -> list:
    return [shape for shape in pptx_slide.shapes if shape.name == name]


def sizes(shape) -> set[float]:
    return {run.font.size.pt for run in shape_runs(shape) if run.text.strip()}


def inside(inner, outer) -> bool:
    return (
        outer.left <= inner.left
        and outer.top <= inner.top
        and inner.left + inner.width <= outer.left + outer.width
        and inner.top + inner.height <= outer.top + outer.height
    )


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_one_16_9_slide_per_story_slide_with_its_title(prs):
    assert len(SLIDES) == 10
    assert len(prs.slides) == len(SLIDES)
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, abs=0.001)
    assert prs.core_properties.title == TITLE
    for story_slide, pptx_slide in zip(SLIDES, prs.slides, strict=True):
        assert pptx_slide.shapes.title.text == story_slide.title


def test_every_chart_slide_carries_its_chart_as_a_sharp_picture(prs, data):
    charted = 0
    for story_slide, pptx_slide in zip(SLIDES, prs.slides, strict=True):
        pictures = [s for s in pptx_slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if chart_of(story_slide, data) is None:
            assert pictures == [], f"slide {story_slide.number} has no chart, so no picture"
            continue
        charted += 1
        assert len(pictures) == 1, f"slide {story_slide.number}"
        picture = pictures[0]
        assert picture.image.content_type == "image/png"
        width_px, _ = picture.image.size
        # Sharp: at least 150 pixels per inch of the picture's width on the slide (rendered at scale 2).
        assert width_px / Emu(picture.width).inches >= 150
        assert picture.left >= 0 and picture.left + picture.width <= prs.slide_width
        assert picture.top + picture.height <= prs.slide_height
    assert charted >= sum(1 for s in SLIDES if s.page in ("expo", "research", "policy"))


def test_every_slide_says_its_sentence_and_its_source_line(prs, data):
    for story_slide, pptx_slide in zip(SLIDES, prs.slides, strict=True):
        text = squeezed(slide_text(pptx_slide))
        assert squeezed(story_slide.sentence) in text
        chart = chart_of(story_slide, data)
        if chart is not None:
            assert squeezed(f"Source: {chart.source}") in text
        else:
            assert f"Source: Policy Lens, the {story_slide.entry.title} view" in text
        assert story_slide.link(BASE) in text and f"Slide {story_slide.number} of {len(SLIDES)}" in text
        assert f"data version {data_version()}" in text


def test_the_notes_are_the_slides_speaker_notes(prs):
    for story_slide, pptx_slide in zip(SLIDES, prs.slides, strict=True):
        notes = pptx_slide.notes_slide.notes_text_frame.text
        assert notes == speaker_notes(story_slide)
        if story_slide.notes:
            assert notes == story_slide.notes
        else:
            assert notes.startswith(story_slide.sentence)
            for figure in story_slide.figures:
                assert f"“{figure['text']}”: {figure['dataset']} row {figure['key']}" in notes
    expo = next(s for s in SLIDES if s.first("metric") == "exhibitors")
    assert "3,486 exhibitors" in prs.slides[expo.number - 1].notes_slide.notes_text_frame.text


def test_the_deck_is_deterministic(data, deck):
    assert deck_pptx(TITLE, SLIDES, data, BASE) == deck


@pytest.fixture(scope="module")
def converted(deck, tmp_path_factory) -> Path:
    """The deck converted to a PDF by LibreOffice headless, once for this module (about 3 to 10 s)."""
    soffice = shutil.which("soffice")
    assert soffice, "The deck check needs Debian's libreoffice-impress (scripts/setup.sh --browser installs it)."
    folder = tmp_path_factory.mktemp("deck")
    source = folder / "slides.pptx"
    source.write_bytes(deck)
    profile = folder / "lo-profile"  # its own profile: a LibreOffice already running elsewhere is not disturbed
    started = time.monotonic()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(folder)},
    )
    assert time.monotonic() - started < 120
    return folder / "slides.pdf"


@pytest.fixture(scope="module")
def pdf(converted) -> PdfReader:
    return PdfReader(converted)


@pytest.fixture(scope="module")
def pictures(converted) -> list[Image.Image]:
    """Every page of the PDF as a picture, 48 pixels an inch (640 by 360), drawn by poppler's pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "The deck's pictures need Debian's poppler-utils (scripts/setup.sh --browser installs it)."
    subprocess.run(
        [pdftoppm, "-png", "-r", "48", str(converted), str(converted.with_name("page"))], check=True, timeout=120
    )
    pages = sorted(converted.parent.glob("page-*.png"))
    return [Image.open(page).convert("L") for page in pages]


def test_libreoffice_opens_the_deck_with_its_ten_slides(pdf):
    """LibreOffice headless converts the .pptx to a PDF of 10 pages carrying the titles, sentences and pictures."""
    assert len(pdf.pages) == len(SLIDES)
    for story_slide, pdf_page in zip(SLIDES, pdf.pages, strict=True):
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        assert width / height == pytest.approx(16 / 9, abs=0.01)
        text = squeezed(pdf_page.extract_text())
        assert squeezed(story_slide.title) in text
        assert squeezed(story_slide.sentence)[:60] in text
    expo = next(s for s in SLIDES if s.page == "expo")
    assert len(pdf.pages[expo.number - 1].images) >= 1  # the chart came through as a picture


# ---------------------------------------------------------------------------------------------------- for a room


FOOTER_NAMES = ("Footer",)  # the source line, the slide's number, link and data version: 12 pt at least


def test_every_word_on_a_slide_is_at_least_18_pt_and_the_footer_12(prs):
    for number, pptx_slide in enumerate(prs.slides, start=1):
        for shape in pptx_slide.shapes:
            for run in shape_runs(shape):
                assert run.font.size is not None, f"slide {number}, {shape.name}: {run.text!r} has no size of its own"
                floor = 12 if shape.name in FOOTER_NAMES else 18
                assert run.font.size.pt >= floor, f"slide {number}, {shape.name}: {run.text!r}"
        assert len(named(pptx_slide, "Footer")) == 1, f"slide {number}"


def test_every_shape_lies_inside_the_slide(prs):
    for number, pptx_slide in enumerate(prs.slides, start=1):
        for shape in pptx_slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, f"slide {number}, {shape.name}"
            assert shape.left + shape.width <= prs.slide_width, f"slide {number}, {shape.name}"
            assert shape.top + shape.height <= prs.slide_height, f"slide {number}, {shape.name}"
            if shape.has_table:  # the rows as drawn are as tall as the frame says
                assert sum(row.height for row in shape.table.rows) <= shape.height


INTERNAL = re.compile(r"dossier|\.md\b|§|\.csv\b", re.IGNORECASE)


def test_no_slide_names_a_file_the_room_cannot_open(prs):
    for number, pptx_slide in enumerate(prs.slides, start=1):
        found = INTERNAL.findall(slide_text(pptx_slide))
        assert not found, f"slide {number} names {found}"


def test_the_overview_shows_the_verdict_counts_as_a_row_of_large_numbers(prs, data):
    story_slide, pptx_slide = page_of("overview", prs)
    rows = rows_of(story_slide, data, "verdicts")
    figures = named(pptx_slide, "Figure")
    labels = named(pptx_slide, "Figure label")
    assert [f.text_frame.text for f in figures] == [f"{row['value']:,}" for row in rows]
    assert [label.text_frame.text for label in labels] == [row["label"] for row in rows]
    assert 3 <= len(figures) <= 5
    assert len({f.top for f in figures}) == 1  # one row, left to right
    assert [f.left for f in figures] == sorted(f.left for f in figures)
    assert all(min(sizes(f)) >= 40 for f in figures) and all(min(sizes(label)) >= 18 for label in labels)
    # The same counts the view's summary says in words.
    summary = story_slide.view(data).summary
    for row in rows[1:]:
        assert f"{row['label']}: {row['value']}" in summary


def test_the_quote_slide_is_a_card_with_the_speaker_and_capacity(prs, data):
    story_slide, pptx_slide = page_of("voices", prs)
    row = rows_of(story_slide, data, "statement")[0]
    (quote,) = named(pptx_slide, "Quote")
    (speaker,) = named(pptx_slide, "Speaker")
    assert squeezed(quote.text_frame.text) == squeezed(f"“{row['text']}”")
    assert min(sizes(quote)) >= 24
    said = speaker.text_frame.text
    assert "Xiaosheng Tan" in said and plain_text(row["capacity"]) in said
    assert f"paragraph {row['paragraph']}" in said  # where it was said
    cards = [s for s in pptx_slide.shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and inside(quote, s)]
    assert cards and all(inside(speaker, card) for card in cards)


def test_the_themes_slide_shows_the_paragraph_with_its_theme_tags(prs, data):
    story_slide, pptx_slide = page_of("themes", prs)
    row = rows_of(story_slide, data, "opened-paragraph")[0]
    (paragraph,) = named(pptx_slide, "Paragraph")
    assert squeezed(paragraph.text_frame.text) == squeezed(row["text"])  # paragraph 12 fits whole
    assert min(sizes(paragraph)) >= 20
    tags = [shape.text_frame.text for shape in named(pptx_slide, "Theme tag")]
    assert tags == [f"{tag['label']} · {tag['words']}" for tag in row["tags"]] and len(tags) == 3
    marked = [run.text for run in shape_runs(paragraph) if run._r.find(".//{*}highlight") is not None]
    assert marked == [row["text"][start:end] for start, end, _ in row["marks"]]
    assert "blockchain" in marked


def test_the_sources_slide_is_a_short_table_and_says_how_many_more(prs, data):
    story_slide, pptx_slide = page_of("sources", prs)
    row = rows_of(story_slide, data, "provenance")[0]
    tables = [shape for shape in pptx_slide.shapes if shape.has_table]
    assert len(tables) == 1
    table = tables[0].table
    assert [cell.text_frame.text for cell in table.rows[0].cells] == ["Source", "Publisher", "Kind"]
    shown = [[cell.text_frame.text for cell in r.cells] for r in list(table.rows)[1:]]
    assert 3 <= len(shown) <= 6
    sources = row["sources"].to_dict("records")
    assert [r[:2] for r in shown] == [[s["title"], s["publisher"]] for s in sources[: len(shown)]]
    (more,) = named(pptx_slide, "More")
    assert more.text_frame.text == f"{len(sources) - len(shown)} more sources on the live page"


def test_longer_views_of_the_same_pages_still_fit_and_say_what_is_left_out(data, frames):
    """Every statement (28 cards), the longest quote and paragraph, another dataset's sources, and a slide whose
    dataset cannot be read: still no run under its floor and no shape off the slide; what is cut is said."""
    by_page = {s.page: s for s in SLIDES}
    longest = frames["paragraphs"].loc[frames["paragraphs"]["text"].str.len().idxmax()]
    quote = frames["statements"].loc[frames["statements"]["text"].str.len().idxmax()]
    variants = [
        dataclasses.replace(by_page["voices"], number=1, params={}),
        dataclasses.replace(by_page["voices"], number=2, params={"q": [str(quote["speaker"])]}),
        dataclasses.replace(by_page["themes"], number=3, params={"paragraph": [str(int(longest["paragraph"]))]}),
        dataclasses.replace(by_page["sources"], number=4, params={"dataset": ["expo"]}),
    ]
    deck = Presentation(io.BytesIO(deck_pptx(TITLE, variants, data, BASE, render=None)))
    broken = Data(frames={k: v for k, v in frames.items() if k != "statements"}, provenances=data.provenances)
    deck_broken = Presentation(io.BytesIO(deck_pptx(TITLE, [by_page["voices"]], broken, BASE, render=None)))
    for prs in (deck, deck_broken):
        test_every_word_on_a_slide_is_at_least_18_pt_and_the_footer_12(prs)
        test_every_shape_lies_inside_the_slide(prs)
        test_no_slide_names_a_file_the_room_cannot_open(prs)
    every, by_speaker, paragraph, sources = deck.slides
    assert (
        named(every, "More")[0].text_frame.text == f"{len(frames['statements']) - 1} more statements on the live page"
    )
    assert squeezed(quote["text"]) in squeezed(named(by_speaker, "Quote")[0].text_frame.text)
    excerpt = named(paragraph, "Paragraph")[0].text_frame.text
    assert excerpt.endswith(" …") and squeezed(longest["text"]).startswith(squeezed(excerpt[:-2]))
    assert "the whole paragraph on the live page" in named(paragraph, "Where")[0].text_frame.text
    assert re.fullmatch(r"\d+ more sources on the live page", named(sources, "More")[0].text_frame.text)
    assert "This slide cannot show the statements data." in slide_text(deck_broken.slides[0])


# ------------------------------------------------------------------------------------------ as LibreOffice draws it


def pdf_lines(pdf_page) -> list[tuple[str, float, float, float]]:
    """The text LibreOffice drew on a page: (text, x, baseline y from the top, size), all in points."""
    height = float(pdf_page.mediabox.height)
    lines = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            lines.append((text.strip(), x, height - y, size * abs(tm[3] * cm[3])))

    pdf_page.extract_text(visitor_text=visit)
    return lines


def boxes(pptx_slide) -> list[tuple[str, str, tuple[float, float, float, float], set[float]]]:
    """Each shape with text: its name, its words, its box in points (left, top, right, bottom) and its sizes."""
    out = []
    for shape in pptx_slide.shapes:
        text = shape_text(shape)
        if text.strip():
            box = (
                Emu(shape.left).pt,
                Emu(shape.top).pt,
                Emu(shape.left + shape.width).pt,
                Emu(shape.top + shape.height).pt,
            )
            out.append((shape.name, squeezed(text), box, sizes(shape)))
    return out


def letters(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def test_in_libreoffice_every_text_keeps_its_size_and_stays_whole_inside_its_box(prs, pdf):
    """LibreOffice shrinks text that overflows a box set to fit, and draws other overflowing text past the box: so
    each line it drew must sit inside the box of the shape it belongs to, at a size that shape asked for, and each
    shape's words must all be drawn."""
    for number, (pptx_slide, pdf_page) in enumerate(zip(prs.slides, pdf.pages, strict=True), start=1):
        shapes = boxes(pptx_slide)
        drawn: dict[int, Counter] = {i: Counter() for i in range(len(shapes))}
        for text, x, baseline, size in pdf_lines(pdf_page):
            homes = [
                i
                for i, (_, words, (left, top, right, bottom), wanted) in enumerate(shapes)
                if squeezed(text) in words
                and left - 1 <= x
                and x + text_width(text, size) / SLACK <= right + 2
                and top <= baseline - size * 0.7
                and baseline <= bottom + 1
                and any(abs(size - w) < 0.2 for w in wanted)
            ]
            assert homes, f"slide {number}: {text!r} at {size:.1f} pt, ({x:.0f}, {baseline:.0f}) is outside its box"
            drawn[homes[0]] += letters(text)
        for i, (name, words, _, _) in enumerate(shapes):
            assert drawn[i] == letters(words), f"slide {number}, {name}: not every word was drawn in its box"


def test_the_pictures_of_the_slides_have_nothing_cut_off_at_the_edges(pictures):
    assert len(pictures) == len(SLIDES)
    for number, picture in enumerate(pictures, start=1):
        width, height = picture.size
        assert width == pytest.approx(640, abs=1) and height == 360
        band = 5  # about a tenth of an inch
        edges = [
            (0, 0, width, band),
            (0, height - band, width, height),
            (0, 0, band, height),
            (width - band, 0, width, height),
        ]
        for edge in edges:
            assert picture.crop(edge).getextrema()[0] >= 235, f"slide {number}: something is drawn at the edge {edge}"
        body = picture.crop((band, 60, width - band, 250))
        assert body.getextrema()[0] < 128, f"slide {number}: nothing is drawn in the body"


def test_the_deck_is_powerpoints_own_16_9_to_the_emu(prs):
    assert (prs.slide_width, prs.slide_height) == (12_192_000, 6_858_000)
