# The two commands of the README's quick start.
#   make demo   set up and run the main job on the bundled synthetic data
#   make test   set up and run the whole test suite (what .ci/run calls)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup lint bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,search]'

demo: setup
	$(BIN)/nasab demo

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests benchmarks

bench: setup
	$(BIN)/python benchmarks/lr_speed.py
