"""Chart images that carry their provenance: PNG and SVG of a chart's own figure, rendered on the server.

The picture is the chart's figure in the light theme (plotly_white on white, whatever theme the viewer's app uses),
with the chart's title and subtitle at the top and its source line at the bottom, inside the image: a picture pasted
into a document keeps saying where its numbers come from (``policylens.render.figures.light_figure``). The process's
one browser draws it (``policylens.render.engine``); where there is none, ``ImageUnavailable`` says so in one
sentence. Chinese text needs a CJK font on the rendering machine (Debian's fonts-noto-cjk). Nothing here imports
Streamlit.
"""

from __future__ import annotations

import functools
import json
from pathlib import PurePath

from policylens.render import engine
from policylens.render.engine import NO_BROWSER, ImageUnavailable, browser_path, image_support
from policylens.render.figures import HEIGHT, SOURCE_SIZE, TITLE_SIZE, WIDTH, light_figure
from policylens.views.base import Chart

__all__ = [
    "FORMATS",
    "HEIGHT",
    "NO_BROWSER",
    "SOURCE_SIZE",
    "TITLE_SIZE",
    "WIDTH",
    "ImageUnavailable",
    "browser_path",
    "chart_image",
    "image_file_name",
    "image_support",
    "light_figure",
]

FORMATS = ("png", "svg")


def image_file_name(chart: Chart, fmt: str) -> str:
    """The download's file name: the chart's CSV name with the image's extension (``ciie-exhibitors.png``)."""
    stem = PurePath(chart.csv_name).stem or chart.key
    return f"{stem}.{fmt}"


def chart_image(
    chart: Chart,
    fmt: str = "png",
    width: int = WIDTH,
    height: int = HEIGHT,
    scale: float = 1,
    font_size: int | None = None,
) -> bytes:
    """The chart as a PNG or SVG picture with its title, subtitle and source line, in the light theme.

    ``width`` and ``height`` are CSS pixels; a PNG has ``scale`` times as many. ``font_size``: see ``light_figure``.
    Raises ``ImageUnavailable`` where no browser can render it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if (reason := image_support()) is not None:
        raise ImageUnavailable(reason)
    return _rendered(light_figure(chart, width, height, font_size).to_json(), fmt, width, height, scale)


@functools.lru_cache(maxsize=48)  # the same figure drawn again (a pack, then its slides) costs nothing
def _rendered(figure_json: str, fmt: str, width: int, height: int, scale: float) -> bytes:
    return engine.render(json.loads(figure_json), fmt, width, height, scale)
