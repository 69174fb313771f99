"""What the first paint costs a warm load, in the renderer's own counts (issue 18): the main thread's CPU time, and
the time it spent laying out and styling, from a document's start to drawn, with and without the drawing.

Run alone: .venv/bin/python benchmarks/warm_cost.py [--pages /sources,/] [--pairs 8] [--json PATH]

Two servers of this checkout, started here: one as shipped, one with ``POLICYLENS_FIRST_PAINT=0``. Each gets a
browser context that has loaded every page once (the bundle in its cache and the ``pl_bundle`` cookie set, so the
app's HTML starts Streamlit's scripts where Streamlit puts them), and one tab that goes from page to page, as a
reader's would. Then, page by page, pairs of loads, with and without, in alternating order. Each load reports, at
drawn (the bench's instrument: ``benchmarks/bench_browser.py``): the time to drawn; when Streamlit's main script was
requested (Resource Timing); and Chromium's per-document counters (DevTools ``Performance.getMetrics``):
``ThreadTime`` (the main thread's CPU time), ``LayoutDuration``, ``RecalcStyleDuration`` and ``ScriptDuration``.

Wall times on a shared 2-core machine swing by more than a frame between identical loads (the A/A control of
RESULTS.md 2026-12-06 16:24); the layout and style counters are the main thread's own work, and move far less, so a
pair's difference there is the drawing's work, not the machine's mood.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.bench_browser import Browser, drawn_load  # noqa: E402
from benchmarks.bench_protocol import count_pages  # noqa: E402
from benchmarks.bench_setup import PAGES, load_average  # noqa: E402
from tests.e2e.helpers import Server  # noqa: E402

COUNTERS = ("ThreadTime", "LayoutDuration", "RecalcStyleDuration", "ScriptDuration")
SCRIPT_REQUESTED = """() => {
  const entry = performance.getEntriesByType('resource').find(e => /\\/static\\/js\\/index\\.[^/]*\\.js$/.test(e.name));
  return entry ? entry.startTime / 1000 : null;
}"""
ROWS = ("drawn", "script requested", *COUNTERS)


def load(tab, cdp, url: str, charts: int) -> dict[str, float | None]:
    drawn = drawn_load(tab, url, charts)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {"drawn": drawn, "script requested": tab.evaluate(SCRIPT_REQUESTED), **{k: metrics[k] for k in COUNTERS}}


def measure(pages: list[str], pairs: int) -> dict[str, dict[str, list[dict]]]:
    servers = {
        "with": Server({"POLICYLENS_DATA_DIR": ""}).start(),
        "without": Server({"POLICYLENS_DATA_DIR": "", "POLICYLENS_FIRST_PAINT": "0"}).start(),
    }
    try:
        time.sleep(10)  # each server's warm-up draws every page's default view (server/warmup.py)
        counted = asyncio.run(count_pages(servers["with"].url, PAGES))  # every page: the warm-up loads them all
        charts = {path: counts["charts"] for path, counts in counted.items()}
        found: dict[str, dict[str, list[dict]]] = {path: {"with": [], "without": []} for path in pages}
        with sync_playwright() as playwright:
            browser = Browser(playwright)
            try:
                tabs = {}
                for name, server in servers.items():
                    context = browser.context()
                    tab = context.new_page()
                    cdp = context.new_cdp_session(tab)
                    cdp.send("Performance.enable")
                    tabs[name] = (tab, cdp)
                    for path in PAGES:  # every page once: the bundle cached, the cookie set
                        drawn_load(tab, server.url + path, charts[path])
                for pair in range(pairs):
                    for path in pages:
                        for name in ("with", "without") if pair % 2 == 0 else ("without", "with"):
                            tab, cdp = tabs[name]
                            found[path][name].append(load(tab, cdp, servers[name].url + path, charts[path]))
            finally:
                browser.close()
        return found
    finally:
        for server in servers.values():
            server.stop()


def ms(value: float) -> str:
    return f"{value * 1000:+.0f}" if value else "0"


def report(found: dict[str, dict[str, list[dict]]], pairs: int, load_at_start: float) -> str:
    lines = [
        f"`benchmarks/warm_cost.py`, {pairs} pairs a page (1-minute load {load_at_start:.1f} at the start). Medians "
        "with and without the drawing, and the median of the pairs' differences (with minus without), in ms; in "
        "brackets how many of the pairs were slower or costlier with the drawing.",
        "",
        "| page | " + " | ".join(ROWS) + " |",
        "|---|" + "---|" * len(ROWS),
    ]
    for path, runs in found.items():
        cells = []
        for row in ROWS:
            with_, without = [r[row] for r in runs["with"]], [r[row] for r in runs["without"]]
            if None in with_ or None in without:
                cells.append("not seen")
                continue
            diffs = [a - b for a, b in zip(with_, without, strict=True)]
            cells.append(
                f"{statistics.median(with_) * 1000:.0f} / {statistics.median(without) * 1000:.0f}: "
                f"{ms(statistics.median(diffs))} ({sum(d > 0 for d in diffs)} of {len(diffs)})"
            )
        lines.append(f"| `{path}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated paths (default: every page)")
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write every load's figures to this file")
    args = parser.parse_args()
    pages = args.pages.split(",")
    load_at_start = load_average()
    found = measure(pages, args.pairs)
    if args.json:
        args.json.write_text(json.dumps(found, indent=1), encoding="utf-8")
    print(report(found, args.pairs, load_at_start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
