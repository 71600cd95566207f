"""Size bound: least recently used entries go first."""

from __future__ import annotations

from ctconsole.cache import ResponseCache

BODY = b'{"data":"' + b"x" * 1400 + b'"}'


def _put(c, account, n):
    return c.put(account, "campaign.info", {"campaign": f"cam_{n}"}, BODY)


def _present(c, account, n):
    # looking an entry up touches it, so the tests look only after evicting
    return {i for i in range(n) if c.get(account, "campaign.info", {"campaign": f"cam_{i}"}) is not None}


def test_least_recently_used_entries_are_evicted_first(db_path, account, clock):
    with ResponseCache(db_path, max_bytes=8_000, clock=clock) as c:
        for n in range(5):  # about 7.5 kB: fits
            clock.advance(1)
            assert _put(c, account, n)
        clock.advance(1)
        assert c.get(account, "campaign.info", {"campaign": "cam_0"})  # the oldest is used again
        for n in (5, 6):
            clock.advance(1)
            assert _put(c, account, n)
        stats = c.stats()
        assert stats.data_bytes <= 8_000
        assert stats.evictions >= 2
        present = _present(c, account, 7)
        assert {0, 5, 6} <= present  # recently used or stored: kept
        assert 1 not in present and 2 not in present  # least recently used: gone


def test_an_entry_larger_than_the_whole_cache_is_not_stored(db_path, account, clock):
    with ResponseCache(db_path, max_bytes=1_000, clock=clock) as c:
        assert not _put(c, account, 1)
        assert c.stats().entries == 0


def test_lowering_the_bound_and_evicting_shrinks_the_cache(db_path, account, clock):
    with ResponseCache(db_path, clock=clock) as c:
        for n in range(20):
            clock.advance(1)
            _put(c, account, n)
        before = c.stats()
    with ResponseCache(db_path, max_bytes=before.data_bytes // 2, clock=clock) as c:
        assert c.evict() > 0
        after = c.stats()
        assert after.data_bytes <= before.data_bytes // 2
        assert after.entries < before.entries
        assert _present(c, account, 20) == set(range(20 - after.entries, 20))  # the newest survive


def test_under_the_bound_nothing_is_evicted(cache, account):
    for n in range(10):
        _put(cache, account, n)
    assert cache.evict() == 0
    assert cache.stats().entries == 10
