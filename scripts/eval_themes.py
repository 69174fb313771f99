"""`make eval-themes`: how well the theme readers read the labelled corpus' TEST part, under both lenses.

Prints precision, recall and F1 per theme and overall (micro) for the curated lexicon (the reader of /analyze) beside
the themes dataset's old keyword list, and writes them with the date to docs/themes-eval.md, with the headline numbers
in docs/themes-eval.json (what /sources says in one line). This is the only place the test part is read; the lexicon
is written from the development part (``--part dev`` measures that one, for work on the vocabulary).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policylens.evaluation import LENSES, READERS, corpus_part, evaluate, readers  # noqa: E402

RESULTS_MD = ROOT / "docs" / "themes-eval.md"
RESULTS_JSON = ROOT / "docs" / "themes-eval.json"
GOALS = {"article": 0.85, "oecd": 0.8}
MIN_RECALL = 0.7
LENS_NAMES = {"article": "The article's themes", "oecd": "OECD AI Principles (2024)"}
READER_NAMES = {"lexicon": "lexicon (new)", "keywords": "keyword list (old)"}

HISTORY = (
    "History: the first run of this command on the test part (2026-12-06, first version of the lexicon) gave F1 "
    "0.78 for the article's themes and 0.73 for the OECD lens, with recall below 0.7 for 3 and 6 themes. The second "
    "version of the lexicon was then written from the development part only, but which themes it worked on followed "
    "the first run's per-theme scores, so its run was not a fully untouched estimate; that first test part was "
    "moved to the development part. A second test part of 110 paragraphs from 28 new documents (rows pc-263 to "
    "pc-372), labelled by a helper who never saw the vocabulary, was read once by the third version of the lexicon "
    "(written from the 262 earlier rows): F1 0.76 and 0.72, recall below 0.7 for 4 and 3 themes. That part was then "
    "moved to the development part too, and the fourth version of the lexicon was written from all 372 development "
    "rows (92 entries added, 3 removed; data changelog of 2026-12-06); its document-grouped cross-validation on the "
    "rows of the second part predicted 0.79 and 0.72. A model search on the development part (scikit-learn on "
    "n-grams and the lexicon's scores, static word embeddings from a PyPI package, nearest neighbours, document "
    "priors; docs/method.md) found nothing that reads unseen documents much better than the lexicon (best 0.80 and "
    "0.75 on the second part, trained on the rows before it), so the lexicon stays the reader. A third test part of "
    "120 paragraphs from 39 documents new to the corpus (rows pc-373 to pc-492) was labelled by two helpers who saw "
    "only the theme definitions and the labelled rows, and committed before the fourth version was written. The run "
    "below is the fourth version's first and only reading of it (2026-12-06)."
)


def table(lens: str, results, labels, part: str = "test") -> list[str]:
    heading = "Test paragraphs" if part == "test" else "Development paragraphs"
    lines = [
        f"| Theme | {heading} | " + " | ".join(f"{READER_NAMES[r]} P | R | F1" for r in READERS) + " |",
        "|---|---:|" + "---:|---:|---:|" * len(READERS),
    ]
    per = {r: {s.theme: s for s in results[lens][r][0]} for r in READERS}
    for theme_id in per["lexicon"]:
        cells = []
        for r in READERS:
            s = per[r][theme_id]
            cells += [f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}"]
        lines.append(f"| {labels[lens][theme_id]} | {per['lexicon'][theme_id].support} | " + " | ".join(cells) + " |")
    cells = []
    for r in READERS:
        s = results[lens][r][1]
        cells += [f"**{s.precision:.2f}**", f"**{s.recall:.2f}**", f"**{s.f1:.2f}**"]
    lines.append(f"| **Overall (micro)** | {results[lens]['lexicon'][1].support} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=("test", "dev"), default="test")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    rows = corpus_part(args.part)
    built = readers()
    results = evaluate(rows, built)
    today = datetime.date.today().isoformat()
    lines = [
        "# Theme readers measured on the labelled corpus",
        "",
        f"Date: **{today}**. Part: **{args.part}** ({len(rows)} paragraphs of the `policy-corpus` dataset). "
        "Written by `make eval-themes` (scripts/eval_themes.py); do not edit by hand.",
        "",
        "The lexicon (dataset `theme-lexicon`) was written from the development part only; the test part was read "
        "by this command after the lexicon was final. The old keyword list is the themes dataset's `keywords` "
        "(under the OECD lens mapped through the `article_themes` mapping of the `oecd-themes` dataset). "
        "P = precision, R = recall, F1 per theme; overall is micro-averaged over every (paragraph, theme) pair.",
        "",
        f"Goals (issue 19): overall F1 at least {GOALS['article']} for the article's themes and {GOALS['oecd']} "
        f"for the OECD lens; no theme's recall below {MIN_RECALL}.",
        "",
        HISTORY,
    ]
    summary = {"date": today, "part": args.part, "paragraphs": len(rows), "lenses": {}}
    for lens in LENSES:
        overall = results[lens]["lexicon"][1]
        old = results[lens]["keywords"][1]
        low = [s.theme for s in results[lens]["lexicon"][0] if s.recall < MIN_RECALL]
        met = overall.f1 >= GOALS[lens] and not low
        summary["lenses"][lens] = {
            "precision": round(overall.precision, 3),
            "recall": round(overall.recall, 3),
            "f1": round(overall.f1, 3),
            "old_f1": round(old.f1, 3),
            "goal_f1": GOALS[lens],
            "recall_below_goal": low,
            "met": met,
        }
        lines += ["", f"## {LENS_NAMES[lens]}", "", *table(lens, results, built.labels, args.part)]
        lines += [
            "",
            f"Goal {'met' if met else 'missed'}: overall F1 {overall.f1:.2f} (goal {GOALS[lens]}); themes with recall "
            f"below {MIN_RECALL}: {', '.join(built.labels[lens][t] for t in low) or 'none'}.",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write and args.part == "test":
        RESULTS_MD.write_text(text, encoding="utf-8")
        RESULTS_JSON.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {RESULTS_MD.relative_to(ROOT)} and {RESULTS_JSON.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
