"""Work on the theme lexicon: per-theme precision, recall and F1 on the EXISTING rows of the labelled corpus only.

Issue 19: rows pc-001 to pc-372 (the first dev and test parts, pc-001 to pc-262, and the second test part, pc-263 to
pc-372, which has moved to dev) are development data; a new test part (rows after pc-372) is held out and is never read
here: rows are filtered by their number before anything reads them.

    .venv/bin/python scripts/dev_themes.py                 # per-theme scores under both lenses
    .venv/bin/python scripts/dev_themes.py --errors oecd   # each false negative and false positive, with its cues
    .venv/bin/python scripts/dev_themes.py --cv            # document-grouped cross-validation of the entry selection
    .venv/bin/python scripts/dev_themes.py --cv --folds 0  # the same, leaving one document out at a time
    .venv/bin/python scripts/dev_themes.py --part 263-372  # also the scores on rows pc-263 to pc-372 alone

``--cv`` is the honest check of the lexicon's newest entries: the entries added since ``--base`` (a git revision of
data/theme-lexicon/theme-lexicon.csv) are treated as a learned component. In each of ``--folds`` folds grouped by
document, an added entry is kept only if, on the other folds' documents, it tags at least one labelled paragraph
correctly that the reader would otherwise miss (or, for a negative context, cancels at least one false tag there);
the fold's own documents are then read with the kept entries. An entry written for one paragraph finds no support
outside its document and is left out when that document is scored, so the estimate does not credit it.
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policylens.analyze.tagging import Entry, compile_lexicon, entries_from_frame, read, tag  # noqa: E402
from policylens.datasets import load_dataset  # noqa: E402
from policylens.evaluation import LENS_COLUMNS, LENSES, readers, score, split_list  # noqa: E402

LAST_EXISTING = 372  # rows after this one are the held-out test part
GOALS = {"article": 0.9, "oecd": 0.9}
MIN_RECALL = 0.8
LEXICON = "data/theme-lexicon/theme-lexicon.csv"


def row_number(row_id) -> int:
    """The number of a corpus row id (``pc-263`` -> 263)."""
    return int(re.fullmatch(r"pc-(\d+)", str(row_id)).group(1))


def existing_rows() -> pd.DataFrame:
    frame = load_dataset("policy-corpus")
    return frame[frame["id"].map(row_number) <= LAST_EXISTING].reset_index(drop=True)


def report(rows: pd.DataFrame, lexicons, labels) -> dict[str, tuple[float, float]]:
    out = {}
    for lens in LENSES:
        gold = [split_list(v) for v in rows[LENS_COLUMNS[lens]]]
        predicted = [tag(t, lexicons[lens])[0] for t in rows["text"]]
        per, total = score(gold, predicted, lexicons[lens].theme_ids)
        print(f"\n[{lens}] {len(rows)} paragraphs")
        print(f"{'theme':<40} {'n':>4} {'P':>5} {'R':>5} {'F1':>5}  tp fp fn")
        for s in per:
            flag = "  <" if s.recall < MIN_RECALL else ""
            print(
                f"{labels[lens][s.theme]:<40} {s.support:>4} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  "
                f"{s.tp} {s.fp} {s.fn}{flag}"
            )
        worst = min(s.recall for s in per)
        print(f"{'overall (micro)':<40} {total.support:>4} {total.precision:5.2f} {total.recall:5.2f} {total.f1:5.3f}")
        print(f"worst recall {worst:.2f}; goal F1 {GOALS[lens]}, recall >= {MIN_RECALL}")
        out[lens] = (total.f1, worst)
    return out


def errors(rows: pd.DataFrame, lexicon, lens: str, theme: str | None) -> None:
    for row in rows.to_dict("records"):
        gold = set(split_list(row[LENS_COLUMNS[lens]]))
        tags, _ = tag(row["text"], lexicon)
        scores, why = read(row["text"], lexicon)
        for t in sorted(gold ^ set(tags)):
            if theme and t != theme:
                continue
            kind = "FN" if t in gold else "FP"
            cues = [f"{c['words']}({c['strength'][0]})" for c in (why.get(t) or {}).get("cues", [])]
            cancelled = [c["words"] + "/" + c["context"] for c in (why.get(t) or {}).get("cancelled", [])]
            print(f"{kind} {t} {row['id']} [{row['document_id']}] score {scores.get(t, 0):.1f} cues {cues} {cancelled}")
            print(f"    gold {sorted(gold)}")
            print(f"    {row['text']}\n")


def base_entries(base: str) -> pd.DataFrame:
    git = shutil.which("git") or "git"
    shown = subprocess.run([git, "show", f"{base}:{LEXICON}"], cwd=ROOT, capture_output=True, text=True, check=True)
    text = shown.stdout
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def predictions(texts, lexicon) -> list[set[str]]:
    return [set(tag(t, lexicon)[0]) for t in texts]


def helped(edit: Entry, old: Entry | None, kept: list[Entry], theme_ids, texts, gold) -> set[int]:
    """The paragraphs on which ``edit`` (a new entry, or a changed one replacing ``old``) helps: a correct tag it adds,
    or a false tag it removes. Reading with or without it depends only on the unchanged entries, so this is computed
    once and each fold asks whether any of these paragraphs is among its training documents'."""
    without = compile_lexicon("cv", theme_ids, [*kept, old] if old else kept)
    with_it = compile_lexicon("cv", theme_ids, [*kept, edit])
    t = edit.theme
    found = set()
    for i, (text, g) in enumerate(zip(texts, gold, strict=True)):
        before = t in tag(text, without)[0]
        after = t in tag(text, with_it)[0]
        if before != after and after == (t in g):
            found.add(i)
    return found


