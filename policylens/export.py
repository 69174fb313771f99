"""Chart images that carry their provenance: PNG and SVG of a chart's own figure, rendered on the server.

The picture is the chart's figure in the light theme (plotly_white on white, whatever theme the viewer's app uses),
with the chart's title and subtitle at the top and its source line at the bottom, inside the image: a picture pasted
into a document keeps saying where its numbers come from. Rendering goes through kaleido, which drives a Chromium
(Debian's /usr/bin/chromium, found on PATH or through BROWSER_PATH); where there is none, ``ImageUnavailable`` says so
in one sentence. Chinese text needs a CJK font on the rendering machine (Debian's fonts-noto-cjk).

Layout: the source line is the figure's layout title, anchored to the bottom of the image with ``automargin``, so
Plotly itself keeps tick labels and axis titles clear of it; the chart's title moves to an annotation at the top.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import functools
import json
import os
import textwrap
import threading
from pathlib import PurePath

import plotly.graph_objects as go

from policylens.views.base import Chart

FORMATS = ("png", "svg")
WIDTH, HEIGHT = 1000, 560  # CSS pixels of a downloaded image (its PNG is twice that: scale 2)
TITLE_SIZE = 18
SOURCE_SIZE = 12
SOURCE_COLOUR = "#57606a"  # 6.0:1 on white
TEXT_COLOUR = "#1f2328"
LINE = 1.3  # Plotly's line spacing, in em
PAD = 12  # pixels between the picture's text and its edges

NO_BROWSER = (
    "Chart images are unavailable here: the server has no Chromium browser to draw them "
    "(install Debian's chromium, or set BROWSER_PATH)."
)


class ImageUnavailable(RuntimeError):
    """No image can be rendered on this machine; ``sentence`` says why, in words for the page."""

    def __init__(self, sentence: str = NO_BROWSER):
        super().__init__(sentence)
        self.sentence = sentence


def image_file_name(chart: Chart, fmt: str) -> str:
    """The download's file name: the chart's CSV name with the image's extension (``ciie-exhibitors.png``)."""
    stem = PurePath(chart.csv_name).stem or chart.key
    return f"{stem}.{fmt}"


def _title_of(chart: Chart) -> tuple[str, str]:
    """The chart's title and subtitle as the figure draws them (the chart's own title when the figure has none)."""
    layout = chart.figure.layout
    title = layout.title.text or chart.title
    subtitle = (layout.title.subtitle.text if layout.title.subtitle else None) or ""
    return title, subtitle


def _wrapped(text: str, width: int, size: int) -> list[str]:
    """``text`` cut into lines that fit ``width`` pixels at ``size`` (an average glyph is about 0.55 em wide)."""
    per_line = max(20, int((width - 2 * PAD) / (size * 0.55)))
    return textwrap.wrap(text, per_line, break_on_hyphens=False) or [""]


def light_figure(chart: Chart, width: int = WIDTH, height: int = HEIGHT, font_size: int | None = None) -> go.Figure:
    """The chart's figure, ready to be rendered as a picture that carries its title, subtitle and source line.

    ``font_size`` (CSS pixels) sets the figure's base text size and scales the title with it, for a picture shown
    small (a slide); None keeps the figure's own.
    """
    fig = go.Figure(chart.figure)  # a copy: the view's figure is shared
    layout = fig.layout
    title, subtitle = _title_of(chart)
    escape = _plotly_escape
    grow = (font_size or 12) / 12

    # The title block at the top: the figure's title (with the subtitle it carries), or the chart's.
    title_size = round(TITLE_SIZE * grow)
    head = f"<b>{title if layout.title.text else escape(title)}</b>" if title else ""
    lines = 1 + head.count("<br>") if head else 0
    if subtitle:
        small = round((SOURCE_SIZE + 2) * grow)
        head += ("<br>" if head else "") + f'<span style="font-size:{small}px">{subtitle}</span>'
        lines += 1
    # Labels the figure writes just above its plot (an annotation at the plot's top edge) keep a line of room.
    above = any(a.yref == "paper" and (a.y or 0) >= 1 for a in layout.annotations)
    top = PAD + round(lines * LINE * title_size) + round(LINE * 14 * grow + 8 if above else 10)

    # The source line at the bottom, as the layout title (see the module's docstring).
    source_size = round(SOURCE_SIZE * grow)
    source_lines = _wrapped(f"Source: {chart.source}", width, source_size)
    bottom_band = PAD + len(source_lines) * LINE * source_size
    fig.update_layout(
        template="plotly_white",
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=width,
        height=height,
        font_color=layout.font.color or TEXT_COLOUR,
        font_size=font_size or layout.font.size,
        margin={"t": top, "b": 0},  # b: the source line's automargin pushes the plot up by what it needs
        title={
            "text": "<br>".join(escape(line) for line in source_lines),
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            # Bottom-anchored one pixel up: at exactly 0 Plotly pushes a multi-line title's lines down off the image.
            "y": 1 / height,
            "yref": "container",
            "yanchor": "bottom",
            "automargin": True,  # reserves the lines' height below the plot, its tick labels and axis titles
            "pad": {"l": PAD, "r": PAD, "t": 6, "b": PAD - 1},
            "font": {"size": source_size, "color": SOURCE_COLOUR},
            "subtitle": {"text": ""},
        },
    )
    # A legend placed under the plot would sit on the source line: stand it just above it instead.
    if layout.legend.y is not None and layout.legend.y < 0 and (layout.legend.yref or "paper") == "paper":
        fig.update_layout(legend={"yref": "container", "y": (bottom_band + 6) / height, "yanchor": "bottom"})
    if not head:
        return fig
    fig.add_annotation(
        text=head,
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="top",
        yshift=top - PAD,  # from the plot's top edge up to PAD below the image's top edge
        align="left",
        showarrow=False,
        font={"size": title_size, "color": TEXT_COLOUR},
        name="export-title",
    )
    return fig


def _plotly_escape(text: str) -> str:
    """Plain text for a Plotly text attribute, which reads a small subset of HTML: escape its markup characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------------- rendering

_lock = threading.Lock()  # kaleido's sync server answers one caller at a time, in order
_started = False


def browser_path() -> str | None:
    """The Chromium kaleido would drive (BROWSER_PATH, else the first chromium or chrome on PATH), or None."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return None
    path = Chromium.find_browser(skip_local=True)
    return path if path and os.access(path, os.X_OK) else None


def image_support() -> str | None:
    """None when chart images can be rendered here, else the sentence that says why not."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "Chart images are unavailable here: the kaleido package is not installed."
    return None if browser_path() else NO_BROWSER


def _render(figure: dict, fmt: str, width: int, height: int, scale: float) -> bytes:
    global _started
    import kaleido
    from kaleido.errors import BrowserClosedError, BrowserFailedError, ChromeNotFoundError

    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    with _lock:
        try:
            if not _started:
                # One browser for the life of the process: the first image takes about 2 s, the next about 0.1 s.
                # No MathJax: it would be fetched from a CDN, and no chart uses LaTeX.
                kaleido.start_sync_server(mathjax=False, silence_warnings=True)
                _started = True
            return kaleido.calc_fig_sync(figure, opts=opts)
        except (ChromeNotFoundError, BrowserFailedError, BrowserClosedError, FileNotFoundError) as err:
            stop()
            raise ImageUnavailable(f"{NO_BROWSER[:-1]}; {type(err).__name__}.") from err


def stop() -> None:
    """Stop the rendering browser (it starts again with the next image)."""
    global _started
    if _started:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


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
    return _render(json.loads(figure_json), fmt, width, height, scale)
