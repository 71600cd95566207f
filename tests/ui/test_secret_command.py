"""A `client_secret_command` that hangs: the console says at once what it
waits for, Esc stops waiting and shows the cached data offline, q quits; a
secret that comes in opens home online; a failure offers the same ways on."""

from __future__ import annotations

import threading

import pytest

from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screens.secret import SecretScreen
from ctconsole.ui.screenshots import FROZEN_LOCAL, settle
from ctconsole.ui.writes.flow import why_no_writes

from .test_cached_panes import wait_for


class SlowSecret:
    """A secret command that answers when released (or never), as the CLI's
    handle on it: run() blocks in a thread, cancel() stops it."""

    describe = "running slow-pass (client_secret_command)"
    timeout = 30.0

    def __init__(self, client, failure: str | None = None) -> None:
        self.client, self.failure = client, failure
        self.release, self.cancelled = threading.Event(), threading.Event()
        self.connected: str | None = None
        self.runs = 0

    def run(self) -> str:
        self.runs += 1
        self.release.wait(20)
        if self.cancelled.is_set():
            raise RuntimeError("slow-pass was stopped")
        if self.failure:
            raise RuntimeError(self.failure)
        return "the-secret"

    def cancel(self) -> None:
        self.cancelled.set()
        self.release.set()

    def connect(self, secret: str) -> None:
        self.connected = secret
        self.client.offline = False


@pytest.fixture
async def cache(tmp_path, sandbox):
    c = ResponseCache(tmp_path / "responses.sqlite3")
    online = demo_client_for(sandbox, cache=c)
    await online.call("subaccount.list")  # yesterday's visit
    await online.aclose()
    sandbox.requests.clear()
    yield c
    c.close()


def make_app(sandbox, cache, **secret_kwargs):
    client = demo_client_for(sandbox, cache=cache, offline=True)
    pending = SlowSecret(client, **secret_kwargs)
    return CtConsoleApp(client, local_tz=FROZEN_LOCAL, pending_secret=pending), pending


def shown(screen) -> str:
    return " ".join(str(screen.query_one(f"#secret-{part}").render())
                    for part in ("title", "status", "hint"))


async def test_a_hanging_secret_command_says_so_at_once_and_esc_shows_the_cache(sandbox, cache):
    app, pending = make_app(sandbox, cache)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SecretScreen))
        await pilot.pause()  # not settle(): the command is still running
        screen = app.screen
        text = shown(screen)
        assert "Profile 'demo': getting the client secret" in text
        assert "running slow-pass (client_secret_command)… 0 s (gives up after 30 s)" in text
        assert "Esc: stop waiting and browse the cached data offline" in text
        await pilot.press("escape")
        await settle(pilot)
        assert pending.cancelled.is_set()
        assert isinstance(app.screen, HomeScreen) and app.offline
        await wait_for(pilot, lambda: "offline" in app.screen.status.render().plain)
        assert len(app.screen.query_one("DataGrid").model.view) > 0  # the cached subaccounts
        assert any("you stopped the client secret command" in n.message
                   for n in app._notifications)
        assert why_no_writes(app) == ("the console is offline (you stopped the client secret "
                                      "command): writes are disabled, nothing was sent")
    assert sandbox.requests == []  # nothing without a secret


async def test_the_secret_coming_in_opens_home_online(sandbox, cache):
    app, pending = make_app(sandbox, cache)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SecretScreen))
        pending.release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await settle(pilot)
        assert pending.connected == "the-secret" and not app.offline
        await wait_for(pilot, lambda: any(r.operation == "subaccount.list"
                                          for r in sandbox.requests))


async def test_a_failed_secret_command_offers_the_cache_or_quits_with_2(sandbox, cache):
    app, pending = make_app(sandbox, cache, failure="slow-pass exited with status 1")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SecretScreen))
        pending.release.set()
        await wait_for(pilot, lambda: app.screen.failure is not None)
        await settle(pilot)
        text = shown(app.screen)
        assert "✖ slow-pass exited with status 1" in text
        assert "Esc: browse the cached data offline (writes refused) · r: run it again · q: quit" \
            in text
        await pilot.press("r")  # run it again: it fails the same way
        await wait_for(pilot, lambda: pending.runs == 2 and app.screen.failure is not None)
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 2
    assert sandbox.requests == []


async def test_start_up_warnings_are_notifications_inside_the_console(sandbox, cache):
    warning = ("~/cfg/config.toml holds a client secret (profile 'main') but is readable by "
               "others (mode 644); run: chmod 600 ~/cfg/config.toml")
    app = CtConsoleApp(demo_client_for(sandbox, cache=cache), local_tz=FROZEN_LOCAL,
                       notices=(warning,))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        [shown] = [n for n in app._notifications if n.title == "Warning"]
        assert shown.message == warning and shown.severity == "warning"
