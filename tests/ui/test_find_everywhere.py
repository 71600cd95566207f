"""Pilot tests: `f` everywhere, the verdict on the session pane, its fix and case note."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from textual.widgets import Input

from ctconsole.demo import demo_client_for
from ctconsole.sandbox import make_sandbox_app
from ctconsole.sandbox.cases import NEEDLE_EMAIL
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.find import FindScreen
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screenshots import FROZEN_LOCAL, settle
from ctconsole.ui.writes.form import WriteForm


def make(sandbox) -> CtConsoleApp:
    return CtConsoleApp(demo_client_for(sandbox), local_tz=FROZEN_LOCAL)


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=0, cases=True)


def text_of(widget) -> str:
    return str(widget.render())


async def open_prompt(pilot, app, text: str, *, enter: bool = True) -> FindScreen:
    await pilot.press("f")
    await pilot.pause()
    prompt = app.screen
    assert isinstance(prompt, FindScreen)
    prompt.query_one("#find-input", Input).value = text
    if enter:
        await pilot.press("enter")
    return prompt


async def test_f_at_the_top_finds_a_session_of_any_subaccount(sandbox):
    case = sandbox.state.cases["voided"]
    app = make(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        prompt = await open_prompt(pilot, app, case["email"], enter=False)
        assert "everywhere" in text_of(prompt.query_one("#find-title"))
        await pilot.press("enter")
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, SessionScreen) and pane.session_code == case["session"]
        assert pane.account.id == "sub_2006"
        assert pane.crumbs[-3:] == ("sub_2006", "cam_2605", case["session"][:6])
        verdict = text_of(pane.query_one("#verdict"))
        assert verdict.startswith("✖ Voided on 2026-11-05 15:00 UTC")
        assert "F Un-void" in verdict and "n case note" in verdict


async def test_ctrl_t_keeps_the_search_in_this_account(sandbox):
    case = sandbox.state.cases["voided"]
    app = make(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        prompt = await open_prompt(pilot, app, case["email"], enter=False)
        await pilot.press("ctrl+t")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is prompt
        assert "No session found" in text_of(prompt.query_one("#find-result"))
        searches = [r for r in sandbox.requests if r.operation == "session.search"]
        assert len(searches) == 1  # the main account's only


async def test_failures_are_listed_and_the_rest_is_searched(sandbox):
    app = make(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        state = sandbox.state  # sub_2002 suspended: its own credentials are refused
        key, answer = state.subaccounts["sub_2002"]["api_key"], state.owner_of
        state.owner_of = lambda cid, secret: None if cid == key else answer(cid, secret)
        prompt = await open_prompt(pilot, app, "nobody@nowhere.example")
        await settle(pilot)
        failures = text_of(prompt.query_one("#find-failures"))
        assert failures.startswith("✖ Garcia Bakery LLC (sub_2002): ")
        assert "searched 6 of 6 subaccounts · 0 matches · 1 failed" in text_of(
            prompt.query_one("#find-progress"))
        assert "(1 could not be searched)" in text_of(prompt.query_one("#find-result"))


async def until(condition, seconds: float = 8.0) -> None:
    """Poll while the search runs (a pilot press or pause waits for an idle
    app, which a running search never is, so keys are simulated instead)."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within the time")


