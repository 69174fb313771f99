"""Charts on a presentation screen: every text of a figure large enough to read from the back of the room.

``scale_for_screen(fig, width, height)`` returns a copy of a view's figure whose title, tick labels, value labels,
legend, annotations and treemap labels are sized for a screen of that many CSS pixels, and whose height is left to
the screen (the Story draws it in a box that fills what the slide leaves free). Pure: no Streamlit.

The server does not know the size of the viewer's screen (Streamlit sends it none), so the Story draws a slide's
chart once per screen of ``SCREENS`` and the browser shows the one that fits (a CSS media query at ``LARGE_FROM``):
text scales with the screen, 30 px titles and 20 px labels on a 1920x1080 screen, 22 and 18 px on 1280x720.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import plotly.graph_objects as go

# The screens a slide's chart is drawn for (CSS pixels), and the smallest viewport that shows the large one.
SCREENS: dict[str, tuple[int, int]] = {"large": (1920, 1080), "small": (1280, 720)}
LARGE_FROM = (1600, 900)
SCREEN = SCREENS["large"]
# The Story on screen draws slide n and its neighbours in slots (components/story.py ``slides_in_slots``); the browser
# moves between them at a key press (server/slidekeys.py). The slot containers' keys start with ``SLOT``; the element
# naming the slide a slot holds has the class ``HELD``.
SLOT = "slide-slot-"
HELD = "pl-held"
SHOWN_ATTRIBUTE = "data-pl-shown"  # on <html> while the browser shows a slot the last run did not (its number)
# The Story's buttons that move one slide, written once for the page (components/story.py: each button's key and
# Streamlit shortcut) and the browser (server/slidekeys.py: the same key as a KeyboardEvent's ``key``):
# button key -> (Streamlit's shortcut, the browser's key, slides moved).
STEP_KEYS: dict[str, tuple[str, str, int]] = {
    "next": ("Right", "ArrowRight", 1),
    "prev": ("Left", "ArrowLeft", -1),
    "next-pagedown": ("PageDown", "PageDown", 1),
    "next-space": ("Space", " ", 1),
    "prev-pageup": ("PageUp", "PageUp", -1),
}


def slot_rules(shown: int) -> str:
    """CSS that shows slot ``shown`` and hides the other two: out of the flow at the column's width (the slide's
    container clips them), and every descendant hidden (Streamlit sets ``visibility: visible`` on some of its
    elements), so no pointer, focus or screen reader meets them. Each rule applies only while ``<html>`` has no
    ``SHOWN_ATTRIBUTE``; server/slidekeys.py writes the same rules for each value of that attribute. No ``:has()``:
    with it, every change of the page cost the browser 200 to 400 ms of style recalculation."""
    return slot_rules_for(f"html:not([{SHOWN_ATTRIBUTE}])", shown)


def slot_rules_for(scope: str, shown: int) -> str:
    rules = []
    for slot in range(3):
        if slot != shown:
            box = f"{scope} .st-key-{SLOT}{slot}"
            rules.append(f"{box} {{ position: absolute !important; top: 0; left: 0; right: 0; pointer-events: none; }}")
            rules.append(f"{box}, {box} * {{ visibility: hidden !important; }}")
    return "\n".join(rules)


# The slide's container: the shown slot is its only child in the flow (no gap for the others), and the hidden ones
# are clipped to it; the marker that ends each slot (``HELD``) takes no room.
SLOTS_STYLE = (
    ".st-key-slide-view { position: relative; overflow: clip; gap: 0 !important; }\n"
    f'[class*="st-key-{SLOT}"] > [data-testid="stElementContainer"]:last-child {{ display: none; }}'
)


BASE_TEXT = 12  # the size the figure builders write labels at (Streamlit's chart text is 12 px too)
_AXIS = re.compile(r"^(x|y)axis\d*$")
_INLINE_SIZE = re.compile(r"font-size:\s*\d+(?:\.\d+)?px")
_TEXT_FONTS = ("textfont", "insidetextfont", "outsidetextfont")


@dataclass(frozen=True)
class FontSizes:
    """Pixel sizes of a figure's text on one screen."""

    title: int  # the chart's title
    text: int  # tick labels, value labels, legend, annotations, treemap labels, axis titles
    small: int  # a subtitle line inside the title

    @property
    def grow(self) -> float:
        """How much larger than the builders' own labels."""
        return self.text / BASE_TEXT


