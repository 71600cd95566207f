"""The snapshot matrix: every pane × loaded / empty / error / cached × 80x24 and 120x36.

Each cell walks to its pane with the keys a user would press, over a seeded
sandbox with time and the local zone frozen (`ctconsole.ui.screenshots`), so
a difference is a change in the UI. The states:

* loaded - the sandbox as seeded;
* empty  - the API's real empty answer: a subaccount or campaign that has
  nothing (sub_2004, cam_2103), else the sandbox's data emptied before the
  pane asks (as a new account would answer);
* error  - the pane's operation answers with an API error envelope (never
  retried, so the cell is quick), shown in the pane with its code's message;
* cached - the pane was visited four minutes earlier by another app over the
  same response cache, and now the API cannot be reached: the pane browses
  the cache and says "offline · cached 4 min ago". A hand-moved clock shared
  by the cache, the client and the app makes the age exact.

A cell that has no meaning for its pane is skipped with the reason.
Update deliberately with
`pytest tests/ui/test_snapshot_matrix.py --snapshot-update`.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Awaitable, Callable

import pytest

from ctconsole.api.retry import RetryPolicy
from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.sandbox import make_sandbox_app
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screens.categories import Level3CategoryListScreen
from ctconsole.ui.screenshots import (FROZEN_LOCAL, FROZEN_NOW, frozen_app, frozen_journal,
                                      settle, to_journal, write_journal_entries)

#: Sessions of the big campaign (cam_1003): only its count is on screen here.
BIG = 200
SIZES = [(80, 24), (120, 36)]
STATES = ("loaded", "empty", "error", "cached")
#: How long before the cached visit the cache was filled.
CACHE_AGE = timedelta(minutes=4)

Steps = Callable[..., Awaitable[None]]


# -- walking to a pane --------------------------------------------------------

async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def choose(pilot, row_key: str) -> None:
    """Put the cursor of the pane's table on `row_key` and press Enter."""
    grid = pilot.app.screen.grid
    grid.cursor = grid.model.view_keys().index(row_key)
    await press(pilot, "enter")


async def to_home(pilot) -> None:
    await settle(pilot)


async def to_subaccount(pilot, sub: str = "sub_2001") -> None:
    await settle(pilot)
    await choose(pilot, sub)


async def to_campaigns(pilot) -> None:
    await settle(pilot)
    await press(pilot, "c")


async def to_campaign(pilot) -> None:
    await to_campaigns(pilot)
    await choose(pilot, "cam_1001")


async def to_empty_campaign(pilot) -> None:
    """cam_2103 (a subaccount's Christmas menu) has no sessions yet."""
    await to_subaccount(pilot, "sub_2001")
    await choose(pilot, "cam_2103")


def validated_session(sandbox, campaign: str = "cam_1001") -> str:
    """The first validated session of `campaign` with a custom ID: a timeline
    with every step, and facts filled in."""
    records = sandbox.state.sessions.records
    return next(code for code in sandbox.state.sessions.order[campaign]
                if records[code]["validated"] == "1" and records[code]["customid"])


async def to_session(pilot) -> None:
    await to_campaign(pilot)
    await choose(pilot, validated_session(pilot.app.client.sandbox))


async def to_loyalty_cards(pilot) -> None:
    await settle(pilot)
    await press(pilot, "l")


async def to_loyalty_users(pilot, card: str = "loy_3001") -> None:
    await to_loyalty_cards(pilot)
    await choose(pilot, card)


async def to_directories(pilot) -> None:
    await settle(pilot)
    await press(pilot, "d")


async def to_directory_users(pilot, directory: str = "dir_5001") -> None:
    await to_directories(pilot)
    await choose(pilot, directory)
    await press(pilot, "2")


async def to_categories(pilot) -> None:
    await settle(pilot)
    await press(pilot, "t")


async def to_level3(pilot) -> None:
    """The palette's "3rd-level categories" pushes this pane."""
    await settle(pilot)
    app = pilot.app
    app.push_screen(Level3CategoryListScreen(app.client, ("Account", "3rd-level categories")))
    await settle(pilot)


async def to_empty_journal(pilot) -> None:
    """No write was ever made: the journal file does not exist yet."""
    await settle(pilot)
    await press(pilot, "J")


