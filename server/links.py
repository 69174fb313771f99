"""What the server reads of a page link's request: the site's origin for absolute links, and the link's query."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.types import Scope

from server import settings

_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


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


def link_query(scope: Scope) -> dict[str, list[str]]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return parse_qs("&".join(raw.split("&", MAX_FIELDS)[:MAX_FIELDS]), keep_blank_values=True)
