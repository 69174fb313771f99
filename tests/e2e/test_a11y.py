"""Readable by everyone, on one walk over every page link: axe-core in the light and then the dark theme, chart text
at 4.5:1 on its background in both, headings in order under the page's own title, sidebar links announced by their
page names. The same page loads also check what any page load must do: no Content-Security-Policy violation, no
JavaScript or console error, and the server asked for only at its own address (server/backend_base.py).

Each link is opened once, in a browser tab of one context that the walk shares (the first visit is a cold one, the
later ones find the bundle in the cache, as for a reader going from page to page). The light theme is checked first;
then the tab's system theme turns dark, which Streamlit follows live (the app's color-scheme, and every chart drawn
again), and everything is checked again. A failure names the link (the test id) and the theme (the message).

axe-core comes from npm, pinned in tests/e2e/package-lock.json and installed by `scripts/setup.sh --dev`; it is
injected into each page through the DevTools protocol (the app's Content-Security-Policy refuses inline scripts).
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from policylens.paths import REPO_ROOT
from policylens.views import PAGES
from policylens.views.deck import DECK_FILE
from tests.e2e.helpers import AT_ITS_OWN_ADDRESS, Visit, keep_site_alive, wait_idle

AXE = REPO_ROOT / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
# Every page of the registry, and the states that draw what a first visit does not: an opened article and paragraph,
# a metric with a gap ("not reported"), search results, a page and a slide (with its treemap) in presentation mode,
# speaker notes. A page whose default view is part of one of these links' views (the same charts and controls, with
# an article, a paragraph or an edition opened, or the cards filtered) is walked at that link only.
SUPERSEDED = {
    "/policy": "/policy?pillar=governance&article=14",
    "/themes": "/themes?paragraph=12",
    # The same charts and controls with a metric that has a gap and an edition's detail open (issue 21: one page
    # load and two axe runs fewer each).
    "/expo": "/expo?metric=visitors&edition=3",
    # The same search box, filters and statement cards, fewer of them.
    "/voices": "/voices?q=privacy",
}
URLS = ["/" + p.path for p in PAGES if "/" + p.path not in SUPERSEDED] + [
    "/expo?metric=visitors&edition=3",
    "/expo?present=true",
    "/policy?pillar=governance&article=14",
    "/themes?paragraph=12",
    "/voices?q=privacy",
    "/story?present=true&slide=7",
    "/story?slide=2&notes=true",
]


def _slide_title(number: int) -> str:
    return json.loads(DECK_FILE.read_text(encoding="utf-8"))["slides"][number - 1]["title"]


# The page's title, the first heading a reader meets: the link opened its own page.
HEADINGS = {
    "/": "Policy Lens",
    "/expo": "China International Import Expo (CIIE)",
    "/research": "Research and patents",
    "/voices": "Voices",
    "/sources": "Sources and method",
    "/story": _slide_title(1),
    "/analyze": "Analyse a text",
    "/expo?metric=visitors&edition=3": "China International Import Expo (CIIE)",
    "/expo?present=true": "China International Import Expo (CIIE)",
    "/policy?pillar=governance&article=14": "Data policy",
    "/themes?paragraph=12": "Themes",
    "/voices?q=privacy": "Voices",
    "/story?present=true&slide=7": _slide_title(7),
    "/story?slide=2&notes=true": _slide_title(2),
}
# Chart texts the contrast check must have measured (a text starting so), so that it cannot pass by seeing nothing:
# the ticks and the "not reported" label of a metric with a gap.
MEASURED = {"/expo?metric=visitors&edition=3": ("not reported", "2020")}
FAILING = ("serious", "critical")
ALSO_FAILING = ("heading-order",)  # moderate in axe, but the issue asks for headings in order

# Every visible text of every Plotly chart with its contrast against what is behind it: the page (or the chart's own
# paper) and, for a label on a treemap tile, the tile. Opacity is blended in.
CHART_TEXT_CONTRAST = """() => {
  const parse = c => { const m = String(c).match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const over = (fg, bg) => ({r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a),
    b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1});
  const behind = e => { for (; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const out = [];
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    if (chart.offsetParent === null) continue;
    let page = behind(chart);
    const paper = chart.querySelector('.main-svg .bg');
    if (paper) { const ps = getComputedStyle(paper), p = parse(ps.fill);
      if (p) page = over({...p, a: p.a * parseFloat(ps.fillOpacity || '1')}, page); }
    for (const t of chart.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const s = getComputedStyle(t);
      if (s.display === 'none' || s.visibility === 'hidden' || t.getBoundingClientRect().width === 0) continue;
      let hidden = false, opacity = 1;
      for (let e = t; e && e !== chart; e = e.parentElement) { const es = getComputedStyle(e);
        if (es.display === 'none') hidden = true; opacity *= parseFloat(es.opacity || '1'); }
      if (hidden || opacity === 0) continue;
      let fill = parse(s.fill); if (!fill) continue;
      fill = {...fill, a: fill.a * opacity * parseFloat(s.fillOpacity || '1')};
      let bg = page;
      const tile = t.closest('g.slice');
      if (tile) { const path = tile.querySelector('path.surface, path'); const ps = getComputedStyle(path);
        const pf = parse(ps.fill); if (pf) bg = over({...pf, a: pf.a * parseFloat(ps.fillOpacity || '1')}, page); }
      const fg = over(fill, bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      out.push({text: t.textContent.slice(0, 40), ratio: (hi + 0.05) / (lo + 0.05), fill: s.fill});
    }
  }
  return out;
}"""


def test_a_page_left_out_at_its_default_view_is_walked_at_its_detail_link():
    assert all(link in URLS and path not in URLS for path, link in SUPERSEDED.items())


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.exists(), f"axe-core is missing at {AXE}: run scripts/setup.sh --dev (npm ci in tests/e2e)."
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def walk(browser):
    """The browser context the walk opens each link in: a desktop window, the system theme light."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme="light")
    keep_site_alive(context)  # one renderer for the walk's tabs, kept between them (helpers.TEST_ARGS)
    yield context
    context.close()


def run_axe(page, source: str) -> list[dict]:
    page.evaluate(source + "\n;0")  # through the DevTools protocol: no inline <script>, which the CSP refuses
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def described(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {n['html'][:120]} — {n.get('failureSummary', '').splitlines()[-1][:160]}"
        for v in violations
        for n in v["nodes"][:5]
    ]


CHARTS_DRAWN = (
    "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
    ".every(c => c.offsetParent === null || c.querySelector('.main-svg'))"
)
# Before the theme changes: count each chart's redraws (Plotly's afterplot event) from when the app is in the new
# scheme on, so that a redraw of the old theme cannot pass for the new one.
COUNT_REDRAWS = """scheme => document.querySelectorAll('.js-plotly-plot').forEach(g => {
  if (typeof g.on !== 'function') return;
  const app = document.querySelector('[data-testid=stApp]');
  g.__redrawn = 0;
  g.on('plotly_afterplot', () => { if (getComputedStyle(app).colorScheme === scheme) g.__redrawn += 1; }); })"""
# The app is in the scheme, and every shown chart was drawn again since (or is a new chart, drawn).
RETHEMED = """scheme => getComputedStyle(document.querySelector('[data-testid=stApp]')).colorScheme === scheme
  && [...document.querySelectorAll('.js-plotly-plot')].filter(g => g.offsetParent !== null)
    .every(g => g.__redrawn === undefined ? !!g.querySelector('.main-svg') : g.__redrawn > 0)"""
APP_SCHEME = "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).colorScheme"


def switch_theme(page, scheme: str) -> list[str]:
    """Turn the tab's system theme to ``scheme`` and wait until the app and every chart are drawn in it; [] when
    they were, else the problem."""
    page.evaluate(COUNT_REDRAWS, scheme)
    page.emulate_media(color_scheme=scheme)
    try:
        page.wait_for_function(RETHEMED, arg=scheme, timeout=15_000)
    except PlaywrightTimeout:
        app_scheme = page.evaluate(APP_SCHEME)
        return [f"{scheme} theme: the app (color-scheme {app_scheme}) or a chart did not follow the system theme"]
    wait_idle(page)
    return []


def reading_problems(page, visit: Visit, axe_source: str, url: str, scheme: str) -> list[str]:
    """What a reader of ``url`` would meet in the ``scheme`` theme, each named by the theme; [] for nothing."""
    problems = []
    if page.get_by_test_id("stException").count():
        problems.append("an exception box")
    app_scheme = page.evaluate(APP_SCHEME)
    if app_scheme != scheme:  # Streamlit follows the system theme
        problems.append(f"the app is drawn in the {app_scheme} theme")
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in FAILING or v["id"] in ALSO_FAILING]
    problems += [f"axe: {line}" for line in described(violations)]
    texts = page.evaluate(CHART_TEXT_CONTRAST)
    problems += [f"chart text below 4.5:1: {t}" for t in texts if t["ratio"] < 4.5][:10]
    for start in MEASURED.get(url, ()):
        if not any(t["text"].startswith(start) for t in texts):
            problems.append(f"no chart text starting {start!r} was measured")
    # Headings in order, said plainly: the page title, then no level skipped (h1 → h2 → h3 → h4). Only those a
    # reader meets: not the Story's neighbour slides, drawn hidden (visibility) beside the shown one.
    headings = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMain] :is(h1,h2,h3,h4,h5,h6)')]"
        ".filter(h => h.checkVisibility({visibilityProperty: true}))"
        ".map(h => [Number(h.tagName[1]), h.innerText.trim()])"
    )
    levels = [level for level, _ in headings]
    if not (levels[:1] == [1] and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))):
        problems.append(f"headings out of order: {levels}")
    if headings[:1] != [[1, HEADINGS[url]]]:
        problems.append(f"the first heading is {headings[:1]}, not the page's title {HEADINGS[url]!r}")
    problems += [f"Content-Security-Policy violation: {v}" for v in visit.violations()]
    return [f"{scheme} theme: {problem}" for problem in problems]


