"""A page that says a link is not found, for every path that is not a page of the app.

Streamlit answers any unknown path with its index.html. At ``/expo/x`` or ``/a/b`` that page loads its scripts from
``./static/...`` relative to the mangled path, gets index.html again instead of JavaScript, and stays blank forever;
at ``/a`` it runs the default page under a link that names no page. Here such a request gets a 404 with a short page
of its own: what was asked for, a link to the page the path starts with (the link's query kept, so a link mangled by
a chat service still reaches its view), the list of pages, and a link home. Only Streamlit's HTML fallback is
replaced: its scripts, styles, images, health checks and websockets, and our own routes, pass untouched.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policylens.views import BY_PATH, PAGES, Page

MAX_SHOWN = 120  # characters of the asked-for path shown on the page

_STYLE = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --link: #0b57d0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0e1117; --link: #8ab4f8; } }
body { font: 16px/1.5 system-ui, "Noto Sans", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
main { max-width: 40rem; margin: 0 auto; padding: 3rem 1.25rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 1rem; }
p { margin: 0 0 1rem; }
code { overflow-wrap: anywhere; font-size: 0.95em; }
a { color: var(--link); }
a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
ul { padding-left: 1.25rem; }
li { margin: 0.25rem 0; }
"""


def known(path: str) -> bool:
    """Whether ``path`` (without the server's base path) is a page of the app."""
    return path.strip("/") in BY_PATH and "//" not in path


def nearest(path: str) -> Page | None:
    """The page a mangled path starts with (``/expo/x`` → Expo), if any."""
    first = path.strip("/").split("/", 1)[0]
    page = BY_PATH.get(first)
    return page if first and page is not None else None


def not_found_html(path: str, query_string: str = "", base: str = "") -> str:
    """The page for a link that is not found. Everything from the link is escaped; nothing from it runs. Its colours
    follow the system's light or dark scheme, as Streamlit's do (the link's ``theme`` names topics, not colours)."""
    shown = path if len(path) <= MAX_SHOWN else path[:MAX_SHOWN] + "…"
    params = parse_qsl(query_string, keep_blank_values=True)
    # The link's query, re-encoded (``Page.link``): only what a page link may carry goes on, as plain characters.
    query = params[:512]
    near = nearest(path)
    parts = [
        "<h1>This link is not found</h1>",
        f"<p>Policy Lens has no page at <code>{html.escape(shown)}</code>.</p>",
    ]
    if near is not None:
        parts.append(
            f'<p>The link starts like the <a href="{html.escape(near.link(query, base))}">'
            f"{html.escape(near.title)}</a> page; that link keeps its settings.</p>"
        )
    items = "".join(
        f'<li><a href="{html.escape(page.link(base=base))}">{html.escape(page.title)}</a></li>' for page in PAGES
    )
    parts.append(f"<p>The pages are:</p><ul>{items}</ul>")
    parts.append(f'<p><a href="{html.escape(PAGES[0].link(base=base))}">Go to the Overview</a></p>')
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>Link not found · Policy Lens</title><style>{_STYLE}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>\n"
    )


class NotFoundMiddleware:
    """Answers Streamlit's HTML fallback for a path that is no page with a 404 and the not-found page."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        root = scope.get("root_path", "") or ""
        path = scope.get("path", "")
        path = path[len(root) :] if root and path.startswith(root) else path
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or known(path):
            await self.app(scope, receive, send)
            return
        replaced = False

        async def on_message(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
                if message["status"] == 200 and content_type.startswith("text/html"):
                    replaced = True
                    query = scope.get("query_string", b"").decode("latin-1")
                    body = not_found_html(path, query, root.rstrip("/")).encode("utf-8")
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 404,
                            "headers": [
                                (b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"cache-control", b"no-cache"),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
                    return
                await send(message)
                return
            if not replaced:
                await send(message)

        await self.app(scope, receive, on_message)
