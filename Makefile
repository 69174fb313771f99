# The two commands of the README. Both work on a fresh machine: they set up what they need first.
PORT ?= 8501

.PHONY: run test lint validate

run:
	scripts/setup.sh
	.venv/bin/python -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) --browser.gatherUsageStats false

test:
	scripts/setup.sh --dev --browser
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python -m policylens.validate
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

validate:
	.venv/bin/python -m policylens.validate
