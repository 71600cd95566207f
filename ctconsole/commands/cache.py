"""``ctconsole cache path|stats|clear``: look at or empty the response cache.

The cache of a run is the active profile's on its base URL (``--demo`` counts
as a profile named ``demo`` on the sandbox's address); `context.build_cache`
builds it. These subcommands look at or empty those databases without
touching the network or needing credentials:

* ``cache path``: where the active profile's database is (or would be);
* ``cache stats``: entries, size and the hit rate this database has seen;
* ``cache clear [--profile P]``: empty every database of a profile (every
  base URL it has talked to).
"""

from __future__ import annotations

import argparse
from datetime import timezone
from typing import Any, TextIO

from ctconsole.cache import CacheStats, ResponseCache, database_path
from ctconsole.cache.location import profile_databases
from ctconsole.commands import Command
from ctconsole.config import Settings
from ctconsole.jsonout import to_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="cache_action", metavar="ACTION", required=True)
    actions.add_parser("path", help="print where the active profile's cache database is",
                       description="Print the database file of the active profile and base URL.")
    stats = actions.add_parser("stats", help="entries, size and hit rate of the cache",
                               description="Entries, size and hit rate of the active profile's "
                                           "cache database.")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    clear = actions.add_parser("clear", help="empty a profile's cache",
                               description="Empty every cache database of a profile (the active "
                                           "one unless --profile is given).")
    # SUPPRESS: without it, the sub-option's default would erase a global --profile.
    clear.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS,
                       help="the profile whose cache to empty")


def run(ctx: Any) -> int:
    """Dispatch ``cache path|stats|clear``; `ctx` is a `commands.context.Context`."""
    settings: Settings = ctx.settings()
    action = ctx.args.cache_action
    if action == "path":
        print(_database_path(settings), file=ctx.out)
    elif action == "stats":
        _stats(settings, ctx.out, as_json=ctx.args.json)
    else:
        _clear(settings, ctx.out)
    return 0


def _database_path(settings: Settings):
    return database_path(settings.profile.name, settings.profile.base_url)


def _stats(settings: Settings, out: TextIO, *, as_json: bool) -> None:
    path = _database_path(settings)
    if path.exists():
        with ResponseCache(path, max_bytes=settings.cache.max_size_mb * 2**20) as cache:
            stats = cache.stats()
    else:
        stats = None
    if as_json:
        print(to_json(_stats_document(settings, path, stats)), file=out)
        return
    lines = [f"cache of profile {settings.profile.name!r} at {settings.profile.base_url}",
             f"  file:      {path}" + ("" if stats else " (not created yet)")]
    if not settings.cache.enabled:
        lines.append("  disabled:  [cache] enabled = false in the config; nothing new is stored")
    if stats is not None:
        rate = "n/a (no lookups yet)" if stats.hit_rate is None else f"{stats.hit_rate:.0%}"
        lines += [
            f"  entries:   {stats.entries} ({stats.stale_entries} marked stale by writes)",
            f"  size:      {_size(stats.data_bytes)} of {_size(stats.max_bytes)} allowed; "
            f"{_size(stats.bytes_on_disk)} on disk",
            f"  hit rate:  {rate} ({stats.hits} hits, {stats.misses} misses)",
            f"  evictions: {stats.evictions}",
        ]
    print("\n".join(lines), file=out)


def _stats_document(settings: Settings, path, stats: CacheStats | None) -> dict[str, Any]:
    doc: dict[str, Any] = {"profile": settings.profile.name, "base_url": settings.profile.base_url,
                           "path": str(path), "exists": stats is not None,
                           "enabled": settings.cache.enabled}
    if stats is not None:
        doc.update(entries=stats.entries, stale_entries=stats.stale_entries,
                   data_bytes=stats.data_bytes, bytes_on_disk=stats.bytes_on_disk,
                   max_bytes=stats.max_bytes, hits=stats.hits, misses=stats.misses,
                   hit_rate=stats.hit_rate, evictions=stats.evictions)
    return doc


def _clear(settings: Settings, out: TextIO) -> None:
    name = settings.profile.name
    paths = profile_databases(name)
    removed = 0
    for path in paths:
        with ResponseCache(path) as cache:
            removed += cache.clear()
    where = ", ".join(str(p) for p in paths) if paths else "no database yet"
    print(f"cleared {removed} cached {'answer' if removed == 1 else 'answers'} of profile "
          f"{name!r} ({where})", file=out)


def provenance(result: Any) -> str:
    """Where a cached answer came from, for stderr (stdout stays pure JSON)."""
    when = result.fetched_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    text = f"{result.operation.name}: cached answer, fetched {when} ({result.age:.0f} s ago)"
    if result.offline:
        text += "; offline or the API could not be reached"
    elif result.stale:
        text += "; stale"
    return text


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"


COMMAND = Command("cache", "show where the response cache is, its statistics, or empty it",
                  run, add_arguments)
