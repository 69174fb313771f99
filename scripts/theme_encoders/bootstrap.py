"""Paired document-level bootstrap on the test part: F1 of a model minus F1 of lexicon v4, with 95% intervals.

Re-fits the configurations that models.py chose (results/ENC.json) and reads stack_oos.py's saved predictions
(results/ENC-stack.json). Usage: nice -n 19 venv/bin/python bootstrap.py
"""

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

HERE = Path(__file__).resolve().parent
from workdir import WORK  # noqa: E402

sys.path.insert(0, str(HERE))
import models as M  # noqa: E402

from policylens.evaluation import LENSES  # noqa: E402

B = 2000


def micro_f1(k):
    """Micro F1 from (true positives, false positives, false negatives)."""
    return 2 * k[0] / (2 * k[0] + k[1] + k[2])


def model_pred(enc, lens, kind, built, data):
    z = np.load(WORK / "cache" / f"{enc}.npz", allow_pickle=True)
    pos = {i: n for n, i in enumerate(z["ids"])}
    emb = {p: z["X"][[pos[i] for i in data[p]["ids"]]] for p in ("dev", "test")}
    defs = {name: z[f"def_{name}"] for name in LENSES}
    r = json.loads((WORK / "results" / f"{enc}.json").read_text())["lenses"][lens][kind]
    (xd, extra), (xt, _) = (
        M.features(kind, "dev", lens, emb, defs, data),
        M.features(kind, "test", lens, emb, defs, data),
    )
    scale = 1.0 + (r["block_w"] - 1.0) * extra
    y = data["dev"][f"y_{lens}"]
    folds = list(GroupKFold(5).split(xd, groups=data["dev"]["groups"]))
    oof = np.zeros(y.shape)
    for tr, te in folds:
        oof[te] = M.fit_proba(xd[tr], y[tr], xd[te], r["C"], r["class_weight"], scale)
    prob = M.fit_proba(xd, y, xt, r["C"], r["class_weight"], scale)
    pred = (prob >= M.thresholds(y, oof, r["rule"])).astype(int)
    f1 = M.micro(data["test"][f"y_{lens}"], pred, built.theme_ids[lens])["F1"]
    assert abs(f1 - r["test"]["F1"]) < 1e-9, (enc, lens, kind, f1, r["test"]["F1"])
    return pred


def counts(y, p):
    return np.array([(y & p).sum(1), ((1 - y) & p).sum(1), (y & (1 - p)).sum(1)]).T  # per row tp fp fn


def main():
    built, data = M.load()
    g = data["test"]["groups"]
    docs = np.unique(g)
    rng = np.random.default_rng(0)
    samples = [rng.choice(len(docs), len(docs)) for _ in range(B)]
    rows_of = [np.flatnonzero(g == d) for d in docs]
    todo = [
        ("minilm-st", "emb"),
        ("e5", "emb"),
        ("minilm-st", "emb+lex"),
        ("minilm-st", "stack-oos"),
        ("e5", "stack-oos"),
    ]
    for lens in LENSES:
        y = data["test"][f"y_{lens}"]
        base = counts(y, data["test"][f"lextag_{lens}"])
        for enc, kind in todo:
            if kind.startswith("stack"):
                pred = np.array(
                    json.loads((WORK / "results" / f"{enc}-stack.json").read_text())[lens][kind]["test"]["pred"]
                )
            else:
                pred = model_pred(enc, lens, kind, built, data)
            c = counts(y, pred)
            d0 = micro_f1(c.sum(0)) - micro_f1(base.sum(0))
            ds, fs = [], []
            for s in samples:
                idx = np.concatenate([rows_of[i] for i in s])
                fs.append(micro_f1(c[idx].sum(0)))
                ds.append(fs[-1] - micro_f1(base[idx].sum(0)))
            lo, hi = np.percentile(ds, [2.5, 97.5])
            flo, fhi = np.percentile(fs, [2.5, 97.5])
            print(
                f"{lens:7} {enc:10} {kind:10} F1 {micro_f1(c.sum(0)):.3f} [{flo:.3f}, {fhi:.3f}]  "
                f"minus lexicon {d0:+.3f} "
                f"[{lo:+.3f}, {hi:+.3f}]  P(delta<=0) {np.mean(np.array(ds) <= 0):.2f}"
            )
        fl = [micro_f1(base[np.concatenate([rows_of[i] for i in s])].sum(0)) for s in samples]
        print(
            f"{lens:7} lexicon v4 F1 {micro_f1(base.sum(0)):.3f} "
            f"[{np.percentile(fl, 2.5):.3f}, {np.percentile(fl, 97.5):.3f}]"
        )


if __name__ == "__main__":
    main()
