"""Fixtures for the safe-edit tests: a fresh sandbox, a client on it (in
process), a journal in the test's own data directory, and finders for real
objects in the sandbox's state."""

from __future__ import annotations

from typing import Callable

import httpx
import pytest

from ctconsole.api import Client, Credentials
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.writes import Journal, WriteContext


@pytest.fixture
def app():
    return make_sandbox_app(big_sessions=50)


@pytest.fixture
async def client(app):
    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://sandbox",
                      transport=httpx.ASGITransport(app=app)) as c:
        yield c


@pytest.fixture
def journal():
    return Journal()  # the platform data dir, which the root conftest points into tmp


@pytest.fixture
def context():
    return WriteContext(profile="demo")


def session_where(app, campaign: str = "cam_1001", *, skip: int = 0, **flags: str) -> str:
    """The code of a stored session of `campaign` whose flags equal `flags`
    ("0"/"1"), the `skip`-th such one."""
    found = [code for code in app.state.sessions.order[campaign]
             if all(app.state.sessions.records[code][k] == v for k, v in flags.items())]
    assert len(found) > skip, f"no session of {campaign} with {flags}"
    return found[skip]


def loyalty_user_where(app, card: str = "loy_3001", **fields: str) -> str:
    for uid, user in app.state.loyalty[card]["users"].items():
        if all(user[k] == v for k, v in fields.items()):
            return uid
    raise AssertionError(f"no user of {card} with {fields}")


def directory_user_where(app, directory: str = "dir_5002",
                         test: Callable[[dict], bool] = lambda u: True) -> dict:
    for user in app.state.directories[directory]["users"]:
        if test(user):
            return user
    raise AssertionError(f"no user of {directory} matches")


def sent(app, operation: str) -> int:
    """How many requests for `operation` reached the sandbox."""
    return sum(1 for r in app.requests if r.operation == operation)
