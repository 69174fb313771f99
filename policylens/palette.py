"""Colours that are colour-blind safe (Okabe–Ito) and read on both the light and the dark Streamlit theme."""

BASE = "#0072B2"  # blue: 5.1:1 on white, 3.2:1 on #0e1117
SELECTED = "#D55E00"  # vermillion: the selected or highlighted marks
MUTED = "#999999"  # grey: context, reads on both backgrounds
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
