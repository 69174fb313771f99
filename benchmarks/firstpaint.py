"""Issue 18's figures for `make bench`: what a shared link's reader sees first.

- the time from navigation to the first paint of the view in Chromium (First Contentful Paint, Largest Contentful
  Paint and whether the largest paint was the server's drawing), and to the hand-over to the live app, for every page
  and the bare page, from a fresh browser context each time (a link opened for the first time);
- the bytes of the first HTML response, as sent (gzip when asked) and unpacked;
- Lighthouse medians over several runs (bench.py runs it; ``medians`` folds the runs here).
"""

from __future__ import annotations

import gzip
import statistics
import urllib.request

# Recorded from the navigation on: paints, the largest paint's element, and when the drawing left.
OBSERVE = """
(() => {
  if (window.top !== window) return;
  const fp = window.__fp = {fcp: null, lcp: null, lcpInDrawing: false, gone: null, cls: 0};
  new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.name === 'first-contentful-paint')
    fp.fcp = e.startTime; }).observe({type: 'paint', buffered: true});
  new PerformanceObserver(l => { for (const e of l.getEntries()) { fp.lcp = e.startTime;
    fp.lcpInDrawing = !!(e.element && e.element.closest && e.element.closest('#pl-snapshot')); } })
    .observe({type: 'largest-contentful-paint', buffered: true});
  new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) fp.cls += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  let seen = false;
  const frame = () => {
    const drawing = document.getElementById('pl-snapshot');
    if (drawing) seen = true;
    if (seen && !drawing && fp.gone === null) fp.gone = performance.now();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();
"""

DRAWN = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.getElementById('pl-snapshot') && window.__fp.fcp !== null;
}"""


def first_paints(browser, url: str, runs: int, viewport: dict, timeout: float = 90_000) -> list[dict]:
    """Each run: a fresh context opens ``url`` and waits for the live app; the paints and hand-over in ms."""
    found = []
    for _ in range(runs):
        context = browser.new_context(viewport=viewport)
        try:
            context.add_init_script(OBSERVE)
            page = context.new_page()
            page.goto(url, wait_until="commit")
            page.wait_for_function(DRAWN, timeout=timeout)
            page.wait_for_timeout(300)  # the last layout shifts and paints are reported a frame late
            found.append(page.evaluate("window.__fp"))
        finally:
            context.close()
    return found


def html_bytes(url: str) -> dict:
    """The first HTML response of a link: bytes as sent to a browser that accepts gzip, and unpacked."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", "Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=60) as response:
        sent = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    raw = gzip.decompress(sent) if encoding == "gzip" else sent
    return {"sent": len(sent), "raw": len(raw), "encoding": encoding or "identity", "drawing": b"pl-snapshot" in raw}


def median_of(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def medians(runs: list[dict]) -> dict:
    """Lighthouse runs of one page folded into one summary: the median of each figure, every run's score kept."""
    keys = ("score", "fcp_ms", "lcp_ms", "tbt_ms", "si_ms", "cls", "bytes", "benchmark_index")
    summary = {key: median_of(runs, key) for key in keys}
    summary["runs"] = [r.get("score") for r in runs]
    summary["error"] = "; ".join(sorted({str(r["error"]) for r in runs if r.get("error")}))
    return summary
