"""The meeting pack: one zip with a self-contained HTML page of the story, every dataset as CSV and a sources file.

Each slide is the slide page's own ``View`` for the slide's query, in its compact layout (the blocks the Story page
shows), written as HTML: charts as Plotly divs (plotly.js inlined once, so it opens and draws with no network),
tables as HTML tables, record cards as their plain text, text as paragraphs (policylens/render/markup.py, which the
first paint and the slides draw from too). Nothing here imports Streamlit and nothing here knows a page.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from policylens.claimreview import claims_jsonld
from policylens.datasets import DATASET_IDS
from policylens.export import ImageUnavailable
from policylens.render import markup
from policylens.render.markup import escape as _e
from policylens.render.markup import plain_text as plain_text  # the pack's reading of Markdown, for its callers
from policylens.share import ARTICLE
from policylens.slides_pptx import deck_pptx
from policylens.views.base import Block, Chart, Data
from policylens.views.deck import Slide

# A fixed timestamp for every zip entry: the same data gives the same bytes.
_ZIP_TIME = (2023, 11, 5, 0, 0, 0)


def chart_div_id(slide: Slide, index: int) -> str:
    return f"slide-{slide.number}-chart-{index}"


PLOTLY_HEIGHT = 450  # Plotly's height for a figure that sets none
PRINT_CHART_HEIGHT = 400  # CSS pixels; a landscape A4 or Letter page holds about 700 below its margins


def _chart_html(chart: Chart, div_id: str) -> str:
    heading = f"<h3>{_e(chart.heading)}</h3>" if chart.heading else ""
    figure = pio.to_html(
        # The app's charts take Streamlit's theme; on a plain page the white template reads best.
        go.Figure(chart.figure).update_layout(template="plotly_white"),
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True},
    )
    # On paper a chart is drawn at most PRINT_CHART_HEIGHT tall (the print style zooms it), so that a slide's title,
    # sentence, chart and source fit one landscape page.
    zoom = min(1.0, PRINT_CHART_HEIGHT / (chart.figure.layout.height or PLOTLY_HEIGHT))
    return (
        f'{heading}<figure aria-label="{_e(chart.alt)}" style="--print-zoom: {zoom:.3f}">'
        f'<div class="chart">{figure}</div>'
        f'<figcaption class="source">Source: {_e(chart.source)}</figcaption></figure>'
    )


def blocks_html(slide: Slide, blocks: Sequence[Block]) -> str:
    """A slide's compact blocks as HTML; charts are Plotly divs numbered from 1 in their ids."""
    return markup.blocks_html(blocks, lambda chart, n: _chart_html(chart, chart_div_id(slide, n)))


# On screen: one column that narrows to a 390 px phone without sideways scrolling (long links and words wrap, tables
# keep to the page's width). On paper: a cover page, then one slide per landscape page with its chart zoomed to fit.
_STYLE = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem; color: #1f2328;
  overflow-wrap: anywhere; }
