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