def cross_validate(rows: pd.DataFrame, frame: pd.DataFrame, base: str, folds: int, theme_ids, part) -> None:
    old = base_entries(base)
    documents = sorted(set(rows["document_id"]))
    folds = folds or len(documents)  # 0: leave one document out
    fold_of = {d: i % folds for i, d in enumerate(documents)}
    for lens in LENSES:
        current = entries_from_frame(lens, frame)
        previous = {(e.theme, e.term): e for e in entries_from_frame(lens, old)}
        added = [e for e in current if previous.get((e.theme, e.term)) != e]  # new or changed entries
        unchanged = [e for e in current if previous.get((e.theme, e.term)) == e]
        dropped = [e for k, e in previous.items() if k not in {(c.theme, c.term) for c in current}]
        gold_all = [set(split_list(v)) for v in rows[LENS_COLUMNS[lens]]]
        texts_all = list(rows["text"])
        support = {
            id(e): helped(e, previous.get((e.theme, e.term)), unchanged, theme_ids[lens], texts_all, gold_all)
            for e in added
        }
        cv_pred: list[set[str]] = [set() for _ in texts_all]
        kept_counts = []
        for k in range(folds):
            train = {i for i, d in enumerate(rows["document_id"]) if fold_of[d] != k}
            held = [i for i, d in enumerate(rows["document_id"]) if fold_of[d] == k]
            kept, fallback = [], []
            for e in added:
                before = previous.get((e.theme, e.term))
                if support[id(e)] & train:
                    kept.append(e)
                elif before is not None:
                    fallback.append(before)  # an unsupported change keeps the entry as it was
            kept_counts.append(len(kept))
            lexicon = compile_lexicon(lens, theme_ids[lens], unchanged + kept + fallback + dropped)
            for i in held:
                cv_pred[i] = set(tag(texts_all[i], lexicon)[0])
        full = compile_lexicon(lens, theme_ids[lens], current)
        base_lex = compile_lexicon(lens, theme_ids[lens], entries_from_frame(lens, old))
        kept_text = (
            f"kept per fold {kept_counts}" if folds <= 10 else f"kept per fold {min(kept_counts)}..{max(kept_counts)}"
        )
        print(f"[{lens}] {len(added)} entries new or changed since {base}, {len(dropped)} removed; {kept_text}")
        for name, which in (("all rows", range(len(texts_all))), (part[0], part[1])):
            which = list(which)
            if not which:
                continue
            gold = [gold_all[i] for i in which]
            _, base_score = score(gold, predictions([texts_all[i] for i in which], base_lex), theme_ids[lens])
            _, in_sample = score(gold, predictions([texts_all[i] for i in which], full), theme_ids[lens])
            per, total = score(gold, [cv_pred[i] for i in which], theme_ids[lens])
            print(
                f"  {name} ({len(which)}): base F1 {base_score.f1:.3f} (P {base_score.precision:.2f} "
                f"R {base_score.recall:.2f}) | in-sample F1 {in_sample.f1:.3f} (P {in_sample.precision:.2f} "
                f"R {in_sample.recall:.2f}) | {folds}-fold by document F1 {total.f1:.3f} (P {total.precision:.2f} "
                f"R {total.recall:.2f}), worst recall {min(s.recall for s in per):.2f}"
            )


def row_range(rows: pd.DataFrame, spec: str | None) -> tuple[str, list[int]]:
    """The positions of the rows numbered ``first-last`` (e.g. 263-372), and a name for them."""
    if not spec:
        return "", []
    first, last = (int(x) for x in spec.split("-"))
    return f"rows {first}..{last}", [i for i, n in enumerate(rows["id"].map(row_number)) if first <= n <= last]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", choices=LENSES, help="list false negatives and positives of one lens")
    parser.add_argument("--theme", help="with --errors: only this theme")
    parser.add_argument("--cv", action="store_true", help="document-grouped cross-validation of the added entries")
    parser.add_argument("--base", default="e6fde38", help="git revision of the lexicon the new entries are new to (v3)")
    parser.add_argument("--folds", type=int, default=5, help="with --cv: folds by document; 0 leaves one out")
    parser.add_argument("--part", help="with --cv or alone: also score rows first-last (e.g. 263-372)")
    args = parser.parse_args(argv)
    rows = existing_rows()
    built = readers()
    if args.errors:
        errors(rows, built.lexicons[args.errors], args.errors, args.theme)
        return 0
    if args.cv:
        part = row_range(rows, args.part)
        cross_validate(rows, load_dataset("theme-lexicon"), args.base, args.folds, built.theme_ids, part)
        return 0
    print(f"rows {rows['id'].iloc[0]}..{rows['id'].iloc[-1]}, {rows['document_id'].nunique()} documents")
    report(rows, built.lexicons, built.labels)
    name, which = row_range(rows, args.part)
    if which:
        print(f"\n{name} only")
        report(rows.iloc[which].reset_index(drop=True), built.lexicons, built.labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
