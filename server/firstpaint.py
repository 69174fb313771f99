"""The first paint of every page link, written into the HTML the server sends (policylens/render/snapshot.py).

For a link to one of the app's pages, the HTML gets: the static drawing of the link's exact view right after ``<body>``
(built through the kept views from the app's data, so the reader's first run reuses the build), its style and the
hand-over script in ``<head>``, and Streamlit's module script and preloads made inert until that script starts them once
the first paint is on screen. The chart pictures come from ``policylens.render.pictures``: a view whose pictures are not
drawn yet is sent with its words at once and asks for them in the background. Never raises: a view that cannot be built
(broken data) gets no drawing, and the live page explains.

A browser's first visit starts Streamlit's scripts after the first paint; its response sets a cookie naming the
bundle's build (``BUNDLE_COOKIE``). A later visit that names the same build has the bundle in its cache: its HTML
keeps Streamlit's scripts as they were, so a warm load starts them as early as a page without the first paint (waiting
for the first frame cost a warm load about 70 ms; benchmarks/RESULTS.md), and its drawing (``drawing(..., warm=True)``)
shows each chart in words in its picture's place: the live chart follows within about a second, and fetching, laying
out and painting the pictures was the drawing's largest cost on a warm load (benchmarks/RESULTS.md, 2026-12-06 15:00).
It comes in a document of its own (an ``<iframe srcdoc>``, ``snapshot.framed``), so that the live app's fonts and
stylesheets, arriving under it, no longer make the browser lay out and style it again (benchmarks/RESULTS.md,
2026-12-07 20:28). A cleared cache with the cookie kept only means the scripts load beside the drawing, as on
Streamlit's own page, and the charts show in words until the live ones draw.

``/_pl/picture/<variant>-<digest>.svg`` (``picture``) serves one kept picture, cached by the browser for good: its
address changes with its bytes.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response

from policylens import linkpreview
from policylens.render import snapshot
from policylens.render.pictures import PICTURE_PREFIX, pictures
from policylens.render.shelf import Shelf
from policylens.views import BY_PATH, PAGES, Page
from policylens.views.base import Data, Unavailable, View
from policylens.views.kept import built
from policylens.views.shared import SharedParams
from server import headers, settings

log = logging.getLogger("policylens.firstpaint")


def enabled() -> bool:
    """``POLICYLENS_FIRST_PAINT=0`` sends Streamlit's HTML as it is (for measuring what the first paint costs)."""
    return os.environ.get("POLICYLENS_FIRST_PAINT", "1").strip().lower() not in ("0", "false", "no", "off")


def picture_key(entry: Page, view: View, shared, version: str) -> tuple:
    return (linkpreview.cache_key(entry.id, view.params, shared, version), bool(getattr(shared, "present", False)))


def drawing(path: str, query: Mapping[str, Sequence[str]], source: Data, *, warm: bool = False) -> str | None:
    """The ``<body>`` drawing of the link to ``path``, built from ``source`` (the app's data, so the page's first run
    finds the view kept); None for no page, or a view that cannot be built. A ``warm`` visit's drawing has each chart
    in words, in a document of its own (``snapshot.framed``); its pictures are still asked for when not drawn yet (a
    later first visit)."""
    entry = BY_PATH.get(path.strip("/"))
    if entry is None:
        return None
    params, shared = linkpreview.read_link(entry, query)
    try:
        view = built(entry, params, source)
    except Unavailable:
        return None
    except Exception:  # the page itself must never fail for its first paint
        log.exception("first paint of %s failed", entry.id)
        return None
    version = source.version
    key = picture_key(entry, view, shared, version)
    drawn = pictures.get(key)
    if drawn is None:
        pictures.request(key, view, shared.present)
    asked = [str(v) for v in query.get("v", [])[:1]]
    changed = (
        "This link was made with another data version; the data has changed since (see the data changelog on "
        "Sources and method)."
        if asked and asked[0] != version
        else ""
    )
    return snapshot.snapshot_html(
        view,
        PAGES,
        [*shared.to_query(), *embedding(query)],
        drawn,
        present=shared.present,
        changed_since=changed,
        in_words=warm,
        frame_face=font_html() if warm else None,
    )


