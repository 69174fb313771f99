"""Policy Lens served as an ASGI app: Streamlit's ``st.App`` with the routes and middleware of a hosted link.

``app.py`` builds ``App("router.py", routes=routes(), middleware=middleware(app_data), lifespan=lifespan(app_data))``,
handing in the app's data (components/data.py: this package never imports the app's components); ``streamlit run
app.py`` finds that App and serves it with uvicorn. Added to what Streamlit serves:

- ``/preview.png``: the picture of one view, for link previews (server/previews.py);
- ``/api/claims.json``: the claims with their verdicts and sources (server/claims.py);
- ``/api/rooms/<code>``: a presenter's room, its slide number only (server/rooms.py);
- ``/_pl/picture/<name>.svg``: a chart picture of a page's first paint (server/firstpaint.py);
- in the HTML of every page link: ``<title>``, Open Graph and Twitter tags of that exact view, and on the Overview
  the claims as schema.org ClaimReview JSON-LD (server/previewtags.py);
- gzip for HTML, JavaScript, CSS and JSON, Streamlit's bundles compressed once per process (server/compression.py);
- security headers on every response (server/headers.py);
- a 404 page that says a link is not found, for a path that is no page (server/notfound.py);
- every message of a run sent as soon as it is written (TCP_NODELAY; server/nodelay.py);
- a fragment's rerun that waits for the end of the run before it to be sent (server/runwait.py);
- in the HTML of every page, the server's address for Streamlit's frontend (server/backend_base.py).

The middleware runs outermost first: headers, then compression, then not-found, then link previews, then
Streamlit's own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from starlette.middleware import Middleware
from starlette.routing import Route

from policylens.views.base import Data
from server import firstpaint, nodelay, runwait, settings, warmup
from server.claims import claims_api
from server.compression import CompressionMiddleware
from server.headers import SecurityHeadersMiddleware
from server.notfound import NotFoundMiddleware
from server.previews import close, preview_image
from server.previewtags import LinkPreviewMiddleware
from server.rooms import room_api

nodelay.install()  # before uvicorn accepts its first connection
runwait.install()  # before the first session asks for a run


def routes() -> list[Route]:
    return [
        Route("/preview.png", preview_image, methods=["GET", "HEAD"]),
        Route("/api/claims.json", claims_api, methods=["GET", "HEAD"]),
        Route("/api/rooms/{code}", room_api, methods=["GET", "HEAD"]),
        Route(firstpaint.PICTURE_ROUTE, firstpaint.picture, methods=["GET", "HEAD"]),
    ]


def middleware(app_data: Callable[[], Data]) -> list[Middleware]:
    """``app_data``: the app's datasets, from which the first paint builds the view the page's first run reuses."""
    return [
        Middleware(SecurityHeadersMiddleware),
        Middleware(CompressionMiddleware, enabled=settings.gzip_enabled()),
        Middleware(NotFoundMiddleware),
        Middleware(LinkPreviewMiddleware, app_data=app_data),
    ]


def lifespan(app_data: Callable[[], Data]):
    """Warm up from the app's datasets before the first request (server/warmup.py); close the browser at the end."""

    @contextlib.asynccontextmanager
    async def serve(_app):
        firstpaint.keep_pictures_on_disk()
        await asyncio.to_thread(warmup.warm_and_freeze, app_data)
        yield None
        await close()  # the previews' chromium goes with the server

    return serve
