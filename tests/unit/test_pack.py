"""The meeting pack, built by the pure core from the real datasets: every slide is its page's view."""

import base64
import io
import json
import re
import zipfile

import numpy as np
import plotly.io as pio
import pytest
from plotly.offline import get_plotlyjs

from policylens.datasets import DATASET_IDS, csv_path, data_version
from policylens.pack import meeting_pack, pack_html, plain_text
from policylens.views import load_deck, page
from policylens.views.base import Chart, Data, Records, Table, Text
from policylens.views.deck import Slide
from policylens.views.story import StoryParams

PREFIX = "policy-lens-meeting-pack/"
_, SLIDES = load_deck()


@pytest.fixture(scope="module")
def data(frames, provenances):
    return lambda: Data(frames=dict(frames), provenances=dict(provenances), version=data_version())


@pytest.fixture(scope="module")
def raw():
    return {d: csv_path(d).read_bytes() for d in DATASET_IDS}


@pytest.fixture(scope="module")
def pack(data, raw):
    title, slides = load_deck()
    payload = meeting_pack(title, slides, data(), raw, base_url="https://lens.example")
    return zipfile.ZipFile(io.BytesIO(payload)), slides


@pytest.fixture(scope="module")
def index(pack):
    archive, _ = pack
    return archive.read(PREFIX + "index.html").decode("utf-8")


def embedded_figures(page_html: str) -> dict[str, list]:
    """The traces of every figure the pack's page draws, by div id, read back from its Plotly.newPlot calls."""
    decoder = json.JSONDecoder()
    figures = {}
    for match in re.finditer(r'Plotly\.newPlot\(\s*"([^"]+)",\s*', page_html):
        traces, _ = decoder.raw_decode(page_html, match.end())
        figures[match.group(1)] = traces
    return figures


def traces(figure) -> list[dict]:
    """``fig.to_plotly_json()["data"]`` as the JSON Plotly writes (the same encoding as the pack's page)."""
    return json.loads(pio.to_json(figure, validate=False))["data"]


def values(encoded) -> list:
    """The numbers of a trace attribute, whether written as a list or as Plotly's typed array ({dtype, bdata})."""
    if isinstance(encoded, dict) and "bdata" in encoded:
        return np.frombuffer(base64.b64decode(encoded["bdata"]), dtype=np.dtype(encoded["dtype"])).tolist()
    return list(encoded)


def compact_charts(slide: Slide, data: Data) -> list[Chart]:
    return [b for b in slide.view(data).compact_blocks() if isinstance(b, Chart)]


def test_pack_holds_the_page_every_csv_and_the_sources(pack, raw, index, data):
    archive, slides = pack
    names = set(archive.namelist())
    assert PREFIX + "index.html" in names
    # The page is pack_html's, as tests/e2e/test_exports.py prints it.
    assert index == pack_html(load_deck()[0], slides, data(), "https://lens.example")
    assert PREFIX + "sources.csv" in names and PREFIX + "SOURCES.md" in names
    for dataset_id in DATASET_IDS:
        assert archive.read(f"{PREFIX}data/{dataset_id}.csv") == raw[dataset_id]  # byte for byte as published


def test_plotly_js_is_inlined_once_and_nothing_is_fetched(index, pack, data):
    _, slides = pack
    assert index.count("* plotly.js v") == 1  # the library's header: inlined exactly once
    assert len(re.findall(r"<script[^>]*\bsrc=", index)) == 0  # no external script
    assert index.count("cdn.plot.ly") == get_plotlyjs().count("cdn.plot.ly")  # only the library's own (geo) mention
    charts = re.findall(r'<div id="slide-(\d+)-chart-\d+"', index)
    assert {int(n) for n in charts} == {s.number for s in slides if compact_charts(s, data())}
    assert {s.number for s in slides if s.page in ("expo", "research")} <= {int(n) for n in charts}
    for slide in slides:
        assert f'id="slide-{slide.number}"' in index


def test_the_page_carries_titles_sentences_sources_and_live_links(index, pack):
    _, slides = pack
    assert "Over 3400 enterprises" in index
    assert "3,486 exhibitors from 128 countries and regions" in index
    assert "https://lens.example/expo?metric=exhibitors&amp;edition=6" in index
    assert index.count('class="source">Source: ') == len(embedded_figures(index))
    assert "data version " + data_version() in index
    for slide in slides:
        assert f"Slide {slide.number} of {len(slides)}" in index


@pytest.mark.parametrize("slide", SLIDES, ids=[f"slide-{s.number}" for s in SLIDES])
def test_the_figure_on_a_slide_is_the_figure_on_its_page_and_in_the_pack(slide, data, index):
    """The issue's test: slide == the page at the slide's link == the pack, trace for trace, value for value."""
    story = page("story").build(StoryParams(slide=slide.number), data())
    entry = page(slide.page)
    page_view = entry.build(entry.params.from_query(dict(slide.params)), data())
    packed = embedded_figures(index)
    on_slide = story.charts
    assert [c.key for c in on_slide] == [c.key for c in page_view.compact_blocks() if isinstance(c, Chart)]
    for i, chart in enumerate(on_slide, start=1):
        on_page = traces(page_view.chart(chart.key).figure)
        assert traces(chart.figure) == on_page
        assert packed[f"slide-{slide.number}-chart-{i}"] == on_page
    assert not [k for k in packed if k.startswith(f"slide-{slide.number}-chart-{len(on_slide) + 1}")]


