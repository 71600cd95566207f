"""Pilot tests: directories → one directory → its campaigns / its users (paged)."""

from __future__ import annotations

import asyncio
import threading

from ctconsole.demo import demo_client_for
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.account_lists import DirectoryListScreen
from ctconsole.ui.screens.directory import DirectoryScreen
from ctconsole.ui.screenshots import FROZEN_LOCAL, settle
from tests.ui.test_navigation import crumbs, screen_text


async def open_directory(pilot, directory_id: str) -> DirectoryScreen:
    app = pilot.app
    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(app.screen, DirectoryListScreen)
    grid = app.screen.grid
    grid.cursor = grid.model.view_keys().index(directory_id)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, DirectoryScreen)
    return app.screen


def views_text(screen: DirectoryScreen) -> str:
    return screen.query_one("#views").render().plain


async def test_directory_detail_shows_its_info_fields(app, sandbox):
    record = sandbox.state.directories["dir_5001"]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_directory(pilot, "dir_5001")
        assert crumbs(app) == "Account › Directories › dir_5001 Ghent city deals"
        summary = screen.query_one("#summary").text
        for expected in (record["name"], record["url"], record["description"],
                         f"category {record['category']}", "login required", "free",
                         f"{len(record['users'])} users", f"{len(record['campaigns'])} campaigns",
                         "1 loyalty card"):
            assert expected in summary, expected
        assert "fetched" in screen.status.render().plain


def later_users_pages_held(sandbox, release: threading.Event):
    """The sandbox as an ASGI app whose directory.users requests after the
    first wait until `release` is set: the first page is on screen, alone,
    for as long as the test looks at it."""
    asked: list[int] = []

    async def app(scope, receive, send):
        route = sandbox.routes.get(scope.get("path", ""))
        if route and route[0].name == "directory.users":
            asked.append(1)
            while len(asked) > 1 and not release.is_set():
                await asyncio.sleep(0.01)
        await sandbox(scope, receive, send)

    return app


async def test_users_arrive_page_by_page_until_every_row_is_there(sandbox):
    users = sandbox.state.directories["dir_5001"]["users"]
    assert len(users) > 200  # three pages of 100
    release = threading.Event()
    client = demo_client_for(later_users_pages_held(sandbox, release))
    app = CtConsoleApp(client, local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, DirectoryScreen)
        await pilot.press("2")
        for _ in range(500):  # the first page is on screen while the rest load
            await pilot.pause(0.02)
            if screen.users:
                break
        assert len(screen.users) == 100
        assert f"loading… 100 of {len(users)}" in views_text(screen)
        assert screen.part_grid("users").loading_progress == (100, len(users))

        release.set()
        await settle(pilot)
        assert sorted(screen.part_grid("users").model.view_keys()) == sorted(u["ID"] for u in users)
        assert screen.part_grid("users").loading_progress is None
        assert f"[2 users: {len(users)}]" in views_text(screen)
        pages = sorted(r.body.get("page", 1) for r in sandbox.requests
                       if r.operation == "directory.users")
        assert pages == [1, 2, 3]
        newest = max(users, key=lambda u: u["registration_date_utc"])
        assert newest["ID"] in screen_text(app)


async def test_blocked_users_are_marked_and_enter_opens_nothing(app, sandbox):
    users = sandbox.state.directories["dir_5002"]["users"]
    blocked = {u["ID"] for u in users if u["blocked"] == "1"}
    assert blocked
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_directory(pilot, "dir_5002")
        await pilot.press("2")
        model = screen.part_grid("users").model
        column = [c.key for c in model.columns].index("blocked")
        for user in users:
            text = model.text(model.row_of(user["ID"]), column)
            assert text == ("BLOCKED" if user["ID"] in blocked else "")


async def test_campaigns_view_opens_the_campaign_pane(app, sandbox):
    record = sandbox.state.directories["dir_5001"]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_directory(pilot, "dir_5001")
        assert "[1 campaigns: 3]" in views_text(screen)
        grid = screen.part_grid("campaigns")
        assert grid.model.view_keys() == list(record["campaigns"])
        grid.cursor = grid.model.view_keys().index("cam_1006")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CampaignScreen)
        assert app.screen.campaign_id == "cam_1006"
        assert crumbs(app) == "Account › Directories › dir_5001 Ghent city deals › cam_1006 Summer [50% off] [/]"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_enter_on_a_user_opens_nothing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_directory(pilot, "dir_5002")
        await pilot.press("2", "enter")
        await settle(pilot)
        assert app.screen is screen


async def test_directory_without_users_says_none(app, sandbox):
    sandbox.state.directories["dir_5002"]["users"].clear()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_directory(pilot, "dir_5002")
        await pilot.press("2")
        assert "2 users: none" in views_text(screen)
        assert len(screen.part_grid("users").model) == 0
        assert not screen.error_panel.shown


async def test_users_error_is_shown_and_r_retries(app, sandbox):
    sandbox.faults.add("api_error", operation="directory.users", code=507,
                       message="Directory ID not found")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_directory(pilot, "dir_5002")
        assert screen.error_panel.shown
        assert screen.error_panel.title_text.startswith("Users: ")
        assert "Directory ID not found" in screen.error_panel.message_text
        assert "failed after 0" in views_text(screen)
        # The campaigns and the details still loaded.
        assert len(screen.part_grid("campaigns").model) == 2
        await pilot.press("r")
        await settle(pilot)
        assert not screen.error_panel.shown
        assert len(screen.part_grid("users").model) == len(sandbox.state.directories["dir_5002"]["users"])


async def test_the_filter_narrows_the_list_on_show_and_follows_the_view_switch(app, sandbox):
    users = sandbox.state.directories["dir_5001"]["users"]
    wanted = users[0]["email"]
    expected = sorted(u["ID"] for u in users if u["email"] == wanted)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_directory(pilot, "dir_5001")
        await pilot.press("2", "slash", *wanted, "enter")
        await settle(pilot)
        assert sorted(screen.part_grid("users").model.view_keys()) == expected
        assert len(expected) < len(users)
        await pilot.press("1")  # the campaigns hold no such text
        assert screen.part_grid("campaigns").model.view_keys() == []
        await pilot.press("2")
        assert sorted(screen.part_grid("users").model.view_keys()) == expected
        assert screen.export_name == "dir_5001-directory-users"