async def test_an_exact_match_opens_at_once_and_esc_goes_back_to_the_search_going_on():
    # Two at a time, so the accounts after the match keep the search going a while.
    sandbox = make_sandbox_app(big_sessions=0, cases=True, subaccounts=150, latency=0.02)
    app = CtConsoleApp(demo_client_for(sandbox), local_tz=FROZEN_LOCAL, find_concurrency=2)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        prompt = await open_prompt(pilot, app, NEEDLE_EMAIL.upper(), enter=False)
        app.simulate_key("enter")
        await until(lambda: isinstance(app.screen, SessionScreen))
        pane = app.screen
        assert pane.session_code == sandbox.state.cases["needle"]["session"]
        progress = prompt.fan.progress
        assert progress.done < progress.total  # opened while the search goes on
        await until(lambda: any(text_of(note) for note in pane.query("#search-note")))
        assert text_of(pane.query_one("#search-note")).startswith("Still searching: ")
        app.simulate_key("escape")  # back to the list, the search still running
        await until(lambda: app.screen is prompt)
        assert len(prompt.query_one("#find-matches-all").model.view) == 1
        app.simulate_key("escape")
        await until(lambda: prompt.fan.cancelled)
        sent = len(sandbox.requests)
        await asyncio.sleep(0.15)
        assert len(sandbox.requests) == sent
        assert prompt.fan.progress.done < prompt.fan.progress.total
        assert "cancelled" in text_of(prompt.query_one("#find-progress"))
        await pilot.press("escape")  # from the list back to the prompt
        await pilot.press("escape")
        assert not isinstance(app.screen, FindScreen)


