"""`make bench`'s phases in Chromium (Playwright): warm and cold loads, chart clicks, slide changes and first paints,
timed inside the page."""

from __future__ import annotations

import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks import firstpaint
from benchmarks.bench_setup import BARE_CLICK, CLICKS, PAGES, VIEWPORT, Click, Clock, Results
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS

B = "(B)"  # the suffix of a figure measured on the second app server (bench.py --b-env)

# Timing inside the page: `done` is performance.now() when the page is drawn (ms from navigation start on a load);
# `t0` is the timestamp of the mousedown or keydown that started an update. `__benchExpect` is the number of Plotly
# charts the run draws (set before each navigation).
INSTRUMENT = r"""
(() => {
  if (window.top !== window) return;
  const b = window.__bench = {running: false, t0: null, done: null, charts: 0};
  const drawn = () => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app) return false;
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running') { b.running = true; return false; }
    if (!b.running || state !== 'notRunning') return false;
    if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (document.querySelector('[data-testid=stSkeleton]')) return false;
    const charts = document.querySelectorAll('[data-testid=stPlotlyChart]');
    if (charts.length < (window.__benchExpect || 0)) return false;
    for (const chart of charts) if (!chart.querySelector('.main-svg')) return false;
    b.charts = charts.length;
    return true;
  };
  const check = () => { if (b.done === null && drawn()) b.done = performance.now(); };
  // A rerun so quick that "running" and "notRunning" fall in one task is seen in the records' old values.
  new MutationObserver((records) => {
    for (const r of records) if (r.oldValue === 'running') b.running = true;
    check();
  }).observe(document, {
    subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state'],
  });
  // A Story slide change is over for its reader when the slide asked for shows with its charts drawn (b.slide, armed
  // by __benchSlide): the frame that paints its slot visible; the run that writes the link may still be going.
  const slideShown = () => {
    if (!b.slide || b.shown !== null) return;
    const held = document.querySelector(`#root .pl-held[data-slide="${b.slide}"]`);
    const slot = held && held.closest('[class*="st-key-slide-slot-"]');
    if (!slot || getComputedStyle(slot).visibility !== 'visible') return;
    const charts = slot.querySelectorAll('[data-testid=stPlotlyChart]');
    for (const chart of charts) if (!chart.querySelector('.main-svg')) return;
    b.shown = performance.now();
    b.shownFrame = b.frames;
  };
  // Frames begun after the event that asks for the change (a button's click, which comes after its mousedown and
  // mouseup; a key's keydown): 1 when the new slide is in the first frame the browser could draw it in.
  const frame = (ts) => {
    if (b.slide && b.asked !== null && b.shown === null && ts > b.asked) b.frames += 1;
    check(); slideShown(); requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const start = (e) => { if (b.t0 === null) b.t0 = e.timeStamp; };
  const asked = (e) => { if (b.t0 !== null && b.asked === null) b.asked = e.timeStamp; };
  addEventListener('mousedown', start, true);
  addEventListener('keydown', start, true);
  addEventListener('click', asked, true);
  addEventListener('keydown', asked, true);
  window.__benchArm = () => {
    b.running = false; b.t0 = null; b.done = null; b.slide = 0; b.shown = null; b.asked = null; b.frames = 0;
    b.shownFrame = null;
  };
  window.__benchSlide = (n) => { b.slide = n; b.shown = null; };
})();
"""

# The centre of a mark of the chart inside `el`, found by its id (see Click.kind); null when not drawn or empty.
MARK_JS = """(el, [kind, id]) => {
  const centre = (node) => {
    const b = node.getBoundingClientRect();
    return b.width > 1 && b.height > 1 ? {x: b.x + b.width / 2, y: b.y + b.height / 2} : null;
  };
  if (kind === 'node') {
    const slice = [...el.querySelectorAll('g.slice')].find((s) => s.__data__ && s.__data__.data.data.id === id);
    return slice ? centre(slice.querySelector('path.surface')) : null;
  }
  for (const g of el.querySelectorAll('g.trace.bars')) {
    const trace = g.__data__[0].trace;
    for (const pt of g.querySelectorAll('g.point')) {
      const i = pt.__data__.i;
      let value = i;
      if (kind === 'bar') {
        const custom = trace.customdata ? trace.customdata[i] : null;
        value = Array.isArray(custom) ? custom[0] : (custom && typeof custom === 'object' ? custom['0'] : custom);
      }
      if (String(value) === id) {
        const path = pt.querySelector('path');
        return path ? centre(path) : null;
      }
    }
  }
  return null;
}"""