async def to_damaged_journal(pilot) -> None:
    """Three writes, and a line cut short by a crash after them."""
    await settle(pilot)
    await write_journal_entries(pilot.app)
    with pilot.app.journal.path.open("ab") as journal:
        journal.write(b'{"v":1,"record":"begin","id":"20261120-1204')
    await press(pilot, "J")


# -- making a state -------------------------------------------------------------

Prepare = Callable[[object], None]


def nothing(sandbox) -> None:
    pass


def drop_owned(table: dict, owner: str = "main") -> None:
    for key in [k for k, v in table.items() if v["owner"] == owner]:
        del table[key]


def emptied(empty: Callable[[object], None]) -> Prepare:
    """The sandbox with `empty(state)` having removed the pane's data."""
    return lambda sandbox: empty(sandbox.state)


def failing(code: int, message: str, *operations: str) -> Prepare:
    """Each of `operations` answers an API error envelope."""
    def arm(sandbox) -> None:
        for operation in operations:
            sandbox.faults.add("api_error", operation=operation, code=code, message=message,
                               times=None)
    return arm


def users_cleared(kind: str, key: str) -> Prepare:
    return emptied(lambda state: getattr(state, kind)[key]["users"].clear())


@dataclass(frozen=True)
class State:
    """A pane in one state: the sandbox prepared before the app starts (home
    asks at once), then the keys that reach the pane."""

    steps: Steps
    prepare: Prepare = nothing


EXPIRED = (101, "Account has expired")


@dataclass(frozen=True)
class Pane:
    #: The class name of the screen the cell must end on.
    screen: str
    loaded: Steps
    #: How the pane shows nothing; a str: why that cell is skipped.
    empty: State | str
    error: State
    #: None: the pane can be shown from the cache; a str: why not.
    no_cache: str | None = None

    def state(self, name: str) -> State:
        found = {"loaded": State(self.loaded), "cached": State(self.loaded),
                 "empty": self.empty, "error": self.error}[name]
        assert isinstance(found, State)
        return found


PANES = {
    "home": Pane(
        "HomeScreen", to_home,
        State(to_home, emptied(lambda s: s.subaccounts.clear())),
        State(to_home, failing(*EXPIRED, "subaccount.list"))),
    "subaccount": Pane(
        "SubaccountScreen", to_subaccount,
        State(lambda pilot: to_subaccount(pilot, "sub_2004")),  # a new customer: no campaigns
        # Its campaigns are asked with its own credentials, which were changed.
        State(to_subaccount, failing(1000, "Invalid login credentials", "campaign.list"))),
    # Cached: the response cache keeps no API secrets, so offline the cached
    # subaccount list cannot give the pane the subaccount's credentials and
    # its (cached) campaigns are not reached; the cell pins that as it is.
    "campaigns": Pane(
        "CampaignListScreen", to_campaigns,
        State(to_campaigns, emptied(lambda s: drop_owned(s.campaigns))),
        State(to_campaigns, failing(*EXPIRED, "campaign.list"))),
    "campaign": Pane(
        "CampaignScreen", to_campaign,
        State(to_empty_campaign),
        State(to_campaign, failing(502, "Campaign ID not found", "campaign.info",
                                   "campaign.sessions"))),
    "session": Pane(
        "SessionScreen", to_session,
        "a session is one record: it exists (loaded) or is not found (error)",
        State(to_session, failing(505, "Couponsession not found.", "session.info"))),
    "loyalty-cards": Pane(
        "LoyaltyListScreen", to_loyalty_cards,
        State(to_loyalty_cards, emptied(lambda s: drop_owned(s.loyalty))),
        State(to_loyalty_cards, failing(*EXPIRED, "loyalty.list"))),
    "loyalty-users": Pane(
        "LoyaltyUsersScreen", to_loyalty_users,
        State(lambda pilot: to_loyalty_users(pilot, "loy_3003"),
              users_cleared("loyalty", "loy_3003")),
        State(to_loyalty_users, failing(511, "Loyalty card ID not found", "loyalty.users"))),
    "directories": Pane(
        "DirectoryListScreen", to_directories,
        State(to_directories, emptied(lambda s: drop_owned(s.directories))),
        State(to_directories, failing(*EXPIRED, "directory.list"))),
    "directory-users": Pane(
        "DirectoryScreen", to_directory_users,
        State(lambda pilot: to_directory_users(pilot, "dir_5002"),
              users_cleared("directories", "dir_5002")),
        State(to_directory_users, failing(507, "Directory ID not found", "directory.info",
                                          "directory.campaigns", "directory.users"))),
    "categories": Pane(
        "CategoryListScreen", to_categories,
        State(to_categories, emptied(lambda s: s.categories.clear())),
        State(to_categories, failing(*EXPIRED, "category.list"))),
    "level3": Pane(
        "Level3CategoryListScreen", to_level3,
        State(to_level3, emptied(lambda s: s.level3.clear())),
        State(to_level3, failing(*EXPIRED, "category.level3"))),
    "journal": Pane(
        "JournalScreen", to_journal, State(to_empty_journal), State(to_damaged_journal),
        no_cache="the journal is a local file, never fetched from the API"),
}


