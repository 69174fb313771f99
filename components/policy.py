"""Data policy page building blocks: treemap and timeline click callbacks, the article list and the article detail."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from policylens import policy
from policylens.selection import point_id
from policylens.text import escape_markdown as md

PILLAR_KEY = "pillar"
ARTICLE_KEY = "article"
TYPE_KEY = "type"


def _points(chart_key: str) -> list:
    state = st.session_state.get(chart_key) or {}
    return list((state.get("selection") or {}).get("points") or [])


def treemap_click(chart_key: str, articles: pd.DataFrame) -> Callable[[], None]:
    """Clicking an article sets `article` (and nothing else); clicking a pillar's part sets `pillar` to it."""

    def _copy() -> None:
        hit = policy.treemap_click(_points(chart_key), articles)
        if hit is None:
            return
        kind, value = hit
        if kind == "article":
            st.session_state[ARTICLE_KEY] = int(value)
        else:
            st.session_state[PILLAR_KEY] = [value]

    return _copy


def timeline_click(chart_key: str) -> Callable[[], None]:
    """Clicking milestones narrows the timeline to their types (the same state as the type filter)."""

    def _copy() -> None:
        types = []
        for p in _points(chart_key):
            kind = point_id(p, 1)
            if kind and kind not in types:
                types.append(kind)
        if types:
            st.session_state[TYPE_KEY] = types

    return _copy


def source_link(source_id: str, sources: pd.DataFrame) -> str:
    """A Markdown link to the source (its publisher as text), or the escaped id when it has no address."""
    hit = sources[sources["id"] == source_id]
    if hit.empty:
        return md(source_id)
    row = hit.iloc[0]
    name = md(row["publisher"] if not pd.isna(row["publisher"]) else source_id)
    url = "" if pd.isna(row["url"]) else str(row["url"])
    return f"[{name}]({url.replace(')', '%29').replace(' ', '%20')})" if url.startswith("http") else name


def pillar_articles(articles: pd.DataFrame) -> None:
    """The articles of the chosen pillars: number, Chinese title and English working gloss."""
    with st.container(key="pillar-articles"):
        for _, art in articles.iterrows():
            st.markdown(
                f"**{int(art['article_no'])}** · {md(art['article_title_zh'])} · "
                f"{md(art['article_title_en'])} *({policy.WORKING_TRANSLATION})*"
            )


def article_detail(art: pd.Series, sources: pd.DataFrame) -> None:
    """One article of the Data 20 Measures: both titles, its part and pillar, key measures and source."""
    number = int(art["article_no"])
    with st.container(border=True, key="article-detail"):
        st.markdown(f"#### Article {number}: {md(art['article_title_zh'])}")
        st.markdown(f"{md(art['article_title_en'])} *({policy.WORKING_TRANSLATION})*")
        st.markdown(
            f"**Part {md(art['part'])}:** {md(art['part_title_zh'])} · {md(art['part_title_en'])} "
            f"*({policy.WORKING_TRANSLATION})*"
        )
        st.markdown(f"**Pillar:** {md(policy.pillar_label(art['pillar']))}")
        measures = "" if pd.isna(art["key_measures"]) else str(art["key_measures"])
        st.markdown(f"**Key measures:** {md(measures) if measures else 'none listed in the dossier'}")
        st.caption(f"Source: {source_link(str(art['source_id']), sources)} · dataset data-policy, article {number}")


def policy_view(pillars, chosen_article, *, key_prefix: str = "policy", on_select=None) -> None:
    """The Data 20 Measures view for given pillars and article: the treemap, the article's detail, the pillar list.

    The page passes its widget values and click callback; the Story draws the same view for a slide's parameters.
    """
    from components import data
    from components.chart import chart_card
    from policylens import policy

    articles = data.require("data-policy")
    sources = data.require("sources")
    chart_key = f"{key_prefix}_treemap"
    chart_card(
        policy.data20_treemap(articles, pillars, chosen_article),
        key=chart_key,
        alt="Treemap of the Data 20 Measures: 6 parts and their 20 articles. Parts II to V carry the article's four "
        "pillars (property rights, circulation and trading, income distribution, governance) in four colours; parts "
        "I and VI are grey.",
        source="dataset data-policy · dzrgw.cn (text attributed to www.gov.cn), Chinese headings verbatim; English "
        "glosses are the dossier's working translations · confidence: verified in source",
        table=articles,
        csv_name="data-policy.csv",
        on_select=on_select(chart_key, articles) if on_select else None,
        caption="Click an article to read it; click a coloured part to choose its pillar." if on_select else None,
    )
    if chosen_article is not None:
        art = policy.article(articles, chosen_article)
        if art is not None:
            article_detail(art, sources)
    if pillars:
        st.subheader("Articles of the chosen pillars")
        pillar_articles(policy.articles_in_pillars(articles, pillars))
