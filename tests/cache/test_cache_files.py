"""The database file: private permissions, and recovery from damage with a
warning instead of a traceback."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat

from ctconsole.cache import ResponseCache
from ctconsole.cache.database import KEEP_CORRUPT


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def _aside(db_path):
    return sorted(p for p in db_path.parent.iterdir() if ".corrupt-" in p.name and not p.name.endswith("-wal"))


def test_file_and_wal_siblings_are_owner_only(tmp_path, account, clock):
    db = tmp_path / "new" / "nested" / "r.sqlite3"
    with ResponseCache(db, clock=clock) as c:
        c.put(account, "campaign.list", {}, b"{}")
        c.get(account, "campaign.list", {})
        for name in ("r.sqlite3", "r.sqlite3-wal", "r.sqlite3-shm"):
            assert _mode(db.with_name(name)) == 0o600, name
    assert _mode(tmp_path / "new") == 0o700
    assert _mode(tmp_path / "new" / "nested") == 0o700


def test_permissions_hold_under_a_permissive_umask(tmp_path, account, clock):
    old = os.umask(0)
    try:
        db = tmp_path / "open" / "r.sqlite3"
        with ResponseCache(db, clock=clock) as c:
            c.put(account, "campaign.list", {}, b"{}")
            assert _mode(db) == 0o600
            assert _mode(db.with_name("r.sqlite3-wal")) == 0o600
        assert _mode(db.parent) == 0o700
    finally:
        os.umask(old)


def test_an_existing_loose_file_is_tightened(db_path, clock):
    with ResponseCache(db_path, clock=clock):
        pass
    os.chmod(db_path, 0o644)
    with ResponseCache(db_path, clock=clock):
        assert _mode(db_path) == 0o600


def test_an_existing_directory_is_left_alone(tmp_path, clock):
    os.chmod(tmp_path, 0o755)
    with ResponseCache(tmp_path / "r.sqlite3", clock=clock):
        pass
    assert _mode(tmp_path) == 0o755


def _assert_recovered(c, db_path, account, caplog, original: bytes):
    assert c.available
    assert len(c.warnings) == 1
    assert "damaged" in c.warnings[0] and "started afresh" in c.warnings[0]
    assert any(r.name == "ctconsole.cache" and r.levelno == logging.WARNING for r in caplog.records)
    (aside,) = _aside(db_path)
    assert aside.read_bytes() == original
    assert _mode(aside) == 0o600
    # the rebuilt cache works
    assert c.put(account, "campaign.list", {}, b'{"ok":1}')
    assert c.get(account, "campaign.list", {}).json() == {"ok": 1}


def test_garbage_bytes_are_moved_aside_and_rebuilt(db_path, account, clock, caplog):
    db_path.parent.mkdir()
    garbage = b"this is not an SQLite file \x00\xff" * 400
    db_path.write_bytes(garbage)
    with ResponseCache(db_path, clock=clock) as c:
        _assert_recovered(c, db_path, account, caplog, garbage)


def test_a_database_with_another_schema_is_moved_aside(db_path, account, clock, caplog):
    db_path.parent.mkdir()
    with sqlite3.connect(db_path) as other:
        other.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, note TEXT)")
        other.execute("INSERT INTO entries (note) VALUES ('someone else''s data')")
    other.close()
    original = db_path.read_bytes()
    with ResponseCache(db_path, clock=clock) as c:
        _assert_recovered(c, db_path, account, caplog, original)


def test_our_database_with_an_old_schema_version_is_moved_aside(db_path, account, clock, caplog):
    with ResponseCache(db_path, clock=clock):
        pass
    with sqlite3.connect(db_path) as raw:
        raw.execute("PRAGMA user_version = 0")
    raw.close()
    original = db_path.read_bytes()
    with ResponseCache(db_path, clock=clock) as c:
        _assert_recovered(c, db_path, account, caplog, original)


def _fill(db_path, account, clock, n=150):
    with ResponseCache(db_path, clock=clock) as c:
        for i in range(n):
            body = json.dumps({"data": [{"session": f"s{i}-{j}", "email": "a@example.com"} for j in range(40)]})
            c.put(account, "campaign.sessions", {"campaign": f"cam_{i}"}, body)
    return db_path.stat().st_size


def _read_all(c, account, n=150):
    return [c.get(account, "campaign.sessions", {"campaign": f"cam_{i}"}) for i in range(n)]


def test_a_truncated_database_is_moved_aside(db_path, account, clock, caplog):
    size = _fill(db_path, account, clock)
    with open(db_path, "r+b") as f:
        f.truncate(size // 3)
    with ResponseCache(db_path, clock=clock) as c:
        _read_all(c, account)  # damage may only show when the lost pages are read
        assert len(_aside(db_path)) == 1
        assert any("damaged" in w for w in c.warnings)
        assert c.put(account, "campaign.list", {}, b"{}")
        assert c.get(account, "campaign.list", {}) is not None


def test_damage_found_mid_session_is_recovered_without_raising(db_path, account, clock, caplog):
    _fill(db_path, account, clock)
    with open(db_path, "r+b") as f:  # schema pages intact, data pages scribbled over
        f.seek(8 * 4096)
        f.write(b"\xde\xad\xbe\xef" * (20 * 4096 // 4))
    with ResponseCache(db_path, clock=clock) as c:
        assert c.warnings == []  # opening could not tell
        found = _read_all(c, account)
        assert found.count(None) >= 1
        assert len(c.warnings) == 1 and "lookup" in c.warnings[0]
        assert c.put(account, "campaign.list", {}, b'{"after":1}')
        assert c.get(account, "campaign.list", {}).json() == {"after": 1}


def test_only_the_newest_damaged_copies_are_kept(db_path, account, clock):
    db_path.parent.mkdir()
    for n in range(KEEP_CORRUPT + 2):
        db_path.write_bytes(b"garbage %d " % n * 200)
        clock.advance(60)
        ResponseCache(db_path, clock=clock).close()
    kept = _aside(db_path)
    assert len(kept) == KEEP_CORRUPT
    assert kept[-1].read_bytes().startswith(b"garbage %d " % (KEEP_CORRUPT + 1))


def test_an_unusable_location_disables_the_cache_quietly(tmp_path, account, clock):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    c = ResponseCache(blocker / "r.sqlite3", clock=clock)
    assert not c.available
    assert "disabled" in c.warnings[0]
    assert not c.put(account, "campaign.list", {}, b"{}")
    assert c.get(account, "campaign.list", {}) is None
    assert c.invalidate("campaign.list") == 0
    assert c.stats().entries == 0
    c.close()


def test_a_closed_cache_is_inert(cache, account):
    cache.put(account, "campaign.list", {}, b"{}")
    cache.close()
    assert cache.get(account, "campaign.list", {}) is None
    assert cache.put(account, "campaign.list", {}, b"{}") is False
    assert cache.invalidate("campaign.list") == 0
    assert cache.stats().entries == 0
