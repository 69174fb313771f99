"""The server's own pieces as functions and tiny ASGI apps: compression, security headers, the preview cache and
its render cap, the HTML rewrite, the claims document and the nginx layout (no Streamlit server needed)."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

from policylens.claims import VERDICT_LABELS
from policylens.views import PAGES
from policylens.views.base import Data
from scripts import cluster
from server import compression, headers, links, previewcache, previews, previewtags, settings, titlecard
from server.claims import claims_document
from server.notfound import NotFoundMiddleware, not_found_html
from tests.helpers import in_thread


def run(coroutine):
    return in_thread(asyncio.run, coroutine)


REPO = Path(__file__).resolve().parents[2]


def call(app, path: str = "/", method: str = "GET", request_headers: dict[str, str] | None = None):
    """Run one HTTP request through an ASGI app; returns (status, headers dict, body)."""
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (request_headers or {}).items()],
    }
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def static_app(body: bytes, content_type: str, cache_control: str = "public, immutable, max-age=31536000"):
    calls = {"n": 0, "accept_encoding": []}

    async def app(scope, receive, send):
        calls["n"] += 1
        calls["accept_encoding"].append(dict(scope["headers"]).get(b"accept-encoding"))
        head = [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", cache_control.encode()),
            (b"etag", b'"abc"'),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": head})
        for i in range(0, len(body), 4096):  # in chunks, like a file response
            await send({"type": "http.response.body", "body": body[i : i + 4096], "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return app, calls


BUNDLE = b"function plotly(){return 'a chart';}\n" * 4000


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0", None),
        ("identity", None),
        ("*", "br"),
        ("", None),
    ],
)
def test_encoding_negotiation(offered, chosen):
    assert compression.negotiate(offered) == chosen


def test_static_bundle_is_compressed_once_and_served_from_memory():
    app, calls = static_app(BUNDLE, "application/javascript")
    middleware = compression.CompressionMiddleware(app)
    for encoding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        status, head, body = call(middleware, "/static/js/index.js", request_headers={"Accept-Encoding": encoding})
        assert status == 200 and head["content-encoding"] == encoding and decode(body) == BUNDLE
        assert int(head["content-length"]) == len(body) < len(BUNDLE) / 10
        assert head["vary"] == "Accept-Encoding" and head["etag"] == 'W/"abc"'
    assert len(middleware.static.entries) == 2  # one per encoding
    cached = dict(middleware.static.entries)
    call(middleware, "/static/js/index.js", request_headers={"Accept-Encoding": "gzip"})
    assert dict(middleware.static.entries) == cached
    # Streamlit's own middleware never sees Accept-Encoding: this is the only place that compresses.
    assert calls["accept_encoding"] == [None, None, None]


def test_small_binary_and_unaccepted_responses_pass_as_they_are():
    png, _ = static_app(b"\x89PNG" + b"0" * 5000, "image/png")
    status, head, body = call(
        compression.CompressionMiddleware(png), "/static/x.png", request_headers={"Accept-Encoding": "gzip"}
    )
    assert "content-encoding" not in head and len(body) == 5004
    small, _ = static_app(b"{}", "application/json")
    assert (
        "content-encoding"
        not in call(compression.CompressionMiddleware(small), "/api/x", request_headers={"Accept-Encoding": "gzip"})[1]
    )
    js, _ = static_app(BUNDLE, "application/javascript")
    status, head, body = call(compression.CompressionMiddleware(js), "/static/a.js")
    assert "content-encoding" not in head and body == BUNDLE and head["vary"] == "Accept-Encoding"


def test_disabled_compression_passes_everything():
    js, _ = static_app(BUNDLE, "application/javascript")
    head = call(
        compression.CompressionMiddleware(js, enabled=False),
        "/static/a.js",
        request_headers={"Accept-Encoding": "gzip"},
    )[1]
    assert "content-encoding" not in head


def test_security_headers_on_every_response(monkeypatch):
    monkeypatch.delenv(settings.FRAME_ANCESTORS_ENV, raising=False)
    app, _ = static_app(b"x", "text/plain")
    head = call(headers.SecurityHeadersMiddleware(app), "/anything")[1]
    csp = head["content-security-policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert "unsafe-eval'" not in csp.replace("wasm-unsafe-eval", "")
    assert head["x-content-type-options"] == "nosniff"
    assert head["referrer-policy"] == "strict-origin-when-cross-origin"
    assert head["x-frame-options"] == "SAMEORIGIN"


def test_csp_hashes_are_those_of_streamlits_inline_scripts():
    text = headers.streamlit_index_html().read_text(encoding="utf-8")
    inline = re.findall(r"<script>(.*?)</script>", text, re.DOTALL)
    assert inline, "Streamlit's index.html has no inline script any more: drop the hash from the policy"
    expected = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline}
    assert set(headers.inline_script_hashes()) == expected


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("", "'self'"),
        ("*", "*"),
        ("'none'", "'none'"),
        ("https://a.example https://b.example:8443", "https://a.example https://b.example:8443"),
        ("https://a.example; script-src *", "'self'"),  # a directive smuggled in: refused, back to the default
        ("javascript:alert(1)", "'self'"),
        ("'none' https://a.example", "'self'"),
    ],
)
def test_frame_ancestors_setting(monkeypatch, configured, expected):
    monkeypatch.setenv(settings.FRAME_ANCESTORS_ENV, configured)
    assert settings.frame_ancestors() == expected


def test_public_url_setting(monkeypatch):
    monkeypatch.setenv(settings.PUBLIC_URL_ENV, "https://lens.example.org/")
    assert settings.public_url() == "https://lens.example.org"
    monkeypatch.setenv(settings.PUBLIC_URL_ENV, 'https://x.org/"><script>')
    assert settings.public_url() is None


def test_origin_ignores_a_hostile_host_header(monkeypatch):
    monkeypatch.delenv(settings.PUBLIC_URL_ENV, raising=False)
    scope = {"scheme": "http", "headers": [(b"host", b'evil.org"><script>')], "server": ("127.0.0.1", 8501)}
    assert links.origin(scope) == "http://127.0.0.1:8501"
    scope["headers"] = [(b"host", b"lens.example.org:8080")]
    assert links.origin(scope) == "http://lens.example.org:8080"


def test_preview_cache_is_bounded_in_files_and_bytes(tmp_path):
    cache = previewcache.PreviewCache(tmp_path, max_files=3, max_bytes=10_000)
    for i in range(10):
        cache.put(f"key{i}", b"p" * 1000)
    assert len(cache.files()) == 3
    assert cache.get("key9") == b"p" * 1000 and cache.get("key0") is None
    cache.put("big", b"p" * 9_500)
    assert sum(f.stat().st_size for f in cache.files()) <= 10_000


def test_at_most_two_renders_at_once():
    slots = previews._Slots()

    async def render(i):
        async with slots.slot():
            await asyncio.sleep(0.02)
        return i

    async def many():
        return await asyncio.gather(*(render(i) for i in range(12)))

    assert run(many()) == list(range(12))
    assert slots.peak == settings.MAX_CONCURRENT_RENDERS == 2


CARD_BAR = (0x1F, 0x4E, 0x79)  # the band across the top of a title card (server/titlecard.py)


def test_title_card_is_a_1200_by_630_png():
    import io

    from PIL import Image

    png = titlecard.title_card("Sources and method", "The dataset “claims” (29 rows). " * 10)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert image.convert("RGB").getpixel((600, 5)) == CARD_BAR


def test_rewrite_html_replaces_the_generic_title():
    page = b"<html><head><meta charset='UTF-8'/><title>Streamlit</title></head><body></body></html>"
    out = previewtags.rewrite_html(page, '<title>Expo · Policy Lens</title>\n<meta property="og:title" content="x" />')
    assert b"Streamlit" not in out and out.count(b"<title>") == 1 and b"og:title" in out


def test_claims_document_has_every_claim_with_verdict_and_source(frames, provenances):
    document = claims_document(Data(frames=dict(frames), provenances=dict(provenances), version="v1"))
    assert document["count"] == len(frames["claims"]) == len(document["claims"])
    assert document["data_version"] == "v1"
    for claim in document["claims"]:
        assert claim["verdict"] in VERDICT_LABELS and claim["claim_text"]
        assert claim["source"] is None or claim["source"]["source_dataset"]


def test_cluster_layout_matches_deploy_nginx_conf(tmp_path):
    """scripts/cluster.py and deploy/nginx.conf are one layout: the same directives, one for local ports."""
    generated = cluster.nginx_conf(tmp_path, "127.0.0.1:8080", ["127.0.0.1:9001", "127.0.0.1:9002"])
    deployed = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for directive in (
        "proxy_read_timeout 86400s;",
        "proxy_buffering off;",
        "large_client_header_buffers 4 256k;",
        "hash $route_key consistent;",
        "Upgrade $http_upgrade;",
        "Connection $connection_upgrade;",
        "max_fails=1",
        "limit_req zone=previews",
        "limit_req zone=api",
        "location /static/",
        "gzip on;",
    ):
        assert directive in generated, directive
        assert directive in deployed, directive
    assert generated.count("server 127.0.0.1:900") == 2


def test_routes_in_the_access_log_include_requests_nginx_retried(tmp_path):
    """The cluster tests read which replica served a browser from nginx's log. A request retried after a replica
    stopped logs both upstreams ("a, b"); it is a row like the others, and its last upstream is the one that
    answered."""
    from tests.helpers import nginx_routes

    log = (
        '127.0.0.1 "GET /expo HTTP/1.1" 200 upstream=127.0.0.1:9001 route=abc\n'
        '127.0.0.1 "GET /_stcore/health HTTP/1.1" 200 upstream=127.0.0.1:9001, 127.0.0.1:9002 route=abc\n'
        '127.0.0.1 "GET /research HTTP/1.1" 200 upstream=127.0.0.1:9002 route=-\n'
    )
    assert nginx_routes(log) == [
        ("GET /expo HTTP/1.1", "127.0.0.1:9001", "abc"),
        ("GET /_stcore/health HTTP/1.1", "127.0.0.1:9001, 127.0.0.1:9002", "abc"),
        ("GET /research HTTP/1.1", "127.0.0.1:9002", "-"),
    ]
    conf = cluster.nginx_conf(tmp_path, "127.0.0.1:8080", ["127.0.0.1:9001"])
    assert conf.count("upstream=$upstream_addr route=") == 1


def test_without_a_browser_a_title_card_stands_in(tmp_path, monkeypatch):
    """No chromium on the host: the picture is a plain title card of the view (and never the default view's)."""
    import io

    from PIL import Image
    from starlette.applications import Starlette

    import server
    from policylens.render import engine

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-browser-here"))
    monkeypatch.setenv("PATH", str(tmp_path))  # nor on PATH
    monkeypatch.setenv(settings.PREVIEW_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(engine, "engine", engine.Engine())  # the process's one browser, not yet started
    monkeypatch.setattr(previews, "slots", previews._Slots())
    app = Starlette(routes=server.routes())

    def picture(query: bytes) -> bytes:
        async def exchange():
            sent = []

            async def receive():
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message):
                sent.append(message)

            scope = {"type": "http", "method": "GET", "path": "/preview.png", "query_string": query, "headers": []}
            await app(scope, receive, send)
            return sent

        sent = run(exchange())
        assert sent[0]["status"] == 200
        return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

    default = picture(b"page=expo")
    visitors = picture(b"page=expo&metric=visitors")
    for png in (default, visitors):
        image = Image.open(io.BytesIO(png))
        assert image.size == (1200, 630) and image.convert("RGB").getpixel((600, 5)) == CARD_BAR  # a card
    assert default != visitors  # the card says which view
    assert not engine.engine.running


def test_a_link_with_thousands_of_parameters_still_gets_its_tags(monkeypatch):
    monkeypatch.delenv(settings.PUBLIC_URL_ENV, raising=False)
    query = "&".join(f"junk{i}=x" for i in range(5000)) + "&metric=visitors"
    scope = {"query_string": query.encode(), "headers": [(b"host", b"127.0.0.1:8501")], "scheme": "http"}
    assert len(links.link_query(scope)) == links.MAX_FIELDS
    tags = previewtags.head_for("/expo", scope)
    assert 'property="og:image" content="http://127.0.0.1:8501/preview.png?page=expo' in tags


def streamlit_fallback(content_type: str = "text/html; charset=utf-8", body: bytes = b"<html>index</html>"):
    """Streamlit's answer to any path it has no route for: index.html (or, for its own routes, what they serve)."""

    async def app(scope, receive, send):
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type.encode())]}
        )
        await send({"type": "http.response.body", "body": body})

    return app