section { border-top: 2px solid #d0d7de; padding: 1.5rem 0; }
h1 { font-size: 2rem; } h2 { font-size: 1.6rem; margin-bottom: .3rem; } h3 { font-size: 1.2rem; }
.sentence { font-size: 1.25rem; font-weight: 600; }
.source, footer, .meta { color: #57606a; font-size: .9rem; }
.note { border-left: 4px solid #E69F00; padding-left: .8rem; }
.record { border-left: 4px solid #0072B2; margin: .8rem 0; padding-left: .8rem; }
figure { margin: 1rem 0; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; table-layout: fixed; }
td, th { border: 1px solid #d0d7de; padding: .3rem; vertical-align: top; }
@media (max-width: 600px) {
  body { padding: .75rem; } h1 { font-size: 1.5rem; } h2 { font-size: 1.3rem; } .sentence { font-size: 1.1rem; }
  table { font-size: .8rem; }
}
@media print {
  @page { size: landscape; margin: 8mm; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  section { break-before: page; page-break-before: always; break-inside: avoid; border-top: 0; padding: 0; }
  section > .meta:first-child { margin: 0; }
  h2 { font-size: 20pt; margin: .2rem 0; } .sentence { font-size: 13pt; margin: .2rem 0 .4rem; }
  figure { margin: .2rem 0; break-inside: avoid; }
  .chart { zoom: var(--print-zoom, 1); }
  section:has(.records) .chart { zoom: calc(var(--print-zoom, 1) * .65); }  /* a chart with cards under it */
  .modebar-container { display: none; }
  .records { columns: 2; column-gap: 1.5rem; }
  .record { margin: 0 0 .25rem; font-size: 8.5pt; break-inside: avoid; }
  table { font-size: 9pt; }
  a { color: inherit; text-decoration: none; }
}
"""


def pack_html(deck_title: str, slides: Sequence[Slide], data: Data, base_url: str = "") -> str:
    """One self-contained page: plotly.js inlined once, then each slide with its page's compact view."""
    sections = []
    for slide in slides:
        body = blocks_html(slide, slide.view(data).compact_blocks())
        link = slide.link(base_url)
        sections.append(
            f'<section id="slide-{slide.number}"><p class="meta">Slide {slide.number} of {len(slides)}</p>'
            f'<h2>{_e(slide.title)}</h2><p class="sentence">{_e(slide.sentence)}</p>{body}'
            f'<p class="meta">Live view: <a href="{_e(link)}">{_e(link)}</a></p></section>'
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(deck_title)} · Policy Lens</title><style>{_STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f'<h1>{_e(deck_title)}</h1><p class="meta">Policy Lens meeting pack · data version {_e(data.version)} · '
        f"on {_e(ARTICLE)}. Every chart is drawn from the CSV files beside this page; sources.csv names every "
        "source.</p>" + "".join(sections) + "</body></html>"
    )


def sources_markdown(data: Data, contents: Sequence[str] = ()) -> str:
    """The pack's sources file; ``contents`` are lines about the pack's files (the slides, or why they are missing)."""
    lines = [f"# Sources of the Policy Lens meeting pack (data version {data.version})", ""]
    if contents:
        lines += ["## In this pack", "", *contents, ""]
    lines += ["## Datasets", ""]
    for dataset_id in DATASET_IDS:
        prov = data.provenance(dataset_id)
        lines.append(f"- `{dataset_id}.csv`: {prov['title']}. {prov['producer']}. Confidence: {prov['confidence']}.")
    lines += ["", "## Sources", ""]
    for row in data.frame("sources").itertuples(index=False):
        address = f" <{row.url}>" if row.url else ""
        lines.append(f"- `{row.id}`: {row.title}, {row.publisher}.{address}")
    return "\n".join(lines) + "\n"


def meeting_pack(
    deck_title: str,
    slides: Sequence[Slide],
    data: Data,
    raw_csv: Mapping[str, bytes],
    base_url: str = "",
) -> bytes:
    """The zip: index.html, slides.pptx, data/<id>.csv for every dataset (as published), sources.csv and SOURCES.md.

    ``data`` carries the frames, provenances and data version the views are built from. The slides need a browser
    to draw their charts (``policylens.export``); without one the pack is built without them, and SOURCES.md says why.
    """
    contents = [
        "- `index.html`: every slide of the story with its charts; opens offline, prints one slide a page.",
        "- `claims.jsonld`: every claim of the article with its verdict, as schema.org ClaimReview records.",
    ]
    try:
        deck: bytes | None = deck_pptx(deck_title, slides, data, base_url)
        contents.append("- `slides.pptx`: the story as a 16:9 PowerPoint deck: charts as pictures, speaker notes.")
    except ImageUnavailable as err:
        deck = None
        contents.append(f"- No `slides.pptx` in this pack: its chart pictures could not be drawn. {err.sentence}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, payload: bytes | str) -> None:
            info = zipfile.ZipInfo(f"policy-lens-meeting-pack/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload)

        add("index.html", pack_html(deck_title, slides, data, base_url))
        if deck is not None:
            add("slides.pptx", deck)
        for dataset_id in DATASET_IDS:
            add(f"data/{dataset_id}.csv", raw_csv[dataset_id])
        add("sources.csv", raw_csv["sources"])
        add("claims.jsonld", claims_jsonld(data, base_url))
        add("SOURCES.md", sources_markdown(data, contents))
    return buffer.getvalue()
