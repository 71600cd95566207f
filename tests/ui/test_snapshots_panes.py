"""Snapshot tests of the two screens the pane matrix does not cover: a
directory's campaigns view and the help screen.

Every list and detail pane in its loaded, empty, error and cached states is
pinned by `test_snapshot_matrix.py`. Built like `test_snapshots.py`: time, the
local zone and the sandbox's data are frozen
(`ctconsole.ui.screenshots.frozen_app`), so a difference is a change in the UI.
Update deliberately with `pytest tests/ui/test_snapshots_panes.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from ctconsole.ui.screenshots import frozen_app, settle

SIZES = [(80, 24), (120, 36)]


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def choose(pilot, row_key: str) -> None:
    """Put the cursor of the pane's table on `row_key` and press Enter."""
    grid = pilot.app.screen.grid
    grid.cursor = grid.model.view_keys().index(row_key)
    await press(pilot, "enter")


async def to_directory(pilot, directory: str = "dir_5001") -> None:
    await settle(pilot)
    await press(pilot, "d")
    await choose(pilot, directory)


async def to_help(pilot) -> None:
    await settle(pilot)
    await press(pilot, "question_mark")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("steps", [to_directory, to_help], ids=lambda f: f.__name__[3:])
def test_pane_loaded(snap_compare, steps, size):
    assert snap_compare(frozen_app(big_sessions=100), terminal_size=size, run_before=steps)
