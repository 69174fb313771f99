"""The Story's slides: each drawn live by the same components as its page, for the slide's parameters."""

from __future__ import annotations

import streamlit as st

from components import data
from components.evidence import evidence, headline_cards, verdict_summary
from components.expo import expo_view
from components.policy import policy_view
from components.provenance import provenance_panel
from components.reader import opened_paragraph
from components.research import share_view
from components.statements import statement_card
from policylens import expo, research
from policylens.reader import theme_infos
from policylens.search import select_statements
from policylens.story import Slide
from policylens.text import escape_markdown as md


def _overview(slide: Slide) -> None:
    claims = evidence()
    verdict_summary(claims)
    headline_cards(claims)


def _expo(slide: Slide) -> None:
    metric = expo.clean_metric(slide.first("metric"))
    editions = expo.clean_editions(slide.params.get("edition", []))
    expo_view(metric, editions, key_prefix="story_expo")


def _research(slide: Slide) -> None:
    shares = data.require("ai-research")
    edition = slide.first("edition", research.DEFAULT_EDITION)
    measure = slide.first("measure") or research.measures_in(shares, edition)[0]
    share_view(edition, measure, slide.params.get("area", []), key_prefix="story_research", clickable=False)


def _policy(slide: Slide) -> None:
    article = slide.first("article")
    policy_view(slide.params.get("pillar", []), int(article) if article else None, key_prefix="story_policy")


def _voices(slide: Slide) -> None:
    statements, themes = data.require("statements"), data.require("themes")
    labels = dict(zip(themes["id"], themes["label"], strict=True))
    query = slide.first("q", "")
    _, shown, matches = select_statements(
        statements, themes, query, slide.params.get("speaker", []), slide.params.get("kind", [])
    )
    st.markdown(f"**{len(shown)} of {len(statements)} statements** match “{md(query)}”")
    for statement in shown.to_dict("records"):
        statement_card(statement, labels, matches.get(statement["id"]))


def _themes(slide: Slide) -> None:
    paragraphs, statements, themes = data.require("paragraphs"), data.require("statements"), data.require("themes")
    infos = theme_infos(themes)
    labels = {theme_id: info.label for theme_id, info in infos.items()}
    number = int(slide.first("paragraph", "1"))
    paragraph = paragraphs[paragraphs["paragraph"] == number].iloc[0].to_dict()
    opened_paragraph(paragraph, statements, infos, labels)


def _sources(slide: Slide) -> None:
    provenance_panel(slide.first("dataset", "claims"))


VIEWS = {
    "overview": _overview,
    "expo": _expo,
    "research": _research,
    "policy": _policy,
    "voices": _voices,
    "themes": _themes,
    "sources": _sources,
}


def slide_view(slide: Slide) -> None:
    """Draw the slide's live view with the components of its page."""
    VIEWS[slide.page](slide)
