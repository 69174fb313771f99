"""Link previews of a view: the words and the picture a chat service shows for a shared link. Pure: no Streamlit.

A link is read the way the app reads it (``Params.from_query`` of its page and the shared parameters), the view is
built by the page's own ``build``, and everything a preview says comes from that ``View``: its title, its summary and
its main chart, whose picture ``preview_figure`` dresses (policylens/render/figures.py, beside the other pictures).
The preview image has one canonical address per view (``image_query``): the pinned parameters in canonical order, so
a crafted link with junk, repeated or reordered parameters names the same image as the clean link, and the image
cache holds one file per view and data version (``cache_key``).
"""

from __future__ import annotations

import hashlib
import html
import json
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from policylens.render.figures import IMAGE_HEIGHT, IMAGE_WIDTH, SITE, cut
from policylens.render.figures import preview_figure as preview_figure  # the preview's picture, for its callers
from policylens.views import BY_ID, Page
from policylens.views.base import Data, Params, View
from policylens.views.shared import SharedParams

SITE_DESCRIPTION = (
    "An evidence dashboard for the CGTN article “China's efforts in global technological collaboration”: every claim "
    "beside the public figure behind it, with its source."
)
IMAGE_PATH = "/preview.png"
MAX_DESCRIPTION = 300  # characters; chat services cut longer descriptions anyway


@dataclass(frozen=True)
class LinkPreview:
    """What a link unfurls as: the view in words, its canonical link and the address of its picture."""

    page_id: str
    title: str  # og:title, <title>
    description: str  # og:description
    link_query: tuple[tuple[str, str], ...]  # the view's link, canonical (defaults left out)
    image_query: tuple[tuple[str, str], ...]  # the picture's address: page, pinned parameters, data version
    image_alt: str

    def link(self, base: str) -> str:
        return BY_ID[self.page_id].link(list(self.link_query), base=base)

    def image_url(self, base: str) -> str:
        return f"{base}{IMAGE_PATH}?{urlencode(self.image_query)}"


def read_link(page: Page, query: Mapping[str, Sequence[str]]) -> tuple[Params, SharedParams]:
    """The page's parameters (with the shared ones copied in) and the shared parameters a link asks for."""
    shared = SharedParams.from_query(query)
    params = page.params.from_query(query).with_shared(shared)
    return params, shared


def canonical_query(params: Params, shared: SharedParams) -> tuple[tuple[str, str], ...]:
    """Every parameter that shapes the picture, written out in canonical order (presentation mode does not)."""
    shared_pairs = [(k, v) for k, v in shared.to_query(pinned=True) if k != "present"]
    return (*params.to_query(pinned=True), *shared_pairs)


def cache_key(page_id: str, params: Params, shared: SharedParams, version: str) -> str:
    """One key per view and data version: the file name of its cached picture."""
    canonical = urlencode([("page", page_id), *canonical_query(params, shared), ("v", version)])
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def image_query(page_id: str, params: Params, shared: SharedParams, version: str) -> tuple[tuple[str, str], ...]:
    return (("page", page_id), *canonical_query(params, shared), ("v", version))


def describe(page: Page, view: View, shared: SharedParams, version: str) -> LinkPreview:
    """The preview of a built view (``view.params`` are the parameters as the view resolved them)."""
    chart = view.main_chart
    heading = view.title if view.title != SITE else page.title
    title = f"{heading}: {chart.title}" if chart is not None and chart.title else heading
    return LinkPreview(
        page_id=page.id,
        title=cut(f"{title} · {SITE}", 160),
        description=cut(view.summary or f"{page.title}, {SITE}.", MAX_DESCRIPTION),
        link_query=(*view.params.to_query(), *shared.to_query()),
        image_query=image_query(page.id, view.params, shared, version),
        image_alt=cut(chart.alt if chart is not None and chart.alt else view.summary or title, 300),
    )


def build_preview(page: Page, query: Mapping[str, Sequence[str]], data: Data) -> tuple[View, LinkPreview]:
    """Read a link, build its view and describe it. Raises what ``page.build`` raises (``Unavailable``)."""
    params, shared = read_link(page, query)
    view = page.build(params, data)
    return view, describe(page, view, shared, data.version)


def site_preview_tags() -> str:
    """The tags of a link that names no page of the registry: the site in words, no picture."""
    return "\n".join(
        [
            f"<title>{html.escape(SITE)}</title>",
            _meta("name", "description", SITE_DESCRIPTION),
            _meta("property", "og:site_name", SITE),
            _meta("property", "og:title", SITE),
            _meta("property", "og:description", SITE_DESCRIPTION),
            _meta("name", "twitter:card", "summary"),
        ]
    )


def _meta(attr: str, name: str, content: str) -> str:
    return f'<meta {attr}="{name}" content="{html.escape(content, quote=True)}" />'


def head_tags(preview: LinkPreview, base: str) -> str:
    """The ``<title>``, Open Graph and Twitter tags of a link, every value escaped; ``base`` is the site's origin."""
    link, image = preview.link(base), preview.image_url(base)
    return "\n".join(
        [
            f"<title>{html.escape(preview.title)}</title>",
            _meta("name", "description", preview.description),
            f'<link rel="canonical" href="{html.escape(link, quote=True)}" />',
            _meta("property", "og:site_name", SITE),
            _meta("property", "og:type", "website"),
            _meta("property", "og:title", preview.title),
            _meta("property", "og:description", preview.description),
            _meta("property", "og:url", link),
            _meta("property", "og:image", image),
            _meta("property", "og:image:type", "image/png"),
            _meta("property", "og:image:width", str(IMAGE_WIDTH)),
            _meta("property", "og:image:height", str(IMAGE_HEIGHT)),
            _meta("property", "og:image:alt", preview.image_alt),
            _meta("name", "twitter:card", "summary_large_image"),
            _meta("name", "twitter:title", preview.title),
            _meta("name", "twitter:description", preview.description),
            _meta("name", "twitter:image", image),
        ]
    )


def json_ld_script(document: object) -> str:
    """A JSON-LD block for an HTML head; ``<``, ``>`` and ``&`` are escaped so no value can close the script."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def card_lines(view_title: str, summary: str) -> tuple[str, list[str]]:
    """The heading and wrapped body lines of a plain title card (a view without a chart, or no browser)."""
    return cut(view_title, 70), textwrap.wrap(cut(summary, 420), 58)[:7]
