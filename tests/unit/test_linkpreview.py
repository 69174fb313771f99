"""Link previews as functions: the words and the picture's address a link unfurls with, from the view layer."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from policylens import linkpreview
from policylens.views import BY_ID
from policylens.views.base import Data

BASE = "https://lens.example.org"


@pytest.fixture
def data(frames, provenances):
    return Data(frames=dict(frames), provenances=dict(provenances), version="abc123")


def preview(data, page_id: str, **query):
    return linkpreview.build_preview(
        BY_ID[page_id], {k: v if isinstance(v, list) else [v] for k, v in query.items()}, data
    )


def test_expo_preview_names_the_view_and_its_chosen_values(data):
    _, expo = preview(data, "expo", metric="visitors", edition="6")
    assert "Visitors" in expo.title and expo.title.endswith("· Policy Lens")
    assert "Visitors" in expo.description and "2023 (6th)" in expo.description
    assert dict(expo.image_query) == {"page": "expo", "edition": "6", "metric": "visitors", "v": "abc123"}
    assert expo.link(BASE) == f"{BASE}/expo?edition=6&metric=visitors"


def test_default_and_filtered_links_have_different_pictures(data):
    _, default = preview(data, "expo")
    _, visitors = preview(data, "expo", metric="visitors")
    assert default.image_query != visitors.image_query
    assert "Intended deals" in default.title and "Visitors" in visitors.title


def test_junk_repeats_and_order_map_to_one_picture(data):
    """Crafted links of one view name one picture: the cache holds one file per view and data version."""
    page = BY_ID["expo"]
    variants = [
        {"edition": ["6"], "metric": ["visitors"]},
        {"metric": ["visitors"], "edition": ["6", "6", "99"], "junk": ["x" * 500]},
        {"edition": ["6"], "metric": ["visitors"], "present": ["true"], "embed": ["true"], "v": ["old"]},
    ]
    keys = set()
    for query in variants:
        params, shared = linkpreview.read_link(page, query)
        keys.add(linkpreview.cache_key(page.id, params, shared, "abc123"))
    assert len(keys) == 1
    params, shared = linkpreview.read_link(page, variants[0])
    assert linkpreview.cache_key(page.id, params, shared, "other") not in keys  # a new data version: a new picture


def test_every_page_has_a_preview_and_a_picture_address(data):
    for page_id in BY_ID:
        view, result = preview(data, page_id)
        assert result.title and result.description, page_id
        assert dict(result.image_query)["page"] == page_id
        if view.main_chart is not None:
            figure = linkpreview.preview_figure(view.main_chart)
            assert (figure.layout.width, figure.layout.height) == (1200, 630)
            assert view.main_chart.title.split(",")[0] in figure.layout.title.text


def test_head_tags_are_absolute_and_escaped(data):
    _, voices = preview(data, "voices", q='"><script>alert(1)</script>')
    tags = linkpreview.head_tags(voices, BASE)
    assert "<script>" not in tags and "alert(1)</script>" not in tags
    assert f'property="og:image" content="{BASE}/preview.png?page=voices' in tags
    assert 'name="twitter:card" content="summary_large_image"' in tags
    image = next(line for line in tags.splitlines() if 'property="og:image"' in line)
    url = image.split('content="')[1].split('"')[0].replace("&amp;", "&")
    assert urlsplit(url).scheme == "https" and ("page", "voices") in parse_qsl(urlsplit(url).query)


def test_preview_figure_escapes_data_text_and_carries_the_source(data):
    view, _ = preview(data, "expo", metric="visitors")
    figure = linkpreview.preview_figure(view.main_chart)
    assert "dataset expo" in figure.layout.title.subtitle.text
    assert figure.layout.template.layout.paper_bgcolor == "white"  # the same picture in any process
    assert any(a.text == "<b>Policy Lens</b>" for a in figure.layout.annotations)


def test_json_ld_cannot_close_its_script():
    block = linkpreview.json_ld_script({"claim": "</script><script>alert(1)</script> & more"})
    assert block.count("</script>") == 1 and block.endswith("</script>")
    body = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body) == {"claim": "</script><script>alert(1)</script> & more"}


def test_card_lines_are_bounded():
    heading, lines = linkpreview.card_lines("T" * 500, "word " * 500)
    assert len(heading) <= 70 and len(lines) <= 7 and all(len(line) <= 58 for line in lines)
