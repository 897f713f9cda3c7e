# Three commands for a fresh machine: `make run` starts the bot, `make demo` tries it in a local Slack sandbox
# in the browser (no workspace, no token), `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install install-dev run demo test lint bench chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt

run: install
	$(BIN)/python app.py

# DEMO_PORT (default 3001) and DEMO_LANGUAGE (en or de) are read by the sandbox itself.
demo: install
	$(BIN)/python -m sandbox

# The page tests drive Debian's chromium; as root (CI) it is installed when missing, otherwise say how.
CHROMIUM := /usr/bin/chromium
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get install -y -q chromium || (apt-get update -q && apt-get install -y -q chromium)) >/dev/null; \
	  else \
	    echo "note: the page tests need Debian's chromium: sudo apt-get install -y chromium" >&2; \
	  fi; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Four test processes: most tests wait on sockets, subprocesses and the database rather than the CPU, so even
# two cores finish in well under half the time of one process. Each test has its own files and PostgreSQL
# schema, and asks the system for free ports.
test: install-dev chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 4

bench: install-dev
	$(BIN)/python -m benchmarks.run
