"""Shared pieces for the response cache tests: a clock the test moves by
hand, a fresh cache in the test's temporary directory, and an account."""

from __future__ import annotations

import pytest

from ctconsole.cache import ResponseCache, account_fingerprint

#: A realistic 21-character session code and its 6-character short form.
SESSION_LONG = "Xk3PqR7aBc9DeF1gH2iJk"
SESSION_SHORT = SESSION_LONG[:6]
OTHER_SESSION = "Zz9YxW8vUt7SrQ6pOn5Ml"

assert len(SESSION_LONG) == len(OTHER_SESSION) == 21


class FakeClock:
    """Seconds since the epoch, advanced only by the test."""

    def __init__(self, start: float = 1_760_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "cache" / "responses.sqlite3"


@pytest.fixture
def cache(db_path, clock):
    c = ResponseCache(db_path, clock=clock)
    yield c
    c.close()


@pytest.fixture
def account() -> str:
    return account_fingerprint("client-main-0001")
