"""What the server sends besides the page: security headers on every kind of response, a policy the pages live with
(no violation in the browser after a chart click; every page link is loaded under it, in both themes, by the walk of
tests/e2e/test_a11y.py and the phone walk of tests/e2e/test_pages.py), and embedding limited to the configured sites."""

from __future__ import annotations

import html
import http.server
import re
import threading
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode, urlsplit

import brotli
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import CSP_VIOLATIONS, STREAMLIT_SCRIPT, Server, click_mark, open_page
from tests.helpers import bundle_path

HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def response(url: str, method: str = "GET"):
    request = urllib.request.Request(url, method=method, headers={"Accept-Encoding": "gzip, br"})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_every_kind_of_response_carries_the_security_headers(server):
    status, headers, html = response(server.url + "/expo")
    assert status == 200
    page = brotli.decompress(html).decode() if headers.get("Content-Encoding") == "br" else html.decode()
    script = bundle_path(page)
    style = re.search(r'href="\./(static/css/[^"]+\.css)"', page).group(1)
    urls = {
        "page": "/",
        "deep link": "/expo?edition=6",
        "static JS": "/" + script,
        "static CSS": "/" + style,
        "health": "/_stcore/health",
        "host config": "/_stcore/host-config",
        "preview": "/preview.png?page=overview",
        "api": "/api/claims.json",
        "unknown preview page (404)": "/preview.png?page=nope",
        "favicon": "/favicon.png",
    }
    for what, path in urls.items():
        status, headers, _ = response(server.url + path)
        for name in HEADERS:
            assert headers.get(name), f"{what} ({path}, {status}) lacks {name}"
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp, what
        assert headers["X-Content-Type-Options"] == "nosniff"
    _, js_headers, _ = response(server.url + "/" + script)
    assert js_headers["Content-Encoding"] in ("br", "gzip")  # compressed, like every bundle


def test_a_chart_click_lives_with_the_policy(server, page, js_errors):
    """No CSP violation when a chart's mark is clicked and the view follows (page loads: tests/e2e/test_a11y.py)."""
    page.add_init_script(CSP_VIOLATIONS)
    open_page(page, server.url + "/expo")
    click_mark(page, page.locator(".st-key-card-expo_bars g.barlayer g.point path").nth(5))
    page.wait_for_url(re.compile(r"edition=6"))
    assert page.evaluate("window.__violations || []") == []


@pytest.fixture(scope="module")
def embedder():
    """Another site on 127.0.0.1 (another port, so another origin) whose page frames the link given in ?src=."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            src = html.escape(parse_qs(urlsplit(self.path).query).get("src", [""])[0], quote=True)
            body = f'<html><body><iframe id="lens" src="{src}" width="900" height="700"></iframe></body></html>'
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_port}/"
    site.shutdown()


def embed(page, embedder: str, src: str) -> None:
    page.goto(embedder + "?" + urlencode({"src": src}))


def test_another_site_cannot_frame_the_app_by_default(server, page, embedder):
    embed(page, embedder, f"{server.url}/expo")  # returns on the embedder's load, which waits for its frame's
    # The browser refused the frame: it holds Chromium's error page, not the app.
    (frame,) = [f for f in page.frames if f.parent_frame is not None]
    assert frame.url.startswith("chrome-error://"), frame.url
    expect(page.frame_locator("#lens").locator("[data-testid=stApp]")).to_have_count(0)


@pytest.fixture(scope="module")
def embeddable_server():
    # No warm-up (7 CPU s a start; issue 21): this server answers for its headers, which the warm-up does not touch.
    srv = Server({"POLICYLENS_DATA_DIR": "", "POLICYLENS_FRAME_ANCESTORS": "*", "POLICYLENS_WARMUP": "0"}).start()
    yield srv
    srv.stop()


def test_embedding_opens_up_through_the_setting(embeddable_server, page, embedder):
    status, headers, _ = response(embeddable_server.url + "/expo")
    assert "frame-ancestors *" in headers["Content-Security-Policy"] and "X-Frame-Options" not in headers
    embed(page, embedder, f"{embeddable_server.url}/expo?embed=true")
    expect(page.frame_locator("#lens").locator("[data-testid=stApp]")).to_have_count(1, timeout=60_000)


def test_a_warm_visits_frame_shows_where_no_site_may_frame_the_app(page):
    """With ``frame-ancestors 'none'`` (a deployer's choice), a warm visit's drawing still shows: its frame is a
    document of the page's own (``srcdoc``), which the policy does not refuse."""
    srv = Server({"POLICYLENS_DATA_DIR": "", "POLICYLENS_FRAME_ANCESTORS": "'none'", "POLICYLENS_WARMUP": "0"}).start()
    try:
        _, headers, _ = response(srv.url + "/expo")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
        page.goto(srv.url + "/expo", wait_until="commit")  # the first visit's response sets the bundle cookie
        page.route(STREAMLIT_SCRIPT, lambda route: None)  # the drawing stays up
        page.goto(srv.url + "/expo", wait_until="commit")
        frame = page.frame_locator("iframe#pl-snapshot")
        expect(frame.locator("h1")).to_have_text("China International Import Expo (CIIE)")
    finally:
        srv.stop()


def test_a_warm_visits_page_links_stay_in_the_embedding_frame(embeddable_server, page, embedder):
    """Embedded by another site, the app's second visit is warm (its cookie is the app's own): a page link in its
    drawing's frame takes the app's frame to that page, and leaves the embedding site where it is."""
    link = f"{embeddable_server.url}/expo?embed=true"
    embed(page, embedder, link)  # the first visit: the bundle cookie set
    expect(page.frame_locator("#lens").locator("[data-testid=stApp]")).to_have_count(1, timeout=60_000)
    page.route(STREAMLIT_SCRIPT, lambda route: None)  # the drawing stays up
    page.goto(embedder + "?" + urlencode({"src": link}), wait_until="commit")
    drawing = page.frame_locator("#lens").frame_locator("iframe#pl-snapshot")
    expect(drawing.locator("h1")).to_have_text("China International Import Expo (CIIE)")
    drawing.get_by_role("link", name="Research and patents").click()
    expect(drawing.locator("h1")).to_have_text("Research and patents")  # the app's frame, at its next page
    assert page.url.startswith(embedder)
    (frame,) = [f for f in page.frames if f.parent_frame == page.main_frame]
    assert frame.url == f"{embeddable_server.url}/research?embed=true", (
        frame.url
    )  # still embedded, as the sidebar keeps it
