"""The page registry: every page once, with its path, title, icon, parameters and view builder.

``app.py``, the story, the meeting pack, the benchmarks and the tests all read this list; adding a page is one entry.
Paths are the public link contract of product.md. A page's id is its ``Params.PAGE`` and its title its module's
``TITLE``; ``Page`` itself is in ``base.py``, so the modules below the registry can name it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from policylens.views import analyze, deck, expo, overview, policy, research, sources, story, themes, voices
from policylens.views.base import Page

# The pages a slide of the story may show: every page but the story itself (filled once the list below exists).
SLIDE_PAGES: dict[str, Page] = {}

# In the order of the navigation.
PAGES: tuple[Page, ...] = (
    Page("", overview.TITLE, "home", overview.OverviewParams, overview.build),
    Page("expo", expo.TITLE, "storefront", expo.ExpoParams, expo.build),
    Page("research", research.TITLE, "science", research.ResearchParams, research.build),
    Page("policy", policy.TITLE, "account_balance", policy.PolicyParams, policy.build),
    Page("voices", voices.TITLE, "record_voice_over", voices.VoicesParams, voices.build),
    Page("themes", themes.TITLE, "sell", themes.ThemesParams, themes.build),
    Page("sources", sources.TITLE, "menu_book", sources.SourcesParams, sources.build),
    Page("story", story.TITLE, "slideshow", story.StoryParams, partial(story.build, pages=SLIDE_PAGES)),
    Page("analyze", analyze.TITLE, "manage_search", analyze.AnalyzeParams, analyze.build),
)
SLIDE_PAGES.update({page.id: page for page in PAGES if page.params is not story.StoryParams})
BY_ID: dict[str, Page] = {page.id: page for page in PAGES}
BY_PATH: dict[str, Page] = {page.path: page for page in PAGES}


def page(page_id: str) -> Page:
    return BY_ID[page_id]


def load_deck(path: Path = deck.DECK_FILE) -> tuple[str, list[deck.Slide]]:
    """The story deck's title and slides, each slide with its page of the registry."""
    return deck.read_deck(SLIDE_PAGES, path)


__all__ = ["BY_ID", "BY_PATH", "PAGES", "Page", "load_deck", "page"]
