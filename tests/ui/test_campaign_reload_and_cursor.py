"""The campaign pane's sessions after `r` and after a write: `r` asks the API
for the sessions too (not only for the campaign's details), and the cursor
stays on the row the support person was on (or the write was about)."""

from __future__ import annotations

import pytest

from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screenshots import FROZEN_LOCAL
from ctconsole.writes import Journal

from .writes_support import open_campaign, press, sent, session_where


@pytest.fixture
def cache(tmp_path):
    c = ResponseCache(tmp_path / "responses.sqlite3")
    yield c
    c.close()


async def test_r_reloads_the_sessions_past_the_cache(sandbox, cache):
    app = CtConsoleApp(demo_client_for(sandbox, cache=cache), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot, "cam_1001")
        keys = pane.grid.model.view_keys()
        gone = keys[2]
        asked = sent(sandbox, "campaign.sessions")
        # Changed behind the console's back (another support person, the API):
        # the cached sessions are still fresh, but `r` means "ask again".
        sandbox.state.sessions.remove(gone)
        await press(pilot, "r")
        assert sent(sandbox, "campaign.sessions") > asked
        assert gone not in pane.grid.model.view_keys()
        assert len(pane.grid.model) == len(keys) - 1
        # Switching the view is not a refresh: the cache answers again.
        asked = sent(sandbox, "campaign.sessions")
        await press(pilot, "2", "1")
        assert sent(sandbox, "campaign.sessions") == asked + 1  # opens was never cached


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "journal.jsonl")


def on_screen(grid) -> bool:
    """The cursor's row is inside the grid's visible body."""
    top = round(grid.scroll_y)
    return top <= grid.cursor < top + grid._body_height


async def test_after_validating_marked_sessions_the_cursor_stays_on_its_row(
        make_app, sandbox, journal):
    app = make_app(journal=journal)
    codes = [session_where(sandbox, claimed="1", validated="0", voided="0", locked="0", skip=i)
             for i in range(2)]
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot)
        keys = pane.grid.model.view_keys()
        for code in codes:
            pane.grid.cursor = keys.index(code)
            await press(pilot, "space")
        # The support person is further down the list than the first screen.
        here = keys[30]
        pane.grid.move_cursor_to(here)
        await press(pilot, "V", "ctrl+o", "2", "enter")
        assert all(sandbox.session(c)["validated"] == "1" for c in codes)
        await press(pilot, "escape")
        assert app.screen is pane and pane.grid.marked_keys == frozenset()  # fetched again
        assert pane.grid.cursor_row_key == here
        assert on_screen(pane.grid)


async def test_after_removing_a_session_the_cursor_takes_the_next_row(make_app, sandbox, journal):
    app = make_app(journal=journal)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot)
        keys = pane.grid.model.view_keys()
        pane.grid.move_cursor_to(keys[25])
        await press(pilot, "D", "enter", "a")
        assert sandbox.session(keys[25]) is None
        await press(pilot, "escape")
        assert app.screen is pane and keys[25] not in pane.grid.model.view_keys()
        assert pane.grid.cursor_row_key == keys[26]  # where the removed one was
        assert on_screen(pane.grid)


@pytest.mark.big_campaign
async def test_r_comes_back_to_a_row_on_a_later_page(app, sandbox):
    """cam_1003 streams 12,000 sessions in three pages: the row comes with the last."""
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_campaign(app, pilot, "cam_1003")
        far = pane.grid.model.view_keys()[11000]
        assert pane.grid.move_cursor_to(far)
        await press(pilot, "r")
        assert len(pane.grid.model) == 12000
        assert pane.grid.cursor_row_key == far and on_screen(pane.grid)
