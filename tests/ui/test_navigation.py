"""Pilot tests: a user browsing the sandbox account, pane by pane."""

from __future__ import annotations

import pytest

from ctconsole.sandbox import BIG_CAMPAIGN, HOSTILE_CAMPAIGN
from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.account_lists import (
    CampaignListScreen,
    DirectoryListScreen,
    LoyaltyListScreen,
)
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screens.subaccount import SubaccountScreen
from ctconsole.ui.screenshots import settle


def crumbs(app) -> str:
    return app.screen.query_one("#breadcrumbs").text


def screen_text(app) -> str:
    """What the terminal shows, as text (spaces normalised)."""
    return app.export_screenshot().replace("&#160;", " ")


async def test_home_lists_every_subaccount_with_ids_visible_at_80x24(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.grid.model.view_keys() == sorted(sandbox.state.subaccounts)
        shown = screen_text(app)
        for sub_id, record in sandbox.state.subaccounts.items():
            assert sub_id in shown
        assert crumbs(app) == "Account"
        assert "fetched" in app.screen.status.render().plain


async def test_enter_opens_subaccount_with_its_own_credentials_and_escape_goes_back(app, sandbox):
    key, secret = sandbox.subaccount_credentials()["sub_2001"]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SubaccountScreen)
        assert crumbs(app) == "Account › sub_2001 Brasserie Peeters"
        assert screen.grid.model.view_keys() == ["cam_2101", "cam_2102", "cam_2103"]
        listed = [r for r in sandbox.requests if r.operation == "campaign.list"]
        assert listed and listed[-1].headers["x-client-id"] == key
        assert listed[-1].headers["x-client-secret"] == secret

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("escape")  # home is the bottom: Escape does not leave it
        assert isinstance(app.screen, HomeScreen)


async def test_secrets_are_masked_until_revealed(app, sandbox):
    key, secret = sandbox.subaccount_credentials()["sub_2001"]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen.query_one("#detail")
        assert secret not in detail.text and key not in detail.text
        assert "api_secret" in detail.text
        assert secret not in screen_text(app)

        await pilot.press("x")
        assert secret in detail.text and key in detail.text
        await pilot.press("x")
        assert secret not in detail.text
        assert all(secret not in n.message for n in app._notifications)


async def test_home_keys_open_the_main_accounts_catalogues(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, screen_type, crumb, first in (
            ("c", CampaignListScreen, "Campaigns", "cam_1001"),
            ("l", LoyaltyListScreen, "Loyalty cards", "loy_3001"),
            ("d", DirectoryListScreen, "Directories", "dir_5001"),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            assert crumbs(app) == f"Account › {crumb}"
            assert first in app.screen.grid.model.view_keys()
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)


@pytest.mark.big_campaign
async def test_campaign_streams_every_page_of_sessions_with_progress(app, sandbox):
    # Every page is slow, so the first page is on screen while the rest load.
    sandbox.faults.add("latency", operation="campaign.sessions", times=None, seconds=0.6)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        app.screen.grid.cursor = app.screen.grid.model.view_keys().index(BIG_CAMPAIGN)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, CampaignScreen)
        for _ in range(200):
            await pilot.pause(0.02)
            if (screen.grid.loading_progress or (0,))[0]:  # a whole page is in
                break
        assert len(screen.grid.model) == 5000
        assert "loading sessions… 5000 of 12000" in screen.query_one("#views").render().plain
        assert screen.grid.loading_progress == (5000, 12000)

        await settle(pilot)
        assert len(screen.grid.model) == 12000
        assert screen.grid.loading_progress is None
        assert "12000 sessions" in screen.query_one("#views").render().plain
        pages = sorted(r.body["page"] for r in sandbox.requests if r.operation == "campaign.sessions")
        assert pages == [1, 2, 3]
        assert crumbs(app) == "Account › Campaigns › cam_1003 Black Friday 2026 — 20% off"
        assert "usage" in screen.query_one("#summary").text


async def test_campaign_view_switch_loads_the_claims_view(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")
        await settle(pilot)
        screen = app.screen
        everything = len(screen.grid.model)
        await pilot.press("3")
        await settle(pilot)
        assert screen.view == "claims"
        assert sandbox.requests[-1].path == "/v3/campaign/claims"
        states = {row["state"] for row in screen.grid.model.view_records()}
        assert states and states <= {"claimed", "validated", "voided"}
        assert 0 < len(screen.grid.model) < everything


async def test_hostile_campaign_name_is_shown_literally(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        grid = app.screen.grid
        grid.cursor = grid.model.view_keys().index(HOSTILE_CAMPAIGN)
        await pilot.press("enter")
        await settle(pilot)
        # Markup in a customer-typed name is text, not styling.
        assert crumbs(app).endswith("cam_1006 Summer [50% off] [/]")
        assert "Summer [50% off] [/]" in screen_text(app)


async def test_keymap_rebinds_a_key_by_binding_id(make_app):
    app = make_app(keymap={"home.campaigns": "k"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, CampaignListScreen)