def sidebar_problems(page) -> list[str]:
    """Each sidebar link's accessible name is its page's title alone: the Material icon's ligature word ("home",
    "storefront") is hidden from assistive technology."""
    nav = page.get_by_test_id("stSidebarNav")
    problems = []
    for entry in PAGES:
        link = nav.get_by_role("link", name=entry.title, exact=True)
        if link.count() != 1:
            problems.append(f"sidebar: {link.count()} links named {entry.title!r}")
            continue
        icons = link.locator("[data-testid=stIconMaterial]")
        if any(icons.nth(i).get_attribute("aria-hidden") != "true" for i in range(icons.count())):
            problems.append(f"sidebar: the icon of {entry.title!r} is announced")
    if nav.get_by_role("link").count() != len(PAGES):
        problems.append(f"sidebar: {nav.get_by_role('link').count()} links for {len(PAGES)} pages")
    return problems


@pytest.mark.parametrize("url", URLS)
def test_every_link_reads_in_both_themes_and_lives_with_the_policy(server, walk, axe_source, url):
    assert url in HEADINGS, f"{url}: add the page's title to HEADINGS"
    page = walk.new_page()
    try:
        visit = Visit(page)
        page.goto(server.url + url)
        wait_idle(page)
        page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
        problems = []
        # Connected at once: no health check or websocket at the page's own path first.
        if visit.server_addresses() != AT_ITS_OWN_ADDRESS:
            problems.append(f"asked for the server at {visit.server_addresses()}, not {AT_ITS_OWN_ADDRESS}")
        problems += reading_problems(page, visit, axe_source, url, "light")
        if url == "/":
            problems += sidebar_problems(page)
        problems += switch_theme(page, "dark") or reading_problems(page, visit, axe_source, url, "dark")
        problems += visit.errors
        assert problems == [], "\n".join(problems)
    finally:
        page.close()
