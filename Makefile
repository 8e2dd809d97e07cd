# Two commands on a fresh machine:  `make run`  and  `make test`.
# Each target installs what it needs first; re-running skips what is already done.
SHELL := /bin/bash
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
ATLAS  := $(VENV)/bin/incident-atlas
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SAMPLES_DB ?= incidents.db
PYTEST_ARGS ?=

.PHONY: setup python-deps js-deps gazetteer sample-data run test bench lock clean help

help:
	@echo "make run    set up, build the gazetteer, ingest the bundled samples, start the dashboard"
	@echo "make test   set up and run the tests"
	@echo "make bench  run the benchmarks (writes benchmarks/out/)"

setup: python-deps js-deps gazetteer

python-deps: $(PY_STAMP)
$(PY_STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

js-deps: $(NODE_STAMP)
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is missing; the map's Leaflet files come from npm. Install Node.js and npm (Debian: apt-get install nodejs npm)." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

gazetteer: $(PY_STAMP)
	$(ATLAS) gazetteer build

sample-data: setup
	$(ATLAS) ingest ingest/samples --db $(SAMPLES_DB)

run: sample-data
	$(ATLAS) serve --db $(SAMPLES_DB)

test: setup
	$(PY) -m pytest -n 2 -q $(PYTEST_ARGS)

bench: setup
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/dashboard.py

# Regenerate requirements.lock (pinned, hashed, no index URLs) after changing pyproject.toml.
lock:
	$(PY) -m piptools compile --quiet --generate-hashes --no-emit-index-url --no-emit-find-links \
	  --allow-unsafe --extra test --extra serve --strip-extras -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules build *.egg-info
