"""Chart pictures: the chart's own figure, in the light theme, with its title and source line inside the picture.

These render through kaleido with Debian's chromium, like the browser tests: without it they fail, never skip.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from policylens import export
from policylens.datasets import data_version
from policylens.export import ImageUnavailable, chart_image, image_file_name, light_figure
from policylens.views import page
from policylens.views.base import Chart, Data


@pytest.fixture(scope="module")
def data(frames, provenances) -> Data:
    return Data(frames=dict(frames), provenances=dict(provenances), version=data_version())


@pytest.fixture(scope="module")
def exhibitors(data) -> Chart:
    """The Expo page's bar chart of exhibitors (its figure has a title of its own)."""
    entry = page("expo")
    return entry.build(entry.params.from_query({"metric": ["exhibitors"], "edition": ["6"]}), data).chart("expo_bars")


@pytest.fixture(scope="module")
def theme_strip(data) -> Chart:
    """The Overview's theme strip: a figure without a title, so the picture takes the chart's."""
    return page("overview").build(page("overview").params(), data).chart("theme_strip")


def svg_text(svg: bytes) -> str:
    """The words an SVG draws, its lines run together (a wrapped line continues in the next <tspan>)."""
    text = re.sub(r"<[^>]+>", "", svg.decode("utf-8"))
    return "".join(html.unescape(text).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def small_chart(title: str, source: str = "dataset test · a source, verified-in-source") -> Chart:
    figure = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    return Chart("t", figure, title, "two bars", source, pd.DataFrame({"x": ["a", "b"]}), "test-chart.csv")


def test_png_is_a_png_of_the_requested_size(exhibitors):
    png = chart_image(exhibitors, "png", width=800, height=450, scale=2)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG" and picture.size == (1600, 900)
    # The light theme whatever the app's: the corners are white.
    rgb = picture.convert("RGB")
    assert rgb.getpixel((2, 2)) == (255, 255, 255) == rgb.getpixel((1597, 897))


def test_svg_carries_the_title_and_the_source_line(exhibitors, theme_strip):
    svg = chart_image(exhibitors, "svg")
    assert svg.lstrip().startswith(b"<svg")
    words = svg_text(svg)
    assert squeezed("Exhibitors (Business Exhibition") in words and squeezed("CIIE editions 1 to 8") in words
    assert squeezed("Source: " + exhibitors.source) in words
    assert "3,486" in words  # the figure itself: the 6th edition's closing count
    untitled = svg_text(chart_image(theme_strip, "svg"))
    assert squeezed(theme_strip.title) in untitled  # the figure draws no title: the chart's own is added
    assert squeezed("Source: " + theme_strip.source) in untitled


def test_the_source_lines_stay_inside_the_picture(exhibitors):
    """Every line of the source sits between the plot and the bottom edge (Plotly can push titles off the image)."""
    height = 500
    svg = chart_image(exhibitors, "svg", width=700, height=height).decode("utf-8")
    title = re.search(r'<g class="g-gtitle">(.*?)</g>', svg).group(1)
    lines = re.findall(r'<tspan class="line" dy="([-0-9.]+)em"[^>]* y="([0-9.]+)"', title)
    assert len(lines) >= 2  # a long source line wraps
    size = export.SOURCE_SIZE
    baselines = [float(y) + float(dy) * size for dy, y in lines]
    assert all(height * 0.75 < b < height - 2 for b in baselines), baselines


def test_a_chinese_title_renders_with_a_cjk_font():
    """Swapping two Chinese characters changes the picture only where a font draws them (missing glyphs are
    identical boxes): the renderer has a CJK font (Debian's fonts-noto-cjk)."""
    one = chart_image(small_chart("数据二十条：构建数据基础制度"), "png", 600, 300)
    two = chart_image(small_chart("据数二十条：构建数据基础制度"), "png", 600, 300)
    assert Image.open(io.BytesIO(one)).size == (600, 300)
    assert one != two
    assert "数据二十条" in svg_text(chart_image(small_chart("数据二十条：构建数据基础制度"), "svg", 600, 300))


def test_the_light_figure_keeps_the_data_and_ignores_a_dark_theme(exhibitors):
    before = exhibitors.figure.to_plotly_json()
    dark_figure = go.Figure(exhibitors.figure).update_layout(template="plotly_dark")
    dark = dataclasses.replace(exhibitors, figure=dark_figure)
    light = light_figure(dark, 800, 450)
    light_figure(exhibitors)
    assert light.layout.paper_bgcolor == "white" and light.layout.plot_bgcolor == "white"
    assert light.layout.template.layout.paper_bgcolor == "white"  # plotly_white
    assert [t.to_plotly_json() for t in light.data] == [t.to_plotly_json() for t in exhibitors.figure.data]
    assert exhibitors.figure.layout.title.text in light.layout.annotations[-1].text
    assert light.layout.title.text.startswith("Source: dataset expo")
    assert exhibitors.figure.to_plotly_json() == before  # the view's own figure is untouched


def test_text_from_data_is_escaped_in_the_picture():
    light = light_figure(small_chart("<b>bold</b> & co", "dataset <i>x</i>"))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in light.layout.annotations[-1].text
    assert "&lt;i&gt;x&lt;/i&gt;" in light.layout.title.text


def test_file_names_name_the_chart(exhibitors):
    assert image_file_name(exhibitors, "png") == "ciie-exhibitors.png"
    assert image_file_name(exhibitors, "svg") == "ciie-exhibitors.svg"


def test_without_a_browser_the_picture_says_why(exhibitors, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert export.image_support() == export.NO_BROWSER
    with pytest.raises(ImageUnavailable, match="no Chromium browser") as raised:
        chart_image(exhibitors, "png")
    assert raised.value.sentence == export.NO_BROWSER


def test_an_unknown_format_is_refused(exhibitors):
    with pytest.raises(ValueError, match="png"):
        chart_image(exhibitors, "gif")
