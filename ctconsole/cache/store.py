"""`ResponseCache`: the persistent store of read responses (one SQLite file).

The store keeps what the API sent, not what we made of it: the raw body
bytes, when they were fetched, and a format version. A model change therefore
never invalidates old entries, and an entry the store cannot read (another
format version, a damaged row) is simply a miss.

The store has no opinion on freshness beyond recording it: `get` returns an
entry whatever its age and says how old it is and whether a write marked it
stale; `policy.is_fresh` decides whether that is good enough. That is what
lets the client serve stale data while revalidating, or serve anything at all
when offline.

The cache must never break a read. Every SQLite failure is caught: a damaged
file is moved aside and rebuilt, anything else (locked, disk full) turns the
call into a miss or a skipped store, and each such event is recorded in
`warnings` and logged on the ``ctconsole.cache`` logger.

Threads: one `ResponseCache` belongs to the thread that opened it (sqlite3
enforces this). The client is async on one thread, and every call here is a
handful of indexed statements (microseconds), so calling it directly from the
event loop is fine. Another thread or process opens its own `ResponseCache`
on the same path; WAL mode lets them share the file.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Mapping, TypeVar

from ctconsole.cache import database
from ctconsole.cache.entry import CacheEntry, CacheStats
from ctconsole.cache.location import database_path
from ctconsole.cache.keys import canonical_json, canonical_params, check_account, params_match
from ctconsole.redaction import UnstorableBody, redact_body

log = logging.getLogger("ctconsole.cache")

#: Version of what an entry holds (raw body + metadata). Entries written with
#: another version are misses.
FORMAT_VERSION = 1
#: Eviction goes down to this fraction of `max_bytes`, so that a full cache
#: does not evict on every single store.
LOW_WATER = 0.9
#: Rough per-row bookkeeping cost counted into an entry's size.
ROW_OVERHEAD = 64
_MAX_WARNINGS = 50

T = TypeVar("T")


def _epoch(value: datetime | float | None, now: float) -> float:
    if value is None:
        return now
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        return value.timestamp()
    return float(value)


class ResponseCache:
    """Cached read responses for one profile and base URL.

    Args:
        path: the database file (see `location.database_path`).
        max_bytes: bound on the total size of stored entries; the least
            recently used are evicted when a store goes over it.
        clock: seconds since the epoch; injected by tests.
        busy_timeout: how long to wait for another process's write lock
            before giving up on one call (it then counts as a miss).
    """

    def __init__(
        self,
        path: Path | str,
        *,
        max_bytes: int = 200 * 2**20,
        clock: Callable[[], float] = time.time,
        busy_timeout: float = 0.25,
    ) -> None:
        self.path = Path(path)
        self.max_bytes = int(max_bytes)
        self.warnings: list[str] = []
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._conn: sqlite3.Connection | None = None
        self._open()

    @classmethod
    def for_profile(cls, profile: str, base_url: str, **kwargs: object) -> "ResponseCache":
        """The cache of `profile` talking to `base_url`, at its standard place
        under the platform cache directory (see `location.database_path`)."""
        return cls(database_path(profile, base_url), **kwargs)  # type: ignore[arg-type]

    # --- life cycle -------------------------------------------------------

    @property
    def available(self) -> bool:
        """False when the database could not be opened (calls are no-ops)."""
        return self._conn is not None

    def _warn(self, message: str) -> None:
        log.warning("%s", message)
        self.warnings.append(message)
        del self.warnings[:-_MAX_WARNINGS]

    def _open(self, *, retry: bool = True) -> None:
        try:
            self._conn = database.connect(self.path, busy_timeout=self._busy_timeout)
        except (database.BrokenDatabase, sqlite3.DatabaseError) as exc:
            broken = isinstance(exc, database.BrokenDatabase) or database.is_corruption(exc)
            if retry and broken:
                self._move_aside(str(exc))
                self._open(retry=False)
            else:
                self._warn(f"response cache disabled: cannot open {self.path}: {exc}")
        except OSError as exc:
            self._warn(f"response cache disabled: cannot open {self.path}: {exc.strerror or exc}")

    def _move_aside(self, reason: str) -> None:
        try:
            aside = database.move_aside(self.path, self._clock())
        except OSError as exc:
            self._warn(f"response cache {self.path} is damaged ({reason}) and could not be moved aside: {exc}")
            return
        self._warn(f"response cache {self.path} was damaged ({reason}); moved to {aside.name} and started afresh")

    def _recover(self, reason: str) -> None:
        self.close()
        self._move_aside(reason)
        self._open(retry=False)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def __enter__(self) -> "ResponseCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self, what: str, fn: Callable[[sqlite3.Connection], T], default: T, *, retry: bool = False) -> T:
        """Run `fn` on the connection; never let an SQLite error escape."""
        if self._conn is None:
            return default
        try:
            return fn(self._conn)
        except sqlite3.DatabaseError as exc:
            if self._conn is not None and self._conn.in_transaction:
                try:
                    self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if database.is_corruption(exc):
                self._recover(f"{what}: {exc}")
                if retry and self._conn is not None:
                    return self._run(what, fn, default)
            else:
                self._warn(f"response cache {what} skipped: {exc}")
            return default

    # --- reads ------------------------------------------------------------

    def get(
        self,
        account: str,
        operation: str,
        params: Mapping[str, object],
        *,
        max_age: float | None = None,
    ) -> CacheEntry | None:
        """The cached entry for this read, or None.

        The entry is returned whatever its age or staleness. `max_age` only
        decides how the lookup is counted: a hit when the entry is fresh
        under it (or, without it, whenever there is an entry), else a miss.
        """
        check_account(account)
        clean = canonical_params(params)
        key = f"{operation}?{canonical_json(clean)}"
        now = self._clock()

        def lookup(conn: sqlite3.Connection) -> CacheEntry | None:
            row = conn.execute(
                "SELECT e.id, e.fetched_at, e.stale, e.format, e.redacted, b.body"
                " FROM entries AS e LEFT JOIN bodies AS b ON b.id = e.id"
                " WHERE e.account = ? AND e.key = ?",
                (account, key),
            ).fetchone()
            entry, touch = None, None
            if row is not None:
                rowid, fetched, stale, fmt, redacted, body = row
                if fmt == FORMAT_VERSION and isinstance(body, bytes) and isinstance(fetched, (int, float)):
                    touch = rowid
                    entry = CacheEntry(
                        operation=operation,
                        params=clean,
                        raw=body,
                        fetched_at=datetime.fromtimestamp(fetched, timezone.utc),
                        age=max(0.0, now - fetched),
                        stale=bool(stale),
                        format_version=fmt,
                        redacted=bool(redacted),
                    )
            hit = entry is not None and (max_age is None or (not entry.stale and entry.age < max_age))
            self._book(conn, touch, now, "hits" if hit else "misses")
            return entry

        return self._run("lookup", lookup, None)

    def _book(self, conn: sqlite3.Connection, rowid: int | None, now: float, counter: str) -> None:
        """The LRU touch and the hit/miss count, in one transaction (one commit).

        Bookkeeping is best effort: if another process holds the write lock,
        the read still succeeds and this one count is lost.
        """
        try:
            with database.transaction(conn, "DEFERRED"):
                if rowid is not None:
                    conn.execute("UPDATE entries SET last_used = ? WHERE id = ?", (now, rowid))
                self._bump(conn, counter)
        except sqlite3.OperationalError as exc:
            if database.is_corruption(exc):
                raise

    @staticmethod
    def _bump(conn: sqlite3.Connection, name: str, by: int = 1) -> None:
        conn.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
            (name, by),
        )

    # --- writes -----------------------------------------------------------

    def put(
        self,
        account: str,
        operation: str,
        params: Mapping[str, object],
        raw: bytes | str,
        fetched_at: datetime | float | None = None,
    ) -> bool:
        """Store a successful read's body; return whether it was stored.

        Pass as `fetched_at` the time the request was *sent*: an invalidation
        that happened after that moment keeps the new entry marked stale (the
        response may predate the write), and a response older than the one
        already stored does not replace it. Bodies larger than `max_bytes`,
        and bodies naming a credential field that are not JSON, are not stored.
        """
        check_account(account)
        clean = canonical_params(params)
        params_json = canonical_json(clean)
        key = f"{operation}?{params_json}"
        body = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
        try:
            body, redacted = redact_body(body, operation)
        except UnstorableBody as exc:
            self._warn(f"response cache: {operation} not stored: {exc}")
            return False
        size = len(body) + len(key) + len(params_json) + ROW_OVERHEAD
        if size > self.max_bytes:
            return False
        now = self._clock()
        fetched = _epoch(fetched_at, now)

        def store(conn: sqlite3.Connection) -> bool:
            with database.transaction(conn):
                row = conn.execute(
                    "SELECT id, fetched_at, format, invalidated_at FROM entries WHERE account = ? AND key = ?",
                    (account, key),
                ).fetchone()
                if row is None:
                    entry_id = conn.execute(
                        "INSERT INTO entries (account, key, operation, params, fetched_at, last_used,"
                        " size, format, redacted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (account, key, operation, params_json, fetched, now, size, FORMAT_VERSION, int(redacted)),
                    ).lastrowid
                else:
                    entry_id, old_fetched, old_format, invalidated_at = row
                    if old_format == FORMAT_VERSION and fetched < old_fetched:
                        return False  # a newer answer is already stored
                    conn.execute(
                        "UPDATE entries SET params = ?, fetched_at = ?, last_used = ?, stale = ?,"
                        " size = ?, format = ?, redacted = ? WHERE id = ?",
                        (params_json, fetched, now, int(invalidated_at > fetched), size, FORMAT_VERSION,
                         int(redacted), entry_id),
                    )
                conn.execute("INSERT OR REPLACE INTO bodies (id, body) VALUES (?, ?)", (entry_id, body))
                evicted = self._evict(conn, self.max_bytes, keep=entry_id)
            if evicted:
                conn.execute("PRAGMA incremental_vacuum").fetchall()  # give pages back to the disk
            return True

        return self._run("store", store, False, retry=True)

    def discard(self, account: str, operation: str, params: Mapping[str, object]) -> bool:
        """Drop one entry, e.g. one whose body no longer parses as a model."""
        check_account(account)
        key = f"{operation}?{canonical_json(canonical_params(params))}"
        return self._run(
            "discard",
            lambda c: c.execute("DELETE FROM entries WHERE account = ? AND key = ?", (account, key)).rowcount > 0,
            False,
        )

    def invalidate(
        self,
        operation: str,
        match: Mapping[str, object] | None = None,
        *,
        account: str | None = None,
    ) -> int:
        """Mark cached reads of `operation` stale; return how many.

        With `match`, only entries whose parameters agree with it (see
        `keys.params_match`: list values mean any-of, session codes match by
        short-code prefix, an entry missing the parameter is included). By
        default every account's entries are considered: a write through a
        subaccount can change what the main account sees, and a needless
        refetch is cheap.
        """
        if account is not None:
            check_account(account)
        now = self._clock()
        where = "operation = ?" + (" AND account = ?" if account else "")
        args: tuple[object, ...] = (operation, account) if account else (operation,)

        def mark(conn: sqlite3.Connection) -> int:
            if not match:
                return conn.execute(
                    f"UPDATE entries SET stale = 1, invalidated_at = ? WHERE {where}", (now, *args)
                ).rowcount
            hits = []
            for rowid, params_json in conn.execute(f"SELECT rowid, params FROM entries WHERE {where}", args):
                try:
                    params = json.loads(params_json)
                except (TypeError, ValueError):
                    params = {}  # unreadable: stale it, to be safe
                if not isinstance(params, dict) or params_match(params, match):
                    hits.append((now, rowid))
            conn.executemany("UPDATE entries SET stale = 1, invalidated_at = ? WHERE rowid = ?", hits)
            return len(hits)

        return self._run("invalidation", mark, 0)

    # --- size -------------------------------------------------------------

    def _evict(self, conn: sqlite3.Connection, limit: int, keep: int | None = None) -> int:
        total = conn.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()[0]
        if total <= limit:
            return 0
        goal = int(limit * LOW_WATER)
        victims = []
        for rowid, size in conn.execute("SELECT id, size FROM entries ORDER BY last_used, fetched_at"):
            if total <= goal:
                break
            if rowid == keep:
                continue
            victims.append((rowid,))
            total -= size
        conn.executemany("DELETE FROM entries WHERE id = ?", victims)
        self._bump(conn, "evictions", len(victims))
        return len(victims)

    def evict(self) -> int:
        """Drop least recently used entries until the total is under
        `max_bytes` (down to 90% of it); return how many were dropped."""

        def run(conn: sqlite3.Connection) -> int:
            with database.transaction(conn):
                n = self._evict(conn, self.max_bytes)
            conn.execute("PRAGMA incremental_vacuum").fetchall()
            return n

        return self._run("eviction", run, 0)

    def clear(self) -> int:
        """Remove every entry and reset the counters; return how many entries."""

        def wipe(conn: sqlite3.Connection) -> int:
            n = conn.execute("DELETE FROM entries").rowcount
            conn.execute("DELETE FROM meta")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return n

        return self._run("clear", wipe, 0)

    def stats(self) -> CacheStats:
        def read(conn: sqlite3.Connection) -> tuple[int, int, int, dict[str, float]]:
            entries, stale, data = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(stale), 0), COALESCE(SUM(size), 0) FROM entries"
            ).fetchone()
            return entries, stale, data, dict(conn.execute("SELECT name, value FROM meta"))

        entries, stale, data, meta = self._run("stats", read, (0, 0, 0, {}))
        on_disk = 0
        for p in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                on_disk += p.stat().st_size
            except OSError:
                pass
        return CacheStats(
            path=self.path,
            entries=int(entries),
            stale_entries=int(stale),
            data_bytes=int(data),
            bytes_on_disk=on_disk,
            max_bytes=self.max_bytes,
            hits=int(meta.get("hits", 0)),
            misses=int(meta.get("misses", 0)),
            evictions=int(meta.get("evictions", 0)),
        )
