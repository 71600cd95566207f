"""Validating a session of a campaign that is not running: the preview warns
with the campaign's name, status and run dates, Apply stays possible, and
the journal's "Before" keeps the campaign as it was."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from ctconsole.sandbox.people import FIXED_NOW
from ctconsole.ui.screens.journal import JournalEntryScreen
from ctconsole.ui.writes.preview import PreviewScreen
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.writes import Journal

from .writes_support import open_session, press, session_where, text_of


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


async def test_preview_warns_about_an_inactive_ended_campaign(make_app, sandbox, journal):
    app = make_app(journal=journal, clock=lambda: FIXED_NOW)
    camp = sandbox.state.campaigns["cam_1002"]
    code = session_where(sandbox, "cam_1002", claimed="1", validated="0", voided="0",
                         locked="0")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "V")
        app.screen.query_one("#reason").value = "TICKET-7"
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        warning = " ".join(text_of(preview, "#warnings").split())
        assert (f"Session {code} belongs to campaign cam_1002 ({camp['name']}), which is "
                f"inactive and ended on {camp['end_date']} (status inactive, runs "
                f"{camp['start_date']} to {camp['end_date']})") in warning
        assert text_of(preview, "#refusals").strip() == ""
        assert preview.gate() is None  # a warning, not a refusal
        change = text_of(preview, "#change")
        assert "campaign_status" in change and "inactive" in change
        await press(pilot, "a")
        assert isinstance(app.screen, ResultScreen)
        [entry] = journal.entries()
        assert entry.outcome == "ok" and sandbox.session(code)["validated"] == "1"
        assert (entry.before["campaign_status"], entry.before["campaign_end"]) == (
            "inactive", camp["end_date"])
        await press(pilot, "escape", "J", "enter")  # the entry, as the journal shows it
        detail = app.screen
        assert isinstance(detail, JournalEntryScreen)
        shown = "\n".join(str(static.render()) for static in detail.query(Static))
        before = shown.split("Before", 1)[1]
        assert "campaign_status" in before and "inactive" in before
        assert "campaign_end" in before and camp["end_date"] in before


async def test_preview_of_a_running_campaign_has_no_campaign_warning(make_app, sandbox):
    app = make_app(clock=lambda: FIXED_NOW)
    code = session_where(sandbox, "cam_1001", claimed="1", validated="0", voided="0",
                         locked="0")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "V", "ctrl+o")
        assert isinstance(app.screen, PreviewScreen)
        assert "belongs to campaign" not in text_of(app.screen, "#warnings")
