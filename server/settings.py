"""Everything the server reads from its environment, in one place (docs/deploy.md and docs/security.md list them).

Read at call time, so each process (a replica, a test server) takes the environment it was started with.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from policylens.paths import DATA_DIR

# The same variable components/data.py reads: tests point the app at a corrupted copy of the data through it.
DATA_DIR_ENV = "POLICYLENS_DATA_DIR"
# The site's public origin (https://lens.example.org), for the absolute addresses of link previews. Unset: the
# origin the request came to (its Host header), which is right for `make run` and behind a proxy that passes Host.
PUBLIC_URL_ENV = "POLICYLENS_PUBLIC_URL"
# Who may show the app in an iframe: a CSP frame-ancestors source list ("'self'", "*", "https://a.org https://b.org").
FRAME_ANCESTORS_ENV = "POLICYLENS_FRAME_ANCESTORS"
DEFAULT_FRAME_ANCESTORS = "'self'"
# Compression at the app: "0" turns it off (a proxy in front that compresses makes it redundant).
GZIP_ENV = "POLICYLENS_GZIP"
# Preview images: the cache folder, its bounds, and the renderer ("auto": kaleido with chromium when it works, else
# a plain title card; "card": always the title card).
PREVIEW_DIR_ENV = "POLICYLENS_PREVIEW_DIR"
PREVIEW_MAX_FILES_ENV = "POLICYLENS_PREVIEW_MAX_FILES"
PREVIEW_MAX_MB_ENV = "POLICYLENS_PREVIEW_MAX_MB"
PREVIEW_RENDERER_ENV = "POLICYLENS_PREVIEW_RENDERER"

DEFAULT_PREVIEW_MAX_FILES = 500
DEFAULT_PREVIEW_MAX_MB = 64
# Renders at once, per process: each takes a chromium tab (kaleido) or a core (the title card).
MAX_CONCURRENT_RENDERS = 2
# Requests waiting for a render slot beyond this are answered 503 with Retry-After: a burst cannot queue without end.
MAX_WAITING_RENDERS = 16

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
_FRAME_SOURCE = re.compile(r"^('self'|'none'|\*|https?://[A-Za-z0-9.*-]+(:\d{1,5})?|https?:)$")


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DATA_DIR)


def public_url() -> str | None:
    """The configured public origin without a trailing slash, or None (unset or not a plain http(s) origin)."""
    value = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    return value if _ORIGIN.match(value) else None


def frame_ancestors() -> str:
    """The frame-ancestors sources; an invalid list falls back to the default rather than opening the app up."""
    value = os.environ.get(FRAME_ANCESTORS_ENV, "").strip()
    if not value:
        return DEFAULT_FRAME_ANCESTORS
    sources = value.split()
    if all(_FRAME_SOURCE.match(s) for s in sources) and ("'none'" not in sources or len(sources) == 1):
        return " ".join(sources)
    return DEFAULT_FRAME_ANCESTORS


def gzip_enabled() -> bool:
    return os.environ.get(GZIP_ENV, "1").strip() != "0"


def _positive_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def preview_dir() -> Path:
    configured = os.environ.get(PREVIEW_DIR_ENV, "").strip()
    return Path(configured) if configured else Path(tempfile.gettempdir()) / f"policylens-previews-{os.getuid()}"


def preview_max_files() -> int:
    return _positive_int(PREVIEW_MAX_FILES_ENV, DEFAULT_PREVIEW_MAX_FILES)


def preview_max_bytes() -> int:
    return _positive_int(PREVIEW_MAX_MB_ENV, DEFAULT_PREVIEW_MAX_MB) * 1024 * 1024


def preview_renderer() -> str:
    value = os.environ.get(PREVIEW_RENDERER_ENV, "auto").strip().lower()
    return value if value in ("auto", "card") else "auto"
