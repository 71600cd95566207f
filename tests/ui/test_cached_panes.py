"""Panes over a response cache: the cached answer first with its age, then
the fresh one; `r` asks the API whatever the cache holds; offline and
unreachable say where the data came from. Time is a hand-moved clock shared
by the cache, the client and the app, so ages and clock times are exact."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest

from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.sandbox import make_sandbox_app
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.account_lists import CampaignListScreen
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screenshots import FROZEN_LOCAL, settle

START = 1_763_640_000.0  # 2025-11-20 12:00:00 UTC


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
    return make_sandbox_app(big_sessions=100)


@pytest.fixture
def cache(tmp_path, clock):
    c = ResponseCache(tmp_path / "responses.sqlite3", clock=clock)
    yield c
    c.close()


def make_app(sandbox, cache, clock, **client_kwargs) -> CtConsoleApp:
    client = demo_client_for(sandbox, cache=cache, clock=clock, **client_kwargs)
    return CtConsoleApp(client, clock=clock.utc, local_tz=FROZEN_LOCAL)


def status_of(app) -> str:
    return app.screen.status.render().plain


def campaign_requests(sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.operation == "campaign.list")


async def open_campaigns(pilot) -> None:
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CampaignListScreen)


async def wait_for(pilot, condition, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached"
        await pilot.pause(0.01)


async def test_second_visit_shows_the_cached_list_then_the_fresh_one(sandbox, cache, clock):
    app = make_app(sandbox, cache, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_campaigns(pilot)
        assert status_of(app) == "fetched 12:00:00 UTC · 6 items"
        await pilot.press("escape")
        await settle(pilot)

        clock.now += 400  # past campaign.list's 300 s freshness
        sandbox.faults.add("latency", operation="campaign.list", seconds=0.5)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignListScreen)
                       and len(app.screen.grid.model) == 6)
        # The cached rows are usable at once, with their age, while the API
        # (slow this time) is asked.
        assert status_of(app) == "cached · 6 min ago · refreshing… · 6 items"
        assert not app.screen.query_one("#body").loading
        assert any(w.is_running and w.group == "fetch" for w in app.workers)  # still asking

        await settle(pilot)
        assert status_of(app) == "fetched 12:06:40 UTC · 6 items"
        assert campaign_requests(sandbox) == 2


async def test_a_fresh_cached_pane_sends_nothing_and_r_asks_anyway(sandbox, cache, clock):
    app = make_app(sandbox, cache, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_campaigns(pilot)
        await pilot.press("escape")
        await settle(pilot)
        clock.now += 90
        await open_campaigns(pilot)
        assert status_of(app) == "cached · 1 min ago · 6 items"
        assert campaign_requests(sandbox) == 1

        await pilot.press("r")
        await settle(pilot)
        assert status_of(app) == "fetched 12:01:30 UTC · 6 items"
        assert campaign_requests(sandbox) == 2


async def test_unreachable_api_shows_the_cached_list_marked_offline(sandbox, cache, clock):
    app = make_app(sandbox, cache, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_campaigns(pilot)
        await pilot.press("escape")
        await settle(pilot)
        clock.now += 600
        sandbox.faults.add("drop", operation="campaign.list", times=None)
        client = app.client
        client.retry = type(client.retry)(jitter=False, sleep=_no_sleep)
        await open_campaigns(pilot)
        assert status_of(app) == "offline · cached 10 min ago · 6 items"
        assert len(app.screen.grid.model) == 6
        assert not app.screen.error_panel.shown


async def _no_sleep(seconds: float) -> None:
    return None


async def test_offline_client_shows_cached_panes_and_explains_missing_ones(sandbox, cache, clock):
    online = make_app(sandbox, cache, clock)
    async with online.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_campaigns(pilot)
    clock.now += 180
    asked = len(sandbox.requests)

    offline = make_app(sandbox, cache, clock, offline=True)
    async with offline.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(offline.screen, HomeScreen)
        assert status_of(offline) == "offline · cached 3 min ago · 5 items"
        await open_campaigns(pilot)
        assert status_of(offline) == "offline · cached 3 min ago · 6 items"
        await pilot.press("r")  # nothing to refresh from: the cached answer stays
        await settle(pilot)
        assert status_of(offline) == "offline · cached 3 min ago · 6 items"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("l")  # never visited: nothing cached
        await settle(pilot)
        panel = offline.screen.error_panel
        assert panel.shown and panel.title_text == "Offline"
        assert "nothing cached for loyalty.list" in panel.message_text
        # r cannot help here; what would is said instead.
        shown = panel.render().plain
        assert "Press r to retry" not in shown and "once online" in shown
        assert status_of(offline) == "offline — nothing cached"
    assert len(sandbox.requests) == asked


async def test_home_from_cache_is_refreshed_for_the_subaccount_credentials(sandbox, cache, clock):
    app = make_app(sandbox, cache, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    lists = sum(1 for r in sandbox.requests if r.operation == "subaccount.list")
    again = make_app(sandbox, cache, clock)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # The cached list has no API secrets, so it was shown and then refetched.
        assert sum(1 for r in sandbox.requests if r.operation == "subaccount.list") == lists + 1
        assert status_of(again) == "fetched 12:00:00 UTC · 5 items"
        await pilot.press("enter")
        await settle(pilot)
        assert not again.screen.error_panel.shown  # the subaccount's campaigns loaded


def views_line(app) -> str:
    return str(app.screen.query_one("#views").render())


async def test_offline_each_sessions_view_says_how_old_it_is(sandbox, cache, clock):
    """The "all" and "validations" views are cached apart: offline they can
    disagree about a session, and each says its own age."""
    from ctconsole.ui.screens.campaign import CampaignScreen

    online = make_app(sandbox, cache, clock)
    async with online.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_campaigns(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(online.screen, CampaignScreen)
        assert "cached" not in views_line(online)  # fresh: the pane's line says when
        clock.now += 20 * 60
        await pilot.press("4")
        await settle(pilot)
        assert "cached" not in views_line(online)
    clock.now += 10 * 60
    offline = make_app(sandbox, cache, clock, offline=True)
    async with offline.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_campaigns(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "sessions · cached · 30 min ago" in views_line(offline)
        await pilot.press("4")
        await settle(pilot)
        assert "sessions · cached · 10 min ago" in views_line(offline)
        await pilot.press("1")
        await settle(pilot)
        assert "sessions · cached · 30 min ago" in views_line(offline)
