"""Time embedding 100 paragraphs (pc-001..pc-100) three times after a warm-up; prints the median and load time."""

import statistics
import sys
import time

import embed  # imports the repository (policylens) and numpy

t0 = time.perf_counter()

name = sys.argv[1]
corpus = embed.load_dataset("policy-corpus")
texts = list(corpus["text"])[:100]
enc, _ = embed.encoder(name)
enc(texts[:4])
load = time.perf_counter() - t0
ts = []
for _ in range(3):
    t = time.perf_counter()
    enc(texts)
    ts.append(time.perf_counter() - t)
print(
    f"{name}: load and warm-up {load:.1f}s; 100 paragraphs median {statistics.median(ts):.2f}s "
    f"(runs {', '.join(f'{x:.2f}' for x in ts)})"
)
