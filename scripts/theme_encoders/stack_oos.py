"""Stacking the embedding model with the lexicon, with OUT-OF-SAMPLE lexicon scores for the stacker's training rows.

Lexicon v4 was written from all of pc-001..pc-372, so its scores on those rows are in-sample (F1 0.88/0.83 there, vs
0.77/0.72 on unseen rows) and any model trained on them over-trusts the lexicon. Older lexicon versions in the
project's git history were written from fewer rows, so on some dev rows their scores are out of sample:
  - v1 (commit 6f98f23) was written from that day's 129 dev rows; its 105 test rows were unseen by it;
  - v3 (commit 60c1e30) was written from pc-001..pc-262; rows pc-263..pc-372 were unseen by it.
S = those 215 dev rows, each with the unseen version's scores. (Unseen-data F1 of v1, v3, v4 were 0.78/0.73,
0.76/0.72, 0.77/0.72, so they are fair proxies for v4 on new text.) All rows are still dev rows; test rows are only
scored at the end, with lexicon v4 as deployed.

Stage 1: embedding LR (C, class weight from models.py's CV, results/ENC.json row "emb"); out-of-fold probabilities on
all 372 dev rows (document-grouped 5-fold), and a fit on all 372 for the test rows.
Stage 2, per theme: LR on [logit p_emb(theme), lexicon score(theme), lexicon tag(theme)], trained on S (variant
"stack-oos") or, for comparison, on all 372 rows with v4's in-sample scores ("stack-insample"). C, class weight and
threshold rule chosen by document-grouped 5-fold CV on the stage-2 training rows.

Usage: nice -n 19 venv/bin/python stack_oos.py ENCODER [...]
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent
from workdir import WORK  # noqa: E402

sys.path.insert(0, str(HERE))
import models as M  # noqa: E402

from policylens.analyze.tagging import lexicon_from_frame, read, tag  # noqa: E402
from policylens.evaluation import LENSES  # noqa: E402

# The lexicon versions of the project's history that had not seen some development rows (docs/method.md).
VERSIONS = {"v1": "6f98f23", "v3": "60c1e30"}


def _at(version: str, path: str) -> pd.DataFrame:
    """A CSV of the repository as it was at a lexicon version's commit."""
    shown = subprocess.run(
        ["/usr/bin/git", "show", f"{VERSIONS[version]}:{path}"], cwd=HERE.parents[1], capture_output=True, check=True
    )
    return pd.read_csv(io.BytesIO(shown.stdout))


def oos_lexicon(built, data):
    """Per lens: (row mask of S within dev, score matrix, tag matrix) from the version that had not seen each row."""
    dev_ids = data["dev"]["ids"]
    texts = data["dev"]["texts"]
    old_v1 = _at("v1", "data/policy-corpus/policy-corpus.csv")
    v1_rows = set(old_v1[old_v1["split"] == "test"]["id"])
    v3_rows = {f"pc-{i:03d}" for i in range(263, 373)}
    which = ["v1" if i in v1_rows else "v3" if i in v3_rows else None for i in dev_ids]
    out = {}
    for lens in LENSES:
        ids = built.theme_ids[lens]
        lex = {v: lexicon_from_frame(lens, ids, _at(v, "data/theme-lexicon/theme-lexicon.csv")) for v in ("v1", "v3")}
        sc = np.zeros((len(dev_ids), len(ids)))
        tg = np.zeros((len(dev_ids), len(ids)), int)
        for r, (t, v) in enumerate(zip(texts, which, strict=True)):
            if v:
                s = read(t, lex[v])[0]
                sc[r] = [s.get(i, 0.0) for i in ids]
                tg[r] = [i in tag(t, lex[v])[0] for i in ids]
        out[lens] = (np.array([v is not None for v in which]), sc, tg)
    return out


def logit(p):
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def stage2_x(p, sc, tg, j):
    return np.column_stack([logit(p[:, j]), sc[:, j], tg[:, j]])


def stage2_fit_predict(ptr, sctr, tgtr, ytr, pte, scte, tgte, c, cw):
    out = np.zeros((len(pte), ytr.shape[1]))
    for j in range(ytr.shape[1]):
        xtr, xte = stage2_x(ptr, sctr, tgtr, j), stage2_x(pte, scte, tgte, j)
        s = StandardScaler().fit(xtr)
        if ytr[:, j].min() == ytr[:, j].max():
            out[:, j] = ytr[0, j]
            continue
        m = LogisticRegression(C=c, class_weight=cw, max_iter=5000).fit(s.transform(xtr), ytr[:, j])
        out[:, j] = m.predict_proba(s.transform(xte))[:, 1]
    return out


