# The hub's commands. `make help` lists them. Each works on a fresh machine with Python 3.11+
# and make: the first run creates .venv with the pinned dependencies.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HUB := $(BIN)/hub
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help install install-dev build serve check test test-quick lint import-authorities import-ofsted bench lighthouse clean
# The date readers see on the Ofsted snapshot: `make import-ofsted AS_AT="July 2026"`.
AS_AT ?= June 2026
# Where `make serve` listens: `make serve PORT=8001`.
HOST ?= 127.0.0.1
PORT ?= 8000

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-20s %s\n", $$1, $$2}'

# What building the site needs (requirements.txt), then what the tests need besides
# (requirements-dev.txt): a build-only install is a third of the size.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

install: $(STAMP) ## create .venv with what building the site needs
	@true

install-dev: $(DEV_STAMP) ## add what the tests, linters and benchmark need
	@true

build: $(STAMP) ## check the case studies and build the site into site/
	$(HUB) build

serve: $(STAMP) ## preview the site at http://127.0.0.1:8000 (PORT=8001 for another), regenerating as practice/ changes
	$(HUB) serve --dev-addr $(HOST):$(PORT)

check: $(STAMP) ## check every case study and the reference data
	$(HUB) check

test: lint ## run the whole test suite, with lint, type and import checks: what CI runs
	$(BIN)/pytest

test-quick: lint ## lint, type and import checks and the tests that need no site build or browser
	$(BIN)/pytest -q -m "not slow"

lint: $(DEV_STAMP) ## lint, type-check, and check the stages import only those below them
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

import-authorities: $(STAMP) ## rebuild practice/reference/authorities.yml from ../shared/reference/dfe-las.csv
	$(HUB) import-authorities

import-ofsted: $(STAMP) ## rebuild the Ofsted snapshot and neighbours from ../shared/reference/ofsted-ilacs-overview.csv (AS_AT="July 2026" dates it)
	$(HUB) import-ofsted --as-at "$(AS_AT)"

bench: $(DEV_STAMP) ## measure speed and size with 1,000 synthetic case studies (N=5000 make bench for more)
	$(HUB) bench --count $(or $(N),1000)

# Lighthouse, pinned in tools/lighthouse/package-lock.json, installed from npm (needs Node 18.16+).
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $(LIGHTHOUSE)

lighthouse: $(STAMP) $(LIGHTHOUSE) ## build, then print Lighthouse's phone scores for one page of every kind (RUNS=1 for a quick look)
	$(HUB) build
	$(HUB) lighthouse --runs $(or $(RUNS),3)

# What hub build writes in docs/ (core/project.py: GENERATED_FILES and GENERATED_DIRS); a stopped build may leave
# hidden copies of them, .<name>.<random>.tmp, which clean removes too.
GENERATED := index.md contribute.md coverage.md find.md practice authorities regions themes data

clean: ## remove the built site, generated pages and build caches (not .venv)
	rm -rf site .site-* .cache $(addprefix docs/,$(GENERATED)) $(foreach name,$(GENERATED),docs/.$(name).*.tmp)
