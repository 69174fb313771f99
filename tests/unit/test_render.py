"""The static drawing of a View (policylens/render/): the first paint's HTML, its pictures, and the one browser and
one place every drawing outside the app comes from."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policylens import linkpreview, palette
from policylens.paths import REPO_ROOT
from policylens.render import engine, markup, shelf, snapshot
from policylens.render.pictures import VARIANTS, Pictures, draw_chart, picture_name
from policylens.render.shelf import Shelf
from policylens.views import BY_ID, PAGES
from policylens.views.base import Data


@pytest.fixture
def data(frames, provenances):
    return Data(frames=dict(frames), provenances=dict(provenances), version="abc123")


def drawing(data, page_id: str, query: dict, pictures=None) -> str:
    entry = BY_ID[page_id]
    params, shared = linkpreview.read_link(entry, query)
    view = entry.build(params, data)
    return snapshot.snapshot_html(view, PAGES, shared.to_query(), pictures, present=shared.present)


class Tags(HTMLParser):
    """The start tags of a piece of HTML with their attributes, and its text."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.words: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.words.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.words).split())

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_the_drawing_shows_the_exact_view_of_the_link(data):
    html = drawing(data, "expo", {"edition": ["6"], "metric": ["exhibitors"]})
    page = Tags(html)
    words = page.text()
    assert "China International Import Expo (CIIE)" in words
    # The controls' values as the page shows them, not the ids the link carries.
    assert "Metric Exhibitors" in words and "2023 (6th)" in words
    # Pictures not drawn yet: each chart in words, its alt text and its source line.
    assert "Bar chart of Exhibitors" in words and "3,486" in words
    assert "Source: dataset expo" in words
    links = {a["href"]: a for a in page.all("a")}
    assert set(links) >= {"./" + p.path for p in PAGES}
    assert "aria-current" in links["./expo"] and "aria-current" not in links["./research"]
    assert page.all("div")[0]["data-charts"] == "2"


def test_the_drawing_keeps_the_shared_settings_in_its_page_links(data):
    html = drawing(data, "voices", {"theme": ["privacy"], "present": ["true"]})
    hrefs = [a["href"] for a in Tags(html).all("a")]
    assert "./expo?theme=privacy&present=true" in hrefs
    assert 'class="pl-present"' in html


def test_a_crafted_link_gets_the_pages_drops_and_no_markup(data):
    hostile = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    html = drawing(data, "expo", {"edition": ["6", "99"], "metric": [hostile], hostile: ["1"]})
    page = Tags(html)
    assert not page.all("script") and all(a.get("src") != "x" for a in page.all("img"))
    assert "<script>" not in html and "<img src=x" not in html
    words = page.text()
    assert words.count("Ignored in this link:") == 1
    assert "edition '99'" in words and "metric '\"><img src=x" in words
    assert "Intended deals" in words  # the metric fell back to the page's default, as on the page


def test_a_view_with_its_pictures_carries_one_picture_element_per_chart_with_four_addresses(data):
    entry = BY_ID["expo"]
    params, _ = linkpreview.read_link(entry, {})
    view = entry.build(params, data)
    svgs = {
        v.name: f'<svg xmlns="http://www.w3.org/2000/svg" width="{900 if "wide" in v.name else 360}" '
        f'height="450"><text>{v.name}</text></svg>'.encode()
        for v in VARIANTS
    }
    drawn = Pictures()
    drawn.kept.remember("k", {chart.key: svgs for chart in view.charts})
    html = snapshot.snapshot_html(view, PAGES, [], drawn.get("k"))
    page = Tags(html)
    images, sources = page.all("img"), page.all("source")
    assert len(images) == len(view.charts) and len(sources) == 3 * len(view.charts)
    assert "<svg" not in html and "data:" not in html  # the HTML carries addresses, not pictures
    assert {img["alt"] for img in images} == {chart.alt for chart in view.charts}
    first = images[0]
    assert (first["width"], first["height"]) == ("900", "450")  # the box is reserved: nothing moves when it decodes
    # The first chart is the first paint's largest picture: fetched at once, first; the others when scrolled to.
    assert "loading" not in first and first["fetchpriority"] == "high" and images[-1]["loading"] == "lazy"
    # Each address names its variant and serves exactly that picture's bytes (what the route answers).
    assert first["src"].startswith("./_pl/picture/wide-")
    assert drawn.svg(first["src"].rsplit("/", 1)[1]) == svgs["wide"]
    by_media = {s["media"]: s for s in sources[:3]}
    narrow_dark = by_media["(max-width: 767.98px) and (prefers-color-scheme: dark)"]
    assert drawn.svg(narrow_dark["srcset"].rsplit("/", 1)[1]) == svgs["narrow-dark"]
    assert narrow_dark["width"] == "360"
    assert drawn.svg(by_media["(prefers-color-scheme: dark)"]["srcset"].rsplit("/", 1)[1]) == svgs["wide-dark"]
    assert drawn.svg("wide-0000.svg") is None

    # A warm visit's drawing: every chart in words, in its picture's box (wide and narrow), no picture fetched.
    words = snapshot.snapshot_html(view, PAGES, [], drawn.get("k"), in_words=True)
    page = Tags(words)
    assert not page.all("img") and not page.all("picture") and "/_pl/picture/" not in words
    boxes = [p for p in page.all("p") if p.get("class") == "pl-chart-words"]
    assert len(boxes) == len(view.charts)
    assert {b["style"] for b in boxes} == {"--pl-wide: 900 / 450; --pl-narrow: 360 / 450"}
    # Not drawn yet: words without a box of their own (the picture's size is not known).
    assert "style=" not in snapshot.snapshot_html(view, PAGES, [], None, in_words=True)


