"""Link previews served with every page: meta tags in the HTML of a page link, and the picture of its exact view.

Chat services and mail clients read a link's HTML without running JavaScript, so the tags are written into the
HTML the server sends (``LinkPreviewMiddleware``). The picture (``/preview.png?page=...``) is the view's main chart
at 1200x630, drawn by the process's one browser (policylens/render/engine.py: kaleido with Debian's chromium) from the
view layer's own figure; a view without a chart, or a host without a browser, gets a plain title card with the view's
summary (Pillow). Pictures are cached on disk by
view and data version (``policylens.linkpreview.cache_key``), bounded in files and bytes, oldest out first, and at
most ``MAX_CONCURRENT_RENDERS`` are drawn at once per process.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policylens import linkpreview
from policylens.lru import Lru
from policylens.render import engine
from policylens.render.engine import ImageUnavailable
from policylens.views import BY_ID, BY_PATH, Page
from policylens.views.base import Unavailable
from server import backend_base, data, firstpaint, settings
from server.claims import BASE_STAND_IN, claim_reviews_json_ld

log = logging.getLogger("policylens.previews")

_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
BOLD_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def origin(scope: Scope) -> str:
    """The site's origin for absolute links: the configured public URL, else the request's scheme and Host."""
    configured = settings.public_url()
    if configured:
        return configured
    scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
    host = Headers(scope=scope).get("host", "")
    if not _HOST.match(host):
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scheme}://{host}"


MAX_FIELDS = 512  # parameters read of one link; the view layer keeps at most 64 values of any one anyway


def _query(scope: Scope) -> dict[str, list[str]]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return parse_qs("&".join(raw.split("&", MAX_FIELDS)[:MAX_FIELDS]), keep_blank_values=True)


# ---------------------------------------------------------------------------------------------------- the tags


_previews: Lru = Lru(512)
_json_ld: Lru = Lru(4)


def _preview_of(page: Page, query: dict[str, list[str]]) -> linkpreview.LinkPreview | None:
    """The preview of a page link (cached by canonical view and data version); None when the view cannot be built."""
    snapshot = data.current()
    params, shared = linkpreview.read_link(page, query)
    key = linkpreview.cache_key(page.id, params, shared, snapshot.version)
    if key in _previews:
        return _previews.get(key)
    try:
        _, preview = linkpreview.build_preview(page, query, snapshot)
    except Unavailable:
        preview = None
    except Exception:  # a preview must never break the page itself
        log.exception("link preview of %s failed", page.id)
        preview = None
    return _previews.remember(key, preview)


def _claims_block(base: str) -> str:
    version = data.version()
    block = _json_ld.get(version)
    if block is None:
        try:
            block = _json_ld.remember(version, claim_reviews_json_ld())
        except Exception:  # broken data: the page still loads, without the block (until the data changes)
            log.exception("ClaimReview JSON-LD failed")
            block = _json_ld.remember(version, "")
    return block.replace(BASE_STAND_IN, base)  # base matched _HOST: no quote, no angle bracket, nothing to escape


def head_for(path: str, scope: Scope) -> str:
    """The tags that go into the HTML head of a link to ``path``."""
    page = BY_PATH.get(path.strip("/"))
    if page is None:
        return linkpreview.site_preview_tags()
    preview = _preview_of(page, _query(scope))
    if preview is None:
        return linkpreview.site_preview_tags()
    base = origin(scope)
    tags = linkpreview.head_tags(preview, base)
    if page.id == "overview":
        tags += "\n" + _claims_block(base)
    return tags


_TITLE = re.compile(rb"<title>.*?</title>", re.DOTALL)


def rewrite_html(body: bytes, tags: str) -> bytes:
    """Streamlit's index.html with its generic ``<title>`` replaced by the link's tags."""
    encoded = tags.encode("utf-8")
    if _TITLE.search(body):
        return _TITLE.sub(lambda _: encoded, body, count=1)
    return body.replace(b"</head>", encoded + b"\n</head>", 1)


class LinkPreviewMiddleware:
    """Writes a page link's preview tags into the HTML Streamlit serves for it (index.html, the same for every path)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or "/_stcore/" in scope["path"]:
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def on_message(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                is_html = headers.get("content-type", "").startswith("text/html")
                if message["status"] == 200 and is_html and "content-encoding" not in headers:
                    start = message
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            try:
                tags = await asyncio.to_thread(head_for, scope["path"], scope)
            except Exception:  # the page itself must never fail for its preview
                log.exception("preview tags of %s failed", scope["path"])
                tags = linkpreview.site_preview_tags()
            # The first paint: the drawing of the exact view, before any script (server/firstpaint.py).
            drawn = await asyncio.to_thread(firstpaint.drawing, scope["path"], _query(scope), data.version())
            body = firstpaint.rewrite(rewrite_html(b"".join(chunks), tags + "\n" + backend_base.tag()), drawn)
            headers = MutableHeaders(scope=start)
            headers["content-length"] = str(len(body))
            # The HTML now depends on the link: no validator of the file on disk applies.
            for name in ("etag", "last-modified"):
                if name in headers:
                    del headers[name]
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, on_message)


# ---------------------------------------------------------------------------------------------------- the picture


class PreviewCache:
    """Preview pictures on disk, one file per key, bounded in count and bytes: the oldest written go first."""

    def __init__(self, folder: Path, max_files: int, max_bytes: int):
        self.folder = folder
        self.max_files = max_files
        self.max_bytes = max_bytes

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.png"

    def get(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, png: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(png)
        os.replace(tmp, self.path(key))  # atomic: a reader never sees half a file
        self.evict()

    def files(self) -> list[Path]:
        return list(self.folder.glob("*.png"))

    def evict(self) -> None:
        entries = []
        for path in self.files():
            with contextlib.suppress(OSError):
                stat = path.stat()
                entries.append((stat.st_mtime, path.name, stat.st_size, path))
        entries.sort()
        count, total = len(entries), sum(e[2] for e in entries)
        for _, _, size, path in entries:
            if count <= self.max_files and total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):  # another replica may have removed it first
                path.unlink()
            count, total = count - 1, total - size


def cache() -> PreviewCache:
    return PreviewCache(settings.preview_dir(), settings.preview_max_files(), settings.preview_max_bytes())


def _font(paths: tuple[str, ...], size: int):
    from PIL import ImageFont

    for path in paths:
        with contextlib.suppress(OSError):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def title_card(title: str, summary: str) -> bytes:
    """A plain 1200x630 card: the site, the view's title and the view in words. Needs Pillow only."""
    from PIL import Image, ImageDraw

    heading, lines = linkpreview.card_lines(title, summary)
    image = Image.new("RGB", (linkpreview.IMAGE_WIDTH, linkpreview.IMAGE_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, linkpreview.IMAGE_WIDTH, 14), fill="#1f4e79")
    draw.text((64, 56), linkpreview.SITE, font=_font(BOLD_FONT_PATHS, 30), fill="#1f4e79")
    draw.text((64, 120), heading, font=_font(BOLD_FONT_PATHS, 46), fill="#111")
    body = _font(FONT_PATHS, 30)
    for i, line in enumerate(lines):
        draw.text((64, 206 + i * 44), line, font=body, fill="#333")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


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
    query = _query(request.scope)
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
