"""The client's side of the response cache.

The store (`ctconsole.cache`) keeps bodies as bytes and knows nothing of
models; the client knows nothing of SQLite. This module is the seam between
them: which key a read is cached under, whether a cached answer is good
enough to serve, turning a stored body back into a parsed answer, and what a
write marks stale. `Client.call` and `Client.watch` compose these pieces.

Two rules decide "good enough":

* *fresh*: younger than its freshness limit (the catalogue's ``max_age``,
  a configured override, or the caller's ``max_age``) and not marked stale
  by a write since it was fetched;
* *complete*: the store did not have to blank credentials in it. A
  ``subaccount.list`` body is cached with each ``api_key``/``api_secret``
  blanked (secrets never reach the disk), which is fine to *show* but not to
  *act on* (opening a subaccount needs its key), so while the API can be
  reached such an entry is shown first and then refetched, never served as
  the final answer.

A stored body that no longer decodes or parses (a model grew stricter) is
dropped and counts as a miss: the cache must never break a read.

A stored body is parsed only when it is going to be used: a
refresh (``max_age=0``) looks the entry up to keep it as the fallback should
the API be unreachable, and would otherwise parse a 600 KB page it then
throws away. `ctconsole.cache` (and SQLite with it) is imported only by a
client that has a cache.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from ctconsole.redaction import SECRET_FIELDS

from .catalogue import Operation
from .envelope import decode
from .errors import CtError, OfflineError
from .params import validate
from .result import Result

log = logging.getLogger("ctconsole.api")


@dataclass(frozen=True)
class Hit:
    """A cached entry found for a read, not parsed yet."""

    #: The body as stored (credential fields blanked if `redacted`).
    body: bytes
    #: The parameters it is stored under.
    key: dict[str, object]
    fetched_at: datetime
    #: Within its freshness limit and not marked stale by a write.
    fresh: bool
    #: Credential fields were blanked when it was stored.
    redacted: bool

    @property
    def servable(self) -> bool:
        """May be the final answer to a read while the API is reachable."""
        return self.fresh and not self.redacted


@dataclass(frozen=True)
class Cached:
    """A cached answer that decoded and parsed."""

    raw: dict
    data: Any
    fetched_at: datetime
    #: Within its freshness limit and not marked stale by a write.
    fresh: bool
    #: Credential fields were blanked when it was stored.
    redacted: bool

    @property
    def servable(self) -> bool:
        """May be the final answer to a read while the API is reachable."""
        return self.fresh and not self.redacted


def account_of(client_id: str) -> str | None:
    """The cache scope of a client ID, or None (no caching) when it is empty."""
    # Lazy: the cache package (and sqlite3) loads only for a client with a cache.
    from ctconsole.cache.keys import account_fingerprint

    try:
        return account_fingerprint(client_id)
    except ValueError:
        return None


def key_params(op: Operation, valid: Mapping[str, object]) -> dict[str, object]:
    """The parameters a read is cached under.

    Spellings that mean the same request share one entry: the first page of a
    paged read with or without ``page``, and C3's default view with or
    without ``view``.
    """
    params = dict(valid)
    if op.paging is not None and params.get(op.paging.param) == op.paging.first:
        del params[op.paging.param]
    if op.variants and op.path_for(params) == op.path_for({}):
        params.pop("view", None)
    return params


def _unblank(value: Any, secret_fields: frozenset[str] | None = None) -> Any:
    """A redacted body with its blanked credential fields removed, so that a
    model reads them as absent (None), not as an empty key."""
    if secret_fields is None:
        secret_fields = SECRET_FIELDS
    if isinstance(value, dict):
        return {k: _unblank(v, secret_fields) for k, v in value.items()
                if not (isinstance(k, str) and k.lower() in secret_fields and v == "")}
    if isinstance(value, list):
        return [_unblank(v, secret_fields) for v in value]
    return value


class CacheLink:
    """One client's use of one `ResponseCache` (shared by its subaccount clients).

    Args:
        cache: a `ctconsole.cache.ResponseCache` (or anything with its
            ``get``/``put``/``discard``/``invalidate``).
        overrides: configured freshness per operation name or ``"group.*"``.
    """

    def __init__(self, cache: Any, overrides: Mapping[str, float] | None = None) -> None:
        self.cache = cache
        self.overrides = dict(overrides or {})

    def limit(self, op: Operation, max_age: float | None) -> float:
        """Seconds a cached answer to `op` may be old and still be served."""
        # Lazy: the cache package (and sqlite3) loads only for a client with a cache.
        from ctconsole.cache.policy import freshness

        return float(max_age) if max_age is not None else freshness(op, self.overrides)

    def find(self, account: str, op: Operation, valid: Mapping[str, object],
             max_age: float | None) -> Hit | None:
        """The cached entry for this read, whatever its age, unparsed; or None."""
        # Lazy: the cache package (and sqlite3) loads only for a client with a cache.
        from ctconsole.cache.keys import SecretParam
        from ctconsole.cache.policy import is_fresh

        try:
            key = key_params(op, valid)
            limit = self.limit(op, max_age)
            entry = self.cache.get(account, op.name, key, max_age=limit)
        except SecretParam:
            return None
        if entry is None:
            return None
        return Hit(entry.raw, key, entry.fetched_at, is_fresh(entry, limit), entry.redacted)

    def load(self, account: str, op: Operation, hit: Hit,
             parse: Callable[[Operation, dict], Any]) -> Cached | None:
        """`hit` decoded and parsed; None (and the entry dropped) when it no
        longer does."""
        try:
            raw = decode(hit.body)
            if hit.redacted:
                raw = _unblank(raw)
            data = parse(op, raw)
        except CtError as err:
            log.info("%s: cached answer dropped (%s)", op.name, err.title)
            self.cache.discard(account, op.name, hit.key)
            return None
        return Cached(raw, data, hit.fetched_at, hit.fresh, hit.redacted)

    def lookup(self, account: str, op: Operation, valid: Mapping[str, object],
               max_age: float | None, parse: Callable[[Operation, dict], Any]) -> Cached | None:
        """The cached answer to this read, whatever its age, parsed; or None."""
        hit = self.find(account, op, valid, max_age)
        return None if hit is None else self.load(account, op, hit, parse)

    def store(self, account: str, op: Operation, valid: Mapping[str, object], body: bytes,
              sent_at: float) -> None:
        """Keep a successful read's body, dated when its request was sent."""
        # Lazy: the cache package (and sqlite3) loads only for a client with a cache.
        from ctconsole.cache.keys import SecretParam

        try:
            self.cache.put(account, op.name, key_params(op, valid), body, fetched_at=sent_at)
        except SecretParam:
            pass

    def after_write(self, op: Operation, valid: Mapping[str, object]) -> int:
        """Mark stale every cached read the catalogue says `op` affects."""
        # Lazy: the cache package (and sqlite3) loads only for a client with a cache.
        from ctconsole.cache.policy import invalidate_after_write

        count = invalidate_after_write(self.cache, op, valid)
        log.debug("%s: %d cached answers marked stale", op.name, count)
        return count


