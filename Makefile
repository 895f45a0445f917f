# Two commands on a fresh clone (only python3, pip and make needed):
#   make run [ARGS='drugs compare denosumab teriparatide']
#   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?= drugs list

.PHONY: run test lint bench readme clean

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

bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

readme: $(STAMP)
	$(BIN)/python tests/readme_examples.py --update