def cells():
    for pane_name, pane in PANES.items():
        for state in STATES:
            for size in SIZES:
                marks = []
                if state == "empty" and isinstance(pane.empty, str):
                    marks.append(pytest.mark.skip(reason=f"no empty state: {pane.empty}"))
                if state == "cached" and pane.no_cache:
                    marks.append(pytest.mark.skip(reason=f"no cached state: {pane.no_cache}"))
                yield pytest.param(pane_name, state, size, marks=marks,
                                   id=f"{pane_name}-{state}-{size[0]}x{size[1]}")


# -- the cached state -------------------------------------------------------------

class Clock:
    """A hand-moved clock for the cache, the client (seconds) and the app (UTC)."""

    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def utc(self) -> datetime:
        return datetime.fromtimestamp(self.now, timezone.utc)


def cached_app(sandbox, cache: ResponseCache, clock: Clock) -> CtConsoleApp:
    client = demo_client_for(sandbox, cache=cache, clock=clock, retry=RetryPolicy.never())
    return CtConsoleApp(client, profile_name="demo", clock=clock.utc,  # type: ignore[arg-type]
                        local_tz=FROZEN_LOCAL, theme="textual-dark")


async def visit(app: CtConsoleApp, steps: Steps) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await steps(pilot)
    await app.client.aclose()


@pytest.fixture(scope="module")
def warmed(tmp_path_factory):
    """`warm(pane_name)`: a directory holding a response cache filled by one
    online visit to the pane at FROZEN_NOW (made once per pane, copied by
    each cell that uses it: both sizes fetch the same)."""
    made: dict[str, Path] = {}

    def warm(pane_name: str) -> Path:
        if pane_name not in made:
            directory = tmp_path_factory.mktemp(f"cache-{pane_name}")
            clock = Clock(FROZEN_NOW)
            cache = ResponseCache(directory / "responses.sqlite3", clock=clock)
            try:
                app = cached_app(make_sandbox_app(big_sessions=BIG), cache, clock)
                asyncio.run(visit(app, PANES[pane_name].loaded))
            finally:
                cache.close()
            made[pane_name] = directory
        return made[pane_name]

    return warm


def offline_from_cache(warmed_dir: Path, tmp_path: Path) -> CtConsoleApp:
    """An app, CACHE_AGE after the warm visit, whose every request fails to
    connect, over a copy of the warmed cache."""
    directory = tmp_path / "cache"
    shutil.copytree(warmed_dir, directory)
    clock = Clock(FROZEN_NOW + CACHE_AGE)
    sandbox = make_sandbox_app(big_sessions=BIG)  # the same seed: the same data
    sandbox.faults.add("drop", times=None)
    return cached_app(sandbox, ResponseCache(directory / "responses.sqlite3", clock=clock), clock)


# -- the matrix -----------------------------------------------------------------

@pytest.mark.parametrize(("pane_name", "state", "size"), list(cells()))
def test_pane(snap_compare, warmed, tmp_path, pane_name, state, size):
    pane = PANES[pane_name]
    cell = pane.state(state)
    if state == "cached":
        app = offline_from_cache(warmed(pane_name), tmp_path)
    else:
        app = frozen_app(big_sessions=BIG)
        cell.prepare(app.client.sandbox)
    shown: list[str] = []

    async def run_before(pilot) -> None:
        await cell.steps(pilot)
        # An exception in a handler ends the app and leaves a blank screen,
        # which `--snapshot-update` would accept: make sure the pane is up.
        shown.append(type(pilot.app.screen).__name__)

    if pane_name == "journal":
        with frozen_journal(tmp_path) as journal:
            app.journal = journal
            assert snap_compare(app, terminal_size=size, run_before=run_before)
    else:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    assert shown == [pane.screen]
