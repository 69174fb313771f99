"""Compression for HTML, JavaScript, CSS, JSON and SVG: Brotli where the browser offers it, gzip otherwise, with
Streamlit's static bundles compressed once per process.

Streamlit leaves its static files uncompressed on purpose (its own comment: gzip at the origin recompresses every
bundle on every request and burns CPU that a proxy or CDN would spend once). Here the hashed bundles under
``/static/`` (``Cache-Control: immutable``) are compressed once per encoding and kept in memory, bounded, so each
replica pays the CPU once per bundle (Plotly's 4.7 MB chart bundle: about 0.5 s) and a first visit moves about a
third of the bytes with gzip alone, less with Brotli. Everything else compressible (the HTML of a page, API JSON)
is compressed per response; it is small.

This middleware is the only place that compresses: it takes ``Accept-Encoding`` off the request before passing it
on, so Streamlit's own middleware leaves every body as it is and the link-preview middleware can read the HTML.
"""

from __future__ import annotations

import asyncio
import gzip
from collections import OrderedDict
from collections.abc import Callable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:  # Brotli is in requirements.txt; without it, gzip serves every client
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/ld+json",
    "image/svg+xml",
}
MINIMUM_SIZE = 1000  # bytes: below this the encoding's framing costs more than it saves
MAXIMUM_SIZE = 16 * 1024 * 1024  # bytes: a larger body passes uncompressed rather than being held in memory
STATIC_PREFIX = "/static/"
STATIC_CACHE_BYTES = 32 * 1024 * 1024  # compressed bytes kept per process (all of Streamlit's bundles: about 7 MB)
THREAD_MINIMUM = 64 * 1024  # compress larger bodies in a worker thread, off the event loop


def _gzip(level: int) -> Callable[[bytes], bytes]:
    return lambda body: gzip.compress(body, level, mtime=0)


def _brotli(quality: int) -> Callable[[bytes], bytes]:
    return lambda body: brotli.compress(body, quality=quality)


# (encoding, compressor for a cached static bundle, compressor for a response compressed on every request). Brotli
# quality 9 is the knee: 10 and 11 save another 8 % of Plotly's bundle for 8 to 15 times the CPU.
ENCODINGS: dict[str, tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]] = {"gzip": (_gzip(9), _gzip(6))}
if brotli is not None:
    ENCODINGS = {"br": (_brotli(9), _brotli(5)), **ENCODINGS}


def negotiate(accept_encoding: str) -> str | None:
    """The encoding to answer with: the first of ``ENCODINGS`` (Brotli, then gzip) the client accepts, or None."""
    offered: dict[str, bool] = {}
    for part in accept_encoding.split(","):
        token, _, params = part.strip().partition(";")
        q = params.strip().lower().replace(" ", "")
        refused = q.startswith("q=") and q[2:].rstrip("0").rstrip(".") in ("0", "")
        offered[token.strip().lower()] = not refused
    for encoding in ENCODINGS:
        if offered.get(encoding, offered.get("*", False)):
            return encoding
    return None


def _media_type(headers: Headers) -> str:
    return headers.get("content-type", "").partition(";")[0].strip().lower()


def _add_vary(headers: MutableHeaders) -> None:
    vary = headers.get("vary", "")
    if "accept-encoding" not in vary.lower():
        headers["vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"


class _StaticCache:
    """Compressed static bundles by path, validator and encoding, least recently used out first, bounded in bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self.locks: dict[tuple[str, str, str], asyncio.Lock] = {}

    def get(self, key: tuple[str, str, str]) -> bytes | None:
        body = self.entries.get(key)
        if body is not None:
            self.entries.move_to_end(key)
        return body

    def put(self, key: tuple[str, str, str], body: bytes) -> None:
        if len(body) > self.limit or key in self.entries:
            return
        self.entries[key] = body
        self.size += len(body)
        while self.size > self.limit:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped)


async def _compress(compressor: Callable[[bytes], bytes], body: bytes) -> bytes:
    if len(body) >= THREAD_MINIMUM:
        return await asyncio.to_thread(compressor, body)
    return compressor(body)


class CompressionMiddleware:
    def __init__(self, app: ASGIApp, enabled: bool = True, static_cache_bytes: int = STATIC_CACHE_BYTES):
        self.app = app
        self.enabled = enabled
        self.static = _StaticCache(static_cache_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled:
            await self.app(scope, receive, send)
            return
        encoding = negotiate(Headers(scope=scope).get("accept-encoding", ""))
        inner = dict(scope)
        inner["headers"] = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
        if scope["method"] != "GET" or encoding is None:
            await self.app(inner, receive, self._vary_only(send))
            return
        await _Responder(self, scope, encoding)(inner, receive, send)

    @staticmethod
    def _vary_only(send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if _media_type(headers) in COMPRESSIBLE:
                    _add_vary(headers)
            await send(message)

        return wrapped


class _Responder:
    def __init__(self, owner: CompressionMiddleware, scope: Scope, encoding: str):
        self.owner = owner
        self.encoding = encoding
        self.path: str = scope.get("path", "")
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.buffering = False
        self.cache_key: tuple[str, str, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.send = send
        await self.owner.app(scope, receive, self.on_message)

    @staticmethod
    def _eligible(message: Message) -> bool:
        headers = Headers(raw=message.get("headers", []))
        if message["status"] != 200 or "content-encoding" in headers or _media_type(headers) not in COMPRESSIBLE:
            return False
        length = headers.get("content-length")
        if length is None or not length.isdigit():
            return False
        return MINIMUM_SIZE <= int(length) <= MAXIMUM_SIZE

    async def on_message(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            if not self._eligible(message):
                headers = MutableHeaders(scope=message)
                if _media_type(headers) in COMPRESSIBLE:
                    _add_vary(headers)
                await self.send(message)
                return
            self.start = message
            self.buffering = True
            headers = Headers(raw=message["headers"])
            if self.path.startswith(STATIC_PREFIX) and "immutable" in headers.get("cache-control", ""):
                validator = headers.get("etag") or headers.get("content-length", "")
                self.cache_key = (self.path, validator, self.encoding)
            return
        if message["type"] != "http.response.body" or not self.buffering:
            await self.send(message)
            return
        cached = self.owner.static.get(self.cache_key) if self.cache_key else None
        if cached is None:
            self.chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        if cached is None:
            cached = await self._compressed(b"".join(self.chunks))
            self.chunks = []
        assert self.start is not None
        headers = MutableHeaders(scope=self.start)
        headers["content-encoding"] = self.encoding
        headers["content-length"] = str(len(cached))
        etag = headers.get("etag")
        if etag and not etag.startswith("W/"):
            headers["etag"] = "W/" + etag  # another representation of the same resource: a weak validator
        _add_vary(headers)
        await self.send(self.start)
        await self.send({"type": "http.response.body", "body": cached, "more_body": False})

    async def _compressed(self, body: bytes) -> bytes:
        static_compressor, dynamic_compressor = ENCODINGS[self.encoding]
        if self.cache_key is None:
            return await _compress(dynamic_compressor, body)
        lock = self.owner.static.locks.setdefault(self.cache_key, asyncio.Lock())
        async with lock:  # one compression per bundle and encoding, however many first visitors arrive at once
            cached = self.owner.static.get(self.cache_key)
            if cached is None:
                cached = await _compress(static_compressor, body)
                self.owner.static.put(self.cache_key, cached)
        self.owner.static.locks.pop(self.cache_key, None)
        return cached
