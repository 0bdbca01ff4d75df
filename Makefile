# The two commands a newcomer needs are `make run` and `make test`; the rest are steps.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := APP_ENV=development $(BIN)/flask --app wsgi
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# The benchmark has a database of its own, so the national data never meets the tests.
BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/lep_bench
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2

SCALE ?= 1
SOAK_SECONDS ?= 60
# `make cpu-profile` measures in this database of its own (SQLite in /tmp by default).
CPU_PROFILE_DATABASE_URL ?=
CPU_PROFILE_ARGS ?=

.PHONY: help run test test-postgres test-browser test-system soak bench cpu-profile national wrk lint check \
	format messages translations setup venv assets chromium java db clean

help: ## List the commands with what each does (from the `##` comment beside each target)
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

run: setup db ## Set up and serve the portal on http://127.0.0.1:5000 with demo data
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup chromium java ## Set up and run the whole suite on SQLite, browser journeys included
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not postgres_only and not browser and not system and not fuzz" $(PYTEST_ARGS)
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m fuzz $(PYTEST_ARGS)
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m browser $(PYTEST_ARGS)

test-postgres: setup ## The whole suite (but the browser journeys and gunicorn runs) on PostgreSQL
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not browser and not system" $(PYTEST_ARGS)

test-system: setup ## Gunicorn against PostgreSQL: two instances, a 15-second load test, faults
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -m system $(PYTEST_ARGS)

soak: setup ## The full 60-second load test with 50 simulated users
	TEST_DATABASE_URL=$(PG_URL) LOAD_SECONDS=$(SOAK_SECONDS) $(BIN)/pytest -m system -k load $(PYTEST_ARGS)

national: setup ## Fill the PostgreSQL database at BENCH_DATABASE_URL with national data at SCALE
	DATABASE_URL=$(BENCH_DATABASE_URL) $(FLASK) db upgrade
	DATABASE_URL=$(BENCH_DATABASE_URL) $(FLASK) demo national --scale $(SCALE)

bench: setup wrk ## Measure every key page under gunicorn at SCALE (default 1); see bench/README
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench --scale $(SCALE)

cpu-profile: setup ## Each key page's CPU ms in process on demo data (no national data, no wrk)
	CPU_PROFILE_DATABASE_URL=$(CPU_PROFILE_DATABASE_URL) $(BIN)/python -m bench.cpu_profile $(CPU_PROFILE_ARGS)

# The benchmark drives the portal with wrk from Debian's packages.
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing wrk from Debian's packages for the benchmark"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "wrk is missing: run 'sudo apt-get install wrk' for the benchmark"; exit 1; \
	  fi; \
	fi

test-browser: setup chromium java ## Only the browser journeys
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m browser $(PYTEST_ARGS)

lint: venv ## ruff: lint and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint ## lint, the import contracts (lint-imports) and mypy: what pre-commit and CI run
	$(BIN)/lint-imports
	$(BIN)/mypy

format: setup ## Format the code and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

setup: venv assets translations

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

assets: static/dist/.built
static/dist/.built: $(VENV)/.installed package.json package-lock.json $(shell find assets -type f 2>/dev/null)
	npm ci --no-audit --no-fund --ignore-scripts
	npm run build
	$(BIN)/python -m whitenoise.compress --quiet static/dist
	touch $@

# Browser tests drive the system Chromium; nothing downloads a browser of its own.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium from Debian's packages for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install chromium' for the browser tests"; \
	  fi; \
	fi

# The page crawl checks every page with the Nu HTML Checker (npm's vnu-jar), which runs on
# Java: Debian's headless runtime when none is installed.
java:
	@if ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Java from Debian's packages for the Nu HTML Checker"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else \
	    echo "Java is missing: run 'sudo apt-get install default-jre-headless' for the page crawl"; \
	  fi; \
	fi

db: setup ## Migrate the SQLite database and load demo data (idempotent)
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) demo seed

# The Welsh catalogue is source (translations/cy/LC_MESSAGES/messages.po); the compiled
# .mo is built here by every `make run` and `make test`, never committed.
CY_PO := translations/cy/LC_MESSAGES/messages.po
CY_MO := translations/cy/LC_MESSAGES/messages.mo

messages: venv ## Extract every user-facing string and merge the new ones into the Welsh catalogue
	mkdir -p translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l cy --ignore-obsolete --no-fuzzy-matching
	@echo "Now translate the empty and fuzzy entries in $(CY_PO);"
	@echo "tests/test_welsh_catalogue.py lists any that are left."

translations: $(CY_MO)
$(CY_MO): $(CY_PO) $(VENV)/.installed
	$(BIN)/pybabel compile -d translations -l cy

clean:
	rm -rf $(VENV) node_modules static/dist instance/portal.sqlite
