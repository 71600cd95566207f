"""Snapshots: a filtered list, the find prompt with several matches, and the
date-range form. Time, zone and data are frozen (see `ctconsole.ui.screenshots`).
Update deliberately with `pytest tests/ui --snapshot-update`.
"""

from __future__ import annotations

from ctconsole.ui.screenshots import frozen_app, settle


async def _keys(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await settle(pilot)


async def to_filtered_campaigns(pilot) -> None:
    """Home → campaigns, filtered to the ones with "off" in them, filter kept."""
    await settle(pilot)
    await _keys(pilot, "c")
    await _keys(pilot, "slash", "o", "f", "f", "enter")


async def to_find_several(pilot) -> None:
    """`f` on home, an e-mail address with several sessions."""
    await settle(pilot)
    await _keys(pilot, "f")
    pilot.app.screen.query_one("#find-input").value = "javier.fernandez@example.com"
    await _keys(pilot, "enter")


async def to_date_range_form(pilot) -> None:
    await settle(pilot)
    await _keys(pilot, "c", "down", "down", "enter")
    await _keys(pilot, "d")
    for key in "2026-11-02":
        await pilot.press(key)
    await settle(pilot)


def test_filtered_list_80x24(snap_compare):
    assert snap_compare(frozen_app(), terminal_size=(80, 24), run_before=to_filtered_campaigns)


def test_filtered_list_120x36(snap_compare):
    assert snap_compare(frozen_app(), terminal_size=(120, 36), run_before=to_filtered_campaigns)


def test_find_prompt_several_80x24(snap_compare):
    assert snap_compare(frozen_app(big_sessions=100), terminal_size=(80, 24), run_before=to_find_several)


def test_find_prompt_several_120x36(snap_compare):
    assert snap_compare(frozen_app(big_sessions=100), terminal_size=(120, 36), run_before=to_find_several)


def test_date_range_form_80x24(snap_compare):
    assert snap_compare(frozen_app(big_sessions=12000), terminal_size=(80, 24),
                        run_before=to_date_range_form)


def test_date_range_form_120x36(snap_compare):
    assert snap_compare(frozen_app(big_sessions=12000), terminal_size=(120, 36),
                        run_before=to_date_range_form)