@pytest.mark.parametrize("path", ["/", "/expo", "/research", "/analyze", "/story/"])
def test_page_links_pass_to_streamlit(path):
    status, _, body = call(NotFoundMiddleware(streamlit_fallback()), path)
    assert (status, body) == (200, b"<html>index</html>")


@pytest.mark.parametrize("path", ["/expo/x", "/a/b", "/a", "/expo/static/js/index.js", "//expo", "/Expo%00"])
def test_a_path_that_is_no_page_gets_a_404_that_says_so_and_links_home(path):
    status, headers, body = call(NotFoundMiddleware(streamlit_fallback()), path)
    page = body.decode()
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert "<h1>This link is not found</h1>" in page and '<a href="/">Go to the Overview</a>' in page
    assert [re.sub(r"<.*?>", "", item) for item in re.findall(r"<li>.*?</li>", page)] == [p.title for p in PAGES]
    assert int(headers["content-length"]) == len(body)


def test_head_of_a_missing_page_is_a_404_without_a_body():
    status, _, body = call(NotFoundMiddleware(streamlit_fallback()), "/a/b", method="HEAD")
    assert (status, body) == (404, b"")


def test_scripts_images_and_errors_of_other_routes_pass_untouched():
    for content_type in ("application/javascript", "image/png", "text/plain"):
        status, headers, body = call(NotFoundMiddleware(streamlit_fallback(content_type, b"x")), "/static/x.js")
        assert (status, headers["content-type"], body) == (200, content_type, b"x")


def test_the_not_found_page_escapes_the_link_and_keeps_its_query_on_the_nearest_page():
    page = not_found_html("/expo/<script>alert(1)</script>", "measure=papers&note=%3Cb%3Ehi%3C%2Fb%3E&theme=dark")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="/expo?measure=papers&amp;note=%3Cb%3Ehi%3C%2Fb%3E&amp;theme=dark">Expo (CIIE)</a>' in page
    assert '<html lang="en">' in page  # ``theme`` names topics: it goes on in the link and does not colour the page
    assert "starts like" not in not_found_html("/nowhere/x")
    assert '<html lang="en">' in not_found_html("/a", 'theme="><script>')
    assert len(not_found_html("/" + "x" * 10_000)) < 4_000
