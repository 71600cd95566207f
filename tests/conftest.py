"""Test isolation shared by every test: nothing reads or writes the developer's
real config, cache or journal, no CTCONSOLE_* variable leaks in, and dates
are judged on the sandbox's day, not the calendar's.

And the test process's own upkeep, so that a worker running a thousand
Pilot tests spends its time on the tests:

* The collector. A Pilot test allocates widgets, styles and strips by the
  hundred thousand, and with Python's default thresholds the collector runs a
  full collection every few tests, each walking the whole heap (Textual, the
  test modules, pytest's own items). After collection, what exists lives as
  long as the worker, so it is frozen out of every later collection, and the
  thresholds are raised so the young generations are walked less often. Every
  test's garbage is still collected; only the timing changes.
* Textual's stylesheets. Each app parses the same CSS (its own, each widget's
  defaults) into the same rules, twice (again once the theme's variables are
  set). Rules for the same text, place and variables are the same, and
  Textual already reuses them within one stylesheet; here they are also
  reused across the apps of one worker.
"""

from __future__ import annotations

import gc
import os
import sys

import pytest

#: The sandbox's "now" (`ctconsole.sandbox.people.FIXED_NOW`): its data is dated from it.
SANDBOX_DAY = "2026-11-20T12:00:00Z"

#: Young-generation thresholds for the test process (Python's: 700, 10, 10).
GC_THRESHOLDS = (20_000, 20, 20)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    if "textual" in sys.modules:  # only UI tests were collected with Textual
        share_parsed_css()


def share_parsed_css() -> None:
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    if getattr(parse_rules, "shared", False):
        return
    parsed: dict[tuple, list] = {}

    def shared_parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0,
                           scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope,
               tuple(self._variables.items()))
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = parse_rules(self, css, read_from, is_default_rules,
                                              tie_breaker, scope)
        return rules

    shared_parse_rules.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = shared_parse_rules  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Point every platform directory (XDG on Linux) into the test's tmp dir,
    and pin the judging clock (`ctconsole.clock`) to the sandbox's day."""
    for var in list(os.environ):
        if var.startswith("CTCONSOLE_"):
            monkeypatch.delenv(var)
    # Dates are judged on the sandbox's own day: its campaigns run to fixed
    # dates, so a verdict or a guard's warning must not change with the calendar.
    monkeypatch.setenv("CTCONSOLE_NOW", SANDBOX_DAY)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    return home
