"""Colours that are colour-blind safe (Okabe–Ito) and read on both the light and the dark Streamlit theme."""

BASE = "#0072B2"  # blue: 5.1:1 on white, 3.2:1 on #0e1117
SELECTED = "#D55E00"  # vermillion: the selected or highlighted marks
MUTED = "#999999"  # grey: context, reads on both backgrounds
ACCENT = "#E69F00"  # orange: a second series beside BASE
SECOND = "#009E73"  # bluish green: a third series
FOURTH = "#CC79A7"  # reddish purple: a fourth series
UNSELECTED_OPACITY = 0.35
NOT_REPORTED = "not reported"
