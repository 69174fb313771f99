"""A client that speaks Streamlit's websocket protocol (the BackMsg and ForwardMsg protobufs of ``streamlit.proto``),
for the benchmarks: many sessions at once without a browser each, and a count of what a run sends.

A session opens ``ws://127.0.0.1:PORT/_stcore/stream`` (subprotocol ``streamlit``) and sends a ``rerun_script``
BackMsg naming the page and the query string, as the frontend does on a first visit; a chart click is the same
rerun with the chart's selection as a widget state (the JSON the frontend sends, checked against a real click in
Chromium). A run is over at the ``script_finished`` ForwardMsg (a run interrupted for a rerun is not the end). The
browser's drawing is not included: that is the browser benchmarks' part.

Only for servers on 127.0.0.1 (``Session`` refuses anything else).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RUN_TIMEOUT = 60.0  # seconds: a run unanswered by then counts as an error


class RunError(RuntimeError):
    pass


@dataclass
class Run:
    """What one script run sent to the browser."""

    seconds: float = 0.0
    messages: int = 0
    bytes: int = 0
    elements: int = 0  # new_element deltas
    blocks: int = 0  # add_block deltas (containers, columns, expanders, tabs)
    kinds: Counter = field(default_factory=Counter)  # element type -> count
    chart_bytes: int = 0  # bytes of Plotly figure specs
    charts: dict[str, dict] = field(default_factory=dict)  # chart key -> {"id": element id, "spec": parsed figure}
    status: str = ""


def _chart_key(element_id: str) -> str:
    """The user key of a keyed element's id (``$$ID-<hash>-<key>``), or the id itself."""
    parts = element_id.split("-", 2)
    return parts[2] if element_id.startswith("$$ID-") and len(parts) == 3 else element_id


class Session:
    def __init__(self, base_url: str):
        host = urlsplit(base_url).hostname
        if host != "127.0.0.1":
            raise ValueError(f"benchmarks only talk to 127.0.0.1, not {host}")
        self.url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.ws = None
        self.page_name = ""
        self.page_hash = ""
        self.query = ""
        self.last: Run | None = None

    async def connect(self, headers: dict[str, str] | None = None) -> Session:
        """Open the websocket; ``headers`` go with the handshake (a proxy's route cookie)."""
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, additional_headers=headers, open_timeout=30
        )
        return self

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    def _rerun(self, widgets: list[WidgetState] | None = None) -> bytes:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_name = self.page_name
        state.page_script_hash = self.page_hash
        if widgets:
            state.widget_states.widgets.extend(widgets)
        return message.SerializeToString()

    async def _until_finished(self, started: float) -> Run:
        run = Run()
        while True:
            raw = await self.ws.recv()
            run.messages += 1
            run.bytes += len(raw)
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if kind == "navigation" and message.navigation.page_script_hash:
                self.page_hash = message.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = message.page_info_changed.query_string
            elif kind == "delta":
                delta = message.delta.WhichOneof("type")
                if delta == "new_element":
                    element = message.delta.new_element
                    etype = element.WhichOneof("type")
                    run.elements += 1
                    run.kinds[etype] += 1
                    if etype == "exception":
                        raise RunError(f"the app raised: {element.exception.message}")
                    if etype == "plotly_chart":
                        chart = element.plotly_chart
                        run.chart_bytes += len(chart.spec)
                        run.charts[_chart_key(chart.id)] = {"id": chart.id, "spec": chart.spec}
                elif delta == "add_block":
                    run.blocks += 1
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":
                    continue  # the script asked for a rerun: the update is not finished yet
                run.status = status
                run.seconds = time.perf_counter() - started
                if status == "FINISHED_WITH_COMPILE_ERROR":
                    raise RunError("the script failed to compile")
                self.last = run
                return run

    async def open(self, path: str, query: str = "") -> Run:
        """A first visit: the page at ``path`` ("/expo") with ``query`` ("edition=6")."""
        self.page_name, self.page_hash, self.query = path.strip("/"), "", query
        started = time.perf_counter()
        await self.ws.send(self._rerun())
        return await asyncio.wait_for(self._until_finished(started), RUN_TIMEOUT)

    async def select(self, chart_key: str, point: dict) -> Run:
        """A click on one mark of the chart ``chart_key`` (drawn by the last run)."""
        chart = self.last.charts.get(chart_key) if self.last else None
        if chart is None:
            raise RunError(f"the page drew no chart {chart_key!r}")
        index = point.get("point_index", point.get("point_number", 0))
        selection = {"selection": {"points": [point], "point_indices": [index], "box": [], "lasso": []}}
        state = WidgetState(id=chart["id"], string_value=json.dumps(selection))
        started = time.perf_counter()
        await self.ws.send(self._rerun([state]))
        return await asyncio.wait_for(self._until_finished(started), RUN_TIMEOUT)


def bar_point(spec: str, custom_id: str, position: int = 0) -> dict:
    """The point the frontend reports for a click on the bar whose custom data holds ``custom_id``."""
    figure = json.loads(spec)
    for curve, trace in enumerate(figure.get("data", [])):
        for index, custom in enumerate(trace.get("customdata") or []):
            if isinstance(custom, list) and len(custom) > position and str(custom[position]) == custom_id:
                return {"curve_number": curve, "point_number": index, "point_index": index, "customdata": custom}
    raise RunError(f"no mark with custom data {custom_id!r}")


def node_point(spec: str, node_id: str) -> dict:
    """The point the frontend reports for a click on a treemap node: its id, no custom data."""
    figure = json.loads(spec)
    ids = list(figure["data"][0].get("ids") or [])
    if node_id not in ids:
        raise RunError(f"no node {node_id!r}")
    index = ids.index(node_id)
    return {"id": node_id, "point_number": index, "curve_number": 0}


def index_point(index: int) -> dict:
    """A click on the ``index``-th bar of the first trace (the bare page's chart)."""
    return {"curve_number": 0, "point_number": index, "point_index": index}
