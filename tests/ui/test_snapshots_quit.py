"""Snapshot of `q` pressed while a write is in flight: the question over the
preview, at 80x24 and 120x36 (see `test_snapshots_writes` for the set-up)."""

from __future__ import annotations

import pytest

from ctconsole.ui.screenshots import frozen_app

from .test_snapshots_writes import SIZES, to_validate_preview


async def quit_while_sending(pilot) -> None:
    app = pilot.app
    await to_validate_preview(pilot)
    app.client.sandbox.faults.add("latency", operation="session.update", seconds=60)
    await pilot.press("a")
    while not app.writes_in_flight:
        await pilot.pause(0.01)
    await pilot.press("q")
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_quit_while_a_write_is_in_flight(snap_compare, size):
    assert snap_compare(frozen_app(big_sessions=50), terminal_size=size,
                        run_before=quit_while_sending)
