"""The first paint in the HTML the server sends (server/firstpaint.py): every page link carries the drawing of its
exact view right after <body>, the hand-over script and Streamlit's scripts made inert until the first frame."""

from __future__ import annotations

import asyncio
import html
import re

import pytest

from policylens.render import snapshot
from policylens.views.base import Data
from server import firstpaint
from server.headers import streamlit_index_html
from server.previewtags import LinkPreviewMiddleware
from tests.helpers import in_thread

INDEX = streamlit_index_html().read_bytes()


def streamlit_index(body: bytes = INDEX):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": body})

    return app


def get(path: str, query: str = "", cookie: str = "", sent: list | None = None) -> str:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:8501")] + ([(b"cookie", cookie.encode())] if cookie else []),
        "scheme": "http",
    }
    sent = [] if sent is None else sent

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # In a thread of its own: in the full run Playwright's sync API keeps an event loop running in this one.
    in_thread(asyncio.run, LinkPreviewMiddleware(streamlit_index())(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert int(dict(start["headers"])[b"content-length"]) == len(body)
    return body.decode("utf-8")


@pytest.mark.parametrize(
    ("path", "query", "words"),
    [
        ("/expo", "edition=6&metric=exhibitors", ["China International Import Expo (CIIE)", "Exhibitors", "3,486"]),
        ("/", "", ["Claims"]),
        ("/research", "measure=granted-patents", ["Granted patents"]),
        ("/story", "slide=4&present=true", ["More than half of the world"]),
        ("/sources", "dataset=claims", ["Sources and method"]),
    ],
)
def test_a_page_link_carries_the_drawing_of_its_view_right_after_body(path, query, words):
    page = get(path, query)
    body = page.split("<body>", 1)[1]
    assert body.startswith(f'<div id="{snapshot.ID}"')
    drawing = body.split('<div id="root" inert data-pl-covered>', 1)[0]
    for word in words:
        assert word in drawing, word
    head = page.split("<body>", 1)[0]
    assert f"<script>{snapshot.SCRIPT}</script>" in head and 'id="pl-snapshot-style"' in head
    # Nothing of Streamlit's runs before the first paint: its module script and preloads are inert until then.
    assert '<script type="module"' not in page and 'rel="modulepreload"' not in page
    assert len(re.findall(r"data-pl-module=", page)) == 1
    # The live app's mount point is covered (inert, transparent) until the hand-over uncovers it.
    assert page.count('<div id="root" inert data-pl-covered></div>') == 1


def test_presentation_mode_and_the_theme_filter_reach_the_drawing():
    page = get("/voices", "theme=privacy&present=true")
    assert '<div id="pl-snapshot" class="pl-present"' in page
    assert 'href="./expo?theme=privacy&amp;present=true"' in page


def test_a_link_with_another_data_version_says_the_data_changed():
    page = get("/expo", "edition=6&v=0000000000")
    assert "the data has changed since" in page.split('<div id="root" inert data-pl-covered>', 1)[0]


def test_a_crafted_link_is_escaped_in_the_drawing():
    page = get("/expo", "metric=%3Cscript%3Ealert(1)%3C%2Fscript%3E&x%22%3E%3Cb%3E=1")
    drawing = page.split("<body>", 1)[1].split('<div id="root" inert data-pl-covered>', 1)[0]
    assert "<script>" not in drawing and "<b>" not in drawing
    assert "Ignored in this link:" in drawing and "&lt;script&gt;alert(1)&lt;/script&gt;" in drawing


def test_an_embedded_links_page_links_stay_embedded():
    """Streamlit's sidebar keeps ``embed=true`` and its ``embed_options`` from page to page; so do the drawing's page
    links, in the forms Streamlit reads and nothing else."""
    page = get("/expo", "embed=true&embed_options=show_toolbar&embed_options=%22%3E%3Cb%3E&theme=privacy")
    links = re.findall(r'<a href="([^"]*)"', page.split('<div id="root"', 1)[0])
    assert "./research?theme=privacy&amp;embed=true&amp;embed_options=show_toolbar" in links, links
    assert "<b>" not in page and all("embed" not in link for link in re.findall(r'<a href="([^"]*)"', get("/expo")))
    assert all("embed" not in link for link in re.findall(r'<a href="([^"]*)"', get("/expo", "embed=false")))


def test_paths_that_are_no_page_get_no_drawing():
    assert firstpaint.drawing("/a/b", {}, Data(version="v")) is None
    assert firstpaint.rewrite(INDEX, None) == INDEX


def test_a_browser_that_has_the_bundle_gets_streamlits_scripts_as_they_were():
    """First visit: the scripts wait for the first frame, and the response names the bundle's build in a cookie. A
    visit that names the same build (its cache has the bundle) keeps Streamlit's scripts where they were, so they
    start as early as on Streamlit's own page; the drawing is there either way. Another build's name is a first
    visit again."""
    module = re.search(rb'<script type="module" crossorigin src="[^"]+"></script>', INDEX).group(0).decode()
    sent: list[dict] = []
    first = get("/expo", sent=sent)
    headers = [(k.decode(), v.decode()) for k, v in next(m for m in sent if "headers" in m)["headers"]]
    cookies = [v for k, v in headers if k == "set-cookie"]
    assert len(cookies) == 1 and ("vary", "Cookie") in headers
    name = snapshot.bundle_name(INDEX)
    assert name.startswith("index.") and cookies[0].startswith(f"pl_bundle={name};") and "HttpOnly" in cookies[0]
    assert module not in first and '<script type="text/plain" data-pl-module=' in first

    sent = []
    warm = get("/expo", cookie=f"pl_bundle={name}; other=1", sent=sent)
    headers = [(k.decode(), v.decode()) for k, v in next(m for m in sent if "headers" in m)["headers"]]
    assert module in warm.split("</head>", 1)[0] and not re.search(
        r"<(script|link)[^>]* data-pl-(module|preload)", warm
    )
    assert not [v for k, v in headers if k == "set-cookie"]
    assert '<iframe id="pl-snapshot"' in warm and '<div id="root" inert data-pl-covered>' in warm

    assert module not in get("/expo", cookie="pl_bundle=index.OLDBUILD.js")


SRCDOC = re.compile(r'<body><iframe id="pl-snapshot" data-charts="(\d+)" title="([^"]*)" srcdoc="([^"]*)"></iframe>')


def framed_drawing(page: str) -> str:
    """The drawing in a warm visit's frame, as the browser reads the frame's document (checked to be the one frame,
    right after ``<body>``, with nothing of it left outside the attribute)."""
    found = SRCDOC.search(page)
    assert found and page.count("<iframe") == 1 and page.count("</iframe>") == 1, page[:300]
    document = html.unescape(found.group(3))
    return document.split("<body>", 1)[1].rsplit("</body>", 1)[0]


def test_a_warm_visit_gets_its_drawing_in_a_document_of_its_own():
    """The live app's fonts and stylesheets, arriving under a drawing in the page, made the browser lay out and style
    the drawing again: in a frame of its own (``srcdoc``, no script, links opening in the page) they do not reach it.
    The page around it keeps only the frame's place and the hand-over script; the frame carries the drawing's style
    and font, and the same words as a first visit's drawing."""
    name = snapshot.bundle_name(INDEX)
    warm = get("/expo", "edition=6&metric=exhibitors", cookie=f"pl_bundle={name}")
    found = SRCDOC.search(warm)
    assert found and found.group(1) == "2" and found.group(2) == "China International Import Expo (CIIE)"
    document = html.unescape(found.group(3))
    assert document.startswith('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><base target="_parent">')
    assert "<script" not in document and f'<style id="pl-snapshot-style">{snapshot.STYLE}</style>' in document
    assert '<style id="pl-snapshot-font">@font-face { font-family: "PL Source Sans"' in document
    inside = framed_drawing(warm)
    assert inside.startswith('<div id="pl-snapshot" data-charts="2">') and "3,486" in inside
    assert 'href="./research"' in inside  # relative: the frame's document resolves it against the page's address
    head = warm.split("<body>", 1)[0]
    assert f"<script>{snapshot.SCRIPT}</script>" in head
    assert f'<style id="pl-snapshot-style">{snapshot.FRAME_STYLE}</style>' in head and "@font-face" not in head
    # A first visit's drawing is in the page (the chart pictures are its largest paint: a frame's would not count).
    assert get("/expo", "edition=6&metric=exhibitors").split("<body>", 1)[1].startswith('<div id="pl-snapshot"')


def test_a_crafted_link_is_escaped_in_a_warm_visits_frame():
    """The frame's document is an attribute of the page: a crafted value is escaped for the drawing, then the drawing
    for the attribute, so neither the page nor the frame gets a tag from the link."""
    warm = get(
        "/expo",
        "metric=%22%3E%3C%2Fiframe%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&x%22%3E%3Cb%3E=1",
        cookie=f"pl_bundle={snapshot.bundle_name(INDEX)}",
    )
    frame = warm.split("<body>", 1)[1].split("</iframe>", 1)[0]
    assert frame.count("<") == 1 and frame.startswith('<iframe id="pl-snapshot"')  # one tag, the rest its attributes
    assert warm.split("</iframe>", 1)[1] == get("/expo").split("</main></div>", 1)[1]  # then Streamlit's page
    inside = framed_drawing(warm)
    assert "<script>" not in inside and "<b>" not in inside and "</iframe>" not in inside
    assert "Ignored in this link:" in inside and "&lt;/iframe&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in inside


def test_a_warm_visit_gets_its_charts_in_words_in_their_pictures_place(monkeypatch):
    """A first visit gets the chart pictures; a browser that has the bundle gets the live chart within about a second,
    so its drawing shows each chart in words instead of fetching, laying out and painting the pictures (a warm load
    paid for them; benchmarks/RESULTS.md), and the words keep the picture's box so nothing below them moves."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="450"></svg>'
    narrow = b'<svg xmlns="http://www.w3.org/2000/svg" width="360" height="420"></svg>'
    every_chart = {"wide": svg, "wide-dark": svg, "narrow": narrow, "narrow-dark": narrow}

    class Drawn:  # every chart of the view has its pictures
        def get(self, chart_key):
            return every_chart

    monkeypatch.setattr(firstpaint.pictures, "get", lambda key: Drawn())
    first = get("/expo").split("<body>", 1)[1].split('<div id="root"', 1)[0]
    assert first.count("<picture>") == 2 and "pl-chart-words" not in first

    warm = framed_drawing(get("/expo", cookie=f"pl_bundle={snapshot.bundle_name(INDEX)}"))
    assert "<picture>" not in warm and "<img" not in warm and "/_pl/picture/" not in warm
    assert warm.count('class="pl-chart-words" role="img"') == 2 and "Bar chart of " in warm
    assert warm.count('style="--pl-wide: 900 / 450; --pl-narrow: 360 / 420"') == 2


def test_a_warm_visit_gets_every_block_of_the_view_not_only_the_first_screen():
    """The browser may skip laying out the blocks below the first screen (``content-visibility``), but the HTML still
    carries them all: a warm visit's drawing of a page without charts is the first visit's, to its last line."""
    first = get("/sources", "dataset=claims").split("<body>", 1)[1].split("</main></div>", 1)[0] + "</main></div>"
    warm = get("/sources", "dataset=claims", cookie=f"pl_bundle={snapshot.bundle_name(INDEX)}")
    assert framed_drawing(warm) == first
    assert "Data changelog" in first and first.split("</main>", 1)[0].endswith("more in the live page.</p>")


def test_the_font_has_a_style_of_its_own_that_the_hand_over_leaves():
    """Removing an ``@font-face`` makes the browser lay out every text of the live page again (17 to 35 ms of a warm
    load, benchmarks/RESULTS.md): the hand-over removes the drawing's rules and leaves its font's face."""
    head = snapshot.head(INDEX, "<script></script>")
    font, rules = re.fullmatch(
        r'<style id="pl-snapshot-font">(.*?)</style><style id="pl-snapshot-style">(.*?)</style><script></script>',
        head,
        re.DOTALL,
    ).groups()
    assert font.startswith('@font-face { font-family: "PL Source Sans"') and "@font-face" not in rules
    assert "getElementById('pl-snapshot-style')" in snapshot.SCRIPT and "pl-snapshot-font" not in snapshot.SCRIPT
