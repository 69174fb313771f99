# The two commands of the README. Both work on a fresh machine: they set up what they need first.
PORT ?= 8501

# Python keeps the bytecode of what it imports, under .venv/pycache (not beside the sources). This machine's
# environment sets PYTHONDONTWRITEBYTECODE, so every process compiled Streamlit, Plotly and pandas from source again:
# 3.5 s of CPU per process against 1.1 s with the cache, in each pytest worker and each server a test starts, and
# pytest's rewritten test modules (collecting took 14 s a worker, 5 s with the cache; issue 21).
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(CURDIR)/.venv/pycache

.PHONY: run test lint validate cluster fuzz

run:
	scripts/setup.sh
	.venv/bin/python -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) --browser.gatherUsageStats false

# Both cores (pytest-xdist): each test file runs whole in one of two workers, so a file's module fixtures (its
# servers) start once; the browser files go first (tests/conftest.py), the short unit files fill the end.
test:
	@date +%s > .test-started
	scripts/setup.sh --dev --browser --nginx
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/python -m policylens.validate
	.venv/bin/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder
	@echo "make test took $$(( $$(date +%s) - $$(cat .test-started) )) s (issue 21: at most 600 on this 2-core machine)"

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

validate:
	.venv/bin/python -m policylens.validate

# The hosted layout on one machine: nginx on 127.0.0.1:$(CLUSTER_PORT) in front of two replicas (docs/deploy.md).
CLUSTER_PORT ?= 8080

cluster:
	scripts/setup.sh --nginx
	.venv/bin/python scripts/cluster.py --port $(CLUSTER_PORT)

# The container images of deploy/ built and run (issue 23; scripts/test_deploy.py): the image as the Kubernetes
# manifest runs it, then compose.yaml's two replicas behind nginx with one stopped under open pages, in Chromium.
# Installs and starts Docker's engine when missing and makes a Debian base image once per machine; reports the image
# size and the time to healthy; removes every container it started. Not part of `make test`: it needs root and a few
# minutes (CI runs it as a step of its own).
.PHONY: test-deploy
test-deploy:
	scripts/setup.sh --dev --browser
	.venv/bin/python scripts/test_deploy.py

# Hostile links and broken data at scale (issue 12): 20,000 generated links through AppTest from the entrypoint and
# 200 in the browser, new ones every run, and every broken-data case on every page. It prints the counts. About an
# hour on a 2-core machine; `make test` runs a fixed sample of each (tests/app/test_hostile_pages.py says how many).
FUZZ_LINKS ?= 20000
FUZZ_BROWSER_LINKS ?= 200

fuzz:
	scripts/setup.sh --dev --browser
	FUZZ_LINKS=$(FUZZ_LINKS) FUZZ_BROWSER_LINKS=$(FUZZ_BROWSER_LINKS) FUZZ_RANDOM=1 BROKEN_MATRIX=full \
		.venv/bin/python -m pytest -q -p no:cacheprovider tests/app/test_hostile_pages.py \
		tests/e2e/test_hostile_links.py tests/app/test_broken_pages.py tests/data/test_broken_matrix.py

# Issue 10's benchmarks (benchmarks/bench.py): every page, click and slide against a bare Streamlit page in one run,
# under 15 minutes; adds a dated section to benchmarks/RESULTS.md. `make bench BENCH_ARGS=--quick` for a short run.
.PHONY: bench
bench:
	scripts/setup.sh --dev --browser
	@stamp=benchmarks/node_modules/.installed-$$(sha256sum benchmarks/package-lock.json | cut -c1-16); \
	  if [ ! -f "$$stamp" ]; then npm ci --prefix benchmarks --no-audit --no-fund --loglevel=error && touch "$$stamp"; fi
	.venv/bin/python benchmarks/bench.py $(BENCH_ARGS)

# Issue 19: the theme readers measured on the labelled corpus' test part (dataset policy-corpus), under both lenses:
# precision, recall and F1 per theme and overall, the lexicon beside the old keyword list. Writes docs/themes-eval.md
# and docs/themes-eval.json (the line /sources shows). The only command that reads the test part.
.PHONY: eval-themes
eval-themes:
	scripts/setup.sh
	.venv/bin/python scripts/eval_themes.py