_EMBED_OPTION = re.compile(r"[a-z_]{1,40}")


def embedding(query: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """Streamlit's own ``embed=true`` and ``embed_options`` of the link, for the drawing's page links: the live
    sidebar keeps them from page to page, and so must a page link clicked before the live page is up. Only the forms
    Streamlit reads (``true``; snake_case options) are kept."""
    kept = [("embed", "true")] if any(v.strip().lower() == "true" for v in query.get("embed", [])[:1]) else []
    options = [v for v in query.get("embed_options", [])[:8] if _EMBED_OPTION.fullmatch(v)]
    return kept + [("embed_options", v) for v in options]


def _index_html() -> bytes:
    try:
        return headers.streamlit_index_html().read_bytes()
    except OSError:
        return b""


@lru_cache(maxsize=2)
def head_html(framed: bool = False) -> str:
    """The style, the font and the hand-over script, for ``<head>`` (the font's address read from Streamlit's own
    HTML); a ``framed`` drawing (a warm visit) has its style and font in its own document."""
    return snapshot.head(_index_html(), f"<script>{snapshot.SCRIPT}</script>", framed=framed)


@lru_cache(maxsize=1)
def font_html() -> str:
    """The font's ``<style>``, for a drawing in a document of its own."""
    return snapshot.font_face(_index_html())


BUNDLE_COOKIE = "pl_bundle"
BUNDLE_COOKIE_DAYS = 30


def bundle_cookie(index_html: bytes) -> str:
    """The ``Set-Cookie`` value naming this build of Streamlit's bundle ('' when the HTML names none). Not a tracker:
    every browser that loaded this build gets the same value."""
    name = snapshot.bundle_name(index_html)
    if not name:
        return ""
    return f"{BUNDLE_COOKIE}={name}; Path=/; Max-Age={BUNDLE_COOKIE_DAYS * 86400}; SameSite=Lax; HttpOnly"


def has_bundle(cookies: Mapping[str, str], index_html: bytes) -> bool:
    """Whether the browser says it loaded this build of the bundle before (so it is in its cache)."""
    name = snapshot.bundle_name(index_html)
    return bool(name) and cookies.get(BUNDLE_COOKIE) == name


def rewrite(body: bytes, drawn: str | None, *, warm: bool = False) -> bytes:
    """Streamlit's index.html with the first paint: head, scripts deferred (unless ``warm``: the browser has the
    bundle, and ``drawn`` is the framed drawing of ``drawing(..., warm=True)``), the drawing after ``<body>``."""
    if drawn is None:
        return body
    body = snapshot.cover(body if warm else snapshot.defer_scripts(body))
    body = body.replace(b"</head>", head_html(framed=warm).encode("utf-8") + b"\n</head>", 1)
    at = body.find(b"<body>")
    if at < 0:
        return body
    at += len(b"<body>")
    return body[:at] + drawn.encode("utf-8") + body[at:]


def keep_pictures_on_disk() -> None:
    """The pictures go on disk beside the link previews' (``POLICYLENS_PREVIEW_DIR``), shared by the host's replicas
    and kept over a restart (policylens/render/shelf.py)."""
    pictures.keep_on(Shelf(settings.preview_dir() / "first-paint"))


def warm(views: Sequence[tuple[Page, View]], version: str) -> None:
    """Ask for the pictures of the given (default) views, drawn in the background after start-up (none when the
    first paint is off: nothing would show them)."""
    if not enabled():
        return
    shared = SharedParams()
    for entry, view in views:
        pictures.request(picture_key(entry, view, shared, version), view, False)


PICTURE_ROUTE = "/" + PICTURE_PREFIX + "{name}"
_FOREVER = {"Cache-Control": "public, max-age=31536000, immutable"}


async def picture(request: Request) -> Response:
    """One first-paint picture by its name (``pictures.picture_name``); 404 when it is not kept (the page's words
    and alt text stand in, and the live page follows)."""
    svg = pictures.svg(request.path_params["name"])
    if svg is None:
        return Response("No such picture.", status_code=404, media_type="text/plain")
    return Response(svg, media_type="image/svg+xml", headers=_FOREVER)
