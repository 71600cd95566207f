"""Snapshot tests of the loyalty, directory, subaccount, category and help panes.

Built like `test_snapshots.py`: time, the local zone and the sandbox's data
are frozen (`ctconsole.ui.screenshots.frozen_app`), so a difference is a
change in the UI. Each pane is shot loaded at 80x24 and 120x36; the two
user lists also empty and failing (at 80x24, where space is tightest). Update deliberately with
`pytest tests/ui/test_snapshots_panes.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from ctconsole.ui.screenshots import frozen_app, settle

SIZES = [(80, 24), (120, 36)]


def sandbox_of(pilot):
    return pilot.app.client.sandbox


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def choose(pilot, row_key: str) -> None:
    """Put the cursor of the pane's table on `row_key` and press Enter."""
    grid = pilot.app.screen.grid
    grid.cursor = grid.model.view_keys().index(row_key)
    await press(pilot, "enter")


async def to_loyalty_users(pilot, card: str = "loy_3001") -> None:
    await settle(pilot)
    await press(pilot, "l")
    await choose(pilot, card)


async def to_loyalty_users_empty(pilot) -> None:
    sandbox_of(pilot).state.loyalty["loy_3003"]["users"].clear()
    await to_loyalty_users(pilot, "loy_3003")


async def to_loyalty_users_error(pilot) -> None:
    sandbox_of(pilot).faults.add("api_error", operation="loyalty.users", code=511,
                                 message="Loyalty card ID not found")
    await to_loyalty_users(pilot)


async def to_directory(pilot, directory: str = "dir_5001") -> None:
    await settle(pilot)
    await press(pilot, "d")
    await choose(pilot, directory)


async def to_directory_users(pilot, directory: str = "dir_5001") -> None:
    await to_directory(pilot, directory)
    await press(pilot, "2")


async def to_directory_users_empty(pilot) -> None:
    sandbox_of(pilot).state.directories["dir_5002"]["users"].clear()
    await to_directory_users(pilot, "dir_5002")


async def to_directory_users_error(pilot) -> None:
    sandbox_of(pilot).faults.add("api_error", operation="directory.users", code=507,
                                 message="Directory ID not found")
    await to_directory_users(pilot, "dir_5002")


async def to_subaccount(pilot) -> None:
    await settle(pilot)
    await choose(pilot, "sub_2001")


async def to_categories(pilot) -> None:
    await settle(pilot)
    await press(pilot, "t")


async def to_level3(pilot) -> None:
    from ctconsole.ui.screens.categories import Level3CategoryListScreen

    await settle(pilot)
    app = pilot.app
    app.push_screen(Level3CategoryListScreen(app.client, ("Account", "3rd-level categories")))
    await settle(pilot)


async def to_help(pilot) -> None:
    await settle(pilot)
    await press(pilot, "question_mark")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("steps", [
    to_loyalty_users, to_directory, to_directory_users, to_subaccount, to_categories,
    to_level3, to_help,
], ids=lambda f: f.__name__[3:])
def test_pane_loaded(snap_compare, steps, size):
    assert snap_compare(frozen_app(), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("steps", [
    to_loyalty_users_empty, to_loyalty_users_error,
    to_directory_users_empty, to_directory_users_error,
], ids=lambda f: f.__name__[3:])
def test_user_lists_empty_and_failing(snap_compare, steps):
    assert snap_compare(frozen_app(), terminal_size=(80, 24), run_before=steps)
