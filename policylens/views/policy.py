"""Data policy: the Data 20 Measures (its parts, articles and the article's four pillars) and the policy timeline."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from policylens import policy, vocab
from policylens.selection import selected_point_ids
from policylens.text import escape_markdown
from policylens.views.base import Chart, Control, Data, Params, Records, Table, Text, View, param
from policylens.views.shared import theme_ids

WORKING = policy.WORKING_TRANSLATION


TITLE = "Data policy"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class PolicyParams(Params):
    PAGE = "policy"
    pillar: tuple[str, ...] = param("choices", (), policy.pillar_ids, "not one of the article's four pillars")
    # None: no article open. A pinned link writes nothing for it, and reopening that link opens none again.
    article: int | None = param("int", None, lambda: policy.ARTICLE_NUMBERS, "articles run from 1 to 20")
    type: tuple[str, ...] = param("choices", (), policy.type_ids, "not a document type of the policy timeline")
    theme: tuple[str, ...] = param("choices", (), theme_ids, "not a theme of the themes dataset")


# ---------------------------------------------------------------------------------------------------- clicks


def treemap_click(articles: pd.DataFrame):
    """Clicking an article sets ``article`` (and nothing else); clicking a coloured part sets ``pillar`` to it."""

    def click(params: PolicyParams, points) -> PolicyParams:
        hit = policy.treemap_click(points, articles)
        if hit is None:
            return params
        kind, value = hit
        if kind == "article":
            return params.replace(article=int(value))
        return params.replace(pillar=(value,))

    return click


def timeline_click(params: PolicyParams, points) -> PolicyParams:
    """Clicking milestones keeps only their types (the same parameter as the type control)."""
    clicked = set(selected_point_ids(points, 1))
    types = tuple(t for t in policy.type_ids() if t in clicked)
    return params.replace(type=types) if types else params


# ---------------------------------------------------------------------------------------------------- labels


def article_labels(articles: pd.DataFrame) -> dict[int, str]:
    """Article number -> "Article 3: 探索… · Explore … (working translation)" for the article select."""
    labels = {number: f"Article {number}" for number in policy.ARTICLE_NUMBERS}
    for _, art in articles.iterrows():
        number = int(art["article_no"])
        if number in labels:
            labels[number] = f"Article {number}: {art['article_title_zh']} · {art['article_title_en']}"
    return labels


def theme_labels(data: Data) -> dict[str, str]:
    themes = data.frame("themes")
    return {str(t): str(label) for t, label in zip(themes["id"], themes["label"], strict=True)}


# ---------------------------------------------------------------------------------------------------- records


def article_record(art: pd.Series, sources: pd.DataFrame) -> dict:
    """One article of the Data 20 Measures: both titles, its part and pillar, key measures and source."""
    number = int(art["article_no"])
    measures = "" if pd.isna(art["key_measures"]) else str(art["key_measures"])
    pillar = policy.pillar_label(art["pillar"])
    heading = f"Article {number}: {art['article_title_zh']}"
    source = f"Source: {policy.source_markdown(str(art['source_id']), sources)} · dataset data-policy, article {number}"
    lines = (
        f"{escape_markdown(art['article_title_en'])} *({WORKING})*",
        f"**Part {escape_markdown(art['part'])}:** {escape_markdown(art['part_title_zh'])} · "
        f"{escape_markdown(art['part_title_en'])} *({WORKING})*",
        f"**Pillar:** {escape_markdown(pillar)}",
        f"**Key measures:** {escape_markdown(measures) if measures else 'none listed in the sources read'}",
    )
    plain = "\n".join(
        [
            heading,
            f"{art['article_title_en']} ({WORKING})",
            f"Part {art['part']}: {art['part_title_zh']} · {art['part_title_en']} ({WORKING})",
            f"Pillar: {pillar}",
            f"Key measures: {measures or 'none listed in the sources read'}",
            f"Source: {policy.source_plain(str(art['source_id']), sources)} · dataset data-policy, article {number}",
        ]
    )
    return {"article": number, "heading": heading, "lines": lines, "source": source, "plain": plain}


def pillar_article_record(art: pd.Series) -> dict:
    """One line of the chosen pillars' list: number, Chinese title and English working gloss."""
    number = int(art["article_no"])
    return {
        "article": number,
        "markdown": f"**{number}** · {escape_markdown(art['article_title_zh'])} · "
        f"{escape_markdown(art['article_title_en'])} *({WORKING})*",
        "plain": f"{number} · {art['article_title_zh']} · {art['article_title_en']} ({WORKING})",
    }


# ---------------------------------------------------------------------------------------------------- texts


def intro(articles: pd.DataFrame) -> str:
    """The opening, counts taken from the rows; "data infrastructure" is a translation choice (re-check 2026-12-06)."""
    parts = articles["part"].nunique()
    pillars = [policy.pillar_label(p) for p in policy.pillar_ids()]
    areas = ", ".join(p[0].lower() + p[1:] for p in pillars[:-1]) + " and " + pillars[-1].lower() if pillars else ""
    return (
        "The article cites a 2022 guideline “mainly focusing on building data infrastructure”: the **Data 20 "
        "Measures**. The document itself is about building China's **basic data systems** (数据基础制度); "
        "“data infrastructure system” is a common state-media English rendering of that term, so the article's "
        "“data infrastructure” is a translation choice, not an error of the authors. "
        "It is a data policy, not an AI policy; that it ushered in “a new era” for Chinese AI is the authors' "
        f"reading. The article names its {policy.count_words(len(pillars))} areas: {escape_markdown(areas)}. "
        f"Here are its {parts} "
        f"parts and {len(articles)} articles, and the policy milestones around it. English titles are working "
        "translations, not official ones."
    )


