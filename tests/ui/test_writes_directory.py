"""Directory writes from the users view: `w` sets a user's payment status,
end to end against the sandbox, and the journal pane's undo sets it back."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Select

from ctconsole.ui.screens.directory import DirectoryScreen
from ctconsole.ui.writes.form import WriteForm
from ctconsole.ui.screens.journal import JournalScreen
from ctconsole.ui.writes.preview import PreviewScreen
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.writes import Journal

from .test_panes_directory import open_directory
from .writes_support import notifications, preview_text, press, sent, text_of

DIRECTORY = "dir_5002"  # payment required: paid and unpaid users


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def app(make_app, journal):
    return make_app(journal=journal)


def member(sandbox, *, skip: int = 0, **fields: str) -> dict:
    found = [u for u in sandbox.state.directories[DIRECTORY]["users"]
             if all(u[k] == v for k, v in fields.items())]
    assert len(found) > skip, f"no user of {DIRECTORY} with {fields}"
    return found[skip]


async def at_user(pilot, uid: str) -> DirectoryScreen:
    pane = await open_directory(pilot, DIRECTORY)
    await press(pilot, "2")
    pane.grid.cursor = pane.grid.model.view_keys().index(uid)
    await pilot.pause()
    return pane


async def test_paid_until_a_date_then_undone_from_the_journal(app, sandbox, journal):
    user = member(sandbox, payment_status="unpaid", blocked="0")
    uid = user["ID"]
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await at_user(pilot, uid)
        await press(pilot, "w")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert form.query_one("#f-payment_status", Select).value == "paid"
        assert form.focused is form.query_one("#f-expiry_date", Input)
        await press(pilot, *"2027-13-01")
        assert text_of(form, "#p-expiry_date")  # not a date: said as you type
        form.query_one("#f-expiry_date", Input).value = "2027-06-30"
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        shown = preview_text(preview)
        assert "→  payment_status" in shown and "unpaid  paid" in shown
        assert "→  payment_expiry_date  —" in shown and "2027-06-30" in shown
        assert "POST /v3/directoryusers/update" in shown
        assert (f'"directory": "{DIRECTORY}", "user": "{uid}", "payment_status": "paid", '
                '"expiry_date": "2027-06-30"') in shown
        assert sent(sandbox, "directory.user_payment") == 0
        await press(pilot, "a")
        result = app.screen
        assert isinstance(result, ResultScreen) and "Applied" in text_of(result, "#headline")
        assert "2027-06-30" in text_of(result, "#now")
        assert (user["payment_status"], user["payment_expiry_date"]) == ("paid", "2027-06-30")
        await press(pilot, "escape")
        assert app.screen is pane and pane.view == "users"
        assert pane.grid.model.value(uid, "payment_status") == "paid"  # fetched again
        assert str(pane.grid.model.value(uid, "payment_expiry_date")) == "2027-06-30"
        assert pane.grid.cursor_row_key == uid  # still on the user just changed
        [entry] = journal.entries()
        assert entry.before["payment_status"] == "unpaid"
        assert entry.after == {"payment_status": "paid", "payment_expiry_date": "2027-06-30",
                               "blocked": False}

        await press(pilot, "J")
        assert isinstance(app.screen, JournalScreen)
        await press(pilot, "u")
        undo = app.screen
        assert isinstance(undo, PreviewScreen)
        shown = preview_text(undo)
        summary = text_of(undo, "#summary")
        assert "undoes" in summary and f"journal entry {entry.id}" in summary
        assert '"payment_status": "unpaid"' in shown
        assert "→  payment_status" in shown
        await press(pilot, "a")
        assert "Applied" in text_of(app.screen, "#headline")
    assert (user["payment_status"], user["payment_expiry_date"]) == ("unpaid", "")
    first, second = journal.entries()
    assert second.undo_of == first.id and second.outcome == "ok"
    assert sent(sandbox, "directory.user_payment") == 2


async def test_unpaid_warns_that_the_expiry_date_is_cleared(app, sandbox, journal):
    user = member(sandbox, payment_status="paid", blocked="0")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_user(pilot, user["ID"])
        await press(pilot, "w")
        assert app.screen.query_one("#f-payment_status", Select).value == "unpaid"
        await press(pilot, "ctrl+o")
        warning = text_of(app.screen, "#warnings")
        assert f"paid access until {user['payment_expiry_date']}" in warning
        assert "will be cleared" in warning
        await press(pilot, "a")
    assert (user["payment_status"], user["payment_expiry_date"]) == ("unpaid", "")


async def test_a_status_that_changes_nothing_is_refused(app, sandbox, journal):
    user = member(sandbox, payment_status="paid", blocked="0")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_user(pilot, user["ID"])
        await press(pilot, "w")
        form = app.screen
        form.query_one("#f-payment_status", Select).value = "paid"
        form.query_one("#f-expiry_date", Input).value = user["payment_expiry_date"]
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert "nothing would change" in text_of(preview, "#refusals")
        assert preview.query_one("#preview-apply", Button).disabled
        await press(pilot, "a")
    assert sent(sandbox, "directory.user_payment") == 0 and journal.entries() == []


async def test_cancel_sends_nothing_and_the_campaigns_view_says_where_to_go(
        app, sandbox, journal):
    user = member(sandbox, payment_status="unpaid")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_directory(pilot, DIRECTORY)
        await press(pilot, "w")  # campaigns view: no user here
        assert app.screen is pane
        assert any("switch to the users (2)" in n for n in notifications(app))
        await press(pilot, "2")
        pane.grid.cursor = pane.grid.model.view_keys().index(user["ID"])
        await press(pilot, "w", "escape")
        assert app.screen is pane
        await press(pilot, "w")
        app.screen.query_one("#f-expiry_date", Input).value = "2027-01-31"
        await press(pilot, "ctrl+o", "escape", "escape")
        assert app.screen is pane
    assert sent(sandbox, "directory.user_payment") == 0
    assert user["payment_status"] == "unpaid" and journal.entries() == []


async def test_a_failed_payment_update_keeps_the_form_and_is_journaled(app, sandbox, journal):
    user = member(sandbox, payment_status="unpaid")
    sandbox.faults.add("api_error", operation="directory.user_payment", code=300,
                       message="User could not be updated")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_user(pilot, user["ID"])
        await press(pilot, "w", *"2027-02-28", "ctrl+o", "a")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert "could not be updated" in text_of(form, "#form-error")
        assert form.values()["expiry_date"] == "2027-02-28"
        assert form.values()["payment_status"] == "paid"
    assert user["payment_status"] == "unpaid"
    [entry] = journal.entries()
    assert entry.outcome == "failed"


@pytest.mark.parametrize("mode", ["read_only", "offline"])
async def test_refused_in_read_only_and_offline(make_app, sandbox, journal, mode):
    app = make_app(journal=journal, **{mode: True})
    user = member(sandbox, payment_status="unpaid")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await at_user(pilot, user["ID"])
        await press(pilot, "w")
        assert app.screen is pane
        await press(pilot, "dollar_sign")
        assert app.screen is pane
        word = "read-only" if mode == "read_only" else "offline"
        assert sum(word in n for n in notifications(app)) >= 2
    assert sent(sandbox, "directory.user_payment") == 0 and journal.entries() == []
