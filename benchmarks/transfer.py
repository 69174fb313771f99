"""Bytes a first visit moves: /expo in a fresh headless Chromium, against the router served by plain `streamlit run`
(what the app served before server/: no compression) and against app.py (the ASGI app: gzip, bundles compressed once).

Run: .venv/bin/python benchmarks/transfer.py [--runs N] [--path /expo]. Counts every HTTP response's bytes on the
wire (Chrome's encodedDataLength: headers and the body as sent) from a fresh browser context (empty cache), until
the page is drawn (script idle, no skeleton, every Plotly chart has its SVG); the websocket's payloads are counted
apart. Both servers run on 127.0.0.1. Results go to benchmarks/RESULTS.md by hand, with the date and the machine.
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

from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, Server, wait_idle  # noqa: E402


def first_visit(browser, url: str, accept_encoding: str | None = None) -> dict[str, float]:
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else None
    context = browser.new_context(viewport={"width": 1280, "height": 900}, extra_http_headers=headers)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    http: dict[str, float] = {}
    kinds: dict[str, str] = {}
    ws = {"bytes": 0}

    def on_response(event):
        kinds[event["requestId"]] = event["response"].get("mimeType", "")

    def on_finished(event):
        http[event["requestId"]] = event["encodedDataLength"]

    def on_frame(event):
        ws["bytes"] += len(event["response"].get("payloadData", ""))

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.webSocketFrameReceived", on_frame)
    started = time.perf_counter()
    page.goto(url)
    # Drawn: at least one chart, every chart with its SVG, and the app idle (checked after the charts, so a page
    # that is idle before its first run has started does not count as drawn).
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.js-plotly-plot')];"
        " return p.length > 0 && p.every(x => x.querySelector('svg')); }",
        timeout=120_000,
    )
    wait_idle(page, timeout=120_000)
    seconds = time.perf_counter() - started
    page.wait_for_timeout(500)  # late responses (fonts, the lazily loaded chart bundle) finish
    by_kind: dict[str, float] = {}
    for request_id, size in http.items():
        kind = kinds.get(request_id, "other").split("/")[-1]
        by_kind[kind] = by_kind.get(kind, 0) + size
    context.close()
    return {
        "http": sum(http.values()),
        "requests": len(http),
        "websocket": ws["bytes"],
        "seconds": seconds,
        **{f"http:{k}": v for k, v in by_kind.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--path", default="/expo")
    args = parser.parse_args()
    plain = Server(script=ROOT / "router.py").start()
    asgi = Server().start()
    results: dict[str, list[dict[str, float]]] = {"plain": [], "gzip": [], "asgi": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            first_visit(browser, plain.url + args.path)  # warm both servers once (imports, caches)
            first_visit(browser, asgi.url + args.path)
            for _ in range(args.runs):
                results["plain"].append(first_visit(browser, plain.url + args.path))
                results["gzip"].append(first_visit(browser, asgi.url + args.path, "gzip, deflate"))
                results["asgi"].append(first_visit(browser, asgi.url + args.path))
            browser.close()
    finally:
        plain.stop()
        asgi.stop()

    def med(name: str, key: str) -> float:
        return statistics.median(r.get(key, 0) for r in results[name])

    print(f"first visit of {args.path}, median of {args.runs} runs")
    print("| | before: `streamlit run router.py` | after, gzip only | ratio | after, Brotli offered | ratio |")
    print("|---|---|---|---|---|---|")
    rows = [("http", "HTTP bytes"), ("requests", "HTTP responses"), ("websocket", "websocket payload")]
    kinds = sorted({k for r in results["plain"] + results["asgi"] for k in r if k.startswith("http:")})
    rows += [(key, f"HTTP bytes: {key[5:]}") for key in kinds]
    for key, label in rows:
        before, gz, br = med("plain", key), med("gzip", key), med("asgi", key)
        gz_ratio, br_ratio = (f"{x / before:.3f}" if before else "-" for x in (gz, br))
        print(f"| {label} | {before:,.0f} | {gz:,.0f} | {gz_ratio} | {br:,.0f} | {br_ratio} |")
    secs = [med(name, "seconds") for name in ("plain", "gzip", "asgi")]
    print(f"| drawn after (s) | {secs[0]:.2f} | {secs[1]:.2f} | | {secs[2]:.2f} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