def test_the_figures_carry_the_values_of_the_slide_sentences(index):
    packed = embedded_figures(index)
    exhibitors = packed["slide-2-chart-1"]
    assert 3486 in values(exhibitors[0]["y"])
    filings = next(s for s in SLIDES if s.first("measure") == "patent-filings")
    numbers = [v for t in packed[f"slide-{filings.number}-chart-1"] for k in "xy" if k in t for v in values(t[k])]
    assert 51.7 in numbers


def test_every_block_kind_is_written_as_html(data):
    """Charts as divs, tables as tables, cards as their plain text, text as paragraphs without Markdown escapes."""
    import pandas as pd

    from policylens.pack import blocks_html

    slide = SLIDES[1]
    blocks = (
        Text("**Bold** and \\*starred\\* \\(1\\) :material/info: [a link](https://example.org/x)", key="t"),
        Table("tab", pd.DataFrame({"a": [1, None], "b": ["<x>", "y"]}), headings={"a": "Article"}, heading="Articles"),
        Records("statement", ({"plain": "Xiaosheng Tan: “privacy”\nparagraph 7"},), key="rec"),
        compact_charts(slide, data())[0],
    )
    written = blocks_html(slide, blocks)
    assert "<p>Bold and *starred* (1)  a link (https://example.org/x)</p>" in written
    assert "<h3>Articles</h3><table><thead><tr><th>Article</th><th>b</th></tr></thead>" in written
    assert "<td>1.0</td><td>&lt;x&gt;</td>" in written and "<td></td><td>y</td>" in written
    assert '<p class="record">Xiaosheng Tan: “privacy”<br>paragraph 7</p>' in written
    assert '<div id="slide-2-chart-1"' in written and 'class="source">Source: ' in written


def test_plain_text_undoes_escapes_only():
    assert plain_text("3\\,486 \\_ids\\_ *not reported*") == "3,486 _ids_ not reported"
    assert plain_text("\\:material/info\\: kept") == ":material/info: kept"


def test_text_from_data_is_escaped(data, raw):
    hostile = Slide(1, page("voices"), "<script>alert(1)</script>", "a & b", {"q": ["<b>x</b>"]})
    payload = meeting_pack("t", [hostile], data(), raw)
    written = zipfile.ZipFile(io.BytesIO(payload)).read(PREFIX + "index.html").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in written
    assert "<script>alert(1)</script>" not in written
    assert "<b>x</b>" not in written


def test_the_pack_is_deterministic(data, raw):
    title, slides = load_deck()
    first = meeting_pack(title, slides[:3], data(), raw)
    assert meeting_pack(title, slides[:3], data(), raw) == first
    assert pack_html(title, slides[:3], data()) == pack_html(title, slides[:3], data())


def test_the_page_prints_one_slide_per_landscape_page_and_fits_a_phone(index):
    style = re.search(r"<style>(.*?)</style>", index, re.S).group(1)
    printed = style[style.index("@media print") :]
    assert "@page { size: landscape;" in printed
    assert "section { break-before: page;" in printed  # a cover page, then one slide a page
    assert ".chart { zoom: var(--print-zoom, 1); }" in printed  # a tall chart is zoomed to fit its page
    assert ".modebar-container { display: none; }" in printed
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in index
    assert "overflow-wrap: anywhere" in style and "table-layout: fixed" in style  # nothing pushes a phone sideways
    # The treemap (620 px tall) prints at most 400 px tall; a chart of Plotly's default height is not zoomed.
    zooms = [float(z) for z in re.findall(r'style="--print-zoom: ([0-9.]+)"><div class="chart">', index)]
    assert zooms and all(0 < z <= 1 for z in zooms) and min(zooms) == pytest.approx(400 / 620, abs=0.001)


def test_the_pack_holds_the_slides_as_pptx(pack):
    from pptx import Presentation

    archive, slides = pack
    deck = Presentation(io.BytesIO(archive.read(PREFIX + "slides.pptx")))
    assert [s.shapes.title.text for s in deck.slides] == [s.title for s in slides]
    assert "`slides.pptx`: the story as a 16:9 PowerPoint deck" in archive.read(PREFIX + "SOURCES.md").decode()


def test_without_a_browser_the_pack_is_built_without_slides_and_says_why(data, raw, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    title, slides = load_deck()
    archive = zipfile.ZipFile(io.BytesIO(meeting_pack(title, slides[:3], data(), raw)))
    assert PREFIX + "slides.pptx" not in archive.namelist()
    assert PREFIX + "index.html" in archive.namelist()
    sources = archive.read(PREFIX + "SOURCES.md").decode()
    assert "No `slides.pptx` in this pack: its chart pictures could not be drawn." in sources
    assert "no Chromium browser" in sources


def test_the_pack_carries_every_claim_as_claimreview(pack, data):
    archive, _ = pack
    document = json.loads(archive.read(PREFIX + "claims.jsonld"))
    reviews = document["@graph"]
    assert document["@context"] == "https://schema.org"
    assert len(reviews) == len(data().frame("claims"))
    c07 = next(r for r in reviews if r["claimReviewed"].startswith("A Stanford University report"))
    assert c07["@type"] == "ClaimReview" and c07["reviewRating"]["alternateName"] == "Consistent"
    assert c07["url"].startswith("https://lens.example/")