def timeline_display(table: pd.DataFrame, themes: dict[str, str]) -> pd.DataFrame:
    """The timeline table a person reads: document types and themes by their names."""
    shown = table.copy()
    shown["type"] = shown["type"].map(policy.type_label)
    shown["themes"] = shown["themes"].map(
        lambda ts: ", ".join(themes.get(t, t) for t in str(ts).split(", ") if t) if ts else ""
    )
    return shown


# ---------------------------------------------------------------------------------------------------- the view


def build(params: PolicyParams, data: Data) -> View:
    articles = data.frame("data-policy")
    timeline = data.frame("policy-timeline")
    sources = data.frame("sources")
    pillars, number = list(params.pillar), params.article
    pillar_names = vocab.labels("data-policy", "pillar")
    type_names = vocab.labels("policy-timeline", "type")
    notes: list[str] = []

    blocks: list = [
        Text(intro(articles), key="policy-intro"),
        Control("pillar", "Pillars of the article", "pills", labels=pillar_names),
        Control(
            "article",
            "Article (1 to 20)",
            "select",
            labels=article_labels(articles),
            placeholder="Click an article in the map, or pick one",
            optional=True,
        ),
        Chart(
            key="policy_treemap",
            figure=policy.data20_treemap(articles, pillars, number),
            title="The Data 20 Measures: parts and articles",
            alt=policy.treemap_alt(articles),
            source="dataset data-policy · dzrgw.cn (text attributed to www.gov.cn), Chinese headings verbatim; English "
            "glosses are Policy Lens's working translations · confidence: verified in source",
            table=articles,
            csv_name="data-policy.csv",
            caption="Click an article to read it; click a coloured part to choose its pillar.",
            click=treemap_click(articles),
        ),
    ]
    art = policy.article(articles, number)
    if art is not None:
        blocks.append(Records("article", (article_record(art, sources),), key="article-detail"))
    elif number is not None:
        notes.append(f"Article {number} is not in the data-policy dataset; no article is open.")
    if pillars:
        chosen = policy.articles_in_pillars(articles, pillars)
        blocks.append(
            Records(
                "pillar-article",
                tuple(pillar_article_record(a) for _, a in chosen.iterrows()),
                key="pillar-articles",
                heading="Articles of the chosen pillars",
            )
        )

    years = policy.timeline_years(timeline)
    span = policy.year_span(years)
    blocks += [
        Text("Policy timeline" + (f", {span}" if span else ""), "header", key="policy-timeline-header"),
        Control("type", "Types of document", "multiselect", labels=type_names, placeholder="All types"),
    ]
    entries = policy.filter_timeline(timeline, params.theme, params.type)
    themes = theme_labels(data)
    if params.theme:
        named = ", ".join(themes.get(t, t) for t in params.theme)
        blocks.append(
            Text(
                escape_markdown(f"Showing milestones tagged with any of the themes chosen in the sidebar: {named}."),
                "caption",
                key="policy-theme-filter",
            )
        )
    if entries.empty:
        blocks.append(
            Text("No milestone matches these themes and types. Clear a filter to see more.", "info", key="no-milestone")
        )
    else:
        lit = policy.timeline_highlight(pillars, art["article_no"] if art is not None else None)
        table = policy.timeline_table(entries, sources)
        blocks += [
            Chart(
                key="policy_timeline",
                figure=policy.timeline_scatter(entries, lit, years),
                title="China's AI and data policy milestones" + (f", {span}" if span else ""),
                alt=f"Timeline scatter of {len(entries)} policy milestones"
                + (f" from {span}" if span else "")
                + " by type of document"
                + ("; the Data 20 Measures (December 2022) is highlighted." if lit else "."),
                source="dataset policy-timeline · one source per entry, listed with its confidence in the table below",
                table=table,
                csv_name="policy-timeline.csv",
                caption="Partial dates (a month, or a year) are drawn at the first day of the period; the hover shows "
                "the date as published. Click a milestone to keep only its type."
                + (" The star is the Data 20 Measures, the document your selection comes from." if lit else ""),
                click=timeline_click,
            ),
            Table(
                "policy_timeline_entries",
                timeline_display(table, themes),
                headings={"source_url": "source address", "title_zh": "title (Chinese)", "key_figures": "key figures"},
                links=("source_url",),
            ),
        ]

    said = [f"pillars: {', '.join(pillar_names.get(p, p) for p in pillars)}"] if pillars else []
    if art is not None:
        said.append(f"article {int(art['article_no'])}: {art['article_title_zh']} ({art['article_title_en']})")
    if params.type:
        said.append(f"timeline types: {', '.join(type_names.get(t, t) for t in params.type)}")
    if params.theme:
        said.append(f"themes: {', '.join(themes.get(t, t) for t in params.theme)}")
    summary = (
        f"China's Data 20 Measures (2022, basic data systems): {articles['part'].nunique()} parts, {len(articles)} "
        f"articles, and the policy timeline {span}" + (f"; {'; '.join(said)}." if said else ".")
    )
    # An article the data lacks is not open: the share link must not pin it.
    resolved = params if (art is not None or number is None) else dataclasses.replace(params, article=None)
    return View(
        TITLE,
        resolved,
        tuple(blocks),
        summary,
        tuple(notes),
        slide_keys=("policy_treemap", "article-detail", "pillar-articles"),
    )
