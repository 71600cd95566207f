"""Pilot tests: the command palette jumps to panes by name and objects by ID."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.account_lists import DirectoryListScreen, LoyaltyListScreen
from ctconsole.ui.screens.categories import CategoryListScreen, Level3CategoryListScreen
from ctconsole.ui.screens.directory import DirectoryScreen
from ctconsole.ui.screens.help import HelpScreen
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screens.palette import id_hits, session_reference
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screens.subaccount import SubaccountScreen
from ctconsole.ui.screens.journal import JournalScreen
from ctconsole.ui.screenshots import settle
from tests.ui.test_navigation import crumbs


async def run_palette(pilot, text: str, expected_prompt: str) -> None:
    """ctrl+p, type `text`, wait for the hit whose text starts with
    `expected_prompt`, choose it, and wait for the pane it opens."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(app)
    palette = app.screen
    # Typed in one go (as a paste is): one search instead of one per key.
    palette.query_one("CommandInput").value = text
    option_list = palette.query_one("CommandList")
    for _ in range(200):
        await pilot.pause(0.02)
        prompts = [str(option_list.get_option_at_index(i).hit.text)
                   for i in range(option_list.option_count)]
        if any(p.startswith(expected_prompt) for p in prompts):
            break
    else:
        raise AssertionError(f"no hit {expected_prompt!r} in {prompts}")
    option_list.highlighted = next(i for i, p in enumerate(prompts) if p.startswith(expected_prompt))
    await pilot.press("enter")
    await settle(pilot)
    assert not CommandPalette.is_open(app)


@pytest.mark.parametrize("text, prompt, screen_type, crumb", [
    ("cam_1002", "Open campaign cam_1002", CampaignScreen, "Account › cam_1002"),
    ("dir_5002", "Open directory dir_5002", DirectoryScreen, "Account › dir_5002"),
])
async def test_jump_by_id(app, sandbox, text, prompt, screen_type, crumb):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_palette(pilot, text, prompt)
        assert isinstance(app.screen, screen_type)
        assert crumbs(app) == crumb
        assert not app.screen.error_panel.shown
        assert "fetched" in app.screen.status.render().plain
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_jump_to_a_subaccount_uses_its_listed_credentials(app, sandbox):
    key, _ = sandbox.subaccount_credentials()["sub_2003"]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_palette(pilot, "sub_2003", "Open subaccount sub_2003")
        screen = app.screen
        assert isinstance(screen, SubaccountScreen)
        assert screen.sub_id == "sub_2003"
        assert "Permissions" in screen.query_one("#detail").text
        listed = [r for r in sandbox.requests if r.operation == "campaign.list"]
        assert listed[-1].headers["x-client-id"] == key
        assert screen.grid.model.view_keys() == sorted(c["ID"] for c in sandbox.state.campaigns_of("sub_2003"))


async def test_jump_to_a_session_by_full_and_short_code(app, sandbox):
    code = sandbox.state.sessions.order["cam_1001"][0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_palette(pilot, code, f"Open session {code}")
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session_code == code
        assert not app.screen.error_panel.shown
        await pilot.press("escape")
        await settle(pilot)
        await run_palette(pilot, code[:6], f"Open session {code[:6]}")
        assert isinstance(app.screen, SessionScreen)
        assert not app.screen.error_panel.shown
        request = [r for r in sandbox.requests if r.operation == "session.info"][-1]
        assert request.body["couponsession"] == code[:6]


async def test_a_wrong_id_opens_the_pane_with_the_apis_error(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await run_palette(pilot, "cam_4040", "Open campaign cam_4040")
        assert isinstance(app.screen, CampaignScreen)
        assert app.screen.error_panel.shown
        assert "Campaign ID not found" in app.screen.error_panel.message_text


async def test_jump_to_a_pane_by_name(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for text, prompt, screen_type in (
            ("loyalty", "Go to Loyalty cards", LoyaltyListScreen),
            ("directories", "Go to Directories", DirectoryListScreen),
            ("categories", "Go to Categories", CategoryListScreen),
            ("3rd", "Go to 3rd-level categories", Level3CategoryListScreen),
            ("help", "Go to Help", HelpScreen),
            ("journal", "Go to Journal", JournalScreen),
        ):
            await run_palette(pilot, text, prompt)
            assert isinstance(app.screen, screen_type), text
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)


async def test_home_goes_back_down_the_stack(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CampaignScreen)
        await run_palette(pilot, "home", "Go to Home")
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 2


def test_only_id_shapes_become_object_hits():
    assert session_reference("loyalty") is None
    assert session_reference("abcdefghijklmnopqrstu") == "abcdefghijklmnopqrstu"
    assert [h[1] for h in id_hits(None, " cam_1001 ")] == ["Open campaign cam_1001"]
    assert id_hits(None, "cam_") == []
    assert id_hits(None, "cam_1001; rm") == []
    # Letters-only six-character text is probably a pane name being typed.
    (score, _, _, _), = id_hits(None, "direct")
    assert score < 0.5
    (score, _, _, _), = id_hits(None, "ab12cd")
    assert score == 1.0
