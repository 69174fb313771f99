"""Frozen vs SetFit-fine-tuned MiniLM under the same document-grouped 5-fold CV on dev (pc-001..pc-372).

Head = models.py's "emb" model: OvR logistic regression, C x class weight grid, threshold rule in fixed/global/per-theme
(chosen by CV micro F1, thresholds cross-fitted) and the recall-floor rule as its own row. For the fine-tuned encoder
fold k's head is trained on fold k's model's embeddings of the training rows and scores the held-out rows with the same
model (cache/ft_<lens>_R<R>.npz from setfit_cv.py). The frozen encoder uses cache/minilm-st.npz in every fold.
Stack = stack_oos.py's stage 2 (stage-1 OOF probabilities from the head above + out-of-sample lexicon v1/v3 scores on
the 215 rows S), CV on S.
Test rows are scored only with --test LENS (fine-tuned on all dev: cache/ftfinal_<lens>_R<R>.npz).

Usage: nice -n 19 venv/bin/python eval_ft.py R [--test LENS ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

HERE = Path(__file__).resolve().parent
from workdir import WORK  # noqa: E402

sys.path.insert(0, str(HERE))
import models as M  # noqa: E402
import stack_oos as S  # noqa: E402

from policylens.evaluation import LENSES  # noqa: E402

F1_RULES = S.F1_RULES


def head_cv(xfold, y, folds, ids):
    """xfold[k] = embeddings of all dev rows used in fold k. Returns {label: (cv, C, cw, rule, oof)}."""
    cands = []
    for c in M.CS:
        for cw in M.WEIGHTS:
            oof = np.zeros(y.shape)
            for k, (tr, te) in enumerate(folds):
                oof[te] = M.fit_proba(xfold[k][tr], y[tr], xfold[k][te], c, cw)
            for rule in F1_RULES + ("recall-floor",):
                cands.append((M.micro(y, M.cross_fit_cut(y, oof, folds, rule), ids), c, cw, rule, oof))
    out = {}
    for label, allowed in (("emb", F1_RULES), ("emb [recall-floor]", ("recall-floor",))):
        out[label] = max((k for k in cands if k[3] in allowed), key=lambda k: k[0]["F1"])
    return out


def stack_cv(p1, y, groups, oos_lens, ids):
    mask, sc, tg = oos_lens
    yy, pp, ss, tt, gg = y[mask], p1[mask], sc[mask], tg[mask], groups[mask]
    cands = S.stage2_candidates(yy, pp, ss, tt, gg, ids)
    out = {}
    for label, allowed in (("stack-oos", F1_RULES), ("stack-oos [recall-floor]", ("recall-floor",))):
        out[label] = max((k for k in cands if k[3] in allowed), key=lambda k: k[0]["F1"])
    return out, (mask, yy, pp, ss, tt)


def fmt(r):
    return (
        f"P {r['P']:.3f} R {r['R']:.3f} F1 {r['F1']:.3f} minR {r['min_recall']:.2f} ({r['min_theme']}) "
        f"<0.70: {len(r['under_0.70'])}"
    )


def main():
    r = int(sys.argv[1])
    test_lenses = sys.argv[sys.argv.index("--test") + 1 :] if "--test" in sys.argv else []
    built, data = M.load()
    oos = S.oos_lexicon(built, data)
    d = data["dev"]
    groups = d["groups"]
    folds = list(GroupKFold(5).split(d["texts"], groups=groups))
    z = np.load(WORK / "cache" / "minilm-st.npz", allow_pickle=True)
    pos = {i: n for n, i in enumerate(z["ids"])}
    frozen_dev = z["X"][[pos[i] for i in d["ids"]]]
    frozen_test = z["X"][[pos[i] for i in data["test"]["ids"]]]
    results = {}
    for lens in LENSES:
        f = WORK / "cache" / f"ft_{lens}_R{r}.npz"
        if not f.exists():
            continue
        ft = np.load(f)
        if len(ft["X"]) < 5:
            print(f"{lens}: only {len(ft['X'])} folds done, skipping")
            continue
        ids = built.theme_ids[lens]
        y, yt = d[f"y_{lens}"], data["test"][f"y_{lens}"]
        results[lens] = {"ft_times_s": ft["times"].tolist(), "npairs": ft["npairs"].tolist()}
        for enc, xfold in (("frozen", [frozen_dev] * 5), ("finetuned", list(ft["X"]))):
            rows = head_cv(xfold, y, folds, ids)
            cv, c, cw, rule, p1 = rows["emb"]
            st, (mask, yy, pp, ss, tt) = stack_cv(p1, y, groups, oos[lens], ids)
            rows.update(st)
            res = {}
            pred = M.cross_fit_cut(y, p1, folds, rule)
            res["per_fold_F1_emb"] = [float(M.f1_of(y[te], pred[te])) for _, te in folds]
            print(f"{lens:7} {enc:9} per-fold emb F1 " + " ".join(f"{v:.3f}" for v in res["per_fold_F1_emb"]))
            for label, (cvr, c2, cw2, rule2, _oof2) in rows.items():
                res[label] = {"C": c2, "class_weight": cw2, "rule": rule2, "cv": cvr}
                print(f"{lens:7} {enc:9} {label:26} C={c2:<5} {str(cw2):8} {rule2:12} CV {fmt(cvr)}", flush=True)
            if lens in test_lenses:
                if enc == "frozen":
                    xd, xt = frozen_dev, frozen_test
                else:
                    fz = np.load(WORK / "cache" / f"ftfinal_{lens}_R{r}.npz")
                    xd, xt = fz["Xdev"], fz["Xtest"]
                for label in ("emb", "emb [recall-floor]"):
                    _, c1, cw1, rule1, oof1 = rows[label]
                    prob = M.fit_proba(xd, y, xt, c1, cw1)
                    res[label]["test"] = M.micro(yt, (prob >= M.thresholds(y, oof1, rule1)).astype(int), ids)
                    print(f"{lens:7} {enc:9} {label:26} TEST {fmt(res[label]['test'])}", flush=True)
                p1t = M.fit_proba(xd, y, xt, c, cw)
                for label in ("stack-oos", "stack-oos [recall-floor]"):
                    _, c2, cw2, rule2, oof2 = rows[label]
                    prob = S.stage2_fit_predict(
                        pp, ss, tt, yy, p1t, data["test"][f"lex_{lens}"], data["test"][f"lextag_{lens}"], c2, cw2
                    )
                    res[label]["test"] = M.micro(yt, (prob >= M.thresholds(yy, oof2, rule2)).astype(int), ids)
                    print(f"{lens:7} {enc:9} {label:26} TEST {fmt(res[label]['test'])}", flush=True)
            results[lens][enc] = res
    out = WORK / "results" / f"setfit_R{r}{'_test' if test_lenses else ''}.json"
    out.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
