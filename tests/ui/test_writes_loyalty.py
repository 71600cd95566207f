"""Loyalty writes from a card's holders pane, end to end against the sandbox:
+ / - / X / w update a holder, p pushes to one, P to all (the card's code
typed); every guard rail, cancel, failure, read-only and offline."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from ctconsole.ui.writes.form import WriteForm
from ctconsole.ui.writes.preview import PreviewScreen
from ctconsole.ui.writes.result import ResultScreen
from ctconsole.writes import Journal

from .test_panes_loyalty import open_card
from .writes_support import notifications, preview_text, press, sent, text_of

CARD = "loy_3001"  # a stamp card: 10 stamps, 24 holders
HOSTILE = "lus_30015"  # the holder whose name is terminal escapes


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


@pytest.fixture
def app(make_app, journal):
    return make_app(journal=journal)


def holder(sandbox, card: str = CARD, *, skip: int = 0, **flags) -> str:
    """The `skip`-th holder of `card` whose fields match `flags` (callables test)."""
    users = sandbox.state.loyalty[card]["users"]
    found = [uid for uid, u in users.items() if uid != HOSTILE and all(
        v(u[k]) if callable(v) else u[k] == v for k, v in flags.items())]
    assert len(found) > skip, f"no holder of {card} with {flags}"
    return found[skip]


def user(sandbox, uid: str, card: str = CARD) -> dict:
    return sandbox.state.loyalty[card]["users"][uid]


async def at_holder(pilot, uid: str, card: str = CARD):
    pane = await open_card(pilot, card)
    pane.grid.cursor = pane.grid.model.view_keys().index(uid)
    await pilot.pause()
    return pane


def now_state(result) -> dict[str, str]:
    return {line.split()[0]: line.split()[-1] for line in text_of(result, "#now").splitlines()[1:]}


async def test_plus_adds_the_typed_number_of_stamps_and_shows_the_card_again(app, sandbox, journal):
    uid = holder(sandbox, voided="0", saved_to_wallet="1", stamps=lambda s: int(s) <= 6, skip=2)
    stamps = int(user(sandbox, uid)["stamps"])
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await at_holder(pilot, uid)
        await press(pilot, "plus")
        form = app.screen
        assert isinstance(form, WriteForm)
        assert f"Add stamps to {uid}" in text_of(form, "#form-title")
        field = form.query_one("#f-stamps", Input)
        assert form.focused is field and field.value == "1"
        await press(pilot, "3")  # replaces the selected 1
        assert form.values() == {"loyaltycard": CARD, "user": uid, "stamps": "3"}
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        shown = preview_text(preview)
        assert f"→  stamps           {stamps}" in shown and str(stamps + 3) in shown
        assert "POST /v3/loyaltyusers/update" in shown
        assert f'"loyaltycard": "{CARD}", "user": "{uid}", "stamps": 3' in shown
        assert "main account" in shown
        assert sent(sandbox, "loyalty.user_update") == 0
        await press(pilot, "a")
        result = app.screen
        assert isinstance(result, ResultScreen) and "Applied" in text_of(result, "#headline")
        assert now_state(result)["stamps"] == str(stamps + 3)
        assert user(sandbox, uid)["stamps"] == str(stamps + 3)
        await press(pilot, "escape")
        assert app.screen is pane
        assert pane.grid.model.value(uid, "stamps") == stamps + 3  # fetched again
        assert pane.grid.cursor_row_key == uid  # still on the holder just changed
    [entry] = journal.entries()
    assert (entry.operation, entry.outcome) == ("loyalty.user_update", "ok")
    assert entry.params == {"loyaltycard": CARD, "user": uid, "stamps": 3}
    assert entry.before["stamps"] == stamps and entry.after["stamps"] == stamps + 3


async def test_points_card_prefills_points(app, sandbox, journal):
    uid = holder(sandbox, "loy_3002", voided="0")
    points = int(user(sandbox, uid, "loy_3002")["points"])
    async with app.run_test(size=(80, 24)) as pilot:
        await at_holder(pilot, uid, "loy_3002")
        await press(pilot, "minus")
        form = app.screen
        assert f"Remove points from {uid}" in text_of(form, "#form-title")
        assert form.values()["points"] == "-1" and "stamps" not in form.values()
        await press(pilot, "ctrl+o", "a")
        assert isinstance(app.screen, ResultScreen)
    assert user(sandbox, uid, "loy_3002")["points"] == str(points - 1)


async def test_stamps_below_zero_are_refused_with_the_numbers(app, sandbox, journal):
    uid = holder(sandbox, voided="0", stamps=lambda s: 0 < int(s) < 5)
    stamps = int(user(sandbox, uid)["stamps"])
    async with app.run_test(size=(80, 24)) as pilot:
        await at_holder(pilot, uid)
        await press(pilot, "minus")
        form = app.screen
        form.query_one("#f-stamps", Input).value = str(-(stamps + 2))
        await press(pilot, "ctrl+o")
        preview = app.screen
        refusal = text_of(preview, "#refusals")
        assert f"has {stamps} stamp" in refusal
        assert f"removing {stamps + 2} would leave -2" in refusal
        assert preview.query_one("#preview-apply", Button).disabled
        await press(pilot, "a")
        assert app.screen is preview
    assert sent(sandbox, "loyalty.user_update") == 0
    assert user(sandbox, uid)["stamps"] == str(stamps)
    assert journal.entries() == []


async def test_the_remove_form_keeps_the_number_negative(app, sandbox):
    uid = holder(sandbox, voided="0", stamps=lambda s: int(s) > 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_holder(pilot, uid)
        await press(pilot, "minus", "3")  # "3" replaces "-1": that would add three
        form = app.screen
        assert "write -3 to remove 3" in text_of(form, "#p-stamps")
        await press(pilot, "ctrl+o")
        assert app.screen is form  # no preview while the sign is wrong
        form.query_one("#f-stamps", Input).value = "-3"
        await pilot.pause()
        assert text_of(form, "#p-stamps") == ""
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, PreviewScreen)
    assert sent(sandbox, "loyalty.user_update") == 0


async def test_x_voids_then_unvoids_the_holder(app, sandbox, journal):
    uid = holder(sandbox, voided="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await at_holder(pilot, uid)
        await press(pilot, "X")
        assert f"Void holder {uid}" in text_of(app.screen, "#form-title")
        await press(pilot, "ctrl+o")
        assert "→  voided" in preview_text(app.screen)
        await press(pilot, "a")
        assert now_state(app.screen)["voided"] == "yes"
        await press(pilot, "escape")
        assert user(sandbox, uid)["voided"] == "1"
        assert pane.grid.model.value(uid, "voided") is True
        pane.grid.cursor = pane.grid.model.view_keys().index(uid)
        await press(pilot, "X")
        assert f"Un-void holder {uid}" in text_of(app.screen, "#form-title")
        await press(pilot, "ctrl+o")
        assert text_of(app.screen, "#warnings") == ""  # un-voiding is what a voided holder needs
        await press(pilot, "a", "escape")
    assert user(sandbox, uid)["voided"] == "0"
    assert [e.params.get("voided") for e in journal.entries()] == [True, False]


async def test_acting_on_a_voided_holder_is_warned(app, sandbox):
    uid = holder(sandbox, voided="1")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_holder(pilot, uid)
        await press(pilot, "plus", "ctrl+o")
        preview = app.screen
        assert f"{uid} is voided" in text_of(preview, "#warnings")
        assert not preview.query_one("#preview-apply", Button).disabled  # warned, not refused


async def test_push_to_a_holder_without_wallet_is_warned_and_journaled(app, sandbox, journal):
    uid = holder(sandbox, voided="0", saved_to_wallet="0")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_holder(pilot, uid)
        await press(pilot, "p")
        form = app.screen
        assert form.focused is form.query_one("#f-message", Input)
        await press(pilot, *"Free coffee")
        await press(pilot, "ctrl+o")
        preview = app.screen
        assert "never saved the card to a wallet" in text_of(preview, "#warnings")
        assert "/v3/loyalty/pushnotification/single" in text_of(preview, "#request")
        await press(pilot, "a")
        assert "Applied" in text_of(app.screen, "#headline")
    assert sent(sandbox, "loyalty.push") == 1
    [entry] = journal.entries()
    assert entry.operation == "loyalty.push" and entry.params["message"] == "Free coffee"
    assert entry.params["user"] == uid


async def test_push_to_all_says_how_many_it_reaches_and_needs_the_card_code(
        app, sandbox, journal):
    users = sandbox.state.loyalty[CARD]["users"].values()
    reach = sum(1 for u in users if u["saved_to_wallet"] == "1" and u["voided"] == "0")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_card(pilot, CARD)
        await press(pilot, "P")
        form = app.screen
        form.query_one("#f-message", Input).value = "Double stamps today"
        await press(pilot, "ctrl+o")
        preview = app.screen
        shown = preview_text(preview)
        assert f"{reach} of {len(users)} card holders" in shown
        assert "Type stmp10 to confirm" in text_of(preview, "#confirm-label")
        apply = preview.query_one("#preview-apply", Button)
        await press(pilot, *"stmp1", "enter")
        assert apply.disabled and app.screen is preview
        assert sent(sandbox, "loyalty.push_all") == 0
        await press(pilot, "0")
        assert not apply.disabled
        await press(pilot, "enter")
        assert "Applied" in text_of(app.screen, "#headline")
    assert sent(sandbox, "loyalty.push_all") == 1
    [entry] = journal.entries()
    assert entry.operation == "loyalty.push_all" and entry.reach == reach


async def test_cancel_sends_nothing(app, sandbox, journal):
    uid = holder(sandbox, voided="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await at_holder(pilot, uid)
        await press(pilot, "plus", "escape")
        assert app.screen is pane
        await press(pilot, "X", "ctrl+o", "escape")  # back to the form, values kept
        assert isinstance(app.screen, WriteForm) and app.screen.values()["voided"] is True
        await press(pilot, "escape", "P")
        app.screen.query_one("#f-message", Input).value = "hi"
        await press(pilot, "ctrl+o", "escape", "escape")
        assert app.screen is pane
    for operation in ("loyalty.user_update", "loyalty.push", "loyalty.push_all"):
        assert sent(sandbox, operation) == 0
    assert journal.entries() == []


async def test_a_failed_update_keeps_the_form_and_is_journaled(app, sandbox, journal):
    uid = holder(sandbox, voided="0")
    stamps = user(sandbox, uid)["stamps"]
    sandbox.faults.add("api_error", operation="loyalty.user_update", code=300,
                       message="Loyalty user could not be updated")
    async with app.run_test(size=(80, 24)) as pilot:
        await at_holder(pilot, uid)
        await press(pilot, "plus", "2", "ctrl+o", "a")
        form = app.screen
        assert isinstance(form, WriteForm)
        error = text_of(form, "#form-error")
        assert "Not applied" in error and "could not be updated" in error
        assert form.values()["stamps"] == "2"
    assert user(sandbox, uid)["stamps"] == stamps
    [entry] = journal.entries()
    assert entry.outcome == "failed" and "could not be updated" in entry.error["message"]


@pytest.mark.parametrize("mode", ["read_only", "offline"])
async def test_every_loyalty_write_key_is_refused_in_read_only_and_offline(
        make_app, sandbox, journal, mode):
    app = make_app(journal=journal, **{mode: True})
    uid = holder(sandbox, voided="0")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await at_holder(pilot, uid)
        for key in ("plus", "minus", "X", "w", "p", "P"):
            await press(pilot, key)
            assert app.screen is pane, key
        word = "read-only" if mode == "read_only" else "offline"
        assert sum(word in note for note in notifications(app)) >= 6
    for operation in ("loyalty.user_update", "loyalty.push", "loyalty.push_all"):
        assert sent(sandbox, operation) == 0
    assert journal.entries() == []
