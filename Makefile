# Two commands do all set-up: `make lab` opens the lessons, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test lint bench notebooks clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	cd benchmarks && ../$(BIN)/python run.py

notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py sync

lint: $(STAMP)
	$(BIN)/ruff check httplab tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
