"""Markdown tables from results/*.json (models.py, stack_oos.py) -> stdout."""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
from workdir import WORK  # noqa: E402


def short(t: str) -> str:
    return t.replace("oecd-", "").replace("data-infrastructure", "data-infra").replace("intellectual-property", "IP")


def row(t: dict) -> str:
    """P, R, F1, the lowest recall and the themes under 0.70, as table cells."""
    under = ", ".join(map(short, t["under_0.70"]))
    return f"{t['P']:.2f} | {t['R']:.2f} | **{t['F1']:.3f}** | {t['min_recall']:.2f} ({short(t['min_theme'])}) | " + (
        f"{len(t['under_0.70'])}: {under}" if under else "none"
    )


lex = json.loads((WORK / "results" / "lexicon.json").read_text())
for lens in ("article", "oecd"):
    print(f"\n### {lens}\n")
    print("| encoder | model | test P | R | F1 | min recall (theme) | themes < 0.70 | grouped-CV F1 (dev) |")
    print("|---|---|---:|---:|---:|---|---|---:|")
    t = lex[lens]["test"]
    d = lex[lens]["dev(in-sample)"]
    print(f"| — | lexicon v4 | {row(t)} | ({d['F1']:.3f} in-sample) |")
    for enc in ("minilm-st", "minilm-onnx", "e5", "use"):
        m = json.loads((WORK / "results" / f"{enc}.json").read_text())["lenses"][lens]
        s = json.loads((WORK / "results" / f"{enc}-stack.json").read_text())[lens]
        rows = [(k, m[k]) for k in ("emb", "emb+def", "emb+lex", "emb+def+lex")] + [
            (k, s[k]) for k in ("stack-oos", "stack-oos [recall-floor]", "stack-insample")
        ]
        for k, r in rows:
            t, cv = r["test"], r["cv"]
            star = "†" if "lex" in k and "oos" not in k else ""
            print(f"| {enc} | {k} | {row(t)} | {cv['F1']:.3f}{star} |")
