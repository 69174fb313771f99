"""`make bench`'s Lighthouse phase: mobile performance of every page, medians of its runs."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks import firstpaint
from benchmarks.bench_setup import BENCH, LIGHTHOUSE, Clock, Results
from tests.e2e.helpers import CHROMIUM

# ---------------------------------------------------------------------------------------------------------- Lighthouse


def lighthouse(url: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={out}",
            "--quiet", "--chrome-flags=--headless --no-sandbox", "--max-wait-for-load=60000",
            # Neither counts in the score; both cost seconds per run (the bf-cache check navigates away and back).
            "--disable-full-page-screenshot", "--skip-audits=bf-cache",
        ]  # fmt: skip
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        started = time.perf_counter()
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"score": None, "error": f"no report within {timeout:.0f} s"}
        if not out.exists():
            return {"score": None, "error": (proc.stderr.strip().splitlines() or ["no report"])[-1][:200]}
        report = json.loads(out.read_text())
    audits = report["audits"]

    def ms(audit: str) -> float | None:
        return audits.get(audit, {}).get("numericValue")

    return {
        "score": report["categories"]["performance"]["score"],
        "fcp_ms": ms("first-contentful-paint"),
        "lcp_ms": ms("largest-contentful-paint"),
        "tbt_ms": ms("total-blocking-time"),
        "si_ms": ms("speed-index"),
        "cls": ms("cumulative-layout-shift"),
        "bytes": ms("total-byte-weight"),
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "error": (report.get("runtimeError") or {}).get("message") or (proc.returncode and proc.stderr.strip()[-200:]),
        "seconds": time.perf_counter() - started,
    }


def lighthouse_all(servers: dict, paths: list[str], runs: int, res: Results, clock: Clock) -> None:
    """``runs`` Lighthouse runs of every page and the bare page, taken in rounds (so that load moves every page
    alike); each page's figures are the medians of its runs (firstpaint.medians)."""
    if not LIGHTHOUSE.exists():
        res.misses.append("Lighthouse: benchmarks/node_modules has no lighthouse (run `npm ci --prefix benchmarks`)")
        return
    targets = [("bare", servers["bare"].url + "/")] + [(p, servers["app"].url + p) for p in paths]
    found: dict[str, list[dict]] = {name: [] for name, _ in targets}
    for round_no in range(runs):
        for name, url in targets:
            if not clock.allows(40, first=True):
                res.misses.append(f"Lighthouse: {name} run {round_no + 1} not measured (time budget)")
                continue
            found[name].append(lighthouse(url, timeout=min(150, clock.left() - 15)))
            print(f"  lighthouse {name} run {round_no + 1}: {found[name][-1].get('score')}", flush=True)
    res.lighthouse = {name: firstpaint.medians(values) for name, values in found.items() if values}


def lighthouse_version() -> str:
    try:
        return json.loads((BENCH / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    except OSError:
        return "(not installed)"