# ---------------------------------------------------------------------------------------------------- browser parts


class Browser:
    def __init__(self, playwright):
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def context(self):
        context = self.browser.new_context(viewport=VIEWPORT)
        context.add_init_script(INSTRUMENT)
        return context

    def close(self):
        self.browser.close()


def drawn_load(page, url: str, charts: int, timeout: float = 90_000) -> float:
    """Seconds from navigation start to drawn, timed in the page."""
    page.add_init_script(f"window.__benchExpect = {int(charts)};")
    page.goto(url, wait_until="commit", timeout=timeout)
    page.wait_for_function("() => window.__bench && window.__bench.done !== null", timeout=timeout, polling=50)
    return page.evaluate("window.__bench.done") / 1000


def _timed(page, act, slide: int, timeout: float) -> tuple[float, float | None] | None:
    """Seconds from the mousedown or keydown of ``act`` to drawn again, and (``slide``: a Story slide asked for) to
    that slide shown; None when no rerun started (a missed click)."""
    page.evaluate("window.__benchArm()")
    if slide:
        page.evaluate(f"window.__benchSlide({int(slide)})")
    act()
    try:
        page.wait_for_function(
            "() => window.__bench.running || window.__bench.done !== null", timeout=5_000, polling=20
        )
    except PlaywrightTimeout:
        return None
    over = "window.__bench.done !== null" + (" && window.__bench.shown !== null" if slide else "")
    page.wait_for_function(f"() => {over}", timeout=timeout, polling=50)
    done, shown, t0 = page.evaluate("[window.__bench.done, window.__bench.shown, window.__bench.t0]")
    if t0 is None:
        return None
    return (done - t0) / 1000, (shown - t0) / 1000 if slide else None


def timed_slide(page, act, target: int, timeout: float = 60_000) -> tuple[float | None, float | None]:
    """Seconds from the mousedown or keydown of ``act`` to slide ``target`` shown (its slot visible, its charts drawn),
    and to the change's run drawn; (None, None) when no rerun started."""
    timed = _timed(page, act, target, timeout)
    return (None, None) if timed is None else (timed[1], timed[0])


def timed_update(page, act, timeout: float = 60_000) -> float | None:
    """Seconds from the mousedown or keydown of ``act`` to drawn again; None when no rerun started (a missed click)."""
    timed = _timed(page, act, 0, timeout)
    return None if timed is None else timed[0]


def click_mark(page, click: Click, mark: str) -> float | None:
    card = page.locator(f".st-key-card-{click.key}" if click.kind != "index" else "[data-testid=stPlotlyChart]").first
    for _ in range(2):  # a chart just drawn may not take its first click: once more if no rerun followed
        card.scroll_into_view_if_needed()
        plot = card.locator(".js-plotly-plot").first
        box = plot.evaluate(MARK_JS, [click.kind, mark])
        for _wait in range(10):  # a treemap still moving after the last click: its marks come back within a second
            if box is not None:
                break
            page.wait_for_timeout(200)
            box = plot.evaluate(MARK_JS, [click.kind, mark])
        if box is None:
            raise RuntimeError(f"{click.name}: no mark {mark!r} drawn")
        seconds = timed_update(page, lambda b=box: page.mouse.click(b["x"], b["y"]))
        if seconds is not None:
            return seconds
    return None


def click_again(page, url: str, charts: dict, click: Click, mark: str, res: Results) -> float | None:
    """``click_mark``; when the mark is not drawn (a treemap left zoomed into another branch by a click that the
    browser took as a zoom), the page is loaded again and the click tried once more; then a miss, not a crash."""
    try:
        return click_mark(page, click, mark)
    except RuntimeError as err:
        res.misses.append(f"chart clicks: {err}; the page was loaded again")
        drawn_load(page, url + click.path, charts[click.path])
        try:
            return click_mark(page, click, mark)
        except RuntimeError:
            return None


