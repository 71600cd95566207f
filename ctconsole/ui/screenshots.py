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
import itertools
import os
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator
from unittest import mock

from textual.pilot import Pilot

from ctconsole.sandbox.cases import TWO_MERCHANTS_EMAIL
from ctconsole.ui.app import CtConsoleApp
from ctconsole.writes import Journal, WriteContext, apply_write, plan_write
from ctconsole.writes import journal as journal_module
from textual.widgets import Input, TextArea

#: A few minutes after the sandbox's own fixed "now" (2026-11-20 12:00 UTC).
FROZEN_NOW = datetime(2026, 11, 20, 12, 3, 4, tzinfo=timezone.utc)
#: A fixed-offset zone, so "local time" columns do not depend on the machine.
FROZEN_LOCAL = timezone(timedelta(hours=1), "CET")


def frozen_app(**sandbox_kwargs: object) -> CtConsoleApp:
    """An app over a fresh sandbox with time frozen (for shots and snapshots)."""
    # Lazy: the sandbox transport needs httpx, which the UI package never
    # imports (the one exception in the import contracts, pyproject.toml).
    from ctconsole.demo import FrozenClock, demo_client

    client = FrozenClock(demo_client(**sandbox_kwargs), FROZEN_NOW)
    return CtConsoleApp(client, profile_name="demo", clock=client.clock,  # type: ignore[arg-type]
                        local_tz=FROZEN_LOCAL, theme="textual-dark")


async def settle(pilot: Pilot, timeout: float = 30.0) -> None:
    """Wait until no worker is running and the resulting messages are handled.

    A finished fetch posts a message whose handler may start another worker
    (the sessions stream after a pane opens), so this loops until a pause
    (every pending message handled, then the process idle) finds no worker
    running. Each pause is an idle wait, so the loop takes as few as it can.
    """
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return
        await app.workers.wait_for_complete()
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


async def to_filtered_sessions(pilot: Pilot) -> None:
    """… → cam_1003 → `/` and "validated" typed: only validated sessions."""
    await to_campaign_sessions(pilot)
    await _press(pilot, "slash", *"validated", "enter")


def shared_email(sandbox: Any) -> str:
    """The first e-mail (in the sandbox's own order) that several of the main
    account's sessions were claimed with: a find that lists matches."""
    state = sandbox.state
    mine = {cid for cid, c in state.campaigns.items() if c["owner"] == "main"}
    counts = Counter(r["email"].lower() for r in state.sessions.records.values()
                     if r["email"] and r["campaign"] in mine)
    return next(email for email, n in counts.items() if n > 1)


async def to_find_matches(pilot: Pilot) -> None:
    """Home → `f` → an e-mail pasted that several sessions share."""
    await settle(pilot)
    await _press(pilot, "f")
    pilot.app.screen.query_one("#find-input").value = shared_email(pilot.app.client.sandbox)
    await _press(pilot, "enter")


def claimed_not_validated(sandbox: Any, campaign: str = "cam_1001", skip: int = 0) -> str:
    """A session of `campaign` that can be validated (claimed, not yet
    validated, voided or locked)."""
    records = sandbox.state.sessions.records
    return [code for code in sandbox.state.sessions.order[campaign]
            if records[code]["claimed"] == "1" and records[code]["validated"] == "0"
            and records[code]["voided"] == "0" and records[code]["locked"] == "0"][skip]


async def to_validate_preview(pilot: Pilot) -> None:
    """… → cam_1001 → a claimed session → `V`, a reason, Ctrl+O: the preview
    with the change and the exact request, before anything is sent."""
    await settle(pilot)
    await _press(pilot, "c")
    app = pilot.app
    grid = app.screen.grid
    grid.cursor = grid.model.view_keys().index("cam_1001")
    await _press(pilot, "enter")
    grid = app.screen.grid
    grid.cursor = grid.model.view_keys().index(claimed_not_validated(app.client.sandbox))
    await _press(pilot, "enter", "V")
    app.screen.query_one("#reason").value = "TICKET-42"
    await _press(pilot, "ctrl+o")


