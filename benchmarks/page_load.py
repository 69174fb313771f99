"""Time from navigation to a fully drawn page, for every Policy Lens page, as a ratio to a bare Streamlit page;
and the server's resident memory after all those loads, as a ratio to the bare page's server.

Run: .venv/bin/python benchmarks/page_load.py [--runs N]. Both servers run in the same session on 127.0.0.1 and are
measured alternately in headless Chromium, so machine load affects both; the ratio is what we track. Results go to
benchmarks/RESULTS.md (by hand, with the date and the machine).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policylens.views import PAGES as REGISTRY  # noqa: E402
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, Server, wait_idle  # noqa: E402

# Every page of the registry, the Story included.
PAGES = [page.url for page in REGISTRY]


def drawn_seconds(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    wait_idle(page, timeout=60_000)
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('svg'))")
    return time.perf_counter() - start


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = Server().start()
    bare = Server(script=ROOT / "benchmarks" / "bare_page.py").start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            drawn_seconds(page, bare.url)  # warm both servers once
            drawn_seconds(page, app.url)
            baseline = [drawn_seconds(page, bare.url) for _ in range(args.runs)]
            base = statistics.median(baseline)
            print(f"bare page: median {base:.2f} s over {args.runs} runs")
            print("| page | median s | ratio to bare |")
            print("|---|---|---|")
            for path in PAGES:
                times = [drawn_seconds(page, app.url + path) for _ in range(args.runs)]
                median = statistics.median(times)
                print(f"| `{path}` | {median:.2f} | {median / base:.2f} |")
            browser.close()
        app_rss, bare_rss = rss_mib(app.proc.pid), rss_mib(bare.proc.pid)
        print(
            f"server memory after the runs: app {app_rss:.0f} MiB, bare {bare_rss:.0f} MiB, "
            f"ratio {app_rss / bare_rss:.2f}"
        )
    finally:
        app.stop()
        bare.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
