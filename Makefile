# `make demo` and `make test` work on a fresh machine with only python3 and make:
# the first run creates .venv and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Everything but the Pilot and snapshot tests (tests/ui, tests/hardening) and
# the start-up and rendering measurements (tests/perf).
FAST_TESTS := tests --ignore=tests/ui --ignore=tests/hardening --ignore=tests/perf
# pytest keeps its assertion-rewritten test modules as bytecode in __pycache__;
# where the environment turns bytecode off (PYTHONDONTWRITEBYTECODE), every run
# and every worker would rewrite and compile all of them again.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

.PHONY: demo test test-fast bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ctconsole --demo

# Every test, spread over every core (pytest-xdist).
test: $(STAMP)
	$(BIN)/lint-imports
	$(PYTEST) -q -n auto

# The edit-run loop: the API, cache, sandbox and write engine, no UI.
test-fast: $(STAMP)
	$(PYTEST) -q -n auto $(FAST_TESTS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

screenshots: $(STAMP)
	$(BIN)/python -m ctconsole.ui.screenshots

clean:
	rm -rf $(VENV) .pytest_cache