def warm_loads(browser: Browser, servers: dict, charts: dict, runs: int, res: Results, clock: Clock) -> None:
    contexts = {name: browser.context() for name in servers}
    pages = {name: contexts[name].new_page() for name in servers}
    try:
        drawn_load(pages["bare"], servers["bare"].url + "/", 1)  # fill each context's cache
        if "framed" in pages:
            drawn_load(pages["framed"], servers["framed"].url + "/", 1)
        for path in PAGES:
            drawn_load(pages["app"], servers["app"].url + path, charts[path])
            if "app_b" in pages:
                drawn_load(pages["app_b"], servers["app_b"].url + path, charts[path])
        for run in range(runs):
            for path in PAGES:
                if not clock.allows(5, first=run == 0):
                    res.misses.append(f"warm loads: run {run + 1} stopped at `{path}` (time budget)")
                    return
                res.warm.setdefault("bare", []).append(drawn_load(pages["bare"], servers["bare"].url + "/", 1))
                if "framed" in pages and path == PAGES[0]:  # once a round is enough for a reference
                    res.warm.setdefault("framed", []).append(
                        drawn_load(pages["framed"], servers["framed"].url + "/", 1)
                    )
                res.warm.setdefault(path, []).append(drawn_load(pages["app"], servers["app"].url + path, charts[path]))
                if "app_b" in pages:  # --b-env: the same page from the second app server, in the same round
                    res.warm.setdefault(f"{path} {B}", []).append(
                        drawn_load(pages["app_b"], servers["app_b"].url + path, charts[path])
                    )
    finally:
        for context in contexts.values():
            context.close()


def cold_loads(browser: Browser, servers: dict, charts: dict, runs: int, res: Results, clock: Clock) -> None:
    def once(name: str, path: str, n: int) -> float:
        context = browser.context()
        try:
            return drawn_load(context.new_page(), servers[name].url + path, n)
        finally:
            context.close()

    for run in range(runs):
        for path in PAGES:
            if not clock.allows(10, first=run == 0):
                res.misses.append(f"cold loads: run {run + 1} stopped at `{path}` (time budget)")
                return
            res.cold.setdefault("bare", []).append(once("bare", "/", 1))
            if "framed" in servers and path == PAGES[0]:
                res.cold.setdefault("framed", []).append(once("framed", "/", 1))
            res.cold.setdefault(path, []).append(once("app", path, charts[path]))
            if "app_b" in servers:
                res.cold.setdefault(f"{path} {B}", []).append(once("app_b", path, charts[path]))


def chart_clicks(browser: Browser, servers: dict, charts: dict, clicks_n: int, res: Results, clock: Clock) -> None:
    contexts = {name: browser.context() for name in servers}
    bare = contexts["bare"].new_page()
    app = contexts["app"].new_page()
    framed = contexts["framed"].new_page() if "framed" in contexts else None
    app_b = contexts["app_b"].new_page() if "app_b" in contexts else None
    try:
        drawn_load(bare, servers["bare"].url + "/", 1)
        if framed is not None:
            drawn_load(framed, servers["framed"].url + "/", 1)
        bare_i = 0
        for n, click in enumerate(CLICKS):
            chart_clock = Clock(clock.budget, time.monotonic() + clock.left() / (len(CLICKS) - n), clock.hard)
            drawn_load(app, servers["app"].url + click.path, charts[click.path])
            if app_b is not None:
                drawn_load(app_b, servers["app_b"].url + click.path, charts[click.path])
            for i in range(clicks_n):
                if not chart_clock.allows(3, first=i < 2):
                    res.misses.append(f"chart clicks: {click.name}, {clicks_n - i} of {clicks_n} (time budget)")
                    break
                bare_s = click_mark(bare, BARE_CLICK, BARE_CLICK.marks[bare_i % 2])
                if framed is not None:
                    framed_s = click_mark(framed, BARE_CLICK, BARE_CLICK.marks[bare_i % 2])
                    if framed_s is not None:
                        res.clicks.setdefault("framed", []).append(framed_s)
                bare_i += 1
                app_s = click_again(app, servers["app"].url, charts, click, click.marks[i % 2], res)
                if bare_s is not None:
                    res.clicks.setdefault("bare", []).append(bare_s)
                if app_s is None:
                    res.misses.append(f"chart clicks: a click on {click.name} started no rerun")
                else:
                    res.clicks.setdefault(click.name, []).append(app_s)
                if app_b is not None:
                    b_s = click_again(app_b, servers["app_b"].url, charts, click, click.marks[i % 2], res)
                    if b_s is not None:
                        res.clicks.setdefault(f"{click.name} {B}", []).append(b_s)
    finally:
        for context in contexts.values():
            context.close()


