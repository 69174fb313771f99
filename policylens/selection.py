"""Reading chart selections: ids come from ``custom_data``, never from point indices.

Plotly 7 in Streamlit 1.67 delivers ``customdata`` as a list (``["6"]``) for string ids but as a dict
(``{"0": 6}``) for numeric ones (streamlit-notes.md); this reads both shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def point_id(point: Mapping[str, Any], position: int = 0) -> str | None:
    """The id at ``position`` of one selected point's custom data, as a string (None when absent)."""
    custom = point.get("customdata")
    if custom is None:
        return None
    if isinstance(custom, Mapping):
        value = custom.get(str(position), custom.get(position))
    elif isinstance(custom, (list, tuple)):
        value = custom[position] if len(custom) > position else None
    else:
        value = custom if position == 0 else None
    return None if value is None else str(value)


def selection_points(selection_state: Any) -> list[Mapping[str, Any]]:
    """The selected points of a chart's state (Streamlit's ``{"selection": {"points": [...]}}``), or []."""
    if not isinstance(selection_state, Mapping):
        return []
    selection = selection_state.get("selection") or {}
    points = selection.get("points") if isinstance(selection, Mapping) else None
    return [p for p in points or [] if isinstance(p, Mapping)]


def selected_point_ids(points: Iterable[Mapping[str, Any]], position: int = 0) -> list[str]:
    """The distinct ids of ``points``, in the order they were selected."""
    ids: list[str] = []
    for point in points:
        value = point_id(point, position)
        if value is not None and value not in ids:
            ids.append(value)
    return ids


def selected_ids(selection_state: Any, position: int = 0) -> list[str]:
    """The distinct ids of every selected point of a chart's state, in the order they were selected."""
    return selected_point_ids(selection_points(selection_state), position)


def apply_click(current: list[str], clicked: list[str]) -> list[str]:
    """The new selection after a chart click.

    A highlight changes the figure, and Streamlit then resets the chart's own selection, so a later shift-click
    arrives as a one-point selection. One clicked id therefore toggles (click adds, click again removes); a box or
    lasso selection of several marks replaces the selection; an empty selection (a deselect) leaves it unchanged.
    """
    if len(clicked) == 1:
        (only,) = clicked
        return [c for c in current if c != only] if only in current else [*current, only]
    if clicked:
        return list(clicked)
    return list(current)
