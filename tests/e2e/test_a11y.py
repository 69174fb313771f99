"""Readable by everyone: axe-core on every page in the light and the dark theme, chart text at 4.5:1 on its
background in both themes, headings in order, sidebar links announced by their page names.

axe-core comes from npm, pinned in tests/e2e/package-lock.json and installed by `scripts/setup.sh --dev`; it is
injected into each page through the DevTools protocol (the app's Content-Security-Policy refuses inline scripts).
"""

from __future__ import annotations

import pytest

from policylens.paths import REPO_ROOT
from policylens.views import PAGES
from tests.e2e.helpers import console_error, wait_idle

AXE = REPO_ROOT / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("light", "dark")
# Every page of the registry, and the states that draw what a first visit does not: an opened article and paragraph,
# a metric with a gap ("not reported"), search results, a presented slide with its treemap, speaker notes.
URLS = ["/" + p.path for p in PAGES] + [
    "/expo?metric=visitors&edition=3",
    "/policy?pillar=governance&article=14",
    "/themes?paragraph=12",
    "/voices?q=privacy",
    "/story?present=true&slide=7",
    "/story?slide=2&notes=true",
]
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


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.exists(), f"axe-core is missing at {AXE}: run scripts/setup.sh --dev (npm ci in tests/e2e)."
    return AXE.read_text(encoding="utf-8")


def open_themed(browser, url: str, scheme: str):
    """A fresh browser page in the light or dark system theme (Streamlit follows it), with the page loaded, its
    charts drawn and its console errors collected."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: (error := console_error(msg)) and errors.append(error))
    page.goto(url)
    wait_idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
        ".every(c => c.offsetParent === null || c.querySelector('.main-svg'))",
        timeout=30_000,
    )
    return context, page, errors


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


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", URLS)
def test_axe_finds_nothing_serious_chart_text_reads_and_headings_go_in_order(server, browser, axe_source, path, scheme):
    context, page, errors = open_themed(browser, server.url + path, scheme)
    try:
        assert page.get_by_test_id("stException").count() == 0
        app_scheme = page.evaluate("getComputedStyle(document.querySelector('[data-testid=stApp]')).colorScheme")
        assert app_scheme == scheme  # Streamlit follows the system theme
        violations = [v for v in run_axe(page, axe_source) if v["impact"] in FAILING or v["id"] in ALSO_FAILING]
        assert violations == [], "\n".join(described(violations))
        unreadable = [t for t in page.evaluate(CHART_TEXT_CONTRAST) if t["ratio"] < 4.5]
        assert unreadable == [], unreadable[:10]
        # Headings in order, said plainly: the page title, then no level skipped (h1 → h2 → h3 → h4).
        levels = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=stMain] :is(h1,h2,h3,h4,h5,h6)')]"
            ".filter(h => h.offsetParent !== null).map(h => Number(h.tagName[1]))"
        )
        assert levels[:1] == [1] and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        assert errors == []
    finally:
        context.close()


def test_not_reported_labels_and_ticks_are_measured(server, browser):
    """The contrast check above sees the texts the issue names: ticks, and a "not reported" label, in both themes."""
    for scheme in SCHEMES:
        context, page, _ = open_themed(browser, server.url + "/expo?metric=visitors&edition=3", scheme)
        try:
            texts = page.evaluate(CHART_TEXT_CONTRAST)
            labels = [t for t in texts if t["text"] == "not reported"]
            assert labels and all(t["ratio"] >= 4.5 for t in labels), (scheme, labels)
            ticks = [t for t in texts if t["text"].startswith("2020")]
            assert ticks and all(t["ratio"] >= 4.5 for t in ticks), (scheme, ticks)
        finally:
            context.close()


def test_sidebar_links_are_announced_by_their_page_names(server, page, js_errors):
    page.goto(server.url + "/")
    wait_idle(page)
    nav = page.get_by_test_id("stSidebarNav")
    # Each link's accessible name is its page's title alone: the Material icon's ligature word ("home",
    # "storefront") is hidden from assistive technology.
    for entry in PAGES:
        link = nav.get_by_role("link", name=entry.title, exact=True)
        assert link.count() == 1, entry.title
        assert link.locator("[data-testid=stIconMaterial]").get_attribute("aria-hidden") == "true"
    assert nav.get_by_role("link").count() == len(PAGES)
