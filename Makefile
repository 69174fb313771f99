# The two commands of the README. Both work on a fresh machine: they set up what they need first.
PORT ?= 8501

.PHONY: run test lint validate cluster

run:
	scripts/setup.sh
	.venv/bin/python -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) --browser.gatherUsageStats false

test:
	scripts/setup.sh --dev --browser --nginx
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python -m policylens.validate
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

validate:
	.venv/bin/python -m policylens.validate

# The hosted layout on one machine: nginx on 127.0.0.1:$(CLUSTER_PORT) in front of two replicas (docs/deploy.md).
CLUSTER_PORT ?= 8080

cluster:
	scripts/setup.sh --nginx
	.venv/bin/python scripts/cluster.py --port $(CLUSTER_PORT)
