"""The chart card every chart uses: the chart (with alt text), a source line, its data as a table and as CSV, and
the chart as PNG and SVG pictures that carry its title and source line (drawn on the server, in the light theme)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from pathlib import PurePath

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from policylens import export, palette
from policylens.lru import Lru
from policylens.text import escape_markdown
from policylens.views.base import Chart

_MIME = {"png": "image/png", "svg": "image/svg+xml"}
_SCALE = {"png": 2, "svg": 1}  # a PNG at twice the CSS pixels stays sharp on a slide or a high-density screen


@st.cache_data(show_spinner=False, max_entries=64)
def _image(figure_json: str, title: str, source: str, csv_name: str, fmt: str) -> bytes:
    """The chart's picture; keyed by the figure itself (as JSON), so a changed view draws a new one."""
    chart = Chart(
        key="image",
        figure=pio.from_json(figure_json, skip_invalid=True),
        title=title,
        alt="",
        source=source,
        table=pd.DataFrame(),
        csv_name=csv_name,
    )
    return export.chart_image(chart, fmt, scale=_SCALE[fmt])


def _image_buttons(fig: go.Figure, key: str, title: str, source: str, csv_name: str) -> None:
    """Download PNG and Download SVG, built only when clicked; or one sentence saying why there are none."""
    reason = export.image_support()
    if reason is not None:
        st.caption(reason)
        return
    for fmt in export.FORMATS:
        st.download_button(
            f"Download {fmt.upper()}",
            data=lambda fmt=fmt: _image(fig.to_json(), title, source, csv_name, fmt),
            file_name=f"{PurePath(csv_name).stem or key}.{fmt}",
            mime=_MIME[fmt],
            key=f"{key}-{fmt}",
            icon=":material/image:",
            on_click="ignore",
            help="The chart as a picture, with its title and source line, in the light theme.",
        )


# What a chart card draws from a figure (its coloured copy; on a slide, its copy for each screen), made once per figure
# object: a kept view (components.view.built) hands every session the same figures, and copying one through Plotly's
# validators costs 9 to 14 ms, on every run of every chart (about 40 ms of a Research rerun). An entry goes with its
# figure, and at most DERIVED_KEPT are kept (the one used longest ago goes first), so a figure that some session still
# holds cannot keep its copies without bound. Figures are never changed once built.
DERIVED_KEPT = 256
_derived = Lru(DERIVED_KEPT)  # (figure id, what) -> (a weak reference to the figure, what was made of it)
_DERIVE_LOCKS = tuple(threading.Lock() for _ in range(16))


def derived(fig: go.Figure, what: Hashable, make: Callable[[go.Figure], go.Figure]) -> go.Figure:
    """``make(fig)``, made once per figure and ``what``."""
    key = (id(fig), what)
    # Sessions drawing the same new view wait for one copy. ``make`` must not call ``derived`` (locks never nest).
    with _DERIVE_LOCKS[hash(key) % len(_DERIVE_LOCKS)]:
        hit = _derived.get(key)
        if hit is not None and hit[0]() is fig:
            return hit[1]
        value = make(fig)
        _derived.remember(key, (weakref.ref(fig, lambda _: _derived.forget(key)), value))
        return value


class _Sent(go.Figure):
    """What ``st.plotly_chart`` is handed: a figure whose ``to_dict`` is a dict made once. Streamlit reads only that
    (a figure's own ``to_dict`` is a deep copy and a walk, 1 to 2 ms a chart, the larger part of drawing one), and every
    session drawing the same kept view asks for the same dict. The object itself is an empty figure: making a copy of
    the drawn figure through Plotly would check every property again (about 20 ms a chart, its template most), and
    nothing reads it. Nothing changes the dict afterwards (Streamlit writes it as JSON)."""

    def __init__(self, figure: dict):
        super().__init__()
        self._sent = figure
        for trace in figure.get("data", []):
            trace.pop("uid", None)  # what plotly.io.to_json would remove, so it never changes the shared dict

    def to_dict(self) -> dict:
        return self._sent


def sent(fig: go.Figure) -> go.Figure:
    """``fig`` as ``st.plotly_chart`` is handed it: its dict, made once per figure."""
    return derived(fig, "sent", lambda fig: _Sent(fig.to_dict()))


def coloured(fig: go.Figure) -> go.Figure:
    """``palette.neutral_text(fig)``: text without a colour of its own in the colour the app's CSS fits to the theme."""
    return derived(fig, "coloured", palette.neutral_text)


def sent_coloured(fig: go.Figure) -> go.Figure:
    """``sent(coloured(fig))`` made from the figure's dict (``palette.neutral_text_dict``), once per figure: what a
    chart card draws."""
    return derived(fig, "sent-coloured", lambda fig: _Sent(palette.neutral_text_dict(fig.to_dict())))


def chart_config(key: str, csv_name: str) -> dict:
    """Plotly's options for a chart of the app."""
    return {
        "displaylogo": False,
        # The camera button's picture gets the chart's name, not plot-image.png.
        "toImageButtonOptions": {"filename": PurePath(csv_name).stem or key, "format": "png", "scale": 2},
    }


def chart_card(
    fig: go.Figure,
    *,
    key: str,
    alt: str,
    source: str,
    table: pd.DataFrame,
    csv_name: str,
    on_select: Callable[[], None] | None = None,
    selection_mode: str | tuple[str, ...] = "points",
    caption: str | None = None,
    title: str = "",
) -> None:
    """Draw ``fig`` with its provenance.

    ``source`` is the source line (dataset, source, confidence), plain text. ``table`` is exactly the data drawn,
    offered as a table and as a CSV download, beside the chart as PNG and SVG. ``title`` names the chart in those
    pictures when the figure draws no title of its own. ``on_select`` makes marks clickable; the callback must copy
    the selection into a keyed, link-bound widget (the chart's own selection resets whenever the figure changes).
    Text without a colour of its own is drawn in ``palette.NEUTRAL_TEXT``, which the app's CSS fits to the theme.
    """
    with st.container(key=f"card-{key}"):
        kwargs = {"on_select": on_select, "selection_mode": selection_mode} if on_select else {}
        st.plotly_chart(sent_coloured(fig), key=key, alt=alt, config=chart_config(key, csv_name), **kwargs)
        if caption:
            st.caption(escape_markdown(caption))
        st.caption(f"Source: {escape_markdown(source)}")
        # Drawn only when opened: a closed card sends no table (no Arrow conversion, no CSV) and the browser loads
        # no table code for it; opening it reruns the page once to draw the table and its downloads.
        data_box = st.expander("Data behind this chart", icon=":material/table:", key=f"{key}-data", on_change="rerun")
        if not data_box.open:
            return
        with data_box:
            st.dataframe(table, hide_index=True, key=f"{key}-table")
            with st.container(horizontal=True, key=f"{key}-downloads"):
                st.download_button(
                    "Download CSV",
                    data=table.to_csv(index=False).encode("utf-8"),
                    file_name=csv_name,
                    mime="text/csv",
                    key=f"{key}-csv",
                    icon=":material/download:",
                )
                _image_buttons(fig, key, title, source, csv_name)
