"""Snapshot tests: the panes as the README's screenshots show them.

Time and the local zone are frozen and the sandbox is seeded (see
`ctconsole.ui.screenshots`), so a difference is a change in the UI.
Update deliberately with `pytest tests/ui --snapshot-update`.
"""

from __future__ import annotations

from ctconsole.ui.screenshots import frozen_app, to_home, to_session_timeline


def test_home_80x24(snap_compare):
    assert snap_compare(frozen_app(), terminal_size=(80, 24), run_before=to_home)


def test_home_120x36(snap_compare):
    assert snap_compare(frozen_app(), terminal_size=(120, 36), run_before=to_home)


def test_session_timeline_120x36(snap_compare):
    assert snap_compare(frozen_app(big_sessions=12000), terminal_size=(120, 36),
                        run_before=to_session_timeline)


def test_session_timeline_80x24(snap_compare):
    assert snap_compare(frozen_app(big_sessions=12000), terminal_size=(80, 24),
                        run_before=to_session_timeline)
