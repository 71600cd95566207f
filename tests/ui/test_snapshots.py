"""Snapshot tests: a session's timeline as the README's screenshot shows it
(home as the README shows it is pinned by `test_snapshot_matrix.py`).

Time and the local zone are frozen and the sandbox is seeded (see
`ctconsole.ui.screenshots`), so a difference is a change in the UI.
Update deliberately with `pytest tests/ui --snapshot-update`.
"""

from __future__ import annotations

from ctconsole.ui.screenshots import frozen_app, to_session_timeline


def test_session_timeline_120x36(snap_compare):
    assert snap_compare(frozen_app(big_sessions=12000), terminal_size=(120, 36),
                        run_before=to_session_timeline)


def test_session_timeline_80x24(snap_compare):
    assert snap_compare(frozen_app(big_sessions=12000), terminal_size=(80, 24),
                        run_before=to_session_timeline)
