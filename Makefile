# Two commands on a fresh clone (only python3, pip and make needed):
#   make run [ARGS='drugs compare denosumab teriparatide']
#   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?= drugs list

.PHONY: run test install-test lint bench examples docs dist clean

# osteo and what `make test` and `make lint` use; the documentation site's tools and the
# release's (the `docs` and `release` extras) are added the first time a target needs them.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

$(VENV)/.installed-%: $(STAMP)
	$(BIN)/python -m pip install -qq --disable-pip-version-check -c constraints.txt -e '.[dev,$*]'
	touch $@

run: $(STAMP)
	@$(BIN)/osteo $(ARGS)

# The suite, on every core: within about 120 CPU-seconds on a 2-core machine. The install
# as a user makes it (a bare venv, pip's build isolation: about 35 CPU-seconds of pip) is
# `make install-test`, which CI runs too.
test: $(STAMP)
	$(BIN)/ruff check osteo_cli tests benchmarks hatch_build.py
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto -m "not install"

install-test: $(VENV)/.installed-release
	$(BIN)/python -m pytest -m install

lint: $(STAMP)
	$(BIN)/ruff check osteo_cli tests benchmarks hatch_build.py
	$(BIN)/ruff format --check osteo_cli tests benchmarks hatch_build.py
	$(BIN)/mypy

# Issue 21's targets; the results go into docs/performance.md (and nowhere else).
bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py --write docs/performance.md $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache

# The docs' example outputs, the man page (man/osteo.1) and the command reference
# (docs/reference.md), after an intended change: tests/test_docs.py and test_manual.py check them.
examples: $(STAMP)
	$(BIN)/python tests/doc_examples.py --update
	$(BIN)/python tests/docgen.py --update

# The documentation site from docs/ (mkdocs.yml), into site/; any warning fails it.
docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The release: the sdist, and the wheel built from it, in dist/; both pass twine's check.
dist: $(VENV)/.installed-release
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*
