"""Learning curve on development rows only (pc-001..pc-372; the test part is never loaded).

Outer protocol: document-grouped 5-fold CV on the 372 dev rows (GroupKFold(5) by document_id, the same folds as
models.py). For each outer fold, a fraction (25/50/75/100 %) of the training fold's DOCUMENTS is drawn at random
(3 draws per fraction, drawn independently per fold); models are fit on the rows of the drawn documents and score the
held-out fold. Micro F1 is pooled over the 5 held-out folds (as in models.py).

(a) emb: frozen minilm-st embedding, OvR LR with the hyperparameters models.py chose on full dev
    (both lenses: C=0.03, class_weight=balanced, threshold rule "fixed" 0.5), so there is nothing to refit per
    subsample.
(b) stack-oos: stage 1 = that emb LR; stage-1 probabilities for the stage-2 training rows are out-of-fold from an inner
    GroupKFold(5) on the drawn training rows; stage 1 refit on all drawn rows scores the held-out fold.
    Stage 2 (per theme LR on [logit p_emb, lexicon score, lexicon tag]) is trained on the drawn rows that are in S
    (the 215 dev rows with out-of-sample lexicon scores from v1/v3, see stack_oos.py), with stack_oos.py's chosen
    C / class weight / rule (article C=10, None, global; oecd C=0.01, balanced, fixed). The global threshold is fit on
    stage-2 inner-OOF probabilities of the drawn S rows. It is scored on the held-out fold's S rows only (as
    stack_oos.py's CV).
    This is a nested version of stack_oos.py's CV, so its 100 % point differs slightly from the 0.810 / 0.731 there.

Then F1 = a + b * ln(training rows) is fit on the 12 points per (model, lens), and the training-row count at which
the line reaches 0.85 (article) / 0.80 (oecd) is reported.

Usage: nice -n 19 venv/bin/python learning_curve.py   (writes results/learning_curve.json, prints tables)
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

HERE = Path(__file__).resolve().parent
from workdir import WORK  # noqa: E402

sys.path.insert(0, str(HERE))
import models as M  # noqa: E402
import stack_oos as S  # noqa: E402

from policylens.evaluation import LENSES  # noqa: E402

FRACTIONS = (0.25, 0.5, 0.75, 1.0)
SEEDS = (0, 1, 2)
TARGET = {"article": 0.85, "oecd": 0.80}
EMB_CFG = {
    "article": (0.03, "balanced"),
    "oecd": (0.03, "balanced"),
}  # models.py, results/minilm-st.json "emb", rule fixed
STACK_CFG = {"article": (10.0, None, "global"), "oecd": (0.01, "balanced", "fixed")}  # results/minilm-st-stack.json


def draw(train_idx, groups, frac, rng):
    docs = np.unique(groups[train_idx])
    if frac >= 1.0:
        return train_idx
    k = max(2, int(round(frac * len(docs))))
    keep = set(rng.choice(docs, size=k, replace=False))
    return train_idx[np.array([groups[i] in keep for i in train_idx])]


def stack_fold(x, y, groups, smask, sc, tg, tr, te, lens):
    """Nested stack-oos for one outer fold: returns predictions for te[smask[te]]."""
    c1, cw1 = EMB_CFG[lens]
    c2, cw2, rule = STACK_CFG[lens]
    # stage-1 OOF on the drawn training rows
    inner = list(GroupKFold(5).split(tr, groups=groups[tr]))
    p1_tr = np.zeros((len(tr), y.shape[1]))
    for a, b in inner:
        p1_tr[b] = M.fit_proba(x[tr[a]], y[tr[a]], x[tr[b]], c1, cw1)
    te_s = te[smask[te]]
    p1_te = M.fit_proba(x[tr], y[tr], x[te_s], c1, cw1)
    # stage 2 on drawn rows in S
    m = smask[tr]
    tr_s = tr[m]
    pp, yy = p1_tr[m], y[tr_s]
    prob = S.stage2_fit_predict(pp, sc[tr_s], tg[tr_s], yy, p1_te, sc[te_s], tg[te_s], c2, cw2)
    if rule == "fixed":
        t = np.full(y.shape[1], 0.5)
    else:
        f2 = list(GroupKFold(5).split(tr_s, groups=groups[tr_s]))
        oof = np.zeros(yy.shape)
        for a, b in f2:
            oof[b] = S.stage2_fit_predict(
                pp[a], sc[tr_s[a]], tg[tr_s[a]], yy[a], pp[b], sc[tr_s[b]], tg[tr_s[b]], c2, cw2
            )
        t = M.thresholds(yy, oof, rule)
    return te_s, (prob >= t).astype(int), len(tr_s)


def main():
    t0 = time.time()
    built, data = M.load(parts=("dev",))  # the test part is never loaded
    assert max(data["dev"]["ids"]) <= "pc-372"
    oos = S.oos_lexicon(built, data)
    d = data["dev"]
    z = np.load(WORK / "cache" / "minilm-st.npz", allow_pickle=True)
    pos = {i: n for n, i in enumerate(z["ids"])}
    x = z["X"][[pos[i] for i in d["ids"]]]  # dev rows only
    groups = d["groups"]
    folds = list(GroupKFold(5).split(x, groups=groups))
    points = []
    for lens in LENSES:
        ids = built.theme_ids[lens]
        y = d[f"y_{lens}"]
        smask, sc, tg = oos[lens]
        for frac in FRACTIONS:
            for seed in SEEDS if frac < 1.0 else (0,):
                pred_e = np.zeros_like(y)
                pred_s = np.zeros_like(y)
                n_tr, n_s2 = [], []
                for k, (tr, te) in enumerate(folds):
                    rng = np.random.default_rng(1000 * seed + k)
                    trd = draw(tr, groups, frac, rng)
                    n_tr.append(len(trd))
                    c, cw = EMB_CFG[lens]
                    pred_e[te] = (M.fit_proba(x[trd], y[trd], x[te], c, cw) >= 0.5).astype(int)
                    te_s, ps, ns = stack_fold(x, y, groups, smask, sc, tg, trd, te, lens)
                    pred_s[te_s] = ps
                    n_s2.append(ns)
                fe = M.micro(y, pred_e, ids)
                fs = M.micro(y[smask], pred_s[smask], ids)
                pt = {
                    "lens": lens,
                    "frac": frac,
                    "seed": seed,
                    "train_rows": float(np.mean(n_tr)),
                    "stage2_rows": float(np.mean(n_s2)),
                    "emb_F1": fe["F1"],
                    "emb_minR": fe["min_recall"],
                    "stack_F1": fs["F1"],
                    "stack_minR": fs["min_recall"],
                }
                points.append(pt)
                print(
                    f"{lens:7} frac {frac:.2f} seed {seed} rows {pt['train_rows']:6.1f} "
                    f"s2rows {pt['stage2_rows']:6.1f} "
                    f"emb F1 {fe['F1']:.3f} stack-oos F1 {fs['F1']:.3f}  ({time.time() - t0:.0f}s)",
                    flush=True,
                )
    # curve fits
    fits = {}
    for lens in LENSES:
        P = [p for p in points if p["lens"] == lens]
        for model, xkey in (("emb", "train_rows"), ("stack", "train_rows"), ("stack|s2rows", "stage2_rows")):
            key = model.split("|")[0] + "_F1"
            n = np.array([p[xkey] for p in P])
            f = np.array([p[key] for p in P])
            b, a = np.polyfit(np.log(n), f, 1)
            need = float(np.exp((TARGET[lens] - a) / b)) if b > 0 else float("inf")
            # slope from the two upper fractions only (50 % -> 100 %), a less optimistic check on the tail
            hi = [p for p in P if p["frac"] >= 0.5]
            b2, a2 = np.polyfit(np.log([p[xkey] for p in hi]), [p[key] for p in hi], 1)
            need2 = float(np.exp((TARGET[lens] - a2) / b2)) if b2 > 0 else float("inf")
            full = np.mean([p[xkey] for p in P if p["frac"] == 1.0])
            fits[f"{lens}/{model}"] = {
                "a": a,
                "b_per_ln": b,
                "gain_per_doubling": b * np.log(2),
                "target": TARGET[lens],
                "rows_needed": need,
                "x_full": full,
                "multiple_of_full": need / full,
                "upper_half_b": b2,
                "upper_half_rows_needed": need2,
                "upper_half_multiple": need2 / full,
            }
    out = {"points": points, "fits": fits, "seconds": time.time() - t0}
    (WORK / "results" / "learning_curve.json").write_text(json.dumps(out, indent=1, default=float))
    print()
    print("| lens | frac | train rows (stage-2 rows) | emb F1 mean (sd) | stack-oos F1 mean (sd) |")
    print("|---|---:|---:|---:|---:|")
    for lens in LENSES:
        for frac in FRACTIONS:
            P = [p for p in points if p["lens"] == lens and p["frac"] == frac]
            e = np.array([p["emb_F1"] for p in P])
            s = np.array([p["stack_F1"] for p in P])
            rows, rows2 = np.mean([p["train_rows"] for p in P]), np.mean([p["stage2_rows"] for p in P])
            sd_e, sd_s = (e.std(ddof=1) if len(e) > 1 else 0), (s.std(ddof=1) if len(s) > 1 else 0)
            print(
                f"| {lens} | {frac:.0%} | {rows:.0f} ({rows2:.0f}) "
                f"| {e.mean():.3f} ({sd_e:.3f}) | {s.mean():.3f} ({sd_s:.3f}) |"
            )
    print()
    for k, v in fits.items():
        print(
            f"{k:22} F1 = {v['a']:.3f} + {v['b_per_ln']:.4f} ln(n)  (+{v['gain_per_doubling']:.3f}/doubling); "
            f"target {v['target']}: n = {v['rows_needed']:.0f} = {v['multiple_of_full']:.1f}x full "
            f"({v['x_full']:.0f}); upper-half slope {v['upper_half_b']:.4f}: "
            f"n = {v['upper_half_rows_needed']:.0f} = {v['upper_half_multiple']:.1f}x"
        )
    print(f"\n{time.time() - t0:.0f}s")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    main()
