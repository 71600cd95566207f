"""The SQLite file behind the response cache: created private, checked on
open, and moved aside when it turns out to be broken.

Cached bodies hold customer data (names, e-mails, phones), so the file and
its ``-wal``/``-shm`` siblings are readable by the owner only (0600) and any
directory the cache creates is 0700. The file is created with ``os.open``
and an explicit mode before SQLite touches it; SQLite gives its ``-wal`` and
``-shm`` files the mode of the main file, and we tighten them again anyway.
The process umask is never changed (it is global to the process).

A cache is disposable, so a file that is not ours (wrong application ID or
schema version), not a database at all, or reported corrupt by SQLite is
renamed to ``<name>.corrupt-<UTC timestamp>`` and a new one is started. The
two newest moved-aside copies are kept for a bug report; older ones are
deleted, since each can be as large as the cache and holds customer data.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: PRAGMA application_id of our files: "CTC1".
APPLICATION_ID = 0x43544331
#: Bump when the table layout changes: older files are then moved aside.
SCHEMA_VERSION = 1
#: How many moved-aside copies to keep.
KEEP_CORRUPT = 2

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

ENTRY_COLUMNS = (
    "id", "account", "key", "operation", "params", "fetched_at", "last_used", "stale",
    "invalidated_at", "size", "format", "redacted",
)
BODY_COLUMNS = ("id", "body")

# Bodies live in their own table. SQLite rewrites a whole row on UPDATE, so
# with the body in `entries` every LRU touch or stale mark of a 500 kB list
# would copy 500 kB into the WAL; this way they touch a few dozen bytes.
# Deleting an entry deletes its body (trigger), so eviction, `discard` and
# `clear` only ever talk about entries.
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    key TEXT NOT NULL,
    operation TEXT NOT NULL,
    params TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    last_used REAL NOT NULL,
    stale INTEGER NOT NULL DEFAULT 0,
    invalidated_at REAL NOT NULL DEFAULT 0,
    size INTEGER NOT NULL,
    format INTEGER NOT NULL,
    redacted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account, key)
)""",
    """CREATE INDEX IF NOT EXISTS entries_operation ON entries (operation)""",
    """CREATE INDEX IF NOT EXISTS entries_last_used ON entries (last_used)""",
    """CREATE TABLE IF NOT EXISTS bodies (id INTEGER PRIMARY KEY, body BLOB NOT NULL)""",
    """CREATE TRIGGER IF NOT EXISTS entries_drop_body AFTER DELETE ON entries
    BEGIN DELETE FROM bodies WHERE id = old.id; END""",
    """CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value REAL NOT NULL)""",
)


class BrokenDatabase(Exception):
    """The file is a database, but not one of ours (or not this version)."""


def is_corruption(exc: BaseException) -> bool:
    """Whether a sqlite3 error means the file is damaged (vs. busy, full, ...)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


@contextmanager
def transaction(conn: sqlite3.Connection, mode: str = "IMMEDIATE") -> Iterator[None]:
    """One explicit transaction on an autocommit connection. IMMEDIATE (the
    default) takes the write lock up front, so a busy database fails at BEGIN
    rather than half-way through."""
    conn.execute(f"BEGIN {mode}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def ensure_private_dir(directory: Path) -> None:
    """Create missing directories with mode 0700; existing ones are left alone
    (the caller may have put the file somewhere shared, such as a temp dir)."""
    missing: list[Path] = []
    d = directory
    while not d.exists():
        missing.append(d)
        if d.parent == d:
            break
        d = d.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(d, 0o700)  # mkdir's mode is filtered by the umask


def _make_private(path: Path) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) != 0o600:
            os.chmod(path, 0o600)
    except FileNotFoundError:
        pass


def ensure_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if missing; tighten it if looser."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    _make_private(path)


def tighten_siblings(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        _make_private(path.with_name(path.name + suffix))


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    return tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))


def _initialise(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # only takes effect on a new file
    conn.execute("PRAGMA journal_mode = WAL")
    with transaction(conn):
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _check(conn: sqlite3.Connection) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = _tables(conn)
    if app_id == 0 and version == 0 and not tables:
        _initialise(conn)
        return
    if app_id != APPLICATION_ID:
        raise BrokenDatabase(f"not a ctconsole cache (application id {app_id:#x})")
    if version != SCHEMA_VERSION:
        raise BrokenDatabase(f"cache schema version {version}, expected {SCHEMA_VERSION}")
    if (
        _columns(conn, "entries") != ENTRY_COLUMNS
        or _columns(conn, "bodies") != BODY_COLUMNS
        or _columns(conn, "meta") != ("name", "value")
    ):
        raise BrokenDatabase("cache tables do not have the expected columns")


def connect(path: Path, *, busy_timeout: float) -> sqlite3.Connection:
    """Open (creating if needed) a checked cache database in autocommit mode.

    Raises:
        BrokenDatabase: the file is a database but not a usable cache.
        sqlite3.DatabaseError: SQLite could not read it (see `is_corruption`).
        OSError: the file or its directory could not be created.
    """
    ensure_private_dir(path.parent)
    ensure_private_file(path)
    conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
    try:
        _check(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA journal_size_limit = 8388608")
    except BaseException:
        conn.close()
        raise
    tighten_siblings(path)
    return conn


def _aside_copies(path: Path) -> list[Path]:
    prefix = path.name + ".corrupt-"
    return [
        p for p in path.parent.iterdir()
        if p.name.startswith(prefix) and not p.name.endswith(("-wal", "-shm"))
    ]


def move_aside(path: Path, now: float) -> Path:
    """Rename a broken database (and its WAL) out of the way; return the new name."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    _make_private(target)  # it holds customer data, whatever mode it had
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + "-wal"))
    path.with_name(path.name + "-shm").unlink(missing_ok=True)
    # Names carry the UTC time of the move, so they sort oldest first.
    copies = sorted(_aside_copies(path), key=lambda p: p.name)
    for old in copies[: max(0, len(copies) - KEEP_CORRUPT)]:
        if old == target:
            continue
        old.unlink(missing_ok=True)
        old.with_name(old.name + "-wal").unlink(missing_ok=True)
    return target
