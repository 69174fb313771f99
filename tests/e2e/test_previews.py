"""Link previews, fetched the way a chat service fetches them: the page link's HTML without JavaScript, its meta tags,
then the picture they name. Also the claims API and the Overview's ClaimReview JSON-LD, and the bounds of the
preview route (canonical cache keys, a bounded cache)."""

from __future__ import annotations

import gzip
import io
import json
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from policylens import datasets
from tests.e2e.helpers import Server

# A link unfurler's request: no JavaScript, its own user agent.
UNFURLER = {"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Accept": "text/html"}
MAX_FILES = 6


@pytest.fixture(scope="module")
def preview_server(tmp_path_factory):
    cache = tmp_path_factory.mktemp("previews")
    srv = Server(
        {
            "POLICYLENS_DATA_DIR": "",
            "POLICYLENS_PREVIEW_DIR": str(cache),
            "POLICYLENS_PREVIEW_MAX_FILES": str(MAX_FILES),
            # No warm-up: in this empty cache it would draw every page's first-paint pictures in the background
            # (about 16 CPU s of Chromium, during the other tests; issue 21). The previews are drawn on request.
            "POLICYLENS_WARMUP": "0",
        }
    ).start()
    srv.cache = cache
    yield srv
    srv.stop()


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self.json_ld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "ld"
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "ld":
            self.json_ld[-1] += data


def fetch(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers, response.read()  # headers: case-insensitive


def unfurl(url: str) -> _Head:
    status, headers, body = fetch(url, UNFURLER)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    head = _Head()
    head.feed(body.decode("utf-8"))
    return head


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(png)).size


def test_a_filtered_expo_link_unfurls_with_its_view(preview_server):
    head = unfurl(preview_server.url + "/expo?metric=visitors&edition=6")
    assert "Visitors" in head.meta["og:title"] and "Policy Lens" in head.meta["og:title"]
    assert head.title == head.meta["og:title"]
    assert "Visitors" in head.meta["og:description"] and "2023 (6th)" in head.meta["og:description"]
    image = urlsplit(head.meta["og:image"])
    assert f"{image.scheme}://{image.netloc}" == preview_server.url and image.path == "/preview.png"
    assert parse_qs(image.query)["metric"] == ["visitors"] and parse_qs(image.query)["edition"] == ["6"]
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["og:url"] == preview_server.url + "/expo?edition=6&metric=visitors"


def test_the_picture_is_the_views_chart_not_the_default(preview_server):
    default = unfurl(preview_server.url + "/expo").meta["og:image"]
    visitors = unfurl(preview_server.url + "/expo?metric=visitors").meta["og:image"]
    assert default != visitors and "Intended deals" in unfurl(preview_server.url + "/expo").meta["og:title"]
    status, headers, default_png = fetch(default, UNFURLER)
    assert status == 200 and headers["Content-Type"] == "image/png"
    _, visitors_headers, visitors_png = fetch(visitors, UNFURLER)
    assert png_size(default_png) == png_size(visitors_png) == (1200, 630)
    assert default_png != visitors_png
    # A chart drawn by chromium, not the title card that stands in without a browser (its band across the top).
    assert Image.open(io.BytesIO(visitors_png)).convert("RGB").getpixel((600, 5)) != (0x1F, 0x4E, 0x79)
    _, again_headers, again = fetch(visitors, UNFURLER)  # from the disk cache now
    assert again == visitors_png and again_headers["ETag"] == visitors_headers["ETag"]


def test_every_page_link_unfurls(preview_server):
    for path in ("/", "/research?measure=granted-patents", "/policy", "/voices?q=privacy", "/themes", "/sources",
                 "/story?slide=2"):  # fmt: skip
        head = unfurl(preview_server.url + path)
        for tag in ("og:title", "og:description", "og:image", "twitter:card"):
            assert head.meta.get(tag), (path, tag)
        assert head.meta["og:image"].startswith(preview_server.url + "/preview.png?page=")


def test_hostile_link_values_are_not_echoed_as_html(preview_server):
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    status, _, body = fetch(preview_server.url + "/voices?q=" + urllib.request.quote(hostile), UNFURLER)
    text = body.decode("utf-8")
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    head = _Head()
    head.feed(text)
    assert head.meta["og:image"].startswith(preview_server.url + "/preview.png?page=voices")


def test_overview_carries_the_claims_as_claimreview_json_ld(preview_server):
    head = unfurl(preview_server.url + "/")
    assert len(head.json_ld) == 1
    document = json.loads(head.json_ld[0])
    reviews = document["@graph"]
    _, _, api = fetch(preview_server.url + "/api/claims.json")
    claims = json.loads(api)
    assert len(reviews) == claims["count"] == len(claims["claims"]) > 0
    assert {r["@type"] for r in reviews} == {"ClaimReview"}
    assert all(r["url"].startswith(preview_server.url + "/") for r in reviews)
    by_id = {c["id"]: c for c in claims["claims"]}
    for review in reviews:
        claim = by_id[review["identifier"]]
        assert review["claimReviewed"] == claim["claim_text"]
        assert review["reviewRating"]["alternateName"] == claim["verdict_label"]


def test_claims_api_names_verdicts_sources_and_the_data_version(preview_server):
    status, headers, body = fetch(preview_server.url + "/api/claims.json", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert headers.get("Content-Encoding") == "gzip"
    document = json.loads(gzip.decompress(body))
    assert document["data_version"] == datasets.data_version()
    cited = [c for c in document["claims"] if c["source"]]
    assert cited and all(c["source"]["publisher"] or c["source"]["source_title"] for c in cited)
    assert all(c["verdict"] in document["verdicts"] for c in document["claims"])


def test_crafted_parameters_cannot_fill_the_preview_cache(preview_server):
    base = preview_server.url + "/preview.png?page=expo&metric=exhibitors&edition=3"
    etags = set()
    for i in range(12):  # junk, repeats, reorderings and other data versions: one view, one file
        _, headers, _ = fetch(f"{base}&junk{i}={'x' * 50}&edition=3&edition=99&v=old{i}&present=true")
        etags.add(headers["ETag"])
    assert len(etags) == 1
    files_before = len(list(preview_server.cache.glob("*.png")))
    for word in ("privacy", "talent", "data", "china", "expo", "patent", "ai", "trade", "safety", "cloud"):
        status, _, png = fetch(preview_server.url + f"/preview.png?page=voices&q={word}")
        assert status == 200 and png_size(png) == (1200, 630)
    assert files_before >= 1
    assert len(list(preview_server.cache.glob("*.png"))) <= MAX_FILES
    status = urllib.request.urlopen(preview_server.url + "/preview.png?page=expo", timeout=60).status
    assert status == 200
    with pytest.raises(urllib.error.HTTPError) as unknown:
        fetch(preview_server.url + "/preview.png?page=../../etc/passwd")
    assert unknown.value.code == 404
