"""Snapshot tests of the write flow: the form, the preview and the typed
confirmation of a mass write, at 80x24 and 120x36.

Time and the local zone are frozen and the sandbox is seeded (see
`ctconsole.ui.screenshots`); these screens show no journal times. Update
deliberately with `pytest tests/ui --snapshot-update`.
"""

from __future__ import annotations

import pytest

from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screenshots import frozen_app, settle

SIZES = [(80, 24), (120, 36)]


def _claimed_unvalidated(sandbox, campaign: str = "cam_1001", count: int = 1) -> list[str]:
    records = sandbox.state.sessions.records
    return [c for c in sandbox.state.sessions.order[campaign]
            if records[c]["claimed"] == "1" and records[c]["validated"] == "0"
            and records[c]["voided"] == "0" and records[c]["locked"] == "0"][:count]


async def _press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def to_validate_form(pilot, campaign: str = "cam_1001") -> None:
    app = pilot.app
    await settle(pilot)
    [code] = _claimed_unvalidated(app.client.sandbox, campaign)
    app.push_screen(SessionScreen(app.client, code, ("Account", campaign, code[:6])))
    await settle(pilot)
    await _press(pilot, "V")


async def to_validate_preview(pilot, campaign: str = "cam_1001") -> None:
    await to_validate_form(pilot, campaign)
    pilot.app.screen.query_one("#reason").value = "TICKET-42"
    await _press(pilot, "ctrl+o")


async def to_validate_preview_inactive_campaign(pilot) -> None:
    """A session of an inactive, ended campaign: the warning names it, with its dates."""
    await to_validate_preview(pilot, "cam_1002")


async def to_update_many_confirmation(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    app.push_screen(CampaignScreen(app.client, "cam_1001", ("Account", "cam_1001")))
    await settle(pilot)
    grid = app.screen.grid
    for code in _claimed_unvalidated(app.client.sandbox, count=3):
        grid.cursor = grid.model.view_keys().index(code)
        await _press(pilot, "space")
    await _press(pilot, "V", "ctrl+o", "2")  # the wrong count typed: Apply stays off


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("steps", [to_validate_form, to_validate_preview,
                                   to_validate_preview_inactive_campaign,
                                   to_update_many_confirmation],
                         ids=["form", "preview", "preview-inactive-campaign",
                              "typed-confirmation"])
def test_write_flow(snap_compare, steps, size):
    assert snap_compare(frozen_app(big_sessions=50), terminal_size=size, run_before=steps)
