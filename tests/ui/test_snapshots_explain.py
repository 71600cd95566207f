"""Snapshots: find everywhere and the session pane's verdicts (support cases on)."""

from __future__ import annotations

import pytest

from ctconsole.ui.screenshots import (CASES, frozen_app, to_another_match, to_find_everywhere,
                                      to_holder_verdict, to_verdict)

SIZES = [(80, 24), (120, 36)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_find_everywhere(snap_compare, size):
    assert snap_compare(frozen_app(**dict(CASES)), terminal_size=size,
                        run_before=to_find_everywhere)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_another_match_warned_on_the_pane_opened_first(snap_compare, size):
    assert snap_compare(frozen_app(**dict(CASES)), terminal_size=size,
                        run_before=to_another_match)


@pytest.mark.parametrize("case", ["voided", "ended", "nothing_wrong"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_verdict(snap_compare, size, case):
    assert snap_compare(frozen_app(**dict(CASES)), terminal_size=size,
                        run_before=to_verdict(case))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_loyalty_holder_verdict(snap_compare, size):
    assert snap_compare(frozen_app(big_sessions=50), terminal_size=size,
                        run_before=to_holder_verdict)
