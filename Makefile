.PHONY: check lint test bench build
VENV ?= .venv
PY := $(VENV)/bin/python

check: lint test

lint:
	$(VENV)/bin/ruff check kg tests bench scripts
	$(VENV)/bin/ruff format --check kg tests bench scripts

test:
	$(PY) -m pytest

build:
	$(VENV)/bin/kg build

bench:
	$(PY) bench/bench_build.py
