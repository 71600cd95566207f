"""The campaigns of a batch's sessions, each read once per batch.

The guard rails warn when a row validates or claims a session whose campaign
is not running (`guards` rule campaign_not_running), as a single write does;
they need the campaign's name, status and run in the session's state
(`objects.CAMPAIGN_CONTEXT`). A batch of 10,000 sessions spans a handful of
campaigns, so each (account, campaign) is read once (`campaign.info`, through
the client that found the session: the batch's pool and its one semaphore)
and its run added to every session state of it. Rows that need a campaign
being read wait for that one read instead of sending their own.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from .. import objects


class CampaignRuns:
    """(subaccount, campaign) → `objects.read_campaign_run` ({} when it could
    not be read: the row is then guarded without it, as a single write is)."""

    def __init__(self) -> None:
        self._runs: dict[tuple[str | None, str], dict[str, object]] = {}
        self._locks: dict[tuple[str | None, str], asyncio.Lock] = {}

    async def run_of(self, client: Any, subaccount: str | None, campaign: str) -> dict[str, object]:
        key = (subaccount, campaign)
        run = self._runs.get(key)
        if run is not None:
            return run
        # A lock, not a shared task: a cancelled row (the user stops the
        # lookups) then leaves no read running behind it.
        async with self._locks.setdefault(key, asyncio.Lock()):
            if key not in self._runs:
                self._runs[key] = await objects.read_campaign_run(client, campaign)
        return self._runs[key]

    async def with_run(self, client: Any, subaccount: str | None,
                       state: dict | None) -> dict | None:
        """`state` (a session's) with its campaign's run added."""
        if not state or not state.get("campaign"):
            return state
        return {**state, **await self.run_of(client, subaccount, str(state["campaign"]))}

    async def add_to(self, client: Any, found: list[Any]) -> list[Any]:
        """Resolved sessions (`resolve.Found`) with their campaigns' runs in their states."""
        out = []
        for f in found:
            state = await self.with_run(client, f.subaccount, f.state)
            out.append(f if state is f.state else replace(f, state=state))
        return out