@contextmanager
def frozen_journal(directory: Path) -> Iterator[Journal]:
    """A write journal in `directory` whose times and entry ids are frozen.

    The journal pane shows the file's path, so the file is named relative
    to `directory` (the working directory meanwhile: "journal.jsonl", no
    machine's temp path in the picture). Entries are stamped two seconds
    apart from `FROZEN_NOW`, with counted ids instead of random ones.
    """
    ticks = itertools.count()
    serials = itertools.count(0xA1B2C3)

    def now() -> datetime:
        return FROZEN_NOW + timedelta(seconds=2 * next(ticks))

    def entry_id(moment: datetime | None = None) -> str:
        return f"{(moment or now()):%Y%m%d-%H%M%S}-{next(serials):06x}"

    previous = os.getcwd()
    os.chdir(directory)
    try:
        with mock.patch.object(journal_module, "_now", now), \
                mock.patch.object(journal_module, "new_entry_id", entry_id):
            yield journal_module.Journal("journal.jsonl")
    finally:
        os.chdir(previous)


async def write_journal_entries(app: CtConsoleApp) -> None:
    """Three writes through `ctconsole.writes` into the app's journal, as a
    support person on "helpdesk" makes them: a session validated, loyalty
    stamps added, and a void the API refused."""
    client = app.client
    sandbox = client.sandbox  # type: ignore[attr-defined]
    context = WriteContext(profile="demo", user="support", host="helpdesk")
    writes = [
        ("session.update", {"couponsession": claimed_not_validated(sandbox), "validated": True},
         "TICKET-42"),
        ("loyalty.user_update", {"loyaltycard": "loy_3001", "user": "lus_30010", "stamps": 3},
         "TICKET-43"),
        ("session.update", {"couponsession": claimed_not_validated(sandbox, skip=1),
                            "voided": True}, "TICKET-44"),
    ]
    for number, (operation, params, reason) in enumerate(writes):
        if number == 2:
            sandbox.faults.add("api_error", operation=operation, code=300,
                               message="Coupon session is locked")
        plan = await plan_write(client, operation, params, reason=reason, now=FROZEN_NOW)
        await apply_write(client, plan, journal=app.journal, context=context)  # type: ignore[arg-type]


async def to_journal(pilot: Pilot) -> None:
    """Three writes made, then `J`: the journal pane."""
    await settle(pilot)
    await write_journal_entries(pilot.app)
    await _press(pilot, "J")


def batch_paste(sandbox: Any) -> str:
    """A support ticket's list: codes with commas, a link, a short code
    (a duplicate), one already validated, an address nobody used."""
    records = sandbox.state.sessions.records
    order = sandbox.state.sessions.order["cam_1001"]
    fresh = [c for c in order if records[c]["claimed"] == "1" and records[c]["validated"] == "0"
             and records[c]["voided"] == "0"][:4]
    done = [c for c in order if records[c]["validated"] == "1"][:1]
    return (f"{fresh[0]}, {fresh[1]}\nhttps://digicpn.com/p/demo/{fresh[2]}\n{fresh[3]}\n"
            f"{done[0]}\n{fresh[0][:6]}\nnobody@example.org\n")


async def to_batch_preview(pilot: Pilot) -> None:
    """`B`, a pasted list resolved (ctrl+r) and previewed (`p`) as one validate."""
    app = pilot.app
    await settle(pilot)
    await _press(pilot, "B")
    app.screen.query_one("#batch-paste", TextArea).text = batch_paste(app.client.sandbox)
    app.screen.query_one("#batch-reason", Input).value = "TICKET-51"
    await _press(pilot, "ctrl+r", "p")


