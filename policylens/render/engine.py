"""The one headless Chromium that draws pictures of figures (kaleido), shared by every caller in the process.

The chart downloads, the slides, the link previews and the first paint's pictures all ask ``render``. One browser
with ``TABS`` tabs serves them all, on a thread of its own with its own event loop, so a Streamlit script run, a
server worker thread and the server's event loop (through ``asyncio.to_thread``) can all call it. It starts at the
first picture (about 2 s), closes after ``IDLE_SECONDS`` without one (its memory is the process's to use for
sessions), and restarts after a crash. ``MAX_FAILURES`` failed starts or pictures in a row and the process stops
trying: every caller then gets ``ImageUnavailable`` at once, and says so in one sentence or draws without a picture.

Debian's /usr/bin/chromium is found on PATH or through BROWSER_PATH. No MathJax: it would be fetched from a CDN, and
no chart uses LaTeX.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from typing import Any

log = logging.getLogger("policylens.render")

TABS = 2  # pictures drawn at once
TIMEOUT = 30  # seconds for one picture (the first also starts chromium: about 2 to 8 s)
IDLE_SECONDS = 600
MAX_FAILURES = 3

NO_BROWSER = (
    "Chart images are unavailable here: the server has no Chromium browser to draw them "
    "(install Debian's chromium, or set BROWSER_PATH)."
)


class ImageUnavailable(RuntimeError):
    """No image can be rendered on this machine; ``sentence`` says why, in words for the page."""

    def __init__(self, sentence: str = NO_BROWSER):
        super().__init__(sentence)
        self.sentence = sentence


def browser_path() -> str | None:
    """The Chromium kaleido would drive (BROWSER_PATH, else the first chromium or chrome on PATH), or None."""
    try:
        from choreographer.browsers.chromium import Chromium  # kaleido's: absent where kaleido is not installed
    except ImportError:
        return None
    path = Chromium.find_browser(skip_local=True)
    return path if path and os.access(path, os.X_OK) else None


def image_support() -> str | None:
    """None when pictures can be rendered here, else the sentence that says why not."""
    try:
        import kaleido  # noqa: F401  (optional: a host without it draws no pictures, and says so)
    except ImportError:
        return "Chart images are unavailable here: the kaleido package is not installed."
    return None if browser_path() else NO_BROWSER


class Engine:
    """kaleido's browser on a thread of its own (see the module's docstring)."""

    def __init__(self, tabs: int = TABS, timeout: float = TIMEOUT, idle_seconds: float = IDLE_SECONDS):
        self.tabs = tabs
        self.timeout = timeout
        self.idle_seconds = idle_seconds
        self.failures = 0
        self.last_used = 0.0
        self.pictures = 0  # drawn since the process started (the benchmarks and tests read it)
        self._lock = threading.Lock()  # guards starting and closing
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    @property
    def failed(self) -> bool:
        return self.failures >= MAX_FAILURES

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def _start(self):
        """The open browser and its loop, started when needed; raises ``ImageUnavailable``."""
        with self._lock:
            if self._kaleido is not None:
                return self._kaleido, self._loop
            if self.failed:
                raise ImageUnavailable(f"{NO_BROWSER[:-1]}; it failed {self.failures} times in a row.")
            import kaleido  # on the first picture: its browser tooling is not needed before

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="policylens-chromium", daemon=True)
            thread.start()

            async def open_browser():
                instance = kaleido.Kaleido(n=self.tabs, mathjax=False, timeout=self.timeout)
                await instance.open()
                return instance

            try:
                instance = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(self.timeout)
            except Exception as err:  # no chromium on this host, or it cannot start
                self.failures += 1
                loop.call_soon_threadsafe(loop.stop)
                thread.join(5)
                log.warning("chromium cannot start (%s)", err)
                raise ImageUnavailable(f"{NO_BROWSER[:-1]}; {type(err).__name__}.") from err
            self._kaleido, self._loop, self._thread = instance, loop, thread
            asyncio.run_coroutine_threadsafe(self._close_when_idle(instance), loop)
            return instance, loop

    def render(self, figure: Any, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        """The figure (a ``go.Figure`` or its dict) as PNG or SVG bytes; raises ``ImageUnavailable``."""
        if (reason := image_support()) is not None:
            raise ImageUnavailable(reason)
        instance, loop = self._start()
        self.last_used = time.monotonic()
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(instance.calc_fig(figure, opts=opts), loop)
        try:
            picture = future.result(self.timeout)
        except Exception as err:
            future.cancel()
            self.failures += 1
            log.warning("drawing a picture failed (%s); chromium restarts at the next picture", err)
            self.close()
            raise ImageUnavailable(f"{NO_BROWSER[:-1]}; {type(err).__name__}.") from err
        self.failures = 0
        self.pictures += 1
        self.last_used = time.monotonic()
        return picture

    async def _close_when_idle(self, instance) -> None:
        while self._kaleido is instance:
            await asyncio.sleep(min(60, self.idle_seconds))
            if time.monotonic() - self.last_used > self.idle_seconds:
                threading.Thread(target=self.close, daemon=True).start()  # close joins this loop's thread
                return

    def close(self) -> None:
        """Close the browser (it starts again with the next picture)."""
        with self._lock:
            instance, loop, thread = self._kaleido, self._loop, self._thread
            self._kaleido = self._loop = self._thread = None
        if instance is None or loop is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(instance.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None and thread is not threading.current_thread():
            thread.join(10)

    def reset(self) -> None:
        """Closed, and failures forgotten: the next picture tries to start a browser again."""
        self.close()
        self.failures = 0


engine = Engine()


def render(figure: Any, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
    """``engine.render``: the process's one browser draws the picture."""
    return engine.render(figure, fmt, width, height, scale)
