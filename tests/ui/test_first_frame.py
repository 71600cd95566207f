"""A pane whose data is cached is whole in its first frame.

The cache-only pass runs while the pane mounts, not in a worker after its
first frame, so the first time the pane's widgets are drawn they already
show the cached answer: no loading indicator, no second frame. These tests
watch what each widget holds the first time it is drawn.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from textual.widget import Widget

from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.sandbox import BIG_CAMPAIGN
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.base import ResourceScreen
from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screenshots import FROZEN_LOCAL, settle

from .writes_support import open_campaign, press


@pytest.fixture
def cache(tmp_path):
    c = ResponseCache(tmp_path / "responses.sqlite3")
    yield c
    c.close()


@pytest.fixture
def first_drawn(monkeypatch):
    """{widget id: what it showed the first time it was drawn}, for the
    campaign pane's rows ("sessions": how many), view line and summary."""
    seen: dict[str, object] = {}
    original = Widget.render_lines

    def render_lines(self, crop):
        if self.id in ("sessions", "views", "summary") and self.id not in seen:
            if self.id == "sessions":
                seen[self.id] = len(self.model)
            else:
                seen[self.id] = str(self.render())
        return original(self, crop)

    monkeypatch.setattr(Widget, "render_lines", render_lines)
    return seen


def sessions_asked(sandbox) -> int:
    return sum(1 for r in sandbox.requests if r.operation == "campaign.sessions")


async def test_a_cached_campaign_pane_is_drawn_whole_at_once(sandbox, cache, first_drawn):
    app = CtConsoleApp(demo_client_for(sandbox, cache=cache), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_campaign(app, pilot, "cam_1001")  # fills the cache
        rows = len(app.screen.grid.model)
        await press(pilot, "escape")
        first_drawn.clear()
        asked = len(sandbox.requests)

        pane = await open_campaign(app, pilot, "cam_1001")
        assert rows > 0
        assert first_drawn["sessions"] == rows
        assert first_drawn["views"].endswith(f"  {rows} sessions · cached · just now")
        assert "Welcome coffee — free espresso" in first_drawn["summary"]
        assert len(sandbox.requests) == asked  # fresh in the cache: nothing sent
        assert pane.status.render().plain.startswith("cached")


async def test_an_uncached_pane_still_loads_in_the_background(sandbox, cache, first_drawn):
    app = CtConsoleApp(demo_client_for(sandbox, cache=cache), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(100, 30)) as pilot:
        pane = await open_campaign(app, pilot, "cam_1001")
        assert first_drawn["sessions"] == 0  # nothing cached: drawn empty, then filled
        assert first_drawn["views"].startswith("Sessions:") and "loading" in first_drawn["views"]
        assert len(pane.grid.model) > 0 and pane.sessions_state == "done"


@pytest.mark.big_campaign
async def test_a_cached_first_page_is_drawn_at_once_and_the_rest_follow(sandbox, cache,
                                                                        first_drawn):
    app = CtConsoleApp(demo_client_for(sandbox, cache=cache), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_campaign(app, pilot, BIG_CAMPAIGN)  # 12,000 sessions, three pages
        await press(pilot, "escape")
        first_drawn.clear()
        asked = sessions_asked(sandbox)

        pane = await open_campaign(app, pilot, BIG_CAMPAIGN)
        assert first_drawn["sessions"] == 5000  # page 1, from the cache
        assert "loading sessions… 5000 of 12000" in first_drawn["views"]
        keys = pane.grid.model.view_keys()
        assert len(keys) == len(set(keys)) == 12000  # pages 2-3 after it, page 1 not again
        assert sessions_asked(sandbox) == asked  # all three fresh in the cache


async def test_a_stale_cached_first_page_waits_for_the_api(sandbox, cache, first_drawn):
    """Sessions are not shown stale: a page past its freshness is asked for
    again before it is drawn (the campaign's details are shown, marked)."""
    app = CtConsoleApp(demo_client_for(sandbox, cache=cache), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_campaign(app, pilot, "cam_1001")
        await press(pilot, "escape")
        cache.invalidate("campaign.sessions")
        first_drawn.clear()
        asked = sessions_asked(sandbox)

        pane = await open_campaign(app, pilot, "cam_1001")
        assert first_drawn["sessions"] == 0
        assert sessions_asked(sandbox) == asked + 1
        assert len(pane.grid.model) > 0


class AwaitsMoreThanTheClient(ResourceScreen):
    """A pane whose `fetch()` awaits something besides `self.client.call`
    but forgot to say so (`cache_now` left True)."""

    def __init__(self, client) -> None:
        super().__init__(client, ("Account", "test"))
        self.shown: list = []

    async def fetch(self, client):
        await asyncio.sleep(0)
        return await client.call("category.list")

    def show(self, result) -> None:
        self.shown.append(result)


async def test_a_fetch_that_suspends_is_left_to_the_worker(sandbox, cache, caplog):
    app = CtConsoleApp(demo_client_for(sandbox, cache=cache), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.client.call("category.list")
        cache.invalidate("category.list")  # cached, but stale
        asked = len(sandbox.requests)
        pane = AwaitsMoreThanTheClient(app.client)
        with caplog.at_level(logging.WARNING, logger="ctconsole.ui"):
            app.push_screen(pane)
            await settle(pilot)
        assert "AwaitsMoreThanTheClient.fetch() suspended" in caplog.text
        # Both of the worker's passes: the cached answer, then the API's.
        assert [r.from_cache for r in pane.shown] == [True, False]
        assert len(sandbox.requests) == asked + 1
        assert not pane.error_panel.shown
