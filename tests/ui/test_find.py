"""Pilot tests: finding a session from what a customer handed to support.

Every input is taken from the sandbox's own data (and the expected matches
from the sandbox's own search), so the tests follow the dataset.
"""

from __future__ import annotations

from collections import Counter

import pytest
from textual.widgets import Input

from ctconsole.sandbox import BIG_CAMPAIGN
from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.find import FindScreen
from ctconsole.ui.screens.session import open_find
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screenshots import settle


def main_campaigns(sandbox) -> set[str]:
    return {cid for cid, c in sandbox.state.campaigns.items() if c["owner"] == "main"}


def stored(sandbox, campaign: str | None = None) -> list[dict]:
    """Sessions the sandbox keeps as records (small campaigns), oldest first."""
    return [r for r in sandbox.state.sessions.records.values()
            if campaign is None or r["campaign"] == campaign]


def expected(sandbox, campaigns: set[str], **field: str) -> set[str]:
    return {r["session"] for r in sandbox.state.sessions.search(campaigns, **field)}


def unique_value(sandbox, key: str) -> tuple[str, dict]:
    """A value of `key` that exactly one session of the account has."""
    campaigns = main_campaigns(sandbox)
    for rec in stored(sandbox):
        if rec["campaign"] in campaigns and rec[key]:
            if len(expected(sandbox, campaigns, **{key: rec[key]})) == 1:
                return rec[key], rec
    raise AssertionError(f"no session with a unique {key}")


def screen_text(app) -> str:
    return app.export_screenshot().replace("&#160;", " ")


async def find(pilot, app, text: str) -> None:
    await pilot.press("f")
    await pilot.pause()
    assert isinstance(app.screen, FindScreen)
    app.screen.query_one("#find-input", Input).value = text
    await pilot.press("enter")
    await settle(pilot)


async def assert_on_session(pilot, app, code: str) -> None:
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SessionScreen)
    assert screen.session_code == code
    assert code in str(screen.query_one("#state").render())


