"""The date-range form typed in one fast burst (a paste, a quick typist over
SSH): every key lands where it would have landed typed slowly. Enter on From
moves to To at once, so the keys after it (the To date, the second Enter)
go to To and apply the range, never back into From."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.date_range import DateRangeDialog
from ctconsole.ui.screenshots import settle

from .test_table_features import open_campaign_sessions, session_requests


def burst(app, *parts: str) -> None:
    """Queue every key of `parts` at once (text, or key names such as
    "enter"), as a terminal delivers a fast burst: nothing is handled
    before the last key is queued."""
    keys = []
    for part in parts:
        keys += [part] if part in ("enter", "tab", "escape") else list(part)
    for key in keys:
        name = {"-": "minus", ":": "colon", " ": "space"}.get(key, key)
        event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_from_enter_enter_in_one_burst_applies_the_range(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_campaign_sessions(pilot, app, "cam_1001")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DateRangeDialog)
        burst(app, "2026-11-02", "enter", "enter")
        await settle(pilot)
        assert app.screen is screen  # applied and closed
        assert session_requests(sandbox)[-1].body["start_date"] == "2026-11-02"
        assert "end_date" not in session_requests(sandbox)[-1].body


async def test_both_dates_in_one_burst_go_to_their_own_fields(app, sandbox):
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_campaign_sessions(pilot, app, "cam_1001")
        await pilot.press("d")
        await pilot.pause()
        burst(app, "2026-11-02", "enter", "2026-11-03 12:00", "enter")
        await settle(pilot)
        assert app.screen is screen
        body = session_requests(sandbox)[-1].body
        assert (body["start_date"], body["end_date"]) == ("2026-11-02", "2026-11-03 12-00")


async def test_enter_on_a_button_still_presses_it(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_campaign_sessions(pilot, app, "cam_1001")
        before = len(session_requests(sandbox))
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#range-start", Input).value = "2026-11-02"
        app.screen.query_one("#range-cancel").focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and len(session_requests(sandbox)) == before
