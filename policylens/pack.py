"""The meeting pack: one zip with a self-contained HTML page of the story, every dataset as CSV and a sources file.

The HTML page inlines plotly.js once and adds each chart as a div, so it opens and draws with no network. Built from
the same pure figure builders as the pages; nothing here imports Streamlit.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from policylens import expo, policy, reader, research, search
from policylens.claims import CLAIM_TABLE_HEADINGS, evidence_from
from policylens.datasets import DATASET_IDS
from policylens.overview import theme_coverage, theme_strip
from policylens.story import Slide

# A fixed timestamp for every zip entry: the same data gives the same bytes.
_ZIP_TIME = (2023, 11, 5, 0, 0, 0)
ARTICLE_LINE = "Keke Gai and Jing Yu, “China's efforts in global technological collaboration”, CGTN, November 2023"


@dataclass
class Chart:
    figure: go.Figure
    alt: str
    source: str


@dataclass
class SlideContent:
    slide: Slide
    charts: list[Chart] = field(default_factory=list)
    notes_html: str = ""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table_html(frame: pd.DataFrame, columns: Mapping[str, str]) -> str:
    head = "".join(f"<th>{_e(label)}</th>" for label in columns.values())
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e('' if pd.isna(v) else v)}</td>" for v in row) + "</tr>"
        for row in frame[list(columns)].itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _claims_table(frames, provenances) -> str:
    claims = evidence_from(frames, provenances)
    return _table_html(claims, CLAIM_TABLE_HEADINGS)


def slide_content(slide: Slide, frames: Mapping[str, pd.DataFrame], provenances: Mapping[str, dict]) -> SlideContent:
    """The charts and notes of one slide, built from the page's own pure builders for the slide's parameters."""
    content = SlideContent(slide)
    themes, sources = frames["themes"], frames["sources"]
    if slide.page in ("overview", "sources"):
        if slide.page == "overview":
            coverage = theme_coverage(themes, frames["paragraphs"])
            content.charts.append(
                Chart(
                    theme_strip(coverage, [], len(frames["paragraphs"])),
                    "Bar chart: paragraphs of the article per theme.",
                    "paragraphs dataset (the article, tagged by theme keywords), verified-in-source",
                )
            )
        content.notes_html = _claims_table(frames, provenances)
    elif slide.page == "expo":
        metric = expo.clean_metric(slide.first("metric"))
        editions = expo.clean_editions(slide.params.get("edition", []))
        series = expo.metric_series(expo.with_sources(frames["expo"], sources), metric)
        content.charts.append(
            Chart(expo.expo_bars(series, metric, editions), expo.bars_alt(series, metric), expo.source_line(series))
        )
    elif slide.page == "research":
        shares = frames["ai-research"]
        edition = slide.first("edition", research.DEFAULT_EDITION)
        measure = slide.first("measure", research.measures_in(shares, edition)[0])
        areas = slide.params.get("area", [])
        table = research.shares_table(shares, edition, [measure])
        year = research.data_year(shares, edition)
        content.charts.append(
            Chart(
                research.share_bars(table, edition, year, measure, areas),
                f"Horizontal bars: {research.measure_label(measure)}, share of world total by area, {edition}.",
                research.source_line(table, sources),
            )
        )
    elif slide.page == "policy":
        articles = frames["data-policy"]
        pillars = slide.params.get("pillar", [])
        number = slide.first("article")
        chosen = int(number) if number else None
        content.charts.append(
            Chart(
                policy.data20_treemap(articles, pillars, chosen),
                "Treemap of the Data 20 Measures: 6 parts and 20 articles, the article's four pillars marked.",
                "data-policy dataset (headings of the Data 20 Measures, dzrgw.cn), verified-in-source; English "
                "titles are working translations",
            )
        )
        listed = policy.articles_in_pillars(articles, pillars) if pillars else articles
        content.notes_html = _table_html(
            listed, {"article_no": "Article", "article_title_zh": "Title", "article_title_en": "Working gloss"}
        )
    elif slide.page == "voices":
        statements = frames["statements"]
        query = slide.first("q", "")
        searched, shown, _ = search.select_statements(
            statements, themes, query, slide.params.get("speaker", []), slide.params.get("kind", [])
        )
        content.charts.append(
            Chart(
                search.statements_per_theme_bars(search.theme_counts(searched, themes)),
                "Horizontal bars: statements per theme.",
                "statements dataset (every sentence of the article, attributed), verified-in-source",
            )
        )
        content.notes_html = "".join(
            f"<blockquote>{_e(s['text'])}<footer>{_e(s['speaker'])}, paragraph {s['paragraph']}</footer></blockquote>"
            for s in shown.to_dict("records")
        )
    elif slide.page == "themes":
        paragraphs = frames["paragraphs"]
        number = int(slide.first("paragraph", "1"))
        cells = reader.grid_table(paragraphs, themes)
        content.charts.append(
            Chart(
                reader.paragraph_theme_grid(cells, themes, len(paragraphs), number),
                "A grid of paragraphs by theme.",
                "paragraphs dataset (the article), verified-in-source; tags are keyword matches",
            )
        )
        text = paragraphs[paragraphs["paragraph"] == number]["text"].iloc[0]
        content.notes_html = f"<blockquote>{_e(text)}<footer>the article, paragraph {number}</footer></blockquote>"
    return content


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem; color: #1f2328; }
section { border-top: 2px solid #d0d7de; padding: 1.5rem 0; page-break-after: always; }
h1 { font-size: 2rem; } h2 { font-size: 1.6rem; margin-bottom: .3rem; }
.sentence { font-size: 1.25rem; font-weight: 600; }
.source, footer, .meta { color: #57606a; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
td, th { border: 1px solid #d0d7de; padding: .3rem; }
blockquote { border-left: 4px solid #0072B2; margin: .8rem 0; padding-left: .8rem; }
"""


