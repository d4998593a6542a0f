# httpdoctor: `make demo` to see it work, `make test` to prove it. Both start from nothing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# Debian packages the test suite drives as real programs (differential tests against
# real nginx, Apache and Chromium).
SYSTEM_PACKAGES := nginx apache2 chromium curl libnss3-tools
# The HAR 1.2 JSON Schema the tests validate exports against, from the npm registry.
HAR_SCHEMA := .cache/har-schema/lib/har.json
# SARIF 2.1.0, for validating `lint --format sarif` (checksum-pinned in the script).
SARIF_SCHEMA := .cache/sarif-schema/sarif-schema-2.1.0.json

.PHONY: demo test lint format bench system-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(BIN)/python -m compileall -q src $(VENV)/lib
	touch $@

# The main job on the built-in lab: the founding case (a parent's HSTS includeSubDomains
# and a subdomain without its certificate), diagnosed in English and in Russian.
demo: $(BIN)/.installed
	$(BIN)/httpdoctor lab run seed-307
	$(BIN)/httpdoctor lab run seed-307 --lang ru

system-deps:
	@bash scripts/install-system-deps.sh $(SYSTEM_PACKAGES)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

$(HAR_SCHEMA):
	mkdir -p .cache/npm
	npm install --silent --no-audit --no-fund --prefix .cache/npm har-schema@2.0.0
	rm -rf .cache/har-schema
	cp -r .cache/npm/node_modules/har-schema .cache/har-schema

$(SARIF_SCHEMA):
	bash scripts/fetch-sarif-schema.sh

test: $(BIN)/.installed system-deps lint $(HAR_SCHEMA) $(SARIF_SCHEMA)
	$(BIN)/pytest

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/.installed
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/trace.py

clean:
	rm -rf $(VENV) .cache .mypy_cache .pytest_cache .ruff_cache