# The smallest chart text a room reads on a projector (issue 22: 13 px at 1280x720 was too small).
MIN_TEXT = 18


def font_sizes(width: int, height: int) -> FontSizes:
    """Font sizes for a screen of ``width`` x ``height`` CSS pixels: 30, 20 and 18 px at 1920x1080, in proportion
    to the screen's smaller side elsewhere but never below ``MIN_TEXT`` (a 1280x720 screen gets 22, 18 and 18 px)."""
    share = max(min(width / 1920, height / 1080), 0.0)
    return FontSizes(
        title=max(round(30 * share), MIN_TEXT + 4),
        text=max(round(20 * share), MIN_TEXT),
        small=max(round(18 * share), MIN_TEXT),
    )


def _resize_inline(text: str | None, size: int) -> str | None:
    """Plotly text with ``<span style="font-size:13px">`` parts: those parts at ``size`` (never smaller)."""
    if not text:
        return text
    return _INLINE_SIZE.sub(f"font-size:{size}px", text)


def scale_for_screen(fig: go.Figure, width: int = SCREEN[0], height: int = SCREEN[1]) -> go.Figure:
    """A copy of ``fig`` with every text sized for a screen of ``width`` x ``height`` CSS pixels, its margins grown
    with its text, and no fixed height or width (the screen decides). The view's own figure is not changed."""
    sizes = font_sizes(width, height)
    fig = go.Figure(fig)
    layout = fig.layout
    layout.font.size = sizes.text
    layout.hoverlabel.font.size = sizes.text

    if layout.title.text:
        lines = 1 + layout.title.text.count("<br>")
        layout.title.text = _resize_inline(layout.title.text, sizes.small)
        layout.title.font.size = sizes.title
    else:
        lines = 0
    if layout.title.subtitle and layout.title.subtitle.text:
        layout.title.subtitle.font.size = sizes.small
        lines += 1

    for name in [n for n in layout if _AXIS.match(n)]:
        axis = layout[name]
        if axis is None:
            continue
        axis.tickfont.size = sizes.text
        axis.title.font.size = sizes.text
        axis.automargin = True  # larger tick labels need the room Plotly measures for them
    layout.legend.font.size = sizes.text
    if layout.legend.title.text:
        layout.legend.title.font.size = sizes.text

    for annotation in layout.annotations:
        annotation.font.size = max(round((annotation.font.size or BASE_TEXT) * sizes.grow), sizes.text)
        annotation.text = _resize_inline(annotation.text, sizes.text)

    for trace in fig.data:
        for attribute in _TEXT_FONTS:
            if attribute in trace:
                trace[attribute].size = sizes.text  # one size for every label (an array would keep small ones)
        if trace.type in ("treemap", "sunburst", "icicle"):
            # A tile's label that does not fit its tile at the slide's size is hidden rather than shrunk
            # below it; hovering the tile still names it.
            layout.uniformtext = {"minsize": sizes.text, "mode": "hide"}

    # The margins the builder chose, grown with the text; the title's lines need their own room above the plot.
    margin = layout.margin
    for side in ("l", "r", "b"):
        if margin[side] is not None:
            margin[side] = round(margin[side] * sizes.grow)
    if lines:
        needed = round(lines * 1.3 * sizes.title) + 24
        margin.t = max(round((margin.t or 0) * sizes.grow), needed)
    elif margin.t is not None:
        margin.t = round(margin.t * sizes.grow)
    layout.height = None
    layout.width = None
    layout.autosize = True
    return fig
