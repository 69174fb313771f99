"""The picture of a page link's exact view, for link previews (the tags that name it: server/previewtags.py).

The picture (``/preview.png?page=...``) is the view's main chart at 1200x630, drawn by the process's one browser
(policylens/render/engine.py: kaleido with Debian's chromium) from the view layer's own figure; a view without a chart,
or a host without a browser, gets a plain title card with the view's summary (server/titlecard.py). Pictures are
cached on disk (server/previewcache.py) by view and data version (``policylens.linkpreview.cache_key``), bounded in
files and bytes, oldest out first, and at most ``MAX_CONCURRENT_RENDERS`` are drawn at once per process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from starlette.requests import Request
from starlette.responses import Response

from policylens import linkpreview
from policylens.render import engine
from policylens.render.engine import ImageUnavailable
from policylens.views import BY_ID, Page
from policylens.views.base import Unavailable
from server import data, settings
from server.links import link_query
from server.previewcache import cache
from server.titlecard import title_card

log = logging.getLogger("policylens.previews")


class _Slots:
    """At most ``MAX_CONCURRENT_RENDERS`` renders at once; past ``MAX_WAITING_RENDERS`` waiting, refuse."""

    def __init__(self):
        self.semaphore: asyncio.Semaphore | None = None
        self.waiting = 0
        self.active = 0
        self.peak = 0
        self.in_flight: dict[str, asyncio.Future] = {}

    def full(self) -> bool:
        return self.waiting >= settings.MAX_WAITING_RENDERS

    @contextlib.asynccontextmanager
    async def slot(self):
        if self.semaphore is None:
            self.semaphore = asyncio.Semaphore(settings.MAX_CONCURRENT_RENDERS)
        self.waiting += 1
        try:
            await self.semaphore.acquire()
        finally:
            self.waiting -= 1
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            yield
        finally:
            self.active -= 1
            self.semaphore.release()


slots = _Slots()


async def _draw(page: Page, query: dict[str, list[str]]) -> tuple[bytes, bool]:
    """The picture of a view, and whether it may be cached (a card drawn because chromium failed may not)."""
    snapshot = data.current()
    try:
        view, _ = await asyncio.to_thread(linkpreview.build_preview, page, query, snapshot)
    except Unavailable as err:
        png = await asyncio.to_thread(title_card, page.title, f"This view cannot be drawn now: {err.sentence}")
        return png, False
    chart = view.main_chart
    if chart is None or settings.preview_renderer() == "card":
        return await asyncio.to_thread(title_card, view.title, view.summary or page.title), True
    try:
        png = await asyncio.to_thread(_preview_png, chart)
        return png, True
    except ImageUnavailable:
        pass
    # No browser: the card is this host's picture of the view (cached). A browser that failed: not cached, so the
    # chart replaces the card once chromium works again.
    card = await asyncio.to_thread(title_card, view.title, view.summary or page.title)
    return card, engine.engine.failed or engine.image_support() is not None


def _preview_png(chart) -> bytes:
    figure = linkpreview.preview_figure(chart)
    return engine.render(figure, "png", linkpreview.IMAGE_WIDTH, linkpreview.IMAGE_HEIGHT)


def _png_response(png: bytes, key: str) -> Response:
    return Response(
        png,
        media_type="image/png",
        headers={"Cache-Control": "public, max-age=3600", "ETag": f'"{key}"'},
    )


async def preview_image(request: Request) -> Response:
    """``/preview.png?page=<id>&<the view's parameters>``: the picture of that view (see the module docstring)."""
    query = link_query(request.scope)
    page = BY_ID.get((query.get("page") or [""])[0])
    if page is None:
        return Response("Unknown page.\n", status_code=404, media_type="text/plain")
    snapshot_version = data.version()
    params, shared = linkpreview.read_link(page, query)
    key = linkpreview.cache_key(page.id, params, shared, snapshot_version)
    if request.headers.get("if-none-match", "").strip() == f'"{key}"':
        return Response(status_code=304, headers={"ETag": f'"{key}"', "Cache-Control": "public, max-age=3600"})
    store = cache()
    png = store.get(key)
    if png is not None:
        return _png_response(png, key)
    # The same picture asked for twice at once is drawn once.
    pending = slots.in_flight.get(key)
    if pending is not None:
        png = await asyncio.shield(pending)
        return _png_response(png, key)
    if slots.full():
        return Response("Busy drawing previews; try again shortly.\n", 503, {"Retry-After": "5"}, "text/plain")
    future: asyncio.Future = asyncio.get_running_loop().create_future()
    slots.in_flight[key] = future
    try:
        async with slots.slot():
            started = time.perf_counter()
            png, cacheable = await _draw(page, query)
            log.info("preview %s drawn in %.2f s", page.id, time.perf_counter() - started)
        if cacheable:
            await asyncio.to_thread(store.put, key, png)
        future.set_result(png)
    except BaseException as err:
        future.set_exception(err)
        future.exception()  # mark retrieved: waiters re-raise it, nobody else needs to
        raise
    finally:
        slots.in_flight.pop(key, None)
    return _png_response(png, key)


async def close() -> None:
    await asyncio.to_thread(engine.engine.close)
