"""Regenerate `screenshots/*.svg` from the in-process sandbox.

    python -m ctconsole.ui.screenshots [OUTPUT_DIR]

Each shot starts a fresh app on a fresh sandbox, walks to a pane with the
keys a user would press, waits for every fetch to finish and saves an SVG.
"Now", every `fetched_at` and the local zone are frozen, and the sandbox's
data is seeded, so the files only change when the UI does. The snapshot
tests reuse `SHOTS`, `frozen_app` and `settle` so they photograph exactly
what the README shows.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Awaitable, Callable

from textual.pilot import Pilot

from ctconsole.ui.app import CtConsoleApp

#: A few minutes after the sandbox's own fixed "now" (2026-11-20 12:00 UTC).
FROZEN_NOW = datetime(2026, 11, 20, 12, 3, 4, tzinfo=timezone.utc)
#: A fixed-offset zone, so "local time" columns do not depend on the machine.
FROZEN_LOCAL = timezone(timedelta(hours=1), "CET")


def frozen_app(**sandbox_kwargs: object) -> CtConsoleApp:
    """An app over a fresh sandbox with time frozen (for shots and snapshots)."""
    # Imported here: building the sandbox transport needs httpx, which the
    # UI package itself never imports.
    from ctconsole.demo import FrozenClock, demo_client

    client = FrozenClock(demo_client(**sandbox_kwargs), FROZEN_NOW)
    return CtConsoleApp(client, profile_name="demo", clock=client.clock,  # type: ignore[arg-type]
                        local_tz=FROZEN_LOCAL, theme="textual-dark")


async def settle(pilot: Pilot, timeout: float = 30.0) -> None:
    """Wait until no worker is running and the resulting messages are handled.

    A finished fetch posts a message whose handler may start another worker
    (the sessions stream after a pane opens), so this loops until quiet.
    """
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            return
    raise TimeoutError("the app did not settle")


async def _press(pilot: Pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def to_home(pilot: Pilot) -> None:
    await settle(pilot)


async def to_campaign_sessions(pilot: Pilot) -> None:
    """Home → main account's campaigns → cam_1003 (the big one)."""
    await settle(pilot)
    await _press(pilot, "c", "down", "down", "enter")


async def to_session_timeline(pilot: Pilot) -> None:
    """… → cam_1003 → its first session's detail."""
    await to_campaign_sessions(pilot)
    await _press(pilot, "enter")


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    steps: Callable[[Pilot], Awaitable[None]]


SHOTS = (
    Shot("home", (120, 36), to_home),
    Shot("home-80x24", (80, 24), to_home),
    Shot("campaign-sessions", (120, 36), to_campaign_sessions),
    Shot("session-timeline", (120, 36), to_session_timeline),
)


async def take(shot: Shot, directory: Path) -> Path:
    app = frozen_app()
    async with app.run_test(size=shot.size) as pilot:
        await shot.steps(pilot)
        path = Path(app.save_screenshot(filename=f"{shot.name}.svg", path=str(directory)))
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0] if args else "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        print(asyncio.run(take(shot, directory)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
