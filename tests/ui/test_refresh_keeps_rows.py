"""`r` never blanks a pane: while the API is asked again the rows on screen
stay usable with "refreshing…" beside their age, the answer replaces them
with the cursor still on its row, and a refresh that fails leaves them there
(offline: "offline · cached N min ago"; an API error: the error and the age of
what is shown). The sandbox hangs (a long latency) or fails on demand."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.sandbox import make_sandbox_app
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.directory import DirectoryScreen
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screens.loyalty import LoyaltyUsersScreen
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screenshots import FROZEN_LOCAL, settle

START = 1_763_640_000.0  # 2025-11-20 12:00:00 UTC
#: Longer than any test: the request is still out when the test looks.
HANG = 60.0


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def utc(self) -> datetime:
        return datetime.fromtimestamp(self.now, timezone.utc)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=300)


@pytest.fixture
def app(sandbox, tmp_path, clock):
    cache = ResponseCache(tmp_path / "responses.sqlite3", clock=clock)
    client = demo_client_for(sandbox, cache=cache, clock=clock)
    client.retry = type(client.retry)(jitter=False, sleep=_no_sleep)
    yield CtConsoleApp(client, clock=clock.utc, local_tz=FROZEN_LOCAL)
    cache.close()


async def _no_sleep(seconds: float) -> None:
    return None


def status_of(screen) -> str:
    return screen.status.render().plain


async def pause(pilot, times: int = 5) -> None:
    for _ in range(times):
        await pilot.pause(0.02)


async def cursor_to(pilot, grid, row: int) -> str:
    key = grid.model.key_at(row)
    assert grid.move_cursor_to(key)
    await pilot.pause()
    return key


async def test_home_rows_stay_usable_while_the_api_hangs(app, sandbox):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        key = await cursor_to(pilot, home.grid, 3)

        sandbox.faults.add("latency", operation="subaccount.list", seconds=HANG)
        await pilot.press("r")
        await pause(pilot)
        assert any(w.is_running and w.group == "fetch" for w in home.workers)  # still asking
        assert not home.query_one("#body").loading
        assert status_of(home) == "fetched 12:00:00 UTC · refreshing… · 5 items"
        assert len(home.grid.model) == 5 and home.grid.cursor_row_key == key
        await pilot.press("up")  # the rows are not behind a spinner: the keys work
        assert home.grid.cursor_row_key == home.grid.model.key_at(2)


async def test_the_answer_replaces_the_rows_with_the_cursor_on_its_row(app, sandbox, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        pane = app.screen
        key = await cursor_to(pilot, pane.grid, 4)
        # The API now lists the campaign the cursor is on second.
        campaigns = sandbox.state.campaigns
        listed = [c for c in pane.grid.model.view_keys() if c != key]
        order = [listed[0], key, *(c for c in campaigns if c not in (listed[0], key))]
        sandbox.state.campaigns = {c: campaigns[c] for c in order}

        clock.now += 60
        await pilot.press("r")
        await settle(pilot)
        assert status_of(pane) == "fetched 12:01:00 UTC · 6 items"
        assert pane.grid.model.key_at(1) == key  # the new answer is shown
        assert pane.grid.cursor_row_key == key  # and the cursor followed its campaign


async def test_an_unreachable_api_keeps_the_rows_marked_offline(app, sandbox, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        pane = app.screen
        key = await cursor_to(pilot, pane.grid, 2)

        clock.now += 600
        sandbox.faults.add("drop", operation="campaign.list", times=None)
        await pilot.press("r")
        await settle(pilot)
        assert status_of(pane) == "offline · cached 10 min ago · 6 items"
        assert len(pane.grid.model) == 6 and pane.grid.cursor_row_key == key
        assert not pane.error_panel.shown


async def test_an_api_error_keeps_the_holders_with_the_error(app, sandbox):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        cards = app.screen.grid
        cards.move_cursor_to("loy_3001")
        await pilot.press("enter")
        await settle(pilot)
        pane = app.screen
        assert isinstance(pane, LoyaltyUsersScreen)
        count = len(pane.grid.model)
        key = await cursor_to(pilot, pane.grid, 7)

        sandbox.faults.add("status", operation="loyalty.users", status=500, times=None)
        await pilot.press("r")
        await settle(pilot)
        assert pane.error_panel.shown
        assert status_of(pane) == ("failed — press r to retry · showing data fetched "
                                   "12:00:00 UTC")
        assert len(pane.grid.model) == count and pane.grid.cursor_row_key == key
        assert not pane.query_one("#body").loading


async def test_the_session_pane_keeps_its_details_while_refreshing(app, sandbox):
    code = sandbox.state.sessions.order["cam_1001"][0]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(SessionScreen(app.client, code, ("Account", code[:6])))
        await settle(pilot)
        pane = app.screen
        shown = str(pane.query_one("#state").render())
        assert code in shown

        sandbox.faults.add("latency", operation="session.info", seconds=HANG)
        await pilot.press("r")
        await pause(pilot)
        assert not pane.query_one("#body").loading
        assert status_of(pane) == "fetched 12:00:00 UTC · refreshing…"
        assert str(pane.query_one("#state").render()) == shown


def views_of(pane) -> str:
    return str(pane.query_one("#views").render())


async def test_campaign_sessions_stay_until_the_fresh_first_page(app, sandbox):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CampaignScreen(app.client, "cam_1003", ("Account", "cam_1003")))
        await settle(pilot)
        pane = app.screen
        loaded = len(pane.grid.model)
        assert loaded == 300
        key = await cursor_to(pilot, pane.grid, 40)

        sandbox.faults.add("latency", operation="campaign.sessions", seconds=HANG)
        await pilot.press("r")
        await pause(pilot)
        assert len(pane.grid.model) == loaded and pane.grid.cursor_row_key == key
        assert "300 sessions · refreshing…" in views_of(pane)
        assert not pane.query_one("#summary-box").loading


async def test_a_failed_sessions_refresh_keeps_the_sessions(app, sandbox):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(CampaignScreen(app.client, "cam_1003", ("Account", "cam_1003")))
        await settle(pilot)
        pane = app.screen
        key = await cursor_to(pilot, pane.grid, 40)

        sandbox.faults.add("status", operation="campaign.sessions", status=500, times=None)
        await pilot.press("r")
        await settle(pilot)
        assert len(pane.grid.model) == 300 and pane.grid.cursor_row_key == key
        assert "300 sessions, as before the refresh failed (r retries)" in views_of(pane)
        assert pane.error_panel.shown


async def test_directory_users_stay_while_refreshing(app, sandbox):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(DirectoryScreen(app.client, "dir_5001", ("Account", "dir_5001")))
        await settle(pilot)
        pane = app.screen
        await pilot.press("2")
        users = pane.part_grid("users")
        count = len(users.model)
        key = await cursor_to(pilot, users, 5)

        sandbox.faults.add("latency", operation="directory.users", seconds=HANG)
        await pilot.press("r")
        await pause(pilot)
        assert len(users.model) == count and users.cursor_row_key == key
        assert f"2 users: {count} · refreshing…" in views_of(pane)
        assert pane.users  # what `w` acts on is still there
