"""The page registry: every page once, with its path, title, icon, parameters and view builder.

``app.py``, the story, the meeting pack, the benchmarks and the tests all read this list; adding a page is one entry.
Paths are the public link contract of product.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from policylens.views import analyze, expo, overview, policy, research, sources, story, themes, voices
from policylens.views.base import Data, Params, View


@dataclass(frozen=True)
class Page:
    id: str
    path: str  # "" for the Overview at "/"
    title: str
    icon: str  # a Material icon name
    params: type[Params]
    build: Callable[[Params, Data], View]

    @property
    def script(self) -> str:
        """The page's script, relative to the repository root."""
        return f"app_pages/{self.id}.py"

    @property
    def url(self) -> str:
        return "/" + self.path

    def link(self, query: list[tuple[str, str]] | None = None, base: str = "") -> str:
        encoded = urlencode(query or [])
        return f"{base}{self.url}" + (f"?{encoded}" if encoded else "")


PAGES: tuple[Page, ...] = (
    Page("overview", "", "Overview", "home", overview.OverviewParams, overview.build),
    Page("expo", "expo", "Expo (CIIE)", "storefront", expo.ExpoParams, expo.build),
    Page("research", "research", "Research and patents", "science", research.ResearchParams, research.build),
    Page("policy", "policy", "Data policy", "account_balance", policy.PolicyParams, policy.build),
    Page("voices", "voices", "Voices", "record_voice_over", voices.VoicesParams, voices.build),
    Page("themes", "themes", "Themes", "sell", themes.ThemesParams, themes.build),
    Page("sources", "sources", "Sources and method", "menu_book", sources.SourcesParams, sources.build),
    Page("story", "story", "Story", "slideshow", story.StoryParams, story.build),
    Page("analyze", "analyze", "Analyse a text", "manage_search", analyze.AnalyzeParams, analyze.build),
)
BY_ID: dict[str, Page] = {page.id: page for page in PAGES}
BY_PATH: dict[str, Page] = {page.path: page for page in PAGES}


def page(page_id: str) -> Page:
    return BY_ID[page_id]
