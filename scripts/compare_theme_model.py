"""Does a statistical model read themes better than the curated lexicon? Measured on the corpus' DEVELOPMENT part only.

Issue 19 allows scikit-learn if a model beats the lexicon on the development part. This script compares, under both
lenses, micro precision, recall and F1 of:

- the lexicon (``policylens.analyze.tagging.tag``; it needs no training, but it was written by reading these same
  paragraphs, so its score here is an in-sample score and flatters it);
- one-vs-rest logistic regression on TF-IDF word 1- and 2-grams (``ngrams``);
- the same with the lexicon's per-theme scores as extra features (``ngrams+lexicon``);

each model scored out of fold, in two ways: 5-fold cross-validation over paragraphs (repeated three times with
different shuffles) and 5-fold cross-validation grouped by document (no document in both the training and the
scored fold, closer to a text nobody here has read). The test part is never loaded.

scikit-learn is not a dependency of Policy Lens (requirements.txt): install it into a separate directory and put that
on PYTHONPATH to run this, e.g. ``pip install --target /tmp/skl scikit-learn scipy`` then
``PYTHONPATH=/tmp/skl .venv/bin/python scripts/compare_theme_model.py``. Findings: docs/method.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from sklearn.multiclass import OneVsRestClassifier

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policylens.analyze.tagging import read, tag  # noqa: E402
from policylens.evaluation import LENS_COLUMNS, LENSES, corpus_part, readers, score, split_list  # noqa: E402


def lexicon_features(texts, lexicon) -> np.ndarray:
    ids = lexicon.theme_ids
    return np.array([[read(t, lexicon)[0].get(i, 0.0) for i in ids] for t in texts])


def fit_predict(train_texts, train_y, test_texts, lexicon, *, with_lexicon: bool, c: float) -> np.ndarray:
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vectorizer.fit_transform(train_texts)
    x_test = vectorizer.transform(test_texts)
    if with_lexicon:
        x_train = hstack([x_train, csr_matrix(lexicon_features(train_texts, lexicon))]).tocsr()
        x_test = hstack([x_test, csr_matrix(lexicon_features(test_texts, lexicon))]).tocsr()
    predicted = np.zeros((len(test_texts), train_y.shape[1]), dtype=int)
    present = train_y.sum(axis=0) > 0  # a theme absent from a training fold cannot be learned there
    model = OneVsRestClassifier(LogisticRegression(C=c, class_weight="balanced", max_iter=5000))
    model.fit(x_train, train_y[:, present])
    predicted[:, present] = model.predict(x_test)
    return predicted


def micro(gold: np.ndarray, predicted: np.ndarray, theme_ids) -> tuple[float, float, float, list[str]]:
    as_sets = [[theme_ids[j] for j in np.flatnonzero(row)] for row in gold]
    pred_sets = [[theme_ids[j] for j in np.flatnonzero(row)] for row in predicted]
    per, total = score(as_sets, pred_sets, theme_ids)
    low = [s.theme for s in per if s.support and s.recall < 0.7]
    return total.precision, total.recall, total.f1, low


def main() -> int:
    rows = corpus_part("dev")
    texts = np.array(list(rows["text"]))
    groups = np.array(list(rows["document_id"]))
    built = readers()
    print(f"development part: {len(rows)} paragraphs, {len(set(groups))} documents\n")
    for lens in LENSES:
        ids = built.theme_ids[lens]
        lexicon = built.lexicons[lens]
        y = np.array([[t in split_list(v) for t in ids] for v in rows[LENS_COLUMNS[lens]]], dtype=int)
        lex = np.array([[t in tag(text, lexicon)[0] for t in ids] for text in texts], dtype=int)
        p, r, f, low = micro(y, lex, ids)
        print(f"[{lens}] lexicon (in-sample)          P {p:.2f} R {r:.2f} F1 {f:.3f}  recall<0.7: {low}")
        for name, with_lexicon in (("ngrams", False), ("ngrams+lexicon", True)):
            for c in (1.0, 10.0):
                scores = []
                for seed in range(3):
                    out = np.zeros_like(y)
                    for train, test in KFold(5, shuffle=True, random_state=seed).split(texts):
                        out[test] = fit_predict(
                            texts[train], y[train], texts[test], lexicon, with_lexicon=with_lexicon, c=c
                        )
                    scores.append(micro(y, out, ids)[:3])
                p, r, f = np.mean(scores, axis=0)
                out = np.zeros_like(y)
                for train, test in GroupKFold(5).split(texts, groups=groups):
                    out[test] = fit_predict(
                        texts[train], y[train], texts[test], lexicon, with_lexicon=with_lexicon, c=c
                    )
                gp, gr, gf, glow = micro(y, out, ids)
                print(
                    f"[{lens}] {name:<15} C={c:<4} paragraph CV P {p:.2f} R {r:.2f} F1 {f:.3f} | "
                    f"document CV P {gp:.2f} R {gr:.2f} F1 {gf:.3f}  recall<0.7: {len(glow)} themes"
                )
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