def pack_html(deck_title: str, contents: Sequence[SlideContent], data_version: str, base_url: str = "") -> str:
    """One self-contained page: plotly.js inlined once, then each slide with its charts as divs."""
    sections = []
    for content in contents:
        slide = content.slide
        charts = "".join(
            f'<figure aria-label="{_e(chart.alt)}">'
            + pio.to_html(
                # The app's charts take Streamlit's theme; on a plain page the white template reads best.
                go.Figure(chart.figure).update_layout(template="plotly_white"),
                include_plotlyjs=False,
                full_html=False,
                div_id=f"slide-{slide.number}-chart-{i + 1}",
                config={"displaylogo": False, "responsive": True},
            )
            + f'<figcaption class="source">Source: {_e(chart.source)}</figcaption></figure>'
            for i, chart in enumerate(content.charts)
        )
        link = slide.link(base_url)
        sections.append(
            f'<section id="slide-{slide.number}"><p class="meta">Slide {slide.number} of {len(contents)}</p>'
            f'<h2>{_e(slide.title)}</h2><p class="sentence">{_e(slide.sentence)}</p>{charts}{content.notes_html}'
            f'<p class="meta">Live view: <a href="{_e(link)}">{_e(link)}</a></p></section>'
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(deck_title)} · Policy Lens</title><style>{_STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f'<h1>{_e(deck_title)}</h1><p class="meta">Policy Lens meeting pack · data version {_e(data_version)} · '
        f"on {_e(ARTICLE_LINE)}. Every chart is drawn from the CSV files beside this page; sources.csv names every "
        "source.</p>" + "".join(sections) + "</body></html>"
    )


def sources_markdown(sources: pd.DataFrame, provenances: Mapping[str, dict], data_version: str) -> str:
    lines = [f"# Sources of the Policy Lens meeting pack (data version {data_version})", ""]
    lines += ["## Datasets", ""]
    for dataset_id in DATASET_IDS:
        prov = provenances[dataset_id]
        lines.append(f"- `{dataset_id}.csv`: {prov['title']}. {prov['producer']}. Confidence: {prov['confidence']}.")
    lines += ["", "## Sources", ""]
    for row in sources.itertuples(index=False):
        address = f" <{row.url}>" if row.url else ""
        lines.append(f"- `{row.id}`: {row.title}, {row.publisher}.{address}")
    return "\n".join(lines) + "\n"


def meeting_pack(
    deck_title: str,
    slides: Sequence[Slide],
    frames: Mapping[str, pd.DataFrame],
    provenances: Mapping[str, dict],
    raw_csv: Mapping[str, bytes],
    data_version: str,
    base_url: str = "",
) -> bytes:
    """The zip: index.html, data/<id>.csv for every dataset (as published), sources.csv and SOURCES.md."""
    contents = [slide_content(slide, frames, provenances) for slide in slides]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, payload: bytes | str) -> None:
            info = zipfile.ZipInfo(f"policy-lens-meeting-pack/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload)

        add("index.html", pack_html(deck_title, contents, data_version, base_url))
        for dataset_id in DATASET_IDS:
            add(f"data/{dataset_id}.csv", raw_csv[dataset_id])
        add("sources.csv", raw_csv["sources"])
        add("SOURCES.md", sources_markdown(frames["sources"], provenances, data_version))
    return buffer.getvalue()
