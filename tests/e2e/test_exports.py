"""Exports in a real browser: the Story's .pptx, a chart's PNG and SVG and its camera button, and the meeting pack's
page printed (one slide a page) and on a phone (no sideways scroll)."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import expect
from pptx import Presentation
from pypdf import PdfReader

from policylens import export
from policylens.datasets import data_version
from policylens.pack import pack_html
from policylens.views import load_deck
from policylens.views.base import Data
from tests.e2e.helpers import wait_idle

SLOW = 90_000  # a first draw on a shared machine, and a first picture (the rendering browser starts)


def open_data_of(page, card: str) -> None:
    """Open the "Data behind this chart" expander of a chart card."""
    card_locator = page.locator(f".st-key-card-{card}")
    card_locator.get_by_text("Data behind this chart").click()
    expect(card_locator.get_by_role("button", name="Download PNG")).to_be_visible()
    wait_idle(page, SLOW)  # the box is drawn by a rerun: its buttons work once that rerun has finished


def test_story_downloads_the_slides_as_pptx(server, page, js_errors, tmp_path):
    page.goto(server.url + "/story?slide=2")
    wait_idle(page, SLOW)
    button = page.get_by_role("button", name="Download slides (.pptx)")
    expect(button).to_be_visible()
    with page.expect_download(timeout=120_000) as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == f"policy-lens-slides-{data_version()}.pptx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    title, slides = load_deck()
    deck = Presentation(str(target))
    assert [s.shapes.title.text for s in deck.slides] == [s.title for s in slides]
    assert deck.core_properties.title == title
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 1e-3


def test_expo_chart_downloads_png_and_svg_and_its_camera_with_their_names(server, page, js_errors, tmp_path):
    page.goto(server.url + "/expo?metric=exhibitors&edition=6")
    wait_idle(page, SLOW)
    open_data_of(page, "expo_bars")
    card = page.locator(".st-key-card-expo_bars")
    with page.expect_download(timeout=120_000) as download_info:
        card.get_by_role("button", name="Download PNG").click()
    png = download_info.value
    assert png.suggested_filename == "ciie-exhibitors.png"
    png.save_as(tmp_path / "chart.png")
    picture = Image.open(tmp_path / "chart.png")
    assert picture.format == "PNG"
    assert picture.size == (export.WIDTH * 2, export.HEIGHT * 2)

    with page.expect_download(timeout=120_000) as download_info:
        card.get_by_role("button", name="Download SVG").click()
    svg = download_info.value
    assert svg.suggested_filename == "ciie-exhibitors.svg"
    svg.save_as(tmp_path / "chart.svg")
    text = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    assert text.lstrip().startswith("<svg") and "Source: dataset expo" in text and "3,486" in text

    # The chart's own camera button names its file too (until 2026-12-07 a test of its own opened the same link
    # again; issue 21).
    chart = page.locator(".st-key-card-expo_bars [data-testid=stPlotlyChart]")
    chart.hover()
    camera = chart.locator(".modebar-btn[data-title^='Download plot']")
    expect(camera).to_be_visible()
    with page.expect_download(timeout=60_000) as download_info:
        camera.click()
    assert download_info.value.suggested_filename == "ciie-exhibitors.png"


def _pack_index(tmp_path, frames, provenances):
    """The pack's page as ``meeting_pack`` writes it into the zip (its ``index.html`` is ``pack_html``), without the
    deck and its chart pictures, which this page does not use (tests/unit/test_pack.py checks the whole zip)."""
    title, slides = load_deck()
    data = Data(frames=dict(frames), provenances=dict(provenances), version=data_version())
    index = tmp_path / "index.html"
    index.write_text(pack_html(title, slides, data, "https://lens.example"), encoding="utf-8")
    return index, slides


def test_the_pack_prints_one_slide_per_page_and_fits_a_phone(browser, tmp_path, frames, provenances):
    index, slides = _pack_index(tmp_path, frames, provenances)

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(index.as_uri())
    expect(phone.locator("div[id^=slide-][id*=-chart-] svg.main-svg").first).to_be_attached()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    desk = browser.new_page(viewport={"width": 1280, "height": 800})
    desk.goto(index.as_uri())
    expect(desk.locator("div[id^=slide-][id*=-chart-] svg.main-svg").first).to_be_attached()
    desk.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        pdf = PdfReader(io.BytesIO(desk.pdf(format=paper, landscape=True, print_background=True)))
        # A cover page, then one page per slide, each beginning with its slide.
        assert len(pdf.pages) == len(slides) + 1, paper
        for number, pdf_page in enumerate(pdf.pages[1:], start=1):
            width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
            assert width > height
            assert pdf_page.extract_text().lstrip().startswith(f"Slide {number} of {len(slides)}"), (paper, number)
    desk.close()
