"""The preview tags of a page link, written into the HTML the server sends for it (``LinkPreviewMiddleware``).

Chat services and mail clients read a link's HTML without running JavaScript, so the ``<title>``, Open Graph and
Twitter tags of the link's exact view (and, on the Overview, the claims as ClaimReview JSON-LD) are written into
Streamlit's index.html, with the first paint of the view (server/firstpaint.py) and the server's address
(server/backend_base.py). Tags are kept per canonical view and data version.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policylens import linkpreview
from policylens.lru import Lru
from policylens.views import BY_PATH, Page
from policylens.views.base import Data, Unavailable
from server import backend_base, data, firstpaint, slidekeys
from server.claims import BASE_STAND_IN, claim_reviews_json_ld
from server.links import link_query, origin

log = logging.getLogger("policylens.previews")


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
    preview = _preview_of(page, link_query(scope))
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

    def __init__(self, app: ASGIApp, app_data: Callable[[], Data] = data.current):
        self.app = app
        self.app_data = app_data  # the app's datasets (app.py), for the first paint

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
            # The first paint: the drawing of the exact view, before any script (server/firstpaint.py). A browser
            # that has the bundle (warm) gets Streamlit's scripts where they were, and the charts in words.
            index = b"".join(chunks)
            warm = firstpaint.has_bundle(Request(scope).cookies, index)
            drawn = await asyncio.to_thread(self.first_paint, scope, warm)
            warm = warm and drawn is not None
            body = firstpaint.rewrite(
                rewrite_html(index, tags + "\n" + backend_base.tag() + slidekeys.tag()), drawn, warm=warm
            )
            headers = MutableHeaders(scope=start)
            headers["content-length"] = str(len(body))
            if drawn is not None:  # the HTML depends on the cookie; the next load of this browser is a warm one
                headers.append("vary", "Cookie")
                if not warm and (cookie := firstpaint.bundle_cookie(index)):
                    headers.append("set-cookie", cookie)
            # The HTML now depends on the link: no validator of the file on disk applies.
            for name in ("etag", "last-modified"):
                if name in headers:
                    del headers[name]
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, on_message)

    def first_paint(self, scope: Scope, warm: bool = False) -> str | None:
        """In a worker thread: the app's data may be read (and its modules imported) on the first call."""
        if not firstpaint.enabled():
            return None
        # A warm browser (it has the bundle) gets the live chart within about a second: its drawing shows each chart in
        # words, and spares the fetch, layout and paint of the pictures (benchmarks/RESULTS.md, 2026-12-06 15:00), in a
        # document of its own that the live page's fonts and styles do not reach (2026-12-07 20:28).
        return firstpaint.drawing(scope["path"], link_query(scope), self.app_data(), warm=warm)
