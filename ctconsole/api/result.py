"""`Result`: what every call of the client returns, fetched or cached."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

from .catalogue import Operation


@dataclass(frozen=True)
class Result:
    """One answer: the parsed model, the raw payload, and where it came from.

    `from_cache` answers carry the time their request was originally sent
    (`fetched_at`); `stale` says they are past their freshness limit or a
    write has touched them since; `offline` says they were served because
    the client is offline or the API could not be reached; `redacted` says
    credentials in them were blanked by the cache (shown, not usable).
    """

    operation: Operation
    params: dict[str, object]
    data: Any
    raw: dict
    from_cache: bool = False
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    stale: bool = False
    offline: bool = False
    redacted: bool = False

    def __repr__(self) -> str:
        # Never the raw payload (subaccount lists carry API secrets, SSO and
        # reset answers login links) nor secret parameters (passwords):
        # reprs end up in logs, tracebacks and the repr of a WriteOutcome.
        secret = {p.name for p in self.operation.params if getattr(p, "secret", False)}
        params = {k: ("***" if k in secret else v) for k, v in self.params.items()}
        return (f"Result(operation={self.operation.name!r}, params={params!r}, data={self.data!r}, "
                f"from_cache={self.from_cache}, fetched_at={self.fetched_at!r}, "
                f"stale={self.stale}, offline={self.offline}, redacted={self.redacted})")

    @property
    def age(self) -> float:
        """Seconds since the answer was fetched from the API."""
        return max(0.0, (datetime.now(timezone.utc) - self.fetched_at).total_seconds())

    @property
    def last_page(self) -> bool:
        """This page of a paginated read ends the walk: it is short, or the
        total it states is reached (an operation without paging: always).
        `Client.pages` stops on it; a pane showing a cached first page at
        once knows from it whether more are to come."""
        paging = self.operation.paging
        if paging is None:
            return True
        if len(page_items(self, paging.items)) < paging.size:
            return True
        total = stated_total(self.raw)
        number = self.params.get(paging.param, paging.first)
        if total is None or not isinstance(number, int):
            return False
        return number >= paging.first + (total - 1) // paging.size


def page_items(result: Result, key: str) -> list:
    """The items of a page, from its raw payload (none if malformed)."""
    items = result.raw.get(key)
    return items if isinstance(items, list) else []


def stated_total(raw: Mapping[str, object]) -> int | None:
    """The total the payload states, from its one `amount_of_…` counter."""
    counts = [v for k, v in raw.items() if k.startswith("amount_of_")]
    if len(counts) != 1:
        return None
    value = counts[0]
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
