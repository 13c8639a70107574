# autoresearch: `make demo` runs the main job offline, `make test` runs the test suite.
# Both set up .venv on first use (torch==2.13.0 first, so pip never pulls a CUDA build here).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EXTRAS ?= dev,llamacpp,postgres
PYTEST_ARGS ?=

.PHONY: setup test test-fast lint demo bench eval clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install torch==2.13.0
	$(BIN)/python -m pip install -e ".[$(EXTRAS)]"
	touch $(STAMP)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Skip the slow real-model tests (they still run in `make test` and CI).
test-fast: setup
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# ruff (errors, import order, pyupgrade), then pyright over the product code (config in pyproject.toml).
# PYRIGHT_PYTHON_IGNORE_WARNINGS stops the pyright wrapper asking PyPI for a newer release.
lint: setup
	$(BIN)/ruff check .
	PYRIGHT_PYTHON_IGNORE_WARNINGS=1 $(BIN)/pyright

demo: setup
	$(BIN)/python -m evals.demo

bench: setup
	$(BIN)/python -m evals.run bench

eval: setup
	$(BIN)/python -m evals.run eval

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
