"""The first paint's chart pictures: each chart of a view as SVG, for the light and the dark theme and for a wide and
a narrow column, drawn in the background and kept per view and data version.

A page link's HTML never waits on a picture (``Pictures.get`` answers at once): a view whose pictures are not ready
is sent with its text and each chart's words, and asks for its pictures (``Pictures.request``), which one worker
thread draws through the process's one browser; the next load of that link carries them. The warm-up draws every
page's default view (``Pictures.draw`` at start-up). A host without a browser keeps the text-only first paint.

The HTML does not carry the pictures' bytes: each picture is kept under its content's digest (``Pictures.svg``) and
served at its own address (``picture_name``; server/firstpaint.py), cached by the browser for good, and a chart's
``<picture>`` element lets the browser fetch only the one that fits its screen and theme. Drawn pictures are also kept
on disk (``policylens.render.shelf``, set by the server), so the host's other replicas and a restart find them.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from policylens.lru import Lru
from policylens.render import engine
from policylens.render.figures import NARROW_WIDTH, PRESENT_WIDTH, SCREEN_WIDTH, screen_figure, screen_svg
from policylens.render.shelf import Shelf
from policylens.views.base import Chart, View

log = logging.getLogger("policylens.render")

KEPT = 128  # views whose pictures are kept (about 30 to 150 kB of SVG each)
WAITING = 64  # views waiting to be drawn; past that a request is dropped (the next load asks again)
PICTURE_PREFIX = "_pl/picture/"  # a picture's address, relative to the page: ./_pl/picture/<variant>-<digest>.svg


@dataclass(frozen=True)
class Variant:
    """One picture of a chart: the column it is drawn for and the theme."""

    name: str  # "wide", "wide-dark", "narrow", "narrow-dark"
    narrow: bool
    dark: bool

    def width(self, present: bool) -> int:
        return NARROW_WIDTH if self.narrow else PRESENT_WIDTH if present else SCREEN_WIDTH


VARIANTS = tuple(
    Variant(("narrow" if narrow else "wide") + ("-dark" if dark else ""), narrow, dark)
    for narrow in (False, True)
    for dark in (False, True)
)

ChartPictures = Mapping[str, bytes]  # variant name -> SVG
ViewPictures = Mapping[str, ChartPictures]  # chart key -> its pictures (empty: no browser here)


def digest(svg: bytes) -> str:
    return hashlib.sha256(svg).hexdigest()[:20]


def picture_name(variant: str, svg: bytes) -> str:
    """The file name a picture is served under: its variant and the digest of its bytes (so a new drawing is a new
    address, and an address can be cached for good)."""
    return f"{variant}-{digest(svg)}.svg"


def draw_chart(chart: Chart, present: bool) -> dict[str, bytes]:
    """Every variant of one chart's picture; raises ``ImageUnavailable`` without a browser."""
    pictures = {}
    for variant in VARIANTS:
        figure = screen_figure(chart, variant.width(present), variant.dark)
        svg = engine.render(figure, "svg", figure.layout.width, figure.layout.height)
        pictures[variant.name] = screen_svg(svg, variant.dark)
    return pictures


class Pictures:
    """The kept pictures, and the worker that draws the ones asked for."""

    def __init__(self, kept: int = KEPT, waiting: int = WAITING):
        self.kept = Lru(kept)
        self.shelf: Shelf | None = None  # on disk, shared by the host's replicas (the server sets it: ``keep_on``)
        self.files = Lru(kept * 16)  # picture_name -> SVG, for the pictures' own addresses (four per chart)
        self.queue: queue.Queue = queue.Queue(waiting)
        self.pending: set[Hashable] = set()
        self.lock = threading.Lock()
        self.worker: threading.Thread | None = None

    def keep_on(self, shelf: Shelf | None) -> None:
        """Keep drawn pictures on ``shelf`` too, and look there before drawing (None: in memory only)."""
        self.shelf = shelf

    def _from_shelf(self, key: Hashable) -> ViewPictures | None:
        drawn = self.shelf.load(key) if self.shelf is not None else None
        return None if drawn is None else self.kept.remember(key, drawn)

    def get(self, key: Hashable) -> ViewPictures | None:
        """The view's pictures, or None when they are not drawn yet. Their addresses are kept as long as the view
        is: a page sent now can fetch them."""
        drawn = self.kept.get(key)
        if drawn is None and key not in self.pending:
            drawn = self._from_shelf(key)
        for charts in (drawn or {}).values():
            for variant, svg in charts.items():
                self.files.remember(picture_name(variant, svg), svg)
        return drawn

    def draw(self, key: Hashable, view: View, present: bool) -> ViewPictures:
        """Draw and keep the pictures of every chart of ``view`` now (the warm-up, the worker), unless the shelf has
        them."""
        shelved = self._from_shelf(key)
        if shelved is not None:
            self.get(key)  # their addresses
            return shelved
        pictures: dict[str, dict[str, bytes]] = {}
        try:
            for chart in view.charts:
                pictures[chart.key] = draw_chart(chart, present)
        except engine.ImageUnavailable as err:
            log.info("first-paint pictures unavailable: %s", err.sentence)
            pictures = {}
        index: dict[str, dict[str, str]] = {}
        files: dict[str, bytes] = {}
        for chart, drawn in pictures.items():
            for variant, svg in drawn.items():
                name = picture_name(variant, svg)
                self.files.remember(name, svg)
                files[name] = svg
                index.setdefault(chart, {})[variant] = name
        if pictures and self.shelf is not None:
            self.shelf.save(key, index, files)
        return self.kept.remember(key, pictures)

    def svg(self, name: str) -> bytes | None:
        """The picture served as ``name`` (``picture_name``), or None when it is not kept, here or on the shelf
        (where another replica of the host may have drawn it)."""
        svg = self.files.get(name)
        if svg is None and self.shelf is not None:
            svg = self.shelf.file(name)
        return svg

    def request(self, key: Hashable, view: View, present: bool) -> None:
        """Ask for the view's pictures in the background (once while they are being drawn)."""
        if not view.charts or key in self.kept:
            return
        with self.lock:
            if key in self.pending:
                return
            try:
                self.queue.put_nowait((key, view, present))
            except queue.Full:
                return
            self.pending.add(key)
            if self.worker is None or not self.worker.is_alive():
                self.worker = threading.Thread(target=self._work, name="policylens-pictures", daemon=True)
                self.worker.start()

    def _work(self) -> None:
        while True:
            try:
                key, view, present = self.queue.get(timeout=30)
            except queue.Empty:
                with self.lock:
                    if self.queue.empty():
                        self.worker = None
                        return
                continue
            try:
                self.draw(key, view, present)
            except Exception:  # a picture must never take the worker down
                log.exception("drawing the first-paint pictures failed")
            finally:
                with self.lock:
                    self.pending.discard(key)

    def wait(self, timeout: float = 60) -> bool:
        """Until nothing is waiting to be drawn (tests and the benchmarks); False when time ran out."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if not self.pending:
                    return True
            time.sleep(0.05)
        return False


pictures = Pictures()
