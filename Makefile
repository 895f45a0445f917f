# Two commands on a fresh clone (only python3, pip and make needed):
#   make run [ARGS='drugs compare denosumab teriparatide']
#   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?= drugs list

.PHONY: run test lint bench examples clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

run: $(STAMP)
	@$(BIN)/osteo $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check osteo_cli tests benchmarks hatch_build.py
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check osteo_cli tests benchmarks hatch_build.py
	$(BIN)/ruff format --check osteo_cli tests benchmarks hatch_build.py
	$(BIN)/mypy

# Issue 21's targets; the results go into docs/performance.md (and nowhere else).
bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py --write docs/performance.md $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

examples: $(STAMP)
	$(BIN)/python tests/doc_examples.py --update
