"""The journal pane (`J`): entries listed newest first, details on Enter,
undo through the same preview and confirmation, or the reason there is none."""

from __future__ import annotations

import pytest

from ctconsole.ui.screens.journal import JournalEntryScreen, JournalScreen
from ctconsole.ui.writes.preview import PreviewScreen
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.writes import Journal

from .writes_support import (notifications, open_session, preview_text, press, sent,
                             session_where, text_of)


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def app(make_app, journal):
    return make_app(journal=journal)


async def test_void_then_undo_from_the_journal_restores_the_session(app, sandbox, journal):
    code = session_where(sandbox, claimed="1", voided="0", locked="0")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "X", "ctrl+o", "a", "escape")
        assert sandbox.session(code)["voided"] == "1"
        await press(pilot, "J")
        pane = app.screen
        assert isinstance(pane, JournalScreen)
        [row] = pane.grid.model.view_records()
        assert row["operation"] == "session.update" and row["outcome"] == "ok"
        assert code in row["object"]
        await press(pilot, "enter")
        detail = app.screen
        assert isinstance(detail, JournalEntryScreen)
        facts = text_of(detail, "#entry-facts")
        assert "u undoes it with session.update" in facts
        await press(pilot, "escape", "u")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        shown = preview_text(preview)
        assert "Undo session.update" in shown
        assert "→  voided" in shown and "journal entry" in shown
        assert sent(sandbox, "session.update") == 1  # the undo is not sent yet
        await press(pilot, "a")
        assert isinstance(app.screen, ResultScreen)
        assert sandbox.session(code)["voided"] == "0"
        await press(pilot, "escape")
        assert app.screen is pane
        rows = pane.grid.model.view_records()  # reloaded: the undo is listed first
        assert len(rows) == 2
    first, undo = journal.entries()
    assert undo.undo_of == first.id and undo.params["voided"] is False


async def test_undo_of_a_push_says_why_not(app, sandbox, journal):
    code = session_where(sandbox, claimed="1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "p")
        app.screen.query_one("#f-message").value = "hello"
        await press(pilot, "ctrl+o", "a", "escape", "J")
        pane = app.screen
        await press(pilot, "u")
        assert app.screen is pane
        assert any("cannot be recalled" in n for n in notifications(app))
    assert sent(sandbox, "campaign.push") == 1


async def test_undo_is_refused_in_read_only_mode(make_app, sandbox, tmp_path):
    journal = Journal(tmp_path / "journal.jsonl")
    code = session_where(sandbox, claimed="1", voided="0", locked="0")
    async with make_app(journal=journal).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await open_session(app, pilot, code)
        await press(pilot, "X", "ctrl+o", "a", "escape")
    app = make_app(journal=journal, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "J", "u")
        assert isinstance(app.screen, JournalScreen)
        assert any("read-only" in n for n in notifications(app))
    assert sandbox.session(code)["voided"] == "1"
    assert len(journal.entries()) == 1


async def test_a_failed_write_is_listed_with_its_outcome(app, sandbox, journal):
    code = session_where(sandbox, claimed="1", validated="0", voided="0", locked="0")
    sandbox.faults.add("api_error", operation="session.update", code=300, message="Nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "V", "ctrl+o", "a", "escape", "J")
        [row] = app.screen.grid.model.view_records()
        assert row["outcome"] == "failed"
        await press(pilot, "enter")
        assert any("Nope" in str(s.render()) for s in app.screen.query("#entry-body Static"))
        await press(pilot, "escape", "u")
        assert any("failed, so there is nothing to undo" in n for n in notifications(app))


async def test_an_undo_from_the_journal_refreshes_every_pane_showing_the_object(
        app, sandbox, journal):
    """Session voided from its pane, then un-voided from the journal: the
    session pane and the campaign pane behind the journal show the API's
    state again without `r`."""
    from ctconsole.ui.screens.session import SessionScreen

    from .writes_support import open_campaign

    code = session_where(sandbox, claimed="1", voided="0", locked="0", validated="0")
    async with app.run_test(size=(80, 24)) as pilot:
        campaign = await open_campaign(app, pilot)
        grid = campaign.grid
        grid.move_cursor_to(code)
        await press(pilot, "enter")
        session = app.screen
        assert isinstance(session, SessionScreen) and session.session_code == code
        await press(pilot, "X", "ctrl+o", "a", "escape")
        assert app.screen is session
        assert "state: voided" in text_of(session, "#state")
        # The campaign pane behind the session was told too.
        assert grid.model.value(code, "state") == "voided"

        await press(pilot, "J", "u", "a")
        assert sandbox.session(code)["voided"] == "0"
        await press(pilot, "escape", "escape")  # result, then the journal
        assert app.screen is session
        assert "state: claimed" in text_of(session, "#state")
        assert grid.model.value(code, "state") == "claimed"


def two_voidable_sessions(sandbox) -> tuple[str, str]:
    return (session_where(sandbox, claimed="1", voided="0", locked="0"),
            session_where(sandbox, claimed="1", voided="0", locked="0", skip=1))


async def journal_after_voiding(app, pilot, *codes: str):
    """Void each session from its pane (X, preview, apply), then open the journal."""
    for code in codes:
        await open_session(app, pilot, code)
        await press(pilot, "X", "ctrl+o", "a", "escape")
    await press(pilot, "J")
    return app.screen


async def test_a_reload_keeps_the_cursor_on_its_entry(app, sandbox, journal):
    first, second = two_voidable_sessions(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await journal_after_voiding(app, pilot, first, second)
        assert isinstance(pane, JournalScreen)
        older = pane.grid.model.key_at(1)
        assert pane.grid.move_cursor_to(older)
        await press(pilot, "u", "a", "escape")  # the undo is listed first after the reload
        assert app.screen is pane and len(pane.grid.model) == 3
        assert pane.grid.cursor_row_key == older
        assert sandbox.session(first)["voided"] == "0"


async def test_the_journal_filters_with_slash_and_copies_with_y(app, sandbox, journal):
    """As in any list: `/` narrows the entries as you type, `y` copies the
    cell under the cursor, `i` the entry id."""
    first, second = two_voidable_sessions(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await journal_after_voiding(app, pilot, first, second)
        assert isinstance(pane, JournalScreen) and len(pane.grid.model.view) == 2
        copied: list[str] = []
        app.copy_to_clipboard = copied.append

        await press(pilot, "slash", *second, "enter")
        [row] = pane.grid.model.view_records()
        assert second in row["object"] and first not in row["object"]
        assert "1 of 2" in text_of(pane, "#filter-count")
        assert app.screen is pane and pane.focused is pane.grid

        await press(pilot, "y")  # the cursor is on the first column: the time
        assert copied == [row["time"]] and row["time"]
        await press(pilot, "i")
        assert copied[-1] == row["id"]
        assert any("Copied" in n for n in notifications(app))

        await press(pilot, "slash", "escape")  # Escape in the bar clears the filter
        assert len(pane.grid.model.view) == 2 and app.screen is pane