def epoch_to_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


class CachedReads:
    """The cache-reading half of `Client` (a mixin: it uses the client's
    `operation`, `_parse(op, raw, model)`, `_fetch`, `_write`, `_link`,
    `_account` and `offline`). `call` itself lives in the client, beside the request path.
    """

    _link: CacheLink | None
    _account: str | None
    offline: bool

    def peek(self, name: str, /, *, max_age: float | None = None, model: str | None = None,
             servable: bool = False, **params: object) -> Result | None:
        """The cached answer to a read, whatever its age, without sending
        anything; None when there is none (or no cache, or a write).
        `model`: as for `call`. `servable`: only an answer `call` would
        serve without asking (fresh and complete, or offline); any other is
        passed over before it is parsed (a big page is costly to parse).

        Raises:
            InvalidParams: for unknown names or bad values.
        """
        op = self.operation(name)
        valid = validate(op, params)
        if not op.is_read:
            return None
        hit = self._find(op, valid, max_age)
        if hit is None or (servable and not (hit.servable or self.offline)):
            return None
        cached = self._load(op, hit, model)
        return None if cached is None else self._cached_result(op, valid, cached,
                                                               offline=self.offline)

    async def watch(self, name: str, /, *, max_age: float | None = None,
                    model: str | None = None, **params: object) -> AsyncIterator[Result]:
        """Stale-while-revalidate: the cached answer at once (if any, marked
        with its age), then the fresh one from the API.

        Yields one result when the cached answer is fresh (offline: the cached
        one, else `OfflineError`), two when it had to be refreshed, one when
        nothing was cached. If the refresh fails after a cached answer was
        yielded, the error is raised after it. A write yields its one result.
        """
        op = self.operation(name)
        valid = validate(op, params)
        if not op.is_read:
            yield await self._write(op, valid)
            return
        cached = self._lookup(op, valid, max_age, model)
        if cached is not None:
            yield self._cached_result(op, valid, cached, offline=self.offline)
            if cached.servable or self.offline:
                return
        elif self.offline:
            raise self._nothing_cached(op, True)
        yield await self._fetch(op, valid, store=True, model=model)

    def _find(self, op: Operation, valid: Mapping[str, object],
              max_age: float | None) -> Hit | None:
        if self._link is None or self._account is None:
            return None
        return self._link.find(self._account, op, valid, max_age)

    def _load(self, op: Operation, hit: Hit, model: str | None = None) -> Cached | None:
        assert self._link is not None and self._account is not None
        return self._link.load(self._account, op, hit,
                               lambda op, raw: self._parse(op, raw, model))

    def _lookup(self, op: Operation, valid: Mapping[str, object],
                max_age: float | None, model: str | None = None) -> Cached | None:
        hit = self._find(op, valid, max_age)
        return None if hit is None else self._load(op, hit, model)

    def _cached_result(self, op: Operation, valid: dict[str, object], cached: Cached, *,
                       offline: bool) -> Result:
        return Result(operation=op, params=valid, data=cached.data, raw=cached.raw,
                      from_cache=True, fetched_at=cached.fetched_at, stale=not cached.fresh,
                      offline=offline, redacted=cached.redacted)

    def _nothing_cached(self, op: Operation, use_cache: bool) -> OfflineError:
        if not use_cache:
            why = f"the cache was bypassed, so {op.name} cannot be read"
        elif self._link is None:
            why = f"the response cache is off, so {op.name} cannot be read"
        else:
            why = f"nothing cached for {op.name} with these parameters"
        return OfflineError(f"{why}; the API is not asked while offline.", operation=op.name)

    def _invalidate(self, op: Operation, valid: Mapping[str, object]) -> None:
        if self._link is not None:
            self._link.after_write(op, valid)
