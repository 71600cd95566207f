"""Bulk and campaign-wide writes from the campaign pane: marks feed
`session.update_many`; `P` pushes to everyone. Both need the count or the
campaign's code typed before Apply is possible."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from ctconsole.ui.screens.campaign import MARK_FIRST
from ctconsole.ui.writes.form import WriteForm
from ctconsole.ui.writes.preview import PreviewScreen
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.writes import Journal

from .writes_support import (notifications, open_campaign, preview_text, press, sent,
                             session_where, text_of)


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def app(make_app, journal):
    return make_app(journal=journal)


async def mark(pilot, pane, codes) -> None:
    keys = pane.grid.model.view_keys()
    for code in codes:
        pane.grid.cursor = keys.index(code)
        await press(pilot, "space")


async def test_marked_sessions_are_validated_after_the_count_is_typed(app, sandbox, journal):
    codes = [session_where(sandbox, claimed="1", validated="0", voided="0", locked="0", skip=i)
             for i in range(3)]
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot)
        await mark(pilot, pane, codes)
        await press(pilot, "V")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert form.values()["couponsessions"].split(",") == codes
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        shown = preview_text(preview)
        assert "3 sessions" in shown
        assert all(code in shown for code in codes)  # the codes, in the body and the list
        assert f"{codes[0][:6]} validated" in shown
        assert "POST /v3/couponsession/update/multiple" in shown
        assert "Type 3 to confirm" in text_of(preview, "#confirm-label")
        apply = preview.query_one("#preview-apply", Button)
        assert apply.disabled
        await pilot.press("2")  # the wrong count: still disabled, nothing sent
        await pilot.press("enter")
        await pilot.pause()
        assert apply.disabled and app.screen is preview
        assert sent(sandbox, "session.update_many") == 0
        preview.query_one("#confirm", Input).value = ""
        await pilot.press("3")
        await pilot.pause()
        assert not apply.disabled
        await press(pilot, "enter")
        assert isinstance(app.screen, ResultScreen)
        assert sent(sandbox, "session.update_many") == 1
        assert all(sandbox.session(c)["validated"] == "1" for c in codes)
        await press(pilot, "escape")
        assert app.screen is pane
        assert pane.grid.marked_keys == frozenset()  # the list was fetched again
        states = {c: pane.grid.model.value(c, "state") for c in codes}
        assert set(states.values()) == {"validated"}
    [entry] = journal.entries()
    assert entry.operation == "session.update_many" and entry.reach == 3
    assert entry.outcome == "ok"


async def test_bulk_keys_with_nothing_marked_say_how_to_mark(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot)
        await press(pilot, "X")
        assert app.screen is pane
        assert MARK_FIRST in notifications(app)
    assert sent(sandbox, "session.update_many") == 0


async def test_void_marked_unvoids_when_every_marked_row_is_voided(app, sandbox):
    codes = [session_where(sandbox, voided="1", skip=i) for i in range(2)]
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot)
        await mark(pilot, pane, codes)
        await press(pilot, "X")
        assert "Un-void 2 sessions" in text_of(app.screen, "#form-title")
        assert app.screen.values()["voided"] is False


async def test_push_to_all_needs_the_campaign_code_typed(app, sandbox, journal):
    campaign_code = sandbox.state.campaigns["cam_1001"]["code"]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_campaign(app, pilot)
        await press(pilot, "P")
        form = app.screen
        form.query_one("#f-message", Input).value = "Double stamps today"
        await press(pilot, "ctrl+o")
        preview = app.screen
        plan = preview.plan
        assert plan.confirmation == campaign_code
        assert "reaches up to" in text_of(preview, "#warnings")  # a push cannot be taken back
        assert "/v3/coupon/pushnotification/all" in text_of(preview, "#request")
        assert f"Type {campaign_code} to confirm" in text_of(preview, "#confirm-label")
        box = preview.query_one("#confirm", Input)
        box.value = "cam_1001"  # the ID is not the code
        await pilot.pause()
        await press(pilot, "a")  # `a` types into the field; Apply stays off
        assert preview.query_one("#preview-apply", Button).disabled
        await press(pilot, "enter")
        assert app.screen is preview and sent(sandbox, "campaign.push_all") == 0
        box.value = campaign_code
        await pilot.pause()
        await press(pilot, "enter")
        assert isinstance(app.screen, ResultScreen)
    assert sent(sandbox, "campaign.push_all") == 1
    [entry] = journal.entries()
    assert entry.operation == "campaign.push_all" and entry.params["message"] == "Double stamps today"
