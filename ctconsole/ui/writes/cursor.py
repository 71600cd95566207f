"""Keeping the cursor on the row a write was about, across the refresh after it.

After a write the pane is fetched again past the cache (`flow.refresh_pane`),
which clears and refills its grid: without this the cursor jumps back to the
first row, and the support person has to find the customer they were
helping again (and may press the next key on the wrong one).
"""

from __future__ import annotations

from ctconsole.ui.widgets.grid import DataGrid


def follow_row(grid: DataGrid, key: str | None) -> bool:
    """Put the cursor on the row `key` if it is shown; True when it is."""
    if key is None:
        return False
    return grid.move_cursor_to(key)