F1_RULES = ("fixed", "global", "per-theme")  # threshold rules chosen for F1; "recall-floor" is the other


def stage2_candidates(yy, pp, ss, tt, gg, ids) -> list[tuple]:
    """Every stage-2 setting (C, class weight, threshold rule) with its document-grouped 5-fold CV score on the given
    rows: (scores, C, class weight, rule, out-of-fold probabilities)."""
    f2 = list(GroupKFold(5).split(pp, groups=gg))
    cands = []
    for c in (0.01, 0.1, 1.0, 10.0):
        for cw in ("balanced", None):
            oof = np.zeros(yy.shape)
            for tr, te in f2:
                oof[te] = stage2_fit_predict(pp[tr], ss[tr], tt[tr], yy[tr], pp[te], ss[te], tt[te], c, cw)
            for rule in (*F1_RULES, "recall-floor"):
                cands.append((M.micro(yy, M.cross_fit_cut(yy, oof, f2, rule), ids), c, cw, rule, oof))
    return cands


def run(enc, built, data, oos):
    z = np.load(WORK / "cache" / f"{enc}.npz", allow_pickle=True)
    pos = {i: n for n, i in enumerate(z["ids"])}
    emb = {p: z["X"][[pos[i] for i in data[p]["ids"]]] for p in ("dev", "test")}
    res = json.loads((WORK / "results" / f"{enc}.json").read_text())
    groups = data["dev"]["groups"]
    folds = list(GroupKFold(5).split(emb["dev"], groups=groups))
    out = {}
    for lens in LENSES:
        ids = built.theme_ids[lens]
        y, yt = data["dev"][f"y_{lens}"], data["test"][f"y_{lens}"]
        cfg = res["lenses"][lens]["emb"]
        p1 = np.zeros(y.shape)
        for tr, te in folds:
            p1[te] = M.fit_proba(emb["dev"][tr], y[tr], emb["dev"][te], cfg["C"], cfg["class_weight"])
        p1t = M.fit_proba(emb["dev"], y, emb["test"], cfg["C"], cfg["class_weight"])
        mask, sc_oos, tg_oos = oos[lens]
        variants = {
            "stack-oos": (mask, sc_oos, tg_oos),
            "stack-insample": (np.ones(len(y), bool), data["dev"][f"lex_{lens}"], data["dev"][f"lextag_{lens}"]),
        }
        out[lens] = {}
        for name, (m, sc, tg) in variants.items():
            yy, pp, ss, tt, gg = y[m], p1[m], sc[m], tg[m], groups[m]
            cands = stage2_candidates(yy, pp, ss, tt, gg, ids)
            for label, allowed in (("", F1_RULES), (" [recall-floor]", ("recall-floor",))):
                cv, c, cw, rule, oof = max((k for k in cands if k[3] in allowed), key=lambda k: k[0]["F1"])
                prob = stage2_fit_predict(
                    pp, ss, tt, yy, p1t, data["test"][f"lex_{lens}"], data["test"][f"lextag_{lens}"], c, cw
                )
                pred = (prob >= M.thresholds(yy, oof, rule)).astype(int)
                test = M.micro(yt, pred, ids)
                test["pred"] = pred.tolist()
                # the lexicon alone on the same stage-2 training rows, for reference (how in-sample they are)
                lex_alone = M.micro(yy, tt, ids)["F1"]
                out[lens][name + label] = {
                    "rows": int(m.sum()),
                    "C": c,
                    "class_weight": cw,
                    "rule": rule,
                    "cv": cv,
                    "test": test,
                    "lexicon_F1_on_train_rows": lex_alone,
                }
    return out


def main():
    built, data = M.load()
    oos = oos_lexicon(built, data)
    for enc in sys.argv[1:]:
        out = run(enc, built, data, oos)
        (WORK / "results" / f"{enc}-stack.json").write_text(json.dumps(out, indent=1, default=str))
        for lens, rows in out.items():
            for name, r in rows.items():
                t, cv = r["test"], r["cv"]
                print(
                    f"{enc:11} {lens:7} {name:30} n={r['rows']} lexF1(train rows) {r['lexicon_F1_on_train_rows']:.3f} "
                    f"C={r['C']} {str(r['class_weight']):8} {r['rule']:12} CV F1 {cv['F1']:.3f} | test P {t['P']:.3f} "
                    f"R {t['R']:.3f} F1 {t['F1']:.3f} minR {t['min_recall']:.2f} under0.70 {t['under_0.70']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