async def test_full_code_opens_the_session(app, sandbox):
    rec = stored(sandbox, "cam_1001")[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await find(pilot, app, rec["session"])
        await assert_on_session(pilot, app, rec["session"])
        crumbs = app.screen.crumbs
        assert crumbs == ("Account", "cam_1001", rec["session"][:6])
        await pilot.press("escape")  # its campaign, as the breadcrumbs say
        await pilot.press("escape")  # then back where the find started
        assert isinstance(app.screen, HomeScreen)


async def test_short_code_opens_the_full_session(app, sandbox):
    rec = stored(sandbox, "cam_1002")[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await find(pilot, app, rec["session"][:6])
        await assert_on_session(pilot, app, rec["session"])


async def test_a_pasted_session_link_opens_the_session(app, sandbox):
    rec = stored(sandbox, "cam_1004")[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await find(pilot, app, f"  <{rec['session_url']}>  ")
        await assert_on_session(pilot, app, rec["session"])


@pytest.mark.parametrize("key", ["customvalcode", "email", "phone"])
async def test_search_fields_open_the_only_matching_session(app, sandbox, key):
    value, rec = unique_value(sandbox, key)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await find(pilot, app, value)
        await assert_on_session(pilot, app, rec["session"])
    searches = [r for r in sandbox.requests if r.operation == "session.search"]
    assert searches, "an account-wide search was made"


async def test_several_matches_are_listed_to_choose_from(app, sandbox):
    campaigns = main_campaigns(sandbox)
    counts = Counter(r["email"].lower() for r in stored(sandbox) if r["email"])
    email = next(e for e, n in counts.items()
                 if n > 1 and len(expected(sandbox, campaigns, email=e)) > 1)
    want = expected(sandbox, campaigns, email=email)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, app, email)
        prompt = app.screen
        assert isinstance(prompt, FindScreen)
        listed = prompt.matches_grid.model.view_keys()
        assert set(listed) == want
        shown = screen_text(app)
        assert f"{len(want)} sessions found" in shown
        assert all(code in shown for code in listed)
        await pilot.press("down", "enter")
        await assert_on_session(pilot, app, listed[1])


async def test_nothing_found_says_what_was_searched_and_stays_open(app, sandbox):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, app, "nobody@nowhere.example")
        prompt = app.screen
        assert isinstance(prompt, FindScreen)
        said = str(prompt.query_one("#find-result").render())
        assert "No session found for e-mail address nobody@nowhere.example" in said
        assert "whole account" in said
        # another try from the same prompt
        value, rec = unique_value(sandbox, "customvalcode")
        prompt.query_one("#find-input", Input).value = value
        await pilot.press("enter")
        await assert_on_session(pilot, app, rec["session"])


async def test_an_unknown_code_is_a_clear_miss(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, app, "zzzzzzzzzzzzzzzzzzzzz")
        said = str(app.screen.query_one("#find-result").render())
        assert said.startswith("No session found for session code")


async def test_the_prompt_says_what_the_text_looks_like(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        for text, label in (("anna@example.com", "e-mail address"),
                            ("+32 470 12 34 56", "phone number"),
                            ("https://digicpn.com/p/bf26xq/abcdefghijklmnopqrstu", "session link"),
                            ("ab12cd", "short session code or custom validation code")):
            app.screen.query_one("#find-input", Input).value = text
            await pilot.pause()
            assert f"looks like: {label}" in str(app.screen.query_one("#find-kind").render())
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_from_a_campaign_the_search_stays_in_that_campaign(app, sandbox):
    campaign = "cam_1001"
    value, rec = next(((r["email"], r) for r in stored(sandbox, campaign) if r["email"]
                       and len(expected(sandbox, {campaign}, email=r["email"])) == 1))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # cam_1001, the first campaign
        await settle(pilot)
        assert isinstance(app.screen, CampaignScreen) and app.screen.campaign_id == campaign
        await find(pilot, app, value)
        await assert_on_session(pilot, app, rec["session"])
        assert app.screen.crumbs[-2] != campaign  # the campaign's own crumb is not repeated
    scoped = [r for r in sandbox.requests if r.operation == "campaign.session_search"]
    assert scoped and scoped[-1].body["campaign"] == campaign
    assert scoped[-1].body["email"] == value


async def test_open_find_with_text_searches_at_once(app, sandbox):
    rec = stored(sandbox, "cam_1001")[2]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_find(app, rec["session_url"])
        await settle(pilot)
        await assert_on_session(pilot, app, rec["session"])


async def test_find_works_from_the_session_pane_too(app, sandbox):
    first, second = stored(sandbox, "cam_1002")[:2]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await find(pilot, app, first["session"])
        await assert_on_session(pilot, app, first["session"])
        await find(pilot, app, second["session"][:6])
        await assert_on_session(pilot, app, second["session"])
        # Found from a session of the same campaign: the campaign is named once.
        assert app.screen.crumbs == ("Account", "cam_1002", second["session"][:6])


async def test_a_failing_search_is_shown_in_the_prompt(app, sandbox):
    sandbox.faults.add("status", operation="session.search", status=500, times=10)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, app, "anna@example.com")
        prompt = app.screen
        assert isinstance(prompt, FindScreen)
        result = prompt.query_one("#find-result")
        assert result.has_class("-error") and str(result.render()).strip()


@pytest.mark.big_campaign
async def test_the_big_campaigns_sessions_are_found_by_code(app, sandbox):
    code = sandbox.state.sessions.big.code(4321)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await find(pilot, app, code[:6])
        await assert_on_session(pilot, app, code)
        assert BIG_CAMPAIGN in app.screen.crumbs


async def test_escape_from_the_list_returns_to_the_prompt_then_closes(app, sandbox):
    campaigns = main_campaigns(sandbox)
    email = next(r["email"] for r in stored(sandbox)
                 if r["email"] and len(expected(sandbox, campaigns, email=r["email"])) > 1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, app, email)
        prompt = app.screen
        assert app.focused is prompt.matches_grid
        await pilot.press("escape")
        assert app.screen is prompt and app.focused is prompt.query_one("#find-input")
        await pilot.pause()
        assert not prompt.matches_grid.display
        # The prompt no longer offers a list that is not there.
        said = str(prompt.query_one("#find-result").render())
        assert "Choose one with Enter" not in said and "↓ shows them again" in said
        await pilot.press("down")  # and back to the list
        await pilot.pause()
        assert prompt.matches_grid.display and app.focused is prompt.matches_grid
        assert "Choose one with Enter" in str(prompt.query_one("#find-result").render())
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)


