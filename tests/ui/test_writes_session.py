"""Session writes from the session pane, end to end against the sandbox:
form → preview → apply → result, and everything that must stop them."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, Select

from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.writes.form import WriteForm
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


async def test_validate_previews_applies_refetches_and_journals(app, sandbox, journal):
    code = session_where(sandbox, claimed="1", validated="0", voided="0", locked="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_session(app, pilot, code)
        await press(pilot, "V")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert form.values() == {"couponsession": code, "validated": True}
        assert form.query_one("#f-couponsession", Input).disabled  # the pane's session
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        shown = preview_text(preview)
        assert "→  validated" in shown and "no" in shown and "yes" in shown
        assert "POST /v3/couponsession/update" in shown
        assert f'"couponsession": "{code}", "validated": true' in shown
        assert "main account" in shown
        assert sent(sandbox, "session.update") == 0  # previewing sends nothing
        await press(pilot, "a")
        result = app.screen
        assert isinstance(result, ResultScreen)
        assert "Applied" in text_of(result, "#headline")
        now = {line.split()[0]: line.split()[-1] for line in text_of(result, "#now").splitlines()[1:]}
        assert now["validated"] == "yes" and now["claimed"] == "yes"
        assert sent(sandbox, "session.update") == 1
        assert sandbox.session(code)["validated"] == "1"
        await press(pilot, "escape")
        assert app.screen is pane
        assert "state: validated" in text_of(pane, "#state")  # fetched again
        [entry] = journal.entries()
        assert (entry.operation, entry.outcome) == ("session.update", "ok")
        assert entry.params == {"couponsession": code, "validated": True}
        assert entry.before["validated"] is False and entry.after["validated"] is True


async def test_void_then_unvoid_with_the_same_key(app, sandbox, journal):
    code = session_where(sandbox, claimed="1", voided="0", locked="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_session(app, pilot, code)
        await press(pilot, "X")
        assert "Void session" in text_of(app.screen, "#form-title")
        await press(pilot, "ctrl+o", "a")
        assert sandbox.session(code)["voided"] == "1"
        await press(pilot, "escape")
        assert "state: voided" in text_of(pane, "#state")
        await press(pilot, "X")
        assert "Un-void session" in text_of(app.screen, "#form-title")
        await press(pilot, "ctrl+o")
        assert "→  voided" in preview_text(app.screen)
        await press(pilot, "a", "escape")
        assert sandbox.session(code)["voided"] == "0"
        assert [e.params.get("voided") for e in journal.entries()] == [True, False]


async def test_cancel_at_each_step_sends_nothing(app, sandbox, journal):
    code = session_where(sandbox, claimed="1", validated="0", voided="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_session(app, pilot, code)
        await press(pilot, "V", "escape")  # cancel the form
        assert app.screen is pane
        await press(pilot, "V", "ctrl+o", "escape")  # back from the preview: the form again
        assert isinstance(app.screen, WriteForm)
        assert app.screen.values()["validated"] is True
        await press(pilot, "escape")
        assert app.screen is pane
    assert sent(sandbox, "session.update") == 0
    assert sandbox.session(code)["validated"] == "0"
    assert journal.entries() == []


async def test_a_failed_write_keeps_the_form_filled_shows_the_error_and_can_be_retried(
        app, sandbox, journal):
    code = session_where(sandbox, claimed="1", validated="0", voided="0", locked="0")
    sandbox.faults.add("api_error", operation="session.update", code=300,
                       message="Coupon session could not be updated")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "V")
        form = app.screen
        form.query_one("#reason", Input).value = "TICKET-7"
        await press(pilot, "ctrl+o", "a")
        assert app.screen is form  # back at the form, not a result
        error = text_of(form, "#form-error")
        assert "Not applied" in error and "could not be updated" in error
        assert "values are kept" in error
        assert form.values() == {"couponsession": code, "validated": True}
        assert form.query_one("#reason", Input).value == "TICKET-7"
        [failed] = journal.entries()
        assert failed.outcome == "failed" and failed.reason == "TICKET-7"
        assert failed.error["message"]
        assert sent(sandbox, "session.update") == 1  # never retried by itself
        await press(pilot, "ctrl+o", "a")  # the user retries, on purpose
        assert isinstance(app.screen, ResultScreen)
    assert sent(sandbox, "session.update") == 2
    assert sandbox.session(code)["validated"] == "1"
    assert [e.outcome for e in journal.entries()] == ["failed", "ok"]


async def test_read_only_refuses_with_the_reason_and_sends_nothing(make_app, sandbox, journal):
    app = make_app(journal=journal, read_only=True, profile_name="prod")
    code = session_where(sandbox, claimed="1", validated="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_session(app, pilot, code)
        assert "read-only" in text_of(pane, "#badge")
        for key in ("V", "X", "w", "p"):
            await press(pilot, key)
            assert app.screen is pane  # no form opens
        assert any("read-only" in note for note in notifications(app))
    assert sent(sandbox, "session.update") == 0 and sent(sandbox, "campaign.push") == 0
    assert journal.entries() == []


async def test_offline_refuses_writes_with_the_reason(make_app, sandbox, journal):
    app = make_app(journal=journal, offline=True)
    code = session_where(sandbox, claimed="1", validated="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_session(app, pilot, code)
        await press(pilot, "V")
        assert app.screen is pane
        assert any("offline" in note for note in notifications(app))
    assert sent(sandbox, "session.update") == 0


async def test_validating_an_already_validated_session_is_refused_in_the_preview(app, sandbox):
    code = session_where(sandbox, validated="1", voided="0")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "V", "ctrl+o")
        preview = app.screen
        assert "already validated" in text_of(preview, "#refusals")
        assert preview.query_one("#preview-apply", Button).disabled
        assert "disabled" in text_of(preview, "#preview-status")
        await press(pilot, "a")
        assert app.screen is preview
    assert sent(sandbox, "session.update") == 0


async def test_validating_a_never_claimed_session_warns_but_may_go_ahead(app, sandbox):
    code = session_where(sandbox, claimed="0", validated="0", voided="0", locked="0")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "V", "ctrl+o")
        preview = app.screen
        assert "never claimed" in text_of(preview, "#warnings")
        assert not preview.query_one("#preview-apply", Button).disabled
        assert "→  claimed" in preview_text(preview)  # validating also claims
        await press(pilot, "a")
    assert sandbox.session(code)["claimed"] == "1"


async def test_push_to_a_session_never_saved_to_a_wallet_warns_and_is_journaled(
        app, sandbox, journal):
    code = session_where(sandbox, claimed="1", saved_to_passbook="0")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "p")
        form = app.screen
        assert form.query_one("#f-campaign", Input).value == "cam_1001"
        assert text_of(form, "#p-message") == ""  # not scolded before it is touched
        await press(pilot, "ctrl+o")  # no message yet: no preview, the field says why
        assert app.screen is form
        assert text_of(form, "#p-message").startswith("required")
        form.query_one("#f-message", Input).value = "Your coffee is waiting"
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert "never saved the coupon to a wallet" in text_of(preview, "#warnings")
        assert "/v3/coupon/pushnotification/single" in text_of(preview, "#request")
        await press(pilot, "a")
        assert isinstance(app.screen, ResultScreen)
    assert sent(sandbox, "campaign.push") == 1
    [entry] = journal.entries()
    assert entry.operation == "campaign.push" and entry.params["message"] == "Your coffee is waiting"


async def test_the_form_checks_values_as_you_type(app, sandbox):
    code = session_where(sandbox, claimed="1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "p")
        form = app.screen
        form.query_one("#f-message", Input).value = "x" * 1001
        await pilot.pause()
        assert "1000" in text_of(form, "#p-message")
        form.query_one("#f-message", Input).value = "fine"
        await pilot.pause()
        assert text_of(form, "#p-message") == ""


async def test_edit_form_has_one_field_per_catalogue_parameter(app, sandbox):
    code = session_where(sandbox, claimed="1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_session(app, pilot, code)
        await press(pilot, "w")
        form = app.screen
        names = [p.name for p in app.client.operation("session.update").params]
        for name in names:
            assert form.query_one(f"#f-{name}")
        # Optional flags can be left alone: not "no", but not sent at all.
        assert form.query_one("#f-voided", Select).value is Select.NULL
        assert form.values() == {"couponsession": code}
