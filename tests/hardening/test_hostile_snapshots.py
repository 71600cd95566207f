"""Snapshots of hostile customer text on screen (time frozen, sandbox seeded).

The campaign whose name is console markup, with a session list of terminal
attacks, and the detail of the session whose name is an OSC 2 retitle: the
SVGs show every escape as a visible stand-in. Update deliberately with
`pytest tests/hardening --snapshot-update`.
"""

from __future__ import annotations

from ctconsole.sandbox import HOSTILE_CAMPAIGN
from ctconsole.ui.screenshots import frozen_app, settle


async def to_hostile_campaign(pilot) -> None:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    while pilot.app.screen.grid.cursor_row_key != HOSTILE_CAMPAIGN:
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


async def to_hostile_session(pilot) -> None:
    await to_hostile_campaign(pilot)
    await pilot.press("down", "enter")  # the ESC ]2;pwned BEL customer
    await settle(pilot)


def test_hostile_campaign_120x36(snap_compare):
    assert snap_compare(frozen_app(big_sessions=100), terminal_size=(120, 36),
                        run_before=to_hostile_campaign)


def test_hostile_session_80x24(snap_compare):
    assert snap_compare(frozen_app(big_sessions=100), terminal_size=(80, 24),
                        run_before=to_hostile_session)


async def to_find_with_a_hostile_paste(pilot) -> None:
    from textual import events
    from textual.widgets import Input

    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    field = pilot.app.screen.query_one("#find-input", Input)
    field.post_message(events.Paste("anna\x1b[31m@exam\u202eple.com\x1b]2;PWNED\x07"))
    await settle(pilot)


def test_find_with_a_hostile_paste_80x24(snap_compare):
    assert snap_compare(frozen_app(big_sessions=100), terminal_size=(80, 24),
                        run_before=to_find_with_a_hostile_paste)


def test_find_with_a_hostile_paste_120x36(snap_compare):
    assert snap_compare(frozen_app(big_sessions=100), terminal_size=(120, 36),
                        run_before=to_find_with_a_hostile_paste)
