"""`f` everywhere: the finder run in the main account and every subaccount.

Sessions of a subaccount answer only to its own credentials, so a ticket that
does not say which merchant it is about needs every account asked. This is
`finder.find_sessions` per account over `fanout.FanOut`; a `Found` event's
value is that account's `FindResult` (accounts without a match send none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .fanout import DEFAULT_CONCURRENCY, FanOut, Target, accounts
from .finder import FindResult, classify, find_sessions

if TYPE_CHECKING:
    from .client import Client


async def find_everywhere(client: "Client", text: str, *,
                          concurrency: int = DEFAULT_CONCURRENCY, **options: object) -> FanOut:
    """A ready `FanOut` (not started: iterate `events()` or await `run()`).

    Raises:
        ValueError: for empty input, before anything is sent.
        CtError: when the subaccount list cannot be read.
    """
    classify(text)
    targets = await accounts(client, concurrency=concurrency)

    async def search(target: Target) -> FindResult | None:
        result = await find_sessions(target.client, text)
        return result if result.found else None

    return FanOut(targets, search, concurrency=concurrency, **options)  # type: ignore[arg-type]
