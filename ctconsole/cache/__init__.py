"""Persistent cache of read responses, one SQLite file per profile
and base URL.

This package never imports ``ctconsole.api.models`` nor textual: it stores
bodies as received and leaves parsing to the client. It reads only the
catalogue, for freshness and invalidation rules.
"""

from ctconsole.cache.keys import SecretParam, account_fingerprint, cache_key
from ctconsole.cache.location import database_path
from ctconsole.cache.policy import freshness, invalidate_after_write, is_fresh, stale_targets
from ctconsole.cache.entry import CacheEntry, CacheStats
from ctconsole.cache.store import FORMAT_VERSION, ResponseCache

__all__ = [
    "FORMAT_VERSION",
    "CacheEntry",
    "CacheStats",
    "ResponseCache",
    "SecretParam",
    "account_fingerprint",
    "cache_key",
    "database_path",
    "freshness",
    "invalidate_after_write",
    "is_fresh",
    "stale_targets",
]
