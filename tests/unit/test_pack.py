"""The meeting pack, built by the pure core from the real datasets."""

import io
import re
import zipfile

import pytest
from plotly.offline import get_plotlyjs

from policylens.datasets import DATASET_IDS, csv_path, data_version, load_dataset, read_provenance
from policylens.pack import meeting_pack, slide_content
from policylens.story import load_deck

PREFIX = "policy-lens-meeting-pack/"


@pytest.fixture(scope="module")
def inputs():
    frames = {d: load_dataset(d) for d in DATASET_IDS}
    provenances = {d: read_provenance(d) for d in DATASET_IDS}
    raw = {d: csv_path(d).read_bytes() for d in DATASET_IDS}
    return frames, provenances, raw


@pytest.fixture(scope="module")
def pack(inputs):
    frames, provenances, raw = inputs
    title, slides = load_deck()
    payload = meeting_pack(title, slides, frames, provenances, raw, data_version(), base_url="https://lens.example")
    return zipfile.ZipFile(io.BytesIO(payload)), slides


def test_pack_holds_the_page_every_csv_and_the_sources(pack, inputs):
    archive, _ = pack
    names = set(archive.namelist())
    assert PREFIX + "index.html" in names
    assert PREFIX + "sources.csv" in names and PREFIX + "SOURCES.md" in names
    _, _, raw = inputs
    for dataset_id in DATASET_IDS:
        assert archive.read(f"{PREFIX}data/{dataset_id}.csv") == raw[dataset_id]  # byte for byte as published


def test_plotly_js_is_inlined_once_and_nothing_is_fetched(pack):
    archive, slides = pack
    page = archive.read(PREFIX + "index.html").decode("utf-8")
    assert page.count("* plotly.js v") == 1  # the library's header: inlined exactly once
    assert len(re.findall(r"<script[^>]*\bsrc=", page)) == 0  # no external script
    assert page.count("cdn.plot.ly") == get_plotlyjs().count("cdn.plot.ly")  # only the library's own (geo) mention
    charts = re.findall(r'<div id="slide-(\d+)-chart-\d+"', page)
    assert {int(n) for n in charts} == {s.number for s in slides if s.page != "sources"}
    for slide in slides:
        assert f'id="slide-{slide.number}"' in page


def test_the_page_carries_titles_sentences_sources_and_live_links(pack):
    archive, slides = pack
    page = archive.read(PREFIX + "index.html").decode("utf-8")
    assert "Over 3400 enterprises" in page
    assert "3,486 exhibitors from 128 countries and regions" in page
    assert "https://lens.example/expo?metric=exhibitors&amp;edition=6" in page
    assert page.count('class="source">Source: ') >= len([s for s in slides if s.page != "sources"])
    assert "data version " + data_version() in page


def test_slide_charts_use_the_pages_builders_with_the_slide_parameters(inputs):
    frames, provenances, _ = inputs
    _, slides = load_deck()
    expo_slide = next(s for s in slides if s.page == "expo" and s.first("metric") == "exhibitors")
    bars = slide_content(expo_slide, frames, provenances).charts[0].figure.data[0]
    assert 3486 in list(bars.y)
    research_slide = next(s for s in slides if s.first("measure") == "patent-filings")
    chart = slide_content(research_slide, frames, provenances).charts[0].figure
    assert any(51.7 in list(trace.x or []) + list(trace.y or []) for trace in chart.data)


def test_text_from_data_is_escaped(inputs):
    frames, provenances, raw = inputs
    from policylens.story import Slide

    hostile = Slide(1, "voices", "<script>alert(1)</script>", "a & b", {"q": ["<b>x</b>"]})
    payload = meeting_pack("t", [hostile], frames, provenances, raw, "v")
    page = zipfile.ZipFile(io.BytesIO(payload)).read(PREFIX + "index.html").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_the_pack_is_deterministic(inputs):
    frames, provenances, raw = inputs
    title, slides = load_deck()
    first = meeting_pack(title, slides[:2], frames, provenances, raw, "v")
    assert meeting_pack(title, slides[:2], frames, provenances, raw, "v") == first