# -- pasting text that holds terminal controls ---------------------------------------------------


async def paste_into_find(pilot, app, text: str) -> Input:
    from textual import events

    await pilot.press("f")
    await pilot.pause()
    assert isinstance(app.screen, FindScreen)
    field = app.screen.query_one("#find-input", Input)
    field.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.pause()
    return field


async def test_a_paste_with_an_escape_sequence_is_cleaned_in_place_and_says_so(app, sandbox):
    code, rec = unique_value(sandbox, "customvalcode")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        field = await paste_into_find(pilot, app, f"{code[:3]}\x1b[31m{code[3:]}\x1b[0m")
        assert field.value == code  # in order, nothing but the sequences gone
        shown = screen_text(app)
        assert "removed from the paste: escape sequence ␛[31m, escape sequence ␛[0m" in shown
        await pilot.press("enter")
        await assert_on_session(pilot, app, rec["session"])
    searches = [r.body for r in sandbox.requests if r.operation == "session.search"]
    assert {"customvalcode": code} in searches


@pytest.mark.parametrize("pasted, kept, removed", [
    ("abc \x1bX def", "abc  def", "escape sequence ␛X"),
    ("ab\u202ecd", "abcd", "U+202E RIGHT-TO-LEFT OVERRIDE"),
])
async def test_a_paste_is_never_reordered_and_the_prompt_names_what_went(app, sandbox, pasted,
                                                                        kept, removed):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        field = await paste_into_find(pilot, app, pasted)
        assert field.value == kept
        assert field.cursor_position == len(kept)
        assert f"removed from the paste: {removed}" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
    sent = [r.body for r in sandbox.requests if r.operation == "session.search"]
    assert sent and all(" ".join(kept.split()) in str(body) for body in sent)
    assert not any("\x1b" in str(body) or "\u202e" in str(body) for body in sent)


async def test_o_opens_the_campaign_of_a_session_found_from_home(app, sandbox):
    code = sandbox.state.sessions.order["cam_1001"][0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await find(pilot, app, code)
        await assert_on_session(pilot, app, code)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, CampaignScreen) and app.screen.campaign_id == "cam_1001"
        assert app.screen.crumbs[-1] == "cam_1001"


async def test_escape_from_a_found_session_goes_to_its_campaign_on_its_row(app, sandbox):
    code = sandbox.state.sessions.order["cam_1001"][3]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await find(pilot, app, code)
        await assert_on_session(pilot, app, code)
        assert app.screen.crumbs == ("Account", "cam_1001", code[:6])
        await pilot.press("escape")
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, CampaignScreen) and pane.campaign_id == "cam_1001"
        assert pane.crumbs == ("Account", "cam_1001")
        assert pane.grid.cursor_row_key == code  # the customer's row, not the first
        assert "Account › cam_1001" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_escape_from_a_session_found_everywhere_keeps_its_subaccount(app, sandbox):
    code = sandbox.state.sessions.order["cam_2301"][0]
    owner = sandbox.state.campaigns["cam_2301"]["owner"]
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await find(pilot, app, code)
        await assert_on_session(pilot, app, code)
        found = app.screen
        await pilot.press("escape")
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, CampaignScreen) and pane.campaign_id == "cam_2301"
        assert pane.crumbs == ("Account", owner, "cam_2301")
        assert pane.client is found.client  # the merchant's credentials, as the session's
        assert pane.grid.cursor_row_key == code


async def test_escape_from_a_session_opened_in_its_campaign_just_goes_back(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CampaignScreen(app.client, "cam_1001", ("Account", "cam_1001")))
        await settle(pilot)
        campaign = app.screen
        code = str(campaign.grid.cursor_row_key)
        await pilot.press("enter")
        await assert_on_session(pilot, app, code)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is campaign  # the same pane, not a second one
