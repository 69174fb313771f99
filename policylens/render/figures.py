"""A chart's figure dressed for each kind of picture drawn outside the app. Pure: no Streamlit.

- ``light_figure``: a downloaded picture and a slide's (the chart's title and subtitle at the top, its source line
  at the bottom, inside the picture, in the light theme whatever the viewer's theme);
- ``preview_figure``: a link preview's 1200x630 picture (title and source line above, the site's name in a corner);
- ``screen_figure``: the first paint's picture, the chart as the page draws it, in the light or the dark theme and
  at the width of the page's column.

Layout of ``light_figure``: the source line is the figure's layout title, anchored to the bottom of the image with
``automargin``, so Plotly itself keeps tick labels and axis titles clear of it; the chart's title moves to an
annotation at the top.
"""

from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go

from policylens import palette
from policylens.views.base import Chart

# ---------------------------------------------------------------------------------------------------- downloads

WIDTH, HEIGHT = 1000, 560  # CSS pixels of a downloaded image (its PNG is twice that: scale 2)
TITLE_SIZE = 18
SOURCE_SIZE = 12
SOURCE_COLOUR = "#57606a"  # 6.0:1 on white
TEXT_COLOUR = "#1f2328"
LINE = 1.3  # Plotly's line spacing, in em
PAD = 12  # pixels between the picture's text and its edges


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
    escape = plotly_escape
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


def plotly_escape(text: str) -> str:
    """Plain text for a Plotly text attribute, which reads a small subset of HTML: escape its markup characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------------- link previews

SITE = "Policy Lens"
IMAGE_WIDTH, IMAGE_HEIGHT = 1200, 630
MAX_SOURCE = 230  # characters of a chart's source line in the picture (two lines)


def cut(text: str, limit: int) -> str:
    """``text`` with its spaces folded, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plotly_text(text: str) -> str:
    """Data text for a Plotly title or annotation, its spaces folded."""
    return plotly_escape(" ".join(str(text).split()))


# The picture's frame, in pixels: the title and source line above the plot (fixed), the axes below (they grow with
# their tick labels, which only the drawing browser can measure), the legend at the foot.
_TOP, _BOTTOM, _SIDE = 132, 40, 40


def preview_figure(chart: Chart) -> go.Figure:
    """The chart as a 1200x630 picture: its title and source line above, the site's name in a corner."""
    fig = go.Figure(chart.figure)
    source_lines = textwrap.wrap(cut(chart.source, MAX_SOURCE), 140)[:2]
    fig.update_layout(
        width=IMAGE_WIDTH,
        height=IMAGE_HEIGHT,
        autosize=False,
        title={
            "text": f"<b>{_plotly_text(cut(chart.title, 80))}</b>",
            "subtitle": {
                "text": "<br>".join(_plotly_text(line) for line in source_lines),
                "font": {"size": 14, "color": "#555"},
            },
            "xref": "container",
            "x": 20 / IMAGE_WIDTH,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - 18 / IMAGE_HEIGHT,
            "yanchor": "top",
            "font": {"size": 28},
        },
        legend={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0.01, "yanchor": "bottom"},
        margin={"t": _TOP, "b": _BOTTOM, "l": _SIDE, "r": _SIDE, "autoexpand": True},
        font={"size": 16},
        # The app's charts take Streamlit's theme; a picture outside the app reads best on the white template
        # (as in the meeting pack), whichever process draws it.
        template="plotly_white",
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    fig.add_annotation(
        text=f"<b>{SITE}</b>",
        xref="paper",
        yref="paper",
        x=1,
        y=1,
        xanchor="right",
        yanchor="bottom",
        yshift=_TOP - 44,  # pixels above the plot's top edge, which the fixed top margin keeps in place
        showarrow=False,
        font={"size": 18, "color": "#1f4e79"},
    )
    return fig


# ---------------------------------------------------------------------------------------------------- first paint

SCREEN_WIDTH = 900  # CSS pixels of the page's column at 1366 px with the sidebar open
PRESENT_WIDTH = 1240  # the column in presentation mode (no sidebar)
NARROW_WIDTH = 360  # the column on a 390 px phone
SCREEN_HEIGHT = 450  # Plotly's height for a figure that sets none
_TEXT = {False: "#31333F", True: "#FAFAFA"}  # Streamlit's text colour in the light and the dark theme
_FONT = "Source Sans, Source Sans Pro, -apple-system, Segoe UI, Roboto, sans-serif"
_NEUTRAL_FILL = re.compile(r"fill: ?rgb\(92, ?95, ?102\)")  # palette.NEUTRAL_TEXT as Plotly writes it in SVG


def screen_figure(chart: Chart, width: int, dark: bool = False) -> go.Figure:
    """The chart as the page draws it, for a picture of ``width`` CSS pixels: the figure with the app's neutral text
    colour, on a transparent background (the page's shows through), with the theme's grid and text colours."""
    fig = palette.neutral_text(chart.figure)  # a copy, coloured as the chart card colours it
    fig.update_layout(
        template="plotly_dark" if dark else "plotly_white",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        width=width,
        height=fig.layout.height or SCREEN_HEIGHT,
        autosize=False,
        font_family=_FONT,
    )
    # Streamlit's chart theme, applied by its frontend: a bold title at the top left in the text colour, and a
    # smaller top margin than Plotly's own.
    title = fig.layout.title
    if title.text:
        fig.update_layout(
            title={
                "x": 0,
                "xref": "container",
                "xanchor": "left",
                "y": 1,
                "yref": "container",
                "yanchor": "top",
                "pad": {"t": 12, "l": 4},
                "font": {"size": title.font.size or 16, "weight": 700, "color": title.font.color or _TEXT[dark]},
            }
        )
    if fig.layout.margin.t is None:
        fig.update_layout(margin_t=60 if title.text else 30)
    return fig


def screen_svg(svg: bytes, dark: bool) -> bytes:
    """A screen picture's SVG with the neutral text repainted for the dark theme, as the app's CSS repaints it."""
    if not dark:
        return svg
    value = palette.NEUTRAL_TEXT_DARK.lstrip("#")
    rgb = ", ".join(str(int(value[i : i + 2], 16)) for i in (0, 2, 4))
    return _NEUTRAL_FILL.sub(f"fill: rgb({rgb})", svg.decode("utf-8")).encode("utf-8")