async def to_another_match(pilot: Pilot) -> None:
    """Home → `f` → the e-mail of a customer of two merchants (support cases on):
    the first match's pane opened at once, warning of the second."""
    await settle(pilot)
    await _press(pilot, "f")
    pilot.app.screen.query_one("#find-input").value = TWO_MERCHANTS_EMAIL
    await _press(pilot, "enter")


async def to_find_everywhere(pilot: Pilot) -> None:
    """…then Esc: the matches of every subaccount, each with its account."""
    await to_another_match(pilot)
    await _press(pilot, "escape")


def to_verdict(case: str) -> Callable[[Pilot], Awaitable[None]]:
    """Home → `f` → the session code of a support case: its pane, verdict on top."""
    async def steps(pilot: Pilot) -> None:
        await settle(pilot)
        await _press(pilot, "f")
        code = pilot.app.client.sandbox.state.cases[case]["session"]
        pilot.app.screen.query_one("#find-input").value = code
        await _press(pilot, "enter")

    steps.__name__ = f"to_verdict_{case}"
    return steps


async def to_holder_verdict(pilot: Pilot) -> None:
    """Home → `l` → the coffee stamp card → ↓ to its first voided holder: the
    holder's verdict above the table."""
    await settle(pilot)
    await _press(pilot, "l")
    grid = pilot.app.screen.grid
    grid.cursor = grid.model.view_keys().index("loy_3001")
    await _press(pilot, "enter")
    users = pilot.app.client.sandbox.state.loyalty["loy_3001"]["users"]
    voided = next(uid for uid, u in users.items() if u["voided"] == "1")
    grid = pilot.app.screen.grid
    await _press(pilot, *["down"] * (grid.model.view_keys().index(voided) - grid.cursor))


#: The sandbox of the investigation shots: with the support-case merchant.
CASES = (("cases", True), ("big_sessions", 0))


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    steps: Callable[[Pilot], Awaitable[None]]
    #: The shot writes to a journal (a frozen one in a temporary directory).
    journal: bool = False
    #: Options of the shot's sandbox (`make_sandbox_app`), as pairs.
    sandbox: tuple[tuple[str, object], ...] = ()


SHOTS = (
    Shot("home", (120, 36), to_home),
    Shot("home-80x24", (80, 24), to_home),
    Shot("campaign-sessions", (120, 36), to_campaign_sessions),
    Shot("campaign-sessions-filtered", (120, 36), to_filtered_sessions),
    Shot("session-timeline", (120, 36), to_session_timeline),
    Shot("find-matches", (120, 36), to_find_matches),
    Shot("write-preview", (120, 36), to_validate_preview),
    Shot("journal", (120, 36), to_journal, journal=True),
    Shot("batch-preview", (120, 36), to_batch_preview, journal=True),
    Shot("find-everywhere", (120, 36), to_find_everywhere, sandbox=CASES),
    Shot("session-verdict", (120, 36), to_verdict("voided"), sandbox=CASES),
    Shot("session-another-match", (80, 24), to_another_match, sandbox=CASES),
    Shot("loyalty-verdict", (80, 24), to_holder_verdict),
    Shot("session-verdict-merchant", (80, 24), to_verdict("ended"), sandbox=CASES),
)


async def _take(shot: Shot, directory: Path, journal: Journal | None) -> Path:
    app = frozen_app(**dict(shot.sandbox))
    app.journal = journal
    async with app.run_test(size=shot.size) as pilot:
        await shot.steps(pilot)
        path = Path(app.save_screenshot(filename=f"{shot.name}.svg", path=str(directory)))
    return path


async def take(shot: Shot, directory: Path) -> Path:
    directory = directory.resolve()  # a journal shot changes the working directory
    if not shot.journal:
        return await _take(shot, directory, None)
    with tempfile.TemporaryDirectory() as scratch, frozen_journal(Path(scratch)) as journal:
        return await _take(shot, directory, journal)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0] if args else "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    for shot in SHOTS:
        print(asyncio.run(take(shot, directory)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
