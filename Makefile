# Two commands do all the set-up:  `make run`  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgresql lint assets setup bench fuzz clean

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

VENDOR := static/vendor/htmx.min.js static/vendor/uPlot.iife.min.js static/vendor/uPlot.min.css \
	static/vendor/leaflet.js static/vendor/leaflet.css

assets: $(VENDOR)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# uPlot (MIT) draws the activity and load charts.
static/vendor/uPlot.iife.min.js static/vendor/uPlot.min.css: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css static/vendor/

# Leaflet (BSD-2-Clause) draws the route map; its marker images are not used (circle markers).
static/vendor/leaflet.js static/vendor/leaflet.css: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css static/vendor/

lint: setup
	$(BIN)/ruff check .

bench: setup  ## one table of every figure of issue 18 (and bench/results.json); see docs/performance.md
	nice $(BIN)/python bench/run.py --json bench/results.json

fuzz: setup  ## the long fuzz campaign (issue 13): 100,000 inputs, figures in fuzz-figures.json
	nice -n 19 $(BIN)/python scripts/fuzz.py --inputs $${FUZZ_INPUTS:-100000} --workers $${FUZZ_WORKERS:-2}

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
