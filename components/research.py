"""Research page building blocks: the chart-click callback that copies clicked areas into the bound `area` widget."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from policylens.selection import selected_ids

AREA_KEY = "area"


def area_click(chart_key: str) -> Callable[[], None]:
    """A chart's ``on_select``: the clicked bars' areas (custom_data[0]) become the `area` selection.

    An empty selection (a click beside the bars) leaves the selection as it is; the multiselect clears it.
    """

    def _copy() -> None:
        picked = selected_ids(st.session_state.get(chart_key))
        if picked:
            st.session_state[AREA_KEY] = picked

    return _copy
