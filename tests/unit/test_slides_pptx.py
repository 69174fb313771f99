"""The story as a .pptx deck, read back with python-pptx, and opened by LibreOffice (converted to PDF and read).

The chart pictures render through kaleido with Debian's chromium, and the LibreOffice check needs Debian's
libreoffice-impress (both installed by scripts/setup.sh --browser): without them these tests fail, never skip.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu
from pypdf import PdfReader

from policylens.datasets import data_version
from policylens.slides_pptx import deck_pptx, main_chart, speaker_notes
from policylens.views import load_deck
from policylens.views.base import Chart, Data

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


def slide_text(pptx_slide) -> str:
    return "\n".join(shape.text_frame.text for shape in pptx_slide.shapes if shape.has_text_frame)


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


def test_a_slide_without_a_chart_shows_its_cards_as_text(prs):
    voices = next(s for s in SLIDES if s.page == "voices")
    text = slide_text(prs.slides[voices.number - 1])
    assert "Xiaosheng Tan" in text and "privacy of personal data" in text


def test_the_deck_is_deterministic(data, deck):
    assert deck_pptx(TITLE, SLIDES, data, BASE) == deck


def test_libreoffice_opens_the_deck_with_its_ten_slides(deck, tmp_path):
    """LibreOffice headless converts the .pptx to a PDF of 10 pages carrying the titles, sentences and pictures."""
    soffice = shutil.which("soffice")
    assert soffice, "The deck check needs Debian's libreoffice-impress (scripts/setup.sh --browser installs it)."
    source = tmp_path / "slides.pptx"
    source.write_bytes(deck)
    profile = tmp_path / "lo-profile"  # its own profile: a LibreOffice already running elsewhere is not disturbed
    started = time.monotonic()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert time.monotonic() - started < 120
    pdf = PdfReader(tmp_path / "slides.pdf")
    assert len(pdf.pages) == len(SLIDES)
    for story_slide, pdf_page in zip(SLIDES, pdf.pages, strict=True):
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        assert width / height == pytest.approx(16 / 9, abs=0.01)
        text = squeezed(pdf_page.extract_text())
        assert squeezed(story_slide.title) in text
        assert squeezed(story_slide.sentence)[:60] in text
    expo = next(s for s in SLIDES if s.page == "expo")
    assert len(pdf.pages[expo.number - 1].images) >= 1  # the chart came through as a picture


def test_the_deck_is_powerpoints_own_16_9_to_the_emu(prs):
    assert (prs.slide_width, prs.slide_height) == (12_192_000, 6_858_000)
