"""Faults in the TUI, over a real loopback socket (so timeouts and dropped
connections are the client's real HTTP stack's, not simulated).

For each fault the sandbox can inject, on a pane whose list was loaded (and
cached) before: `r` asks the API, the fault strikes, and then

* the app stays responsive (a key is handled while the request is pending),
* the pane says what happened in plain words (a title and a message, never
  a traceback), or, when the API could not be reached at all, that it shows
  the cached answer offline,
* the rows already on screen stay,
* and once the fault clears, `r` fetches and shows fresh data.
"""

from __future__ import annotations

import pytest

from ctconsole.api import Client, Credentials
from ctconsole.api.retry import RetryPolicy
from ctconsole.cache import ResponseCache
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from ctconsole.sandbox.server import running
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.account_lists import CampaignListScreen
from ctconsole.ui.screens.help import HelpScreen

from .conftest import FROZEN_LOCAL, settle, wait_for

#: The whole call's deadline, retries included: long enough for a loaded
#: machine to serve a healthy answer, short against the latency faults below.
TIMEOUT = 2.0


async def _no_wait(seconds: float) -> None:
    return None


def make_client(base_url: str, cache: ResponseCache | None) -> Client:
    # One retry, without sleeping, so retried faults stay quick; the timeout
    # is short so a slow answer becomes a timeout within the test.
    return Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url,
                  timeout=TIMEOUT, cache=cache,
                  retry=RetryPolicy(max_retries=1, jitter=False, sleep=_no_wait))


@pytest.fixture
def served(sandbox):
    with running(sandbox) as base_url:
        yield base_url


@pytest.fixture
def cache(tmp_path):
    c = ResponseCache(tmp_path / "responses.sqlite3")
    yield c
    c.close()


#: kind, options, what the pane must say: ("offline", None) when the cached
#: answer is served because the API could not be reached, else the error's
#: title and a phrase of its message.
FAULTS = {
    "slow (timeout)": ("latency", {"seconds": 6}, ("offline", None)),
    "dropped connection": ("drop", {}, ("offline", None)),
    "429 with Retry-After": ("rate_limit", {"retry_after": 7},
                             ("Rate limited (HTTP 429)", "Try again in 7 s.")),
    "429 without Retry-After": ("rate_limit", {}, ("Rate limited (HTTP 429)", "Try again shortly.")),
    "500": ("status", {"status": 500}, ("Server error (HTTP 500)", "The server failed")),
    "HTML 502 from a proxy": ("html", {}, ("Server error (HTTP 502)", "")),
    "malformed JSON": ("malformed_json", {}, ("Unexpected response", "")),
    "truncated body": ("truncated", {}, ("Unexpected response", "")),
    "wrong shape": ("wrong_shape", {}, ("Unexpected response", "expected shape")),
}


def pane_words(screen) -> str:
    panel = screen.error_panel
    return f"{panel.title_text}\n{panel.message_text}"


@pytest.mark.parametrize("name", list(FAULTS))
async def test_a_fault_on_refresh_keeps_the_cached_rows_and_r_recovers(name, sandbox, served, cache):
    kind, options, (title, phrase) = FAULTS[name]
    app = CtConsoleApp(make_client(served, cache), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CampaignListScreen)
        assert len(screen.grid.model) == 6

        sandbox.faults.add(kind, operation="campaign.list", times=None, **options)
        await pilot.press("r")
        await pilot.pause()
        if kind == "latency":
            # The request is pending, the rows stay marked; the app still answers keys.
            assert "refreshing" in screen.status.render().plain
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert "refreshing" in screen.status.render().plain
            assert len(screen.grid.model) == 6
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
        await wait_for(pilot, lambda: "refreshing" not in screen.status.render().plain,
                       timeout=15, what="the refresh to end")
        await settle(pilot)
        status = screen.status.render().plain
        assert len(screen.grid.model) == 6, "the rows on screen must stay"
        if title == "offline":
            assert not screen.error_panel.shown
            assert status.startswith("offline · cached"), status
        else:
            assert screen.error_panel.shown
            words = pane_words(screen)
            assert screen.error_panel.title_text == title
            assert phrase in screen.error_panel.message_text
            assert "Traceback" not in words and "Error(" not in words
            assert status.startswith("failed — press r to retry · showing data"), status
        assert app.is_running

        sandbox.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        await wait_for(pilot, lambda: screen.status.state == "ok", what="the retry")
        assert not screen.error_panel.shown
        assert screen.status.render().plain.startswith("fetched "), screen.status.render().plain
        assert len(screen.grid.model) == 6


async def test_a_slow_first_load_without_cache_times_out_in_words_and_r_retries(sandbox, served):
    app = CtConsoleApp(make_client(served, None), local_tz=FROZEN_LOCAL)
    sandbox.faults.add("latency", operation="campaign.list", times=None, seconds=6)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CampaignListScreen) and screen.status.state == "loading"
        await pilot.press("question_mark")  # answered while the request hangs
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.error_panel.shown, timeout=15, what="the timeout")
        assert screen.error_panel.title_text == "Timed out"
        assert f"within {TIMEOUT:g} s" in screen.error_panel.message_text
        assert len(screen.grid.model) == 0
        sandbox.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        await wait_for(pilot, lambda: len(screen.grid.model) == 6, what="the retry")
        assert not screen.error_panel.shown


async def test_a_failed_sessions_view_says_so_and_r_recovers(sandbox, served, cache):
    """The sessions stream has its own worker: a failing page is reported in
    the pane (the campaign's details stay) and `r` loads the view again."""
    app = CtConsoleApp(make_client(served, cache), local_tz=FROZEN_LOCAL)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # cam_1001
        await settle(pilot)
        screen = app.screen
        assert len(screen.grid.model) > 0
        sandbox.faults.add("status", operation="campaign.sessions", times=None, status=500)
        await pilot.press("3")  # the claims view: not cached yet, so it is asked for
        await settle(pilot)
        assert screen.error_panel.shown
        assert screen.error_panel.title_text == "Server error (HTTP 500)"
        assert "r retries" in screen.query_one("#views").render().plain
        assert "Welcome coffee" in screen.query_one("#summary").text
        sandbox.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        assert not screen.error_panel.shown
        expected = sum(1 for code in sandbox.state.sessions.order["cam_1001"]
                       if sandbox.session(code)["claimed"] == "1")
        assert len(screen.grid.model) == expected > 0
