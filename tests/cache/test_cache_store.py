"""The store: hits, misses, age and expiry, what the client needs for
stale-while-revalidate and offline reads, counters, and damaged rows."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.cache import ResponseCache, account_fingerprint, freshness, is_fresh
from tests.cache.conftest import SESSION_LONG

SESSION_BODY = json.dumps(
    {"status": {"status": "OK"}, "campaign": "cam_1003", "action": "retrieve_all_session_data",
     "session": SESSION_LONG, "data": {"status": {"claimed": "1"}, "user": {"firstname": "Ana"}}},
    separators=(",", ":"),
).encode()
PARAMS = {"couponsession": SESSION_LONG}


def test_miss_on_an_empty_cache(cache, account):
    assert cache.get(account, "session.info", PARAMS) is None
    assert cache.stats().misses == 1


def test_hit_returns_the_body_exactly_as_stored(cache, account, clock):
    assert cache.put(account, "session.info", PARAMS, SESSION_BODY)
    clock.advance(3)
    entry = cache.get(account, "session.info", PARAMS)
    assert entry is not None
    assert entry.raw == SESSION_BODY
    assert entry.json()["data"]["user"]["firstname"] == "Ana"
    assert entry.age == pytest.approx(3)
    assert entry.fetched_at == datetime.fromtimestamp(clock.now - 3, timezone.utc)
    assert entry.fetched_at.tzinfo is not None
    assert not entry.stale and not entry.redacted


def test_str_bodies_are_stored_as_utf8(cache, account):
    cache.put(account, "session.info", PARAMS, '{"name":"Zoë"}')
    assert cache.get(account, "session.info", PARAMS).raw == '{"name":"Zoë"}'.encode()


def test_other_parameters_miss(cache, account):
    cache.put(account, "session.info", PARAMS, SESSION_BODY)
    assert cache.get(account, "session.info", {"couponsession": SESSION_LONG[:6]}) is None
    assert cache.get(account, "campaign.info", {"campaign": "cam_1003"}) is None


def test_accounts_do_not_share_entries(cache, account):
    sub = account_fingerprint("subaccount-key-1536")
    cache.put(account, "campaign.list", {}, b'{"amount_of_campaigns":"3"}')
    cache.put(sub, "campaign.list", {}, b'{"amount_of_campaigns":"1"}')
    assert cache.get(account, "campaign.list", {}).json() == {"amount_of_campaigns": "3"}
    assert cache.get(sub, "campaign.list", {}).json() == {"amount_of_campaigns": "1"}
    assert cache.get(account_fingerprint("nobody"), "campaign.list", {}) is None


def test_expiry_follows_the_catalogue_max_age(cache, account, clock):
    op = CATALOGUE.get("session.info")  # fresh for 15 s
    cache.put(account, "session.info", PARAMS, SESSION_BODY)
    clock.advance(14)
    assert is_fresh(cache.get(account, "session.info", PARAMS), freshness(op))
    clock.advance(2)
    entry = cache.get(account, "session.info", PARAMS)
    assert entry is not None and not is_fresh(entry, freshness(op))
    # ... but the override from config can keep it longer.
    assert is_fresh(entry, freshness(op, {"session.info": 60}))


def test_max_age_zero_is_never_fresh(cache, account):
    cache.put(account, "auth.check", {}, b"{}")
    assert not is_fresh(cache.get(account, "auth.check", {}), 0)


def test_lookups_count_hits_only_when_fresh_enough(cache, account, clock):
    cache.put(account, "session.info", PARAMS, SESSION_BODY)
    cache.get(account, "session.info", PARAMS, max_age=15)  # hit
    clock.advance(20)
    stale = cache.get(account, "session.info", PARAMS, max_age=15)  # returned, counted a miss
    assert stale is not None and stale.age == pytest.approx(20)
    stats = cache.stats()
    assert (stats.hits, stats.misses) == (1, 1)


def test_offline_reads_get_old_entries_with_their_age(cache, account, clock):
    """Offline, the client asks without max_age: any entry is an answer."""
    cache.put(account, "category.list", {}, b'{"category":[]}')
    clock.advance(3 * 86400)
    entry = cache.get(account, "category.list", {})
    assert entry is not None
    assert entry.age == pytest.approx(3 * 86400)
    assert cache.stats().hits == 1


def test_revalidation_replaces_a_stale_entry(cache, account, clock):
    """Stale-while-revalidate at store level: serve the old, store the new."""
    cache.put(account, "session.info", PARAMS, b'{"v":1}')
    clock.advance(30)
    served = cache.get(account, "session.info", PARAMS)
    assert served.json() == {"v": 1} and not is_fresh(served, 15)
    sent_at = clock.now
    clock.advance(0.4)  # the refetch is in flight
    assert cache.put(account, "session.info", PARAMS, b'{"v":2}', fetched_at=sent_at)
    fresh = cache.get(account, "session.info", PARAMS)
    assert fresh.json() == {"v": 2} and is_fresh(fresh, 15)
    assert fresh.age == pytest.approx(0.4)


def test_an_older_response_arriving_late_does_not_replace_a_newer_one(cache, account, clock):
    first_sent = clock.now
    clock.advance(1)
    second_sent = clock.now
    assert cache.put(account, "session.info", PARAMS, b'{"v":"second"}', fetched_at=second_sent)
    assert not cache.put(account, "session.info", PARAMS, b'{"v":"first"}', fetched_at=first_sent)
    assert cache.get(account, "session.info", PARAMS).json() == {"v": "second"}


def test_a_write_during_an_in_flight_read_keeps_its_answer_stale(cache, account, clock):
    cache.put(account, "session.info", PARAMS, b'{"claimed":"0"}')
    clock.advance(20)
    read_sent = clock.now  # refetch starts ...
    clock.advance(0.1)
    cache.invalidate("session.info", {"couponsession": SESSION_LONG})  # ... a write lands ...
    clock.advance(0.1)
    cache.put(account, "session.info", PARAMS, b'{"claimed":"0"}', fetched_at=read_sent)  # ... old answer
    assert cache.get(account, "session.info", PARAMS).stale
    clock.advance(1)
    cache.put(account, "session.info", PARAMS, b'{"claimed":"1"}', fetched_at=clock.now)
    assert not cache.get(account, "session.info", PARAMS).stale


def test_fetched_at_accepts_aware_datetimes_only(cache, account):
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    cache.put(account, "campaign.list", {}, b"{}", fetched_at=when)
    assert cache.get(account, "campaign.list", {}).fetched_at == when
    with pytest.raises(ValueError):
        cache.put(account, "campaign.list", {}, b"{}", fetched_at=datetime(2026, 1, 2) + timedelta(1))


def test_entries_of_another_format_version_are_misses(cache, account, db_path):
    cache.put(account, "campaign.list", {}, b'{"v":"new"}')
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE entries SET format = 0")
    assert cache.get(account, "campaign.list", {}) is None
    # and storing afresh replaces the old row even though it looks "newer"
    assert cache.put(account, "campaign.list", {}, b'{"v":"again"}', fetched_at=1.0)
    assert cache.get(account, "campaign.list", {}).json() == {"v": "again"}


def test_an_unreadable_row_is_a_miss_not_a_crash(cache, account, db_path):
    cache.put(account, "campaign.list", {}, b"{}")
    cache.put(account, "loyalty.list", {}, b"{}")
    cache.put(account, "directory.list", {}, b"{}")
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE bodies SET body = 'text, not bytes' WHERE id = 1")
        raw.execute("UPDATE entries SET fetched_at = 'yesterday' WHERE operation = 'loyalty.list'")
        raw.execute("DELETE FROM bodies WHERE id = 3")
    raw.close()
    assert cache.get(account, "campaign.list", {}) is None
    assert cache.get(account, "loyalty.list", {}) is None
    assert cache.get(account, "directory.list", {}) is None
    assert cache.warnings == []
    assert cache.put(account, "directory.list", {}, b'{"directory":[]}')
    assert cache.get(account, "directory.list", {}).json() == {"directory": []}


def test_discard_drops_one_entry(cache, account):
    cache.put(account, "campaign.info", {"campaign": "cam_1"}, b"{}")
    cache.put(account, "campaign.info", {"campaign": "cam_2"}, b"{}")
    assert cache.discard(account, "campaign.info", {"campaign": "cam_1"})
    assert cache.get(account, "campaign.info", {"campaign": "cam_1"}) is None
    assert cache.get(account, "campaign.info", {"campaign": "cam_2"}) is not None


def test_stats_and_hit_rate_survive_reopening(db_path, account, clock):
    with ResponseCache(db_path, clock=clock) as c:
        c.put(account, "campaign.list", {}, b'{"coupon_info":[]}')
        c.get(account, "campaign.list", {})
        c.get(account, "campaign.list", {})
        c.get(account, "loyalty.list", {})
    with ResponseCache(db_path, clock=clock) as c:
        stats = c.stats()
        assert (stats.entries, stats.hits, stats.misses) == (1, 2, 1)
        assert stats.hit_rate == pytest.approx(2 / 3)
        assert stats.data_bytes > len(b'{"coupon_info":[]}')
        assert stats.bytes_on_disk >= db_path.stat().st_size > 0
        assert stats.path == db_path


def test_hit_rate_is_unknown_before_any_lookup(cache):
    assert cache.stats().hit_rate is None


def test_clear_empties_the_database_and_its_counters(cache, account):
    for n in range(5):
        cache.put(account, "campaign.info", {"campaign": f"cam_{n}"}, b"{}" * 100)
    cache.get(account, "campaign.info", {"campaign": "cam_1"})
    assert cache.clear() == 5
    stats = cache.stats()
    assert (stats.entries, stats.data_bytes, stats.hits, stats.misses) == (0, 0, 0, 0)
    assert cache.get(account, "campaign.info", {"campaign": "cam_1"}) is None


def test_two_handles_share_one_file(db_path, account, clock):
    with ResponseCache(db_path, clock=clock) as tui, ResponseCache(db_path, clock=clock) as cli:
        tui.put(account, "directory.list", {}, b'{"directory":[]}')
        assert cli.get(account, "directory.list", {}).raw == b'{"directory":[]}'


def test_a_locked_database_degrades_to_misses_without_raising(db_path, account, clock):
    c = ResponseCache(db_path, clock=clock, busy_timeout=0.01)
    c.put(account, "campaign.list", {}, b'{"v":1}')
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        assert not c.put(account, "loyalty.list", {}, b"{}")
        assert any("skipped" in w for w in c.warnings)
        # reading still works; only the bookkeeping is lost
        assert c.get(account, "campaign.list", {}).json() == {"v": 1}
    finally:
        other.execute("ROLLBACK")
        other.close()
        c.close()


def test_hits_and_stale_marks_do_not_rewrite_large_bodies(cache, account, db_path):
    """A 200 kB body is ~50 pages; touching its entry ten times must not copy
    it ten times into the WAL (SQLite rewrites whole rows on UPDATE)."""
    cache.put(account, "campaign.sessions", {"campaign": "cam_1003"}, b'{"data":"' + b"x" * 200_000 + b'"}')
    probe = sqlite3.connect(db_path, isolation_level=None)
    try:
        probe.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for _ in range(10):
            assert cache.get(account, "campaign.sessions", {"campaign": "cam_1003"}) is not None
            cache.invalidate("campaign.sessions")
        _, wal_frames, _ = probe.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        probe.close()
    assert 0 < wal_frames < 100  # two copies of the body would already be 100


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(st.sampled_from(["campaign", "email", "phone", "customvalcode", "page"]),
                    st.one_of(st.text(max_size=30), st.integers(0, 10**9)), max_size=4),
    st.binary(max_size=2000),
)
def test_any_params_and_body_round_trip(cache, account, params, body):
    assert cache.put(account, "campaign.session_search", params, body)
    entry = cache.get(account, "campaign.session_search", params)
    assert entry is not None and entry.raw == body and not entry.redacted
