"""How long /analyze takes to analyse a 100,000-word text (the goal: under 1 s on this 2-core machine).

Run: .venv/bin/python benchmarks/analyze_speed.py [--runs N] [--write]. The text is made of the CGTN article's
paragraphs (which the analysis recognises as the article's), the same paragraphs with a figure-laden sentence added
(which it does not), and a made-up briefing with figures the curated data holds and a quote, repeated to 100,000
words. Each run times ``policylens.analyze.analyze`` (splitting, tagging, profile, figures with their matches,
quotes) in this process, wall clock and CPU. Reading a .docx of the same text is timed too, for information.
``--write`` appends the result to benchmarks/RESULTS.md as a dated section. Exits 1 when the median misses the goal.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policylens import analyze  # noqa: E402
from policylens.datasets import load_dataset, read_provenance  # noqa: E402
from policylens.views.analyze import reference  # noqa: E402
from policylens.views.base import Data  # noqa: E402
from tests.unit.test_analyze import OTHER_TEXT, policy_docx  # noqa: E402

GOAL_SECONDS = 1.0
WORDS = 100_000
EXTRA = (
    "Officials said on March 3, 2024 that 12.5% of the 4,200 firms, with USD 1.2 billion in deals, had joined, "
    "and “we will go on,” said Zhang Min, a spokesperson."
)


def benchmark_text(words: int = WORDS) -> str:
    article = analyze.split_blocks((ROOT / "data" / "paragraphs" / "cgtn-article.txt").read_text(encoding="utf-8"))
    body = [p for p in article if analyze.block_kind(p) == "paragraph"]
    cycle = body + [f"{p} {EXTRA}" for p in body] + OTHER_TEXT
    out: list[str] = []
    count = 0
    while count < words:
        for paragraph in cycle:
            out.append(paragraph)
            count += analyze.count_words(paragraph)
            if count >= words:
                break
    return "\n\n".join(out)


def data() -> Data:
    ids = ("themes", "paragraphs", "statements", "claims", "expo", "ai-research", "policy-timeline", "theme-lexicon")
    return Data(frames={i: load_dataset(i) for i in ids}, provenances={"themes": read_provenance("themes")})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", action="store_true", help="append the result to benchmarks/RESULTS.md")
    args = parser.parse_args()

    text = benchmark_text()
    started = time.perf_counter()
    ref = reference(data())
    reference_s = time.perf_counter() - started
    analyze.analyze(text, ref)  # warm: compiled patterns, imports
    walls, cpus = [], []
    result = None
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = analyze.analyze(text, ref)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    docx = policy_docx(analyze.split_blocks(text))
    started = time.perf_counter()
    analyze.read_file("benchmark.docx", docx)
    docx_s = time.perf_counter() - started

    median = statistics.median(walls)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"## {datetime.date.today().isoformat()}, analyse a text: {result.words:,} words in "
        f"{statistics.median(walls):.2f} s ({os.cpu_count()}-core machine, Python {platform.python_version()})",
        "",
        f"`benchmarks/analyze_speed.py --runs {args.runs}`: `policylens.analyze.analyze` on a {result.words:,}-word "
        f"text ({len(result.body):,} paragraphs, {len(result.sentences):,} sentences, {len(result.figures):,} "
        f"figures, {len(result.quotes):,} quotes). Load average at the start: {load:.1f}.",
        "",
        "| measure | seconds |",
        "|---|---|",
        f"| analysis, median of {args.runs} (wall) | {median:.3f} |",
        f"| analysis, fastest / slowest (wall) | {min(walls):.3f} / {max(walls):.3f} |",
        f"| analysis, median CPU time | {statistics.median(cpus):.3f} |",
        f"| the reference from the curated data (once per page run) | {reference_s:.3f} |",
        f"| reading the same text from a .docx ({len(docx) / 1024:.0f} KB, python-docx) | {docx_s:.3f} |",
        "",
        f"Goal: under {GOAL_SECONDS:g} s for 100,000 words: "
        + ("**met**." if median < GOAL_SECONDS else "**missed**."),
    ]
    # Prose lines wrapped as the rest of RESULTS.md is (tables and headings stay whole).
    report = "\n".join(textwrap.fill(line, 120) if line and not line.startswith(("|", "#")) else line for line in lines)
    print(report)
    if args.write:
        results = ROOT / "benchmarks" / "RESULTS.md"
        with results.open("a", encoding="utf-8") as out:
            out.write("\n" + report + "\n")
    return 0 if median < GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
