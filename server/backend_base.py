"""Tell Streamlit's frontend where its server is, so a page link does not first ask the wrong address.

Opened at a page's own path (``/expo``), Streamlit's frontend does not know whether the app lives at ``/expo/`` or at
``/``: it asks ``/expo/_stcore/health`` first, gets a 404, waits, and only then asks ``/_stcore/health`` (``PD()``
in its bundle tries the page's path, then its parent). That detour cost every page but the Overview about 110 ms
before the websocket opened, on every load, warm or cold (benchmarks/RESULTS.md); plain Streamlit pays it too.

The frontend reads ``window.__streamlit.BACKEND_BASE_URL`` (its embedding configuration) before anything else, and
takes that as the only address to try. The script below sets it to the page path's parent, which is where the
frontend's own fallback ends up, but only when the last part of the path is one of the app's pages: at ``/``, at an
unknown path and wherever the app is mounted under a prefix of its own (``server.baseUrlPath``, a host's
``/~/+/``), the parent is still what the frontend would have found. Nothing else changes: the frontend uses the
address only to choose where to connect.

The script's text is fixed for a given list of pages, so the Content-Security-Policy allows it by its hash
(server/headers.py).
"""

from __future__ import annotations

import json
from functools import lru_cache

from policylens.views import PAGES


@lru_cache(maxsize=1)
def script() -> str:
    paths = json.dumps(sorted(page.path for page in PAGES if page.path))
    return (
        "(function(){var pages=" + paths + ";"
        "var parts=location.pathname.replace(/\\/+$/,'').split('/');"
        "if(parts.length>1&&pages.indexOf(parts[parts.length-1])>=0){parts.pop();"
        "var own=window.__streamlit||{},config={};"
        "for(var key in own){config[key]=own[key];}"
        "config.BACKEND_BASE_URL=location.origin+parts.join('/')+'/';"
        "window.__streamlit=config;}})();"
    )


def tag() -> str:
    """The script element, for the HTML head (before Streamlit's module bundle runs: module scripts are deferred)."""
    return f"<script>{script()}</script>"
