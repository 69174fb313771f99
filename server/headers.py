"""Security headers on every HTTP response: a Content-Security-Policy, nosniff, a referrer policy.

The policy allows the app's own origin and what Streamlit's frontend and Plotly need, found by loading every page
in Chromium with the policy on and reading the console for violations (docs/security.md): emotion and Plotly write
inline styles, images and fonts come as data: and blob: URLs, Long.js (in Streamlit's protobuf bundle) compiles a
little WebAssembly, and index.html carries one inline script, allowed by its hash (computed from the installed
Streamlit's own index.html, so an upgrade cannot silently break it), beside the app's own one that tells the frontend
where its server is (server/backend_base.py) and the first paint's hand-over script (policylens/render/snapshot.py),
each also allowed by its hash. Nothing else loads from anywhere else.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policylens.render import snapshot
from server import backend_base, settings, slidekeys

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def streamlit_index_html() -> Path:
    spec = importlib.util.find_spec("streamlit")
    return Path(spec.origin if spec and spec.origin else ".").parent / "static" / "index.html"


@lru_cache(maxsize=1)
def inline_script_hashes() -> tuple[str, ...]:
    """CSP hash sources of the inline scripts of Streamlit's index.html."""
    try:
        text = streamlit_index_html().read_text(encoding="utf-8")
    except OSError:
        return ()
    return tuple(script_hash(body) for body in _INLINE_SCRIPT.findall(text))


def script_hash(body: str) -> str:
    """The CSP source that allows one inline script with exactly this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def content_security_policy(frame_ancestors: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(
            [
                "'self'",
                "'wasm-unsafe-eval'",
                *inline_script_hashes(),
                script_hash(backend_base.script()),
                script_hash(snapshot.SCRIPT),
                script_hash(slidekeys.script()),
            ]
        ),
        "style-src": "'self' 'unsafe-inline'",
        # Plotly's "download as PNG" draws through data: and blob: images.
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers() -> list[tuple[bytes, bytes]]:
    ancestors = settings.frame_ancestors()
    headers = [
        ("Content-Security-Policy", content_security_policy(ancestors)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ]
    if ancestors in ("'self'", "'none'"):
        # For browsers that predate frame-ancestors.
        headers.append(("X-Frame-Options", "SAMEORIGIN" if ancestors == "'self'" else "DENY"))
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


class SecurityHeadersMiddleware:
    """Adds the headers to every HTTP response that does not set them itself (websocket handshakes excepted)."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.headers = security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    if name.decode("latin-1") not in headers:
                        headers.raw.append((name, value))
            await send(message)

        await self.app(scope, receive, send_with_headers)
