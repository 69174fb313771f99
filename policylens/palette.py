"""Colours that are colour-blind safe (Okabe–Ito) and read on both the light and the dark Streamlit theme."""

from __future__ import annotations

import re

import plotly.graph_objects as go

_AXIS = re.compile(r"^(x|y)axis\d*$")

BASE = "#0072B2"  # blue: 5.1:1 on white, 3.2:1 on #0e1117
SELECTED = "#D55E00"  # vermillion: the selected or highlighted marks
MUTED = "#999999"  # grey: context marks and lines (not text: 2.9:1 on white)
# Text that names or labels rather than stands out (ticks, axis titles, "not reported"): 6.4:1 on white, so it reads
# in the light theme and in exported pictures. No single grey reads on both backgrounds (4.5:1 on white needs a
# luminance under 0.18, on Streamlit's dark #171614 over 0.21): in the app, CSS (components/shell.py) repaints text of
# exactly this colour with NEUTRAL_TEXT_DARK in the dark theme.
NEUTRAL_TEXT = "#5C5F66"
NEUTRAL_TEXT_DARK = "#A8A5A0"  # 7.4:1 on #171614
LIGHT_BACKGROUND = "#FFFFFF"  # Streamlit 1.67's light and dark theme backgrounds
DARK_BACKGROUND = "#171614"
ACCENT = "#E69F00"  # orange: a second series beside BASE
SECOND = "#009E73"  # bluish green: a third series
FOURTH = "#CC79A7"  # reddish purple: a fourth series
UNSELECTED_OPACITY = 0.35
NOT_REPORTED = "not reported"


def selection_style(*, unselected_opacity: float = UNSELECTED_OPACITY, selected_colour: str | None = None) -> dict:
    """``selected`` and ``unselected`` of a clickable trace, as keyword arguments for a Plotly trace.

    Both carry ``textfont``: plotly.js reads ``selected.textfont`` when it styles a click on marks that carry text,
    and throws without it (the click then never reaches the app; plotly 7.1 in Streamlit 1.67). The styles only
    last until the page reruns and draws its own highlight, so they match it.
    """
    selected: dict = {"opacity": 1.0}
    if selected_colour:
        selected["color"] = selected_colour
    return {
        "selected": {"marker": selected, "textfont": {}},
        "unselected": {"marker": {"opacity": unselected_opacity}, "textfont": {}},
    }


def contrast_ratio(colour: str, background: str) -> float:
    """WCAG contrast ratio of two opaque ``#rrggbb`` colours (1 to 21; text needs 4.5)."""

    def luminance(hex_colour: str) -> float:
        value = hex_colour.lstrip("#")
        channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(colour), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def neutral_text(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` with every text that has no colour of its own in ``NEUTRAL_TEXT``: the base font, each
    axis's tick labels and title, and the legend's title. A colour a builder chose (a label on a coloured tile) stays.

    Streamlit's chart theme paints ticks and axis titles #808495, 3.7:1 on white; an explicit colour in the figure
    wins over the theme.
    """
    return go.Figure(neutral_text_dict(fig.to_dict()))


def neutral_text_dict(figure: dict) -> dict:
    """``neutral_text`` on a figure's dict (``Figure.to_dict()``), changed in place and returned: what a chart card
    sends, without a copy of the figure through Plotly, which checks every property again, its template most (about
    20 ms a chart here, against 4 ms for the dict). The base font, every axis's tick labels and title (the x and y
    axes of a figure that draws none too, as Plotly's copy used to get them), and the legend's title when it has
    one."""
    layout = figure.setdefault("layout", {})
    font = layout.setdefault("font", {})
    if not font.get("color"):
        font["color"] = NEUTRAL_TEXT
    for name in ["xaxis", "yaxis", *sorted(n for n in layout if _AXIS.match(n) and n not in ("xaxis", "yaxis"))]:
        axis = layout.setdefault(name, {})
        tickfont = axis.setdefault("tickfont", {})
        if not tickfont.get("color"):
            tickfont["color"] = NEUTRAL_TEXT
        title_font = axis.setdefault("title", {}).setdefault("font", {})
        if not title_font.get("color"):
            title_font["color"] = NEUTRAL_TEXT
    legend_title = layout.get("legend", {}).get("title", {})
    if legend_title.get("text") and not legend_title.get("font", {}).get("color"):
        legend_title.setdefault("font", {})["color"] = NEUTRAL_TEXT
    return figure
