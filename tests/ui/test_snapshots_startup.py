"""Snapshot tests of the console's start-up: a client_secret_command that
failed (with the ways on), and a start-up warning shown as a notification,
at 80x24 and 120x36. Update deliberately with `--snapshot-update`."""

from __future__ import annotations

import pytest

from ctconsole.ui.screenshots import frozen_app, settle

SIZES = [(80, 24), (120, 36)]


class FailedSecret:
    describe = "running pass (the profile's client_secret_command)"
    timeout = 30.0

    def run(self) -> str:
        raise RuntimeError("config.toml:4: profiles.prod.client_secret_command: pass exited "
                           "with status 1")

    def cancel(self) -> None:
        pass

    def connect(self, secret: str) -> None:
        raise AssertionError("never connected")


def failed_secret_app():
    app = frozen_app(big_sessions=0)
    app.profile_name = "prod"
    app.pending_secret = FailedSecret()
    return app


def warned_app():
    app = frozen_app(big_sessions=0)
    app.notices = ("~/.config/ctconsole/config.toml holds a client secret (profile 'prod') but "
                   "is readable by others (mode 644); run: chmod 600 "
                   "~/.config/ctconsole/config.toml, or use client_secret_env / "
                   "client_secret_command",)
    return app


async def _settled(pilot) -> None:
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("make", [failed_secret_app, warned_app],
                         ids=["secret-command-failed", "readable-config-notice"])
def test_start_up_screens(snap_compare, make, size):
    assert snap_compare(make(), terminal_size=size, run_before=_settled)
