"""Whose credentials a batch looks in and writes with: the main account, and
with "everywhere" each of its subaccounts (credentials from `subaccount.list`).

Sessions and loyalty users belong to one account; the API answers "not found"
for another account's objects. A row found under a subaccount is written with
that subaccount's credentials, so the plan keeps who found it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from .. import objects


class Accounts:
    """The main client and, on demand, one client per subaccount."""

    def __init__(self, client: Any, *, everywhere: bool = False) -> None:
        self.client = client
        self.everywhere = everywhere
        self._subs: dict[str, Any] | None = None
        self._lock = asyncio.Lock()

    async def subaccounts(self) -> dict[str, Any]:
        """Subaccount ID → a client with its credentials (read once; a
        subaccount whose credentials the API did not give is left out)."""
        async with self._lock:
            if self._subs is None:
                subs: dict[str, Any] = {}
                listing = (await objects.fresh(self.client, "subaccount.list")).data
                for sub in listing.subaccounts:
                    key = sub.api_key.get_secret_value() if sub.api_key is not None else ""
                    secret = sub.api_secret.get_secret_value() if sub.api_secret is not None else ""
                    if key and secret:
                        subs[str(sub.id)] = self.client.for_subaccount(key, secret)
                self._subs = subs
            return self._subs

    async def searched(self) -> list[tuple[str | None, Any]]:
        """(subaccount or None, client) in the order to look: main account first."""
        found: list[tuple[str | None, Any]] = [(None, self.client)]
        if self.everywhere:
            found += list((await self.subaccounts()).items())
        return found

    async def client_for(self, subaccount: str | None) -> Any:
        """The client carrying `subaccount`'s credentials (None: the main account).

        Raises:
            KeyError: the subaccount is not (or no longer) listed with credentials.
        """
        if subaccount is None:
            return self.client
        return (await self.subaccounts())[subaccount]
