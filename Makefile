# Two commands do all the set-up:  `make run`  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgresql lint assets setup bench clean

PORT ?= 5000

run: setup  ## set up and serve the app on SQLite at http://127.0.0.1:$(PORT) (`make run PORT=8000`)
	$(BIN)/legday run --host 127.0.0.1 --port $(PORT)

test: setup  ## set up and run every test (unit, browser), on SQLite then on PostgreSQL
	$(BIN)/ruff check .
	$(BIN)/pytest
	$(BIN)/python -m tests.postgresql_leg

setup: $(STAMP) assets

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

assets: static/vendor/htmx.min.js

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

lint: setup
	$(BIN)/ruff check .

bench: setup  ## one table of every figure of issue 18 (and bench/results.json); see docs/performance.md
	nice $(BIN)/python bench/run.py --json bench/results.json

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
