"""Snapshot tests of the loyalty and single-use writes: the preview of adding
stamps to a holder, and the typed confirmation of creating many single-use
URLs, at 80x24 and 120x36.

Time and the local zone are frozen and the sandbox is seeded (see
`ctconsole.ui.screenshots`); these screens show no journal times. Update
deliberately with `pytest tests/ui --snapshot-update`.
"""

from __future__ import annotations

import pytest

from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screenshots import frozen_app, settle

SIZES = [(80, 24), (120, 36)]


async def _press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _holder(sandbox, card: str = "loy_3001") -> str:
    """A holder who is not voided, saved the card, and has room for 3 stamps."""
    users = sandbox.state.loyalty[card]["users"]
    return [uid for uid, u in users.items() if u["voided"] == "0"
            and u["saved_to_wallet"] == "1" and int(u["stamps"]) <= 6][2]


async def to_add_stamps_preview(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    await _press(pilot, "l")
    grid = app.screen.grid
    grid.cursor = grid.model.view_keys().index("loy_3001")
    await _press(pilot, "enter")
    uid = _holder(app.client.sandbox)
    grid = app.screen.grid
    grid.cursor = grid.model.view_keys().index(uid)
    await _press(pilot, "plus", "3")
    app.screen.query_one("#reason").value = "TICKET-42"
    await _press(pilot, "ctrl+o")


async def to_create_many_confirmation(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    app.push_screen(CampaignScreen(app.client, "cam_1001", ("Account", "cam_1001")))
    await settle(pilot)
    await _press(pilot, "N", "2", "5", "0", "ctrl+o", "2", "5")  # 25 of 250: Apply stays off


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("steps", [to_add_stamps_preview, to_create_many_confirmation],
                         ids=["loyalty-stamps-preview", "create-many-typed-confirmation"])
def test_loyalty_and_singleuse_write_screens(snap_compare, steps, size):
    assert snap_compare(frozen_app(big_sessions=50), terminal_size=size, run_before=steps)
