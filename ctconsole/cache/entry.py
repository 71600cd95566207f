"""What the store hands back: one cached entry, and a database's statistics.

Plain data, so the client, the CLI and the UI can use them without touching
SQLite.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping


@dataclass(frozen=True)
class CacheEntry:
    """One cached response as the store found it."""

    operation: str
    params: Mapping[str, object]
    #: The body as received (credential fields blanked if `redacted`).
    raw: bytes
    fetched_at: datetime
    #: Seconds between `fetched_at` and the moment of the lookup (never < 0).
    age: float
    #: True when a write since `fetched_at` made this entry out of date.
    stale: bool
    format_version: int
    #: True when credential fields in the body were blanked before storing.
    redacted: bool

    def json(self) -> Any:
        return json.loads(self.raw)


@dataclass(frozen=True)
class CacheStats:
    """What `ctconsole cache stats` shows about one database."""

    path: Path
    entries: int
    stale_entries: int
    #: Sum of the entries' sizes: what `max_bytes` bounds.
    data_bytes: int
    #: The database file plus its WAL, as the filesystem reports them.
    bytes_on_disk: int
    max_bytes: int
    hits: int
    misses: int
    evictions: int

    @property
    def hit_rate(self) -> float | None:
        lookups = self.hits + self.misses
        return self.hits / lookups if lookups else None