async def test_no_full_garbage_collection_while_the_answers_stream_in():
    from ctconsole.ui.process_tuning import CollectionSchedule

    sandbox = make_sandbox_app(big_sessions=0, cases=True, subaccounts=60, latency=0.02)
    app = make(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        schedule = app.gc_schedule = CollectionSchedule(lambda *a: None, lambda *a: None)
        prompt = await open_prompt(pilot, app, "nobody@nowhere.example", enter=False)
        app.simulate_key("enter")
        await until(lambda: prompt.fan is not None and prompt.fan.progress.done > 0)
        assert schedule.holds == 1
        await settle(pilot)
        assert prompt.fan.progress.done == prompt.fan.progress.total and schedule.holds == 0


async def test_the_pane_opened_early_says_when_it_is_the_only_match(sandbox):
    case = sandbox.state.cases["voided"]
    app = make(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_prompt(pilot, app, case["email"])
        await settle(pilot)
        assert text_of(app.screen.query_one("#search-note")) == (
            "The only match in the main account and its 6 subaccounts")
        await pilot.press("escape")  # the list has nothing more: it closes with the pane
        await settle(pilot)
        assert getattr(app.screen, "campaign_id", None) == "cam_2605"
        assert not any(isinstance(s, FindScreen) for s in app.screen_stack)


async def test_a_second_match_arriving_later_is_a_warning_on_the_pane(sandbox):
    from ctconsole.sandbox.cases import TWO_MERCHANTS_EMAIL

    first, second = sandbox.state.cases["two_merchants"]["sessions"]
    app = make(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        prompt = await open_prompt(pilot, app, TWO_MERCHANTS_EMAIL)
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, SessionScreen) and pane.session_code == first
        note = text_of(pane.query_one("#search-note"))
        assert note == f"⚠ Another match: {second[:6]} in Velo Bakker (sub_2006) · Esc lists all"
        await pilot.press("escape")
        assert app.screen is prompt
        assert sorted(prompt.query_one("#find-matches-all").model.view_keys()) == sorted(
            [first, second])


async def test_the_fix_key_opens_the_write_form_with_the_subaccounts_credentials(sandbox):
    case = sandbox.state.cases["locked"]
    app = make(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_prompt(pilot, app, case["session"])
        await settle(pilot)
        assert text_of(app.screen.query_one("#verdict")).startswith("✖ Locked")
        await pilot.press("F")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, WriteForm)
        assert form.flow.operation == "session.update"
        assert form.flow.params == {"couponsession": case["session"], "locked": False}
        assert form.flow.subaccount == "sub_2006"
        assert not any(r.operation == "session.update" for r in sandbox.requests)


async def test_the_merchants_fix_is_said_not_written(sandbox):
    case = sandbox.state.cases["ended"]
    app = make(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_prompt(pilot, app, case["session"])
        await settle(pilot)
        verdict = text_of(app.screen.query_one("#verdict"))
        assert verdict.startswith("✖ Campaign ended on 2026-09-30")
        assert "Tell the merchant: The campaign ended on 2026-09-30" in verdict
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)


async def test_the_case_note_is_copied_and_saved_masked(sandbox):
    case = sandbox.state.cases["validated"]
    app = make(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_prompt(pilot, app, case["session"])
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        note = app.clipboard
        assert note.startswith(f"# Case: session {case['session'][:6]} — Already validated")
        assert "| Account | Velo Bakker (sub_2006) |" in note
        assert case["email"] not in note and "b…@example.net" in note
        saved = list((Path(os.environ["XDG_DATA_HOME"]) / "ctconsole" / "cases").glob("*.md"))
        assert len(saved) == 1 and saved[0].read_text() == note
        assert saved[0].stat().st_mode & 0o777 == 0o600


async def test_the_case_note_includes_personal_data_when_configured(sandbox):
    case = sandbox.state.cases["validated"]
    app = CtConsoleApp(demo_client_for(sandbox), local_tz=FROZEN_LOCAL, case_note_personal=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await open_prompt(pilot, app, case["session"])
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert f"| Customer | Bram Visser · {case['email']} · +32" in app.clipboard


async def test_found_everywhere_from_inside_another_merchant_says_so(sandbox):
    from ctconsole.ui.screens.session import open_find
    from ctconsole.ui.screens.subaccount import SubaccountScreen

    case = sandbox.state.cases["voided"]
    app = make(sandbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        home = app.screen
        grid = home.grid
        grid.cursor = grid.model.view_keys().index("sub_2001")
        await pilot.press("enter")
        await settle(pilot)
        merchant = app.screen
        assert isinstance(merchant, SubaccountScreen)
        prompt = open_find(app, client=merchant.client, origin=merchant)
        await pilot.pause()
        assert "ctrl+t: everywhere" in text_of(prompt.query_one("#find-title"))
        prompt.query_one("#find-input", Input).value = case["email"]
        await pilot.press("ctrl+t")
        await pilot.press("enter")
        await settle(pilot)
        verdict = text_of(app.screen.query_one("#verdict"))
        assert verdict.startswith(
            "✖ Belongs to Velo Bakker (sub_2006), not Brasserie Peeters (sub_2001)")


def listings(sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.operation == "subaccount.list")


async def test_the_fan_out_starts_from_the_subaccount_list_on_screen(sandbox):
    case = sandbox.state.cases["voided"]
    app = make(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = listings(sandbox)
        await open_prompt(pilot, app, case["email"])
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.account.id == "sub_2006"
        assert listings(sandbox) == shown  # not read again: it is on the home pane


async def test_a_subaccount_list_older_than_its_freshness_is_read_again(sandbox):
    import dataclasses
    from datetime import timedelta

    case = sandbox.state.cases["voided"]
    app = make(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        home.result = dataclasses.replace(
            home.result, fetched_at=home.result.fetched_at - timedelta(seconds=301))
        shown = listings(sandbox)
        await open_prompt(pilot, app, case["email"])
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen) and app.screen.account.id == "sub_2006"
        assert listings(sandbox) == shown + 1


async def test_a_match_in_the_main_account_is_the_answer_and_the_subaccounts_search_stops():
    # The subaccounts are asked while the main account is; its match ends that.
    sandbox = make_sandbox_app(big_sessions=0, cases=True, subaccounts=60, latency=0.02)
    code = next(c for c in sandbox.state.sessions.order["cam_1001"] if sandbox.session(c)["email"])
    main_id = demo_client_for(sandbox).credentials.client_id
    app = CtConsoleApp(demo_client_for(sandbox), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        prompt = await open_prompt(pilot, app, code, enter=False)
        asked = len(sandbox.requests)
        app.simulate_key("enter")
        await until(lambda: isinstance(app.screen, SessionScreen))
        assert app.screen.session_code == code and app.screen.account is None

        def subaccounts_asked() -> int:
            return sum(r.headers.get("x-client-id") != main_id for r in sandbox.requests[asked:])

        sent = subaccounts_asked()
        await asyncio.sleep(0.2)
        assert subaccounts_asked() == sent  # nothing more is sent to them
        assert 0 < sent <= 16  # asked alongside the main account (8 at a time), then stopped
        assert prompt.fan is None  # its events never shown: the main account's match is the answer