def slide_changes(browser: Browser, servers: dict, charts: dict, steps: int, res: Results, clock: Clock) -> None:
    """Fresh loads of ``/story`` (``res.settings["slide_loads"]``), each with Next (button) ``steps`` times from
    slide 1, then back with the Left key; each change beside a bare click and a framed click (issue 22's row compares
    the slide changes with the framed reference's click, measured in the same minutes). A change is timed to the new
    slide shown (``res.slides``: what the presenter sees) and to its run drawn (``res.slide_runs``: the link written,
    the next neighbour drawn unseen). Each load's first Next is the deck's first change (``res.slide_first``); one
    first change a run moves by a frame between identical runs, so the row compares the median of several loads' first
    changes with the median of the later Next changes (``res.slide_later``)."""
    contexts = {name: browser.context() for name in servers}
    bare = contexts["bare"].new_page()
    app = contexts["app"].new_page()
    framed = contexts["framed"].new_page() if "framed" in contexts else None
    try:
        drawn_load(bare, servers["bare"].url + "/", 1)
        if framed is not None:
            drawn_load(framed, servers["framed"].url + "/", 1)
        bare_i = 0

        def press(key: str):
            def act():
                app.evaluate("document.activeElement && document.activeElement.blur()")
                app.keyboard.press(key)

            return act

        plan = [("button", lambda: app.locator(".st-key-next button").click())] * steps
        plan += [("key", press("ArrowLeft"))] * steps
        for load in range(res.settings.get("slide_loads", 1)):
            if not clock.allows(3 * len(plan), first=load == 0):
                res.misses.append(f"story slides: {load} fresh loads of /story, not more (time budget)")
                return
            drawn_load(app, servers["app"].url + "/story", charts["/story"])
            for step, (how, act) in enumerate(plan):
                bare_s = click_mark(bare, BARE_CLICK, BARE_CLICK.marks[bare_i % 2])
                if bare_s is not None:
                    res.clicks.setdefault("bare (beside slides)", []).append(bare_s)
                if framed is not None:
                    framed_s = click_mark(framed, BARE_CLICK, BARE_CLICK.marks[bare_i % 2])
                    if framed_s is not None:
                        res.clicks.setdefault("framed (beside slides)", []).append(framed_s)
                bare_i += 1
                app.locator(".st-key-next button").wait_for(state="visible", timeout=30_000)
                if how == "button":
                    # A person's pointer reaches the button before the press; Playwright's click moves and presses
                    # at once, so the first click alone would also pay for the button's hover style in the change's
                    # frame (6 ms of 33 in a probe: benchmarks/RESULTS.md, 2026-12-07).
                    app.locator(".st-key-next button").hover()
                    app.wait_for_timeout(200)
                number = int(app.locator(".st-key-slide-position p").inner_text().split("/")[0])
                shown, seconds = timed_slide(app, act, number + (1 if how == "button" else -1))
                if shown is None or seconds is None:
                    res.misses.append(f"story slides: a {how} change started no rerun")
                    continue
                res.slides.setdefault(how, []).append(shown)
                res.slide_runs.setdefault(how, []).append(seconds)
                # From the event that asks for the change to the frame that shows it, and that frame's number.
                asked_ms, frame = app.evaluate("[__bench.shown - __bench.asked, __bench.shownFrame]")
                res.slide_frames.setdefault(how, []).append([step == 0, round(asked_ms, 1), frame])
                if how == "button":
                    (res.slide_first if step == 0 else res.slide_later).append(shown)
    finally:
        for context in contexts.values():
            context.close()


def first_paint_all(browser: Browser, servers: dict, paths: list[str], runs: int, res: Results, clock: Clock) -> None:
    """Navigation to the first paint of the view and to the live page, in Chromium, fresh context each time; and
    the bytes of each page's first HTML response."""
    for name, url in [("bare", servers["bare"].url + "/")] + [(p, servers["app"].url + p) for p in paths]:
        res.html[name] = firstpaint.html_bytes(url)
        if not clock.allows(10):
            res.misses.append(f"First paint: {name} not measured (time budget)")
            continue
        try:
            res.first_paint[name] = firstpaint.first_paints(browser.browser, url, runs, VIEWPORT)
        except PlaywrightTimeout:
            res.misses.append(f"First paint: {name} timed out")
