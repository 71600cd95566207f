# `make demo` and `make test` work on a fresh machine with only python3 and make:
# the first run creates .venv and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Everything but the Pilot and snapshot tests (tests/ui, tests/hardening), the
# start-up and rendering measurements (tests/perf) and the few core tests
# marked slow (processes killed or racing, a secret command that takes its time).
FAST_TESTS := tests --ignore=tests/ui --ignore=tests/hardening --ignore=tests/perf -m "not slow"
# pytest keeps its assertion-rewritten test modules as bytecode in __pycache__;
# where the environment turns bytecode off (PYTHONDONTWRITEBYTECODE), every run
# and every worker would rewrite and compile all of them again.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest
# pytest-xdist workers. Part of every UI test is waiting (Pilot's idle waits,
# subprocesses, loopback servers with latency), so the whole suite keeps the
# cores busiest with two workers a core plus one, each stealing queued tests
# from the others when it runs dry (`--dist worksteal`: test durations vary
# from milliseconds to seconds). The core tests wait little: one worker more
# than the cores. `make test WORKERS=0` runs in one process.
CORES := $(shell $(PYTHON) -c "import os; print(os.cpu_count() or 1)")
WORKERS ?= $(shell echo $$(( 2 * $(CORES) + 1 )))
FAST_WORKERS ?= $(shell echo $$(( $(CORES) + 1 )))

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
	$(PYTEST) -q -n $(WORKERS) --dist worksteal

# The edit-run loop: the API, cache, sandbox and write engine, no UI.
test-fast: $(STAMP)
	$(PYTEST) -q -n $(FAST_WORKERS) --dist worksteal $(FAST_TESTS)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

screenshots: $(STAMP)
	$(BIN)/python -m ctconsole.ui.screenshots

clean:
	rm -rf $(VENV) .pytest_cache
