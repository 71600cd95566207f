"""Whose credentials a batch looks in and writes with: the main account, and
with "everywhere" each of its subaccounts (`ctconsole.api.fanout.accounts`,
as find everywhere does).

Sessions and loyalty users belong to one account; the API answers "not found"
for another account's objects. A row found under a subaccount is written with
that subaccount's credentials, so the plan keeps who found it. The batch's
clients share one semaphore of `pool` slots: a batch of 10,000 lookups keeps
that many requests in flight, whatever the console's own limit is.
"""

from __future__ import annotations

import asyncio
from typing import Any
from ctconsole.api.fanout import accounts

DEFAULT_POOL = 16
#: Connection pools the main account's lookups are spread over, at most.
POOLS = 4


class Accounts:
    """The main client and, on demand, one client per subaccount."""

    def __init__(self, client: Any, *, everywhere: bool = False, pool: int = DEFAULT_POOL) -> None:
        if pool < 1:
            raise ValueError("pool must be at least 1")
        self.client = client
        self.everywhere = everywhere
        self.pool = pool
        self._limit = asyncio.Semaphore(pool)
        creds = client.credentials
        self.main = client.for_subaccount(creds.client_id, creds.client_secret, limit=self._limit)
        #: Lookups in the main account go through a lean keep-alive pool
        #: (`Client.with_lean_pool`: the same requests for far less CPU);
        #: where it cannot be used (a proxy, a given transport), over
        #: httpx pools of their own (`Client.with_own_pool`), because one
        #: httpcore pool's CPU per request grows with its connections.
        self._mains: list[Any] = [self.main]
        lean, own = (getattr(self.main, name, None) for name in ("with_lean_pool", "with_own_pool"))
        if callable(lean) and callable(own):
            first = lean(limit=self._limit)
            if getattr(first, "is_lean", False):
                self._mains = [first]
            else:
                shards = max(2, min(POOLS, pool // 4))
                self._mains += [first] + [own(limit=self._limit) for _ in range(shards - 2)]
        self._subs: dict[str, Any] | None = None
        self._lock = asyncio.Lock()

    async def aclose(self) -> None:
        """Close the connection pools the batch opened (not the client's own)."""
        for extra in self._mains:
            if extra is not self.main:
                await extra.aclose()
        self._mains = [self.main]

    async def subaccounts(self) -> dict[str, Any]:
        """Subaccount ID → a client with its credentials (listed once; a
        subaccount whose credentials the API did not give is left out)."""
        async with self._lock:
            if self._subs is None:
                targets = await accounts(self.client, concurrency=self.pool, include_main=False)
                # Over the lookups' own pool (lean where it can be: reads only,
                # the credentials go with each request), within the batch's
                # one semaphore, with the client's retry policy.
                lookups = self._mains[0]
                self._subs = {
                    str(t.id): lookups.for_subaccount(t.client.credentials.client_id,
                                                      t.client.credentials.client_secret,
                                                      retry=getattr(self.main, "retry", None),
                                                      limit=self._limit)
                    for t in targets}
            return self._subs

    async def searched(self, shard: int = 0) -> list[tuple[str | None, Any]]:
        """(subaccount or None, client) in the order to look: main account
        first (its client picked by `shard`, e.g. the row's number)."""
        found: list[tuple[str | None, Any]] = [(None, self._mains[shard % len(self._mains)])]
        if self.everywhere:
            found += list((await self.subaccounts()).items())
        return found

    async def client_for(self, subaccount: str | None) -> Any:
        """The client carrying `subaccount`'s credentials (None: the main account).

        Raises:
            KeyError: the subaccount is not (or no longer) listed with credentials.
        """
        if subaccount is None:
            return self.main
        return (await self.subaccounts())[subaccount]
