"""A client wired to the in-process sandbox: `--demo`, screenshots, UI tests.

This is where the demo's httpx transport is built, so that `ctconsole.ui`
never imports httpx: the UI is handed a ready `Client` and cannot tell the
sandbox from the real API.

`FrozenClock` pins "now" and every answer's `fetched_at` for output that
must be byte-for-byte repeatable (the screenshots).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, AsyncIterator

import httpx

from ctconsole.api import Client, Credentials
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app

SANDBOX_BASE_URL = "http://sandbox"


def demo_client(*, cache: Any = None, **sandbox_kwargs: Any) -> Client:
    """A client of a fresh in-process sandbox, logged in as the demo account.

    `sandbox_kwargs` go to `make_sandbox_app` (e.g. a seed or a size). The
    sandbox ASGI app is reachable as `client.sandbox` for tests and tools
    that want to inspect its requests or inject faults. `cache`: a
    `ResponseCache` to read and fill (None: none).
    """
    sandbox = make_sandbox_app(**sandbox_kwargs)
    client = demo_client_for(sandbox, cache=cache)
    return client


def demo_client_for(sandbox: Any, *, cache: Any = None, **client_kwargs: Any) -> Client:
    """A client of an existing sandbox app, logged in as the demo account
    (`cache` and `client_kwargs`, e.g. ``offline``, go to `Client`)."""
    client = Client(
        Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
        base_url=SANDBOX_BASE_URL,
        transport=httpx.ASGITransport(app=sandbox),
        cache=cache,
        **client_kwargs,
    )
    client.sandbox = sandbox  # type: ignore[attr-defined]
    return client


class FrozenClock:
    """A client stand-in whose answers all claim to be fetched at `now`.

    Wraps a real `Client` (so everything else is genuine); `clock()` is the
    matching "now" to give the app.
    """

    def __init__(self, client: Client, now: datetime) -> None:
        self._client = client
        self.now = now

    def clock(self) -> datetime:
        return self.now

    def _pin(self, result: Any) -> Any:
        return dataclasses.replace(result, fetched_at=self.now)

    async def call(self, name: str, /, **params: object) -> Any:
        return self._pin(await self._client.call(name, **params))

    async def pages(self, name: str, /, **params: object) -> AsyncIterator[Any]:
        async for page in self._client.pages(name, **params):
            yield self._pin(page)

    def peek(self, name: str, /, **params: object) -> Any:
        result = self._client.peek(name, **params)
        return None if result is None else self._pin(result)

    async def watch(self, name: str, /, **params: object) -> AsyncIterator[Any]:
        async for result in self._client.watch(name, **params):
            yield self._pin(result)

    def for_subaccount(self, api_key: str, api_secret: str, **options: Any) -> "FrozenClock":
        return FrozenClock(self._client.for_subaccount(api_key, api_secret, **options), self.now)

    async def aclose(self) -> None:
        await self._client.aclose()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
