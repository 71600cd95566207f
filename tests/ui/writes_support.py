"""Helpers for the write-flow UI tests (`test_writes_*.py`): open a pane on a
session with the flags wanted, read what a screen shows, count requests."""

from __future__ import annotations

from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.screenshots import settle


def session_where(sandbox, campaign: str = "cam_1001", *, skip: int = 0, **flags: str) -> str:
    """The code of the `skip`-th session of `campaign` whose flags equal `flags`."""
    found = [code for code in sandbox.state.sessions.order[campaign]
             if all(sandbox.state.sessions.records[code][k] == v for k, v in flags.items())]
    assert len(found) > skip, f"no session of {campaign} with {flags}"
    return found[skip]


def sent(sandbox, operation: str) -> int:
    """How many requests for `operation` reached the sandbox."""
    return sum(1 for r in sandbox.requests if r.operation == operation)


async def open_session(app, pilot, code: str) -> SessionScreen:
    await settle(pilot)
    app.push_screen(SessionScreen(app.client, code, ("Account", code[:6])))
    await settle(pilot)
    assert isinstance(app.screen, SessionScreen)
    return app.screen


async def open_campaign(app, pilot, campaign: str = "cam_1001") -> CampaignScreen:
    await settle(pilot)
    app.push_screen(CampaignScreen(app.client, campaign, ("Account", campaign)))
    await settle(pilot)
    assert isinstance(app.screen, CampaignScreen)
    return app.screen


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def text_of(screen, selector: str) -> str:
    """What a Static (or ErrorPanel) shows, as plain text."""
    return str(screen.query_one(selector).render())


def preview_text(screen) -> str:
    return "\n".join(text_of(screen, f"#{name}") for name in
                     ("preview-title", "refusals", "warnings", "summary", "request", "change",
                      "preview-status"))


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]
