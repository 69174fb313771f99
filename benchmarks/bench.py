"""Issue 10's seven figures in one run, each against a bare Streamlit page measured in the same run (`make bench`).

Run: .venv/bin/python benchmarks/bench.py [--quick] [--no-write] [--json PATH]

Two servers on 127.0.0.1, started here: the app as it is served (``streamlit run app.py``: the ASGI app of server/,
or the plain router where there is none) and the bare page (``benchmarks/bare_page.py``: a title, one clickable
Plotly bar chart and a caption, served by plain ``streamlit run``). Every browser figure alternates between the two
servers (one bare measurement beside each app measurement), so other work on the machine moves both sides; the
ratios are what the goals are about. A third server, for reference only, serves the bare page inside the app's frame
(``benchmarks/framed_page.py``: navigation, sidebar filters, footer; its click highlights the bar, as the app's
charts do): its warm and cold loads and clicks are measured beside the others and reported in their own rows, so a
page's ratio can be read against what the frame costs before any content. The goals stay against the bare page.
Browser figures come from Debian's headless chromium driven by Playwright, timed
inside the page (``performance.now``): a page is *drawn* when its script has run and finished, the app is connected,
no skeleton is left and every Plotly chart the run sent (counted by the protocol client) has its SVG.

1. Warm load of every registry page (browser cache filled): navigation start to drawn.
2. Cold first visit of every page: the same from a fresh browser context (empty cache).
3. Chart click to finished update: mousedown on a mark (``page.mouse``) to drawn again, for the Expo bars, the Research
   share bars, the Policy treemap, the Voices theme bars and the Overview theme strip; two marks clicked in turn, so
   every click changes the view (a toggle or another article). The bare side clicks two of its bars in turn.
4. Story slide change: the Next button and the Left key (``st.button(shortcut=...)``), three of each in each of five
   fresh loads of ``/story``: the median of the loads' first changes against the later Next changes (one first change
   a run moves by a frame between identical runs), and which frame after its click or keydown showed each change.
5. Server memory: resident memory (VmRSS) of each server after the browser figures, and the memory per extra open
   session: sessions opened level by level (protocol clients, round robin over the pages), the least-squares slope.
6. 50 sessions clicking at once on one server: protocol clients (benchmarks/stclient.py), 10 on each chart page,
   all sending a click at the same moment, round after round; the time to each session's ``script_finished``.
7. A presenter and 20 following windows (issue 22): Redis and two app replicas of their own, the followers' lag
   from the presenter's key press to their run with the new slide, p50 and p95 (benchmarks/follow_lag.py).
8. Lighthouse mobile performance of every page (npm lighthouse, pinned in benchmarks/package.json), through app.py
   (compressed when server/ compresses: checked on a static bundle and reported) and, for reference, of the bare page.

The run is bounded: a deadline for the whole run (``--budget``, 14 minutes by default) and a timeout on every wait;
a figure not measured in time says so in the table. Results are appended to benchmarks/RESULTS.md as a dated
section (earlier runs are kept). Traffic goes only to the servers started here, on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the repository's packages beside it

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks import follow_lag  # noqa: E402
from benchmarks.bench_browser import B, Browser, chart_clicks, cold_loads, first_paint_all, slide_changes, warm_loads  # noqa: E402
from benchmarks.bench_lighthouse import lighthouse_all  # noqa: E402
from benchmarks.bench_protocol import concurrent_clicks, count_pages, session_memory  # noqa: E402
from benchmarks.bench_report import markdown  # noqa: E402
from benchmarks.bench_setup import (  # noqa: E402
    BENCH,
    PAGES,
    PHASES,
    RESULTS,
    SHARES,
    Clock,
    Results,
    compression_of,
    load_average,
    machine,
    median,
)
from benchmarks.procstat import rss_mib  # noqa: E402
from tests.e2e.helpers import Server  # noqa: E402

# -------------------------------------------------------------------------------------------------------------- main


def versus_b(res: Results, b_env: str) -> str:
    """Each warm, cold and click figure of the app and of the second app server (B), as ratios to this run's bare."""
    lines = [f"App (A) beside the app with {b_env} (B), medians as ratios to the bare page of this run:", ""]
    lines += ["| phase | page or click | A | B | B - A |", "|---|---|---|---|---|"]
    for phase, figures in (("warm", res.warm), ("cold", res.cold), ("clicks", res.clicks)):
        bare = median(figures.get("bare", []))
        for key, values in figures.items():
            b_values = figures.get(f"{key} {B}")
            if not b_values or not bare or not values:
                continue
            a, b = median(values) / bare, median(b_values) / bare
            lines.append(f"| {phase} | {key} | {a:.2f}x | {b:.2f}x | {b - a:+.2f}x |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and pages: about 5 minutes")
    parser.add_argument("--no-write", action="store_true", help="print the section instead of adding it to RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--budget", type=float, help="seconds for the whole run (default 1560, --quick 480)")
    parser.add_argument("--only", help="comma-separated phases: " + ",".join(PHASES))
    parser.add_argument(
        "--b-env",
        help="KEY=VALUE[,KEY=VALUE]: a second app server with these settings, measured beside the first in the warm, "
        "cold and clicks phases (for example POLICYLENS_FIRST_PAINT=0: what the first paint costs, in the same run)",
    )
    args = parser.parse_args()
    only = set((args.only or ",".join(PHASES)).split(","))
    quick = args.quick
    settings = {
        "warm_runs": 1 if quick else 3,
        "cold_runs": 1 if quick else 2,
        "clicks": 2 if quick else 6,
        "slide_steps": 2 if quick else 3,
        "slide_loads": 2 if quick else 5,
        "levels": [0, 10, 20] if quick else [0, 10, 20, 30, 40],
        "sessions": 50,
        "followers": 20,
        "follow_presses": 6 if quick else 18,
        "rounds": 1 if quick else 3,
        "lighthouse_pages": ["/", "/voices"] if quick else PAGES,
        "lighthouse_runs": 1 if quick else 3,
        "paint_runs": 1 if quick else 3,
    }
    clock = Clock(args.budget or (8 * 60 if quick else 26 * 60))
    res = Results(
        started=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        quick=quick,
        machine=machine(),
        settings={k: v for k, v in settings.items() if k != "lighthouse_pages"},
    )

    def phase(name: str) -> None:
        res.load[name] = round(load_average(), 1)
        print(f"[{clock.elapsed():5.0f} s] {name} done, load {res.load[name]}", flush=True)

    app = Server({"POLICYLENS_DATA_DIR": ""}).start()
    bare = Server(script=BENCH / "bare_page.py").start()
    framed = Server(script=BENCH / "framed_page.py").start()
    servers = {"app": app, "bare": bare, "framed": framed}
    if args.b_env:
        servers["app_b"] = Server({"POLICYLENS_DATA_DIR": "", **dict(kv.split("=", 1) for kv in args.b_env.split(","))})
        servers["app_b"].start()
    try:
        res.compression = compression_of(app.url)
        res.memory["app_start_mib"], res.memory["bare_start_mib"] = rss_mib(app.proc.pid), rss_mib(bare.proc.pid)
        res.protocol = asyncio.run(count_pages(app.url, PAGES))
        res.protocol["bare"] = asyncio.run(count_pages(bare.url, ["/"]))["/"]
        res.protocol["framed"] = asyncio.run(count_pages(framed.url, ["/"]))["/"]
        charts = {path: counts["charts"] for path, counts in res.protocol.items()}
        phase("protocol pass")
        if only & {"warm", "cold", "clicks", "slides"}:
            with sync_playwright() as playwright:
                browser = Browser(playwright)
                try:
                    for name, run, count in (
                        ("warm", warm_loads, settings["warm_runs"]),
                        ("cold", cold_loads, settings["cold_runs"]),
                        ("clicks", chart_clicks, settings["clicks"]),
                        ("slides", slide_changes, settings["slide_steps"]),
                    ):
                        if name in only:
                            run(browser, servers, charts, count, res, clock.share(SHARES[name]))
                            phase(name)
                finally:
                    browser.close()
        if "memory" in only:
            time.sleep(2)
            res.memory["app_rss_mib"], res.memory["bare_rss_mib"] = rss_mib(app.proc.pid), rss_mib(bare.proc.pid)
            levels = settings["levels"]
            res.memory["sessions"] = asyncio.run(
                session_memory({k: servers[k] for k in ("app", "bare")}, levels, clock.share(SHARES["memory"]))
            )
            phase("memory")
        if "sessions" in only:
            n, rounds = settings["sessions"], settings["rounds"]
            res.concurrency = asyncio.run(concurrent_clicks(app, bare, n, rounds, clock.share(SHARES["sessions"])))
            phase("sessions")
        if "rooms" in only and clock.allows(60, first=True):
            with tempfile.TemporaryDirectory() as folder:
                res.rooms = follow_lag.run(Path(folder), settings["followers"], settings["follow_presses"])
            phase("rooms")
        if "firstpaint" in only:
            with sync_playwright() as playwright:
                browser = Browser(playwright)
                try:
                    paints = clock.share(SHARES["firstpaint"])
                    first_paint_all(browser, servers, PAGES, settings["paint_runs"], res, paints)
                finally:
                    browser.close()
            phase("firstpaint")
        if "lighthouse" in only:
            lighthouse_all(servers, settings["lighthouse_pages"], settings["lighthouse_runs"], res, clock)
            phase("lighthouse")
    finally:
        app.stop()
        bare.stop()
        framed.stop()
        if "app_b" in servers:
            servers["app_b"].stop()
    res.seconds = clock.elapsed()
    section = markdown(res)
    print(section)
    if args.b_env:
        print(versus_b(res, args.b_env))
    if args.json:
        args.json.write_text(json.dumps(res.__dict__, indent=1, default=str))
    if not args.no_write:
        text = RESULTS.read_text(encoding="utf-8")
        RESULTS.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        print(f"added to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