def test_every_page_has_a_drawing(data):
    for entry in PAGES:
        html = drawing(data, entry.id, {})
        assert html.startswith(f'<div id="{snapshot.ID}"') and "<h1>" in html, entry.id


def test_markdown_becomes_escaped_html():
    assert markup.markdown_html("The **6th** *CIIE* \\*not\\* <b>") == (
        "<p>The <strong>6th</strong> <em>CIIE</em> *not* &lt;b&gt;</p>"
    )
    assert markup.markdown_html("[Sources](/sources#x) and [bad](javascript:void)") == (
        '<p><a href="/sources#x">Sources</a> and bad</p>'
    )
    assert markup.markdown_html("- one\n- two\n\nafter") == "<ul><li>one</li><li>two</li></ul><p>after</p>"
    assert markup.markdown_html(":gray[:small[Xiaosheng Tan]] :material/info:") == "<p>Xiaosheng Tan </p>"


def test_streamlits_scripts_wait_for_the_first_frame():
    from server.headers import streamlit_index_html

    index = streamlit_index_html().read_bytes()
    deferred = snapshot.defer_scripts(index)
    assert b'<script type="module"' in index and b'rel="modulepreload"' in index
    assert b'<script type="module"' not in deferred and b'rel="modulepreload"' not in deferred
    modules = re.findall(rb'data-pl-module="([^"]+)"', deferred)
    preloads = re.findall(rb'data-pl-preload href="([^"]+)"', deferred)
    assert len(modules) == 1 and len(preloads) == index.count(b'rel="modulepreload"') > 10


def test_the_first_paint_script_is_allowed_by_its_hash_and_nothing_else():
    from server.headers import content_security_policy, script_hash

    policy = content_security_policy("'self'")
    assert script_hash(snapshot.SCRIPT) in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_dark_pictures_repaint_the_neutral_text(data):
    chart = BY_ID["expo"].build(BY_ID["expo"].params(), data).main_chart
    pictures = draw_chart(chart, present=False)
    assert set(pictures) == {v.name for v in VARIANTS}
    sizes = {name: re.search(rb'width="(\d+)" height="(\d+)"', svg).groups() for name, svg in pictures.items()}
    assert sizes["wide"] == (b"900", b"450") and sizes["narrow"][0] == b"360"
    assert b"fill: rgb(92, 95, 102)" in pictures["wide"]  # palette.NEUTRAL_TEXT
    assert (
        b"fill: rgb(92, 95, 102)" not in pictures["wide-dark"] and b"fill: rgb(168, 165, 160)" in pictures["wide-dark"]
    )
    assert palette.NEUTRAL_TEXT_DARK == "#A8A5A0"


def test_pictures_are_drawn_in_the_background_once_per_view_and_kept_on_disk_for_the_next_process(
    data, tmp_path, monkeypatch
):
    entry = BY_ID["expo"]
    view = entry.build(entry.params().replace(metric="visitors"), data)
    kept = Pictures()
    kept.keep_on(Shelf(tmp_path))
    assert kept.get("k") is None
    kept.request("k", view, False)
    kept.request("k", view, False)  # asked twice while drawing: drawn once
    assert kept.wait(60)
    drawn = kept.get("k")
    assert set(drawn) == {chart.key for chart in view.charts}
    assert all(svg.startswith(b"<svg") for pictures in drawn.values() for svg in pictures.values())

    # Another replica (or this one restarted) with no browser at all finds them on the shelf, addresses included.
    def no_browser(*_args, **_kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setattr(engine, "render", no_browser)
    other = Pictures()
    other.keep_on(Shelf(tmp_path))
    assert other.get("k") == drawn
    name = picture_name("wide", drawn[view.charts[0].key]["wide"])
    assert other.svg(name) == drawn[view.charts[0].key]["wide"]
    assert other.draw("k", view, False) == drawn  # the warm-up finds them too
    # A picture's address answers on any replica of the host, even one that never drew or read its view.
    third = Pictures()
    third.keep_on(Shelf(tmp_path))
    assert third.svg(name) == drawn[view.charts[0].key]["wide"]
    assert third.svg("../" + name) is None and third.svg(name.replace(".svg", ".json")) is None
    # Another view, or the same view drawn by other code (a new release), is not on the shelf.
    assert other.get("other view") is None
    monkeypatch.setattr(shelf, "code_version", lambda: "another release")
    assert Shelf(tmp_path).load("k") is None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_pack_and_the_slides_no_longer_import_each_other():
    core = REPO_ROOT / "policylens"
    assert "policylens.pack" not in _imports(core / "slides_pptx.py")
    assert "policylens.slides_pptx" in _imports(core / "pack.py")


def test_one_module_drives_the_browser():
    users = sorted(
        str(path.relative_to(REPO_ROOT))
        for folder in ("policylens", "server", "components")
        for path in (REPO_ROOT / folder).rglob("*.py")
        if any(name == "kaleido" or name.startswith("kaleido.") for name in _imports(path))
    )
    assert users == ["policylens/render/engine.py"]
