"""Freshness and invalidation rules, read from the catalogue.

The catalogue says how long each read stays fresh (``Operation.max_age``) and
which reads a write makes stale (``Operation.invalidates``). This module turns
those declarations into the questions the client asks:

* how old may a cached answer to this read be? (`freshness`)
* is this entry good enough to serve without asking the API? (`is_fresh`)
* which cached reads must I mark stale after this write? (`stale_targets`,
  applied by `invalidate_after_write`)
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

from ctconsole.api.catalogue import Catalogue, Operation
from ctconsole.cache.entry import CacheEntry
from ctconsole.cache.store import ResponseCache


def freshness(operation: Operation, overrides: Mapping[str, float] | None = None) -> float:
    """Seconds a cached result of `operation` stays fresh.

    `overrides` come from config: an exact operation name wins over a group
    wildcard (``"campaign.*"``), which wins over the catalogue's ``max_age``.
    Writes are never served from cache: 0.
    """
    if not operation.is_read:
        return 0.0
    overrides = overrides or {}
    group = operation.name.split(".", 1)[0] + ".*"
    for name in (operation.name, group):
        if name in overrides:
            return float(overrides[name])
    return float(operation.max_age)


def check_overrides(overrides: Mapping[str, object], catalogue: Catalogue) -> list[str]:
    """Problems with configured freshness overrides, one sentence each."""
    groups = {op.name.split(".", 1)[0] + ".*" for op in catalogue}
    problems = []
    for name, value in overrides.items():
        if name not in catalogue and name not in groups:
            problems.append(f"cache max-age for {name!r}: no such operation or group")
            continue
        if name in catalogue and not catalogue.get(name).is_read:
            problems.append(f"cache max-age for {name!r}: writes are never cached")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"cache max-age for {name!r}: must be a number of seconds")
        elif math.isnan(value) or value < 0:
            problems.append(f"cache max-age for {name!r}: must be zero or more seconds")
    return problems


def is_fresh(entry: CacheEntry, max_age: float) -> bool:
    """Whether `entry` may be served without asking the API.

    Stale-marked entries (a write touched them) are never fresh, and a
    `max_age` of 0 means "always ask".
    """
    return not entry.stale and entry.age < max_age


def _targets(write_op: Operation, write_params: Mapping[str, object]) -> Iterable[tuple[str, dict[str, object]]]:
    for inv in write_op.invalidates:
        match: dict[str, object] = {}
        for write_name, read_name in inv.match:
            value = write_params.get(write_name)
            if value is None:
                # The write does not say which one it touched: stale them all.
                match = {}
                break
            match[read_name] = value
        yield inv.operation, match


def stale_targets(write_op: Operation, write_params: Mapping[str, object]) -> list[tuple[str, dict[str, object]]]:
    """The cached reads a successful `write_op` makes stale.

    Each item is ``(read operation name, match)``, where `match` maps read
    parameters to the values the write used (empty: every entry of that read).
    """
    return list(_targets(write_op, write_params))


def invalidate_after_write(
    cache: ResponseCache, write_op: Operation, write_params: Mapping[str, object]
) -> int:
    """Mark stale everything `write_op` affects; return how many entries."""
    return sum(cache.invalidate(name, match or None) for name, match in stale_targets(write_op, write_params))
