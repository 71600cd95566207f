"""The async Coupontools client: `call()`, `pages()`, `for_subaccount()`.

One `Client` holds one `httpx.AsyncClient` and one semaphore; every request of
the client and of the subaccount clients made from it goes through both, so
`max_concurrency` bounds what the console asks of the API at once.

A call is: look the operation up in the catalogue → validate the parameters
(nothing is sent if they are wrong) → POST the JSON body with the credential
headers → decode the envelope → parse the operation's model. Reads are retried
per the `RetryPolicy`; writes never are, because a write that got no answer
may have been applied.

With a response cache (`cache=`, see `ctconsole.api.cached`), a read first
looks there: a fresh answer is returned without sending, a stale one is
returned when the API cannot be reached (or the client is offline), and every
fetched answer is stored. A write marks stale what the catalogue says it
affects. `watch()` is the stale-while-revalidate form: the cached answer at
once, then the fresh one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import difflib
import importlib
import json
import logging
import time
from contextlib import aclosing
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ctconsole import safetext

from .catalogue import CATALOGUE, Catalogue, Operation, UnknownOperation
from .cached import CachedReads, CacheLink, account_of, epoch_to_datetime
from .envelope import decode
from .errors import (AnswerTooLarge, ApiError, ConnectFailed, CtError, InvalidParams,
                     OfflineError, ServerError,
                     TimedOut, TransportError, UnexpectedPayload, clean_text,
                     mark_outcome_unknown)
from .params import body_of, validate
from ctconsole.redaction import safe_repr
from .result import Result, page_items, stated_total
from .retry import RetryPolicy

if TYPE_CHECKING:
    import httpx

    from .lean_http import LeanPool

log = logging.getLogger("ctconsole.api")

DEFAULT_BASE_URL = "https://api4coupons.com"
#: Bodies at least this big are decoded and parsed in a worker thread, so the
#: event loop (the UI's) stays responsive while a 5000-row page (megabytes
#: of JSON and models) is read; smaller ones are not worth the handoff.
OFF_LOOP_BYTES = 256 * 1024
USER_AGENT = "ctconsole/0.1 (+https://github.com/ctconsole)"
#: Seconds one call may take, every try and the waits between them included.
DEFAULT_TIMEOUT = 30.0
#: The largest answer read. A page of 5,000 sessions from the sandbox is
#: 2.7 MB; this leaves room for long customer fields and a bigger page, and
#: stops a runaway answer before it fills memory and the cache.
DEFAULT_MAX_ANSWER_BYTES = 16_000_000


@dataclass(frozen=True)
class Credentials:
    """API credentials: the account's client ID and secret (or a subaccount's
    api_key and api_secret). Neither shows in repr or str but masked (`…abcd`):
    a subaccount's client ID is its api_key, which with the secret is a login."""

    client_id: str
    client_secret: str

    def __post_init__(self) -> None:
        for name in ("client_id", "client_secret"):
            value = getattr(self, name)
            if not isinstance(value, str) or safetext.has_unsafe(value):
                # Never echo the value: it may be the secret.
                raise ValueError(f"{name} must be one line without control characters")

    def __repr__(self) -> str:
        return safe_repr("Credentials", {}, {"client_id": self.client_id,
                                             "client_secret": self.client_secret})

    __str__ = __repr__

    def headers(self) -> dict[str, str]:
        return {"X-Client-Id": self.client_id, "X-Client-Secret": self.client_secret}


class _Deadline:
    """One call's deadline: it starts when the first try gets its turn (a
    call queued behind the concurrency limit is not cut short) and covers
    every try and the waits between them."""

    __slots__ = ("seconds", "at")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at: float | None = None

    def remaining(self) -> float:
        now = time.monotonic()
        if self.at is None:
            self.at = now + self.seconds
        return max(self.at - now, 0.001)

    def allows(self, wait: float) -> bool:
        """Whether a retry after `wait` seconds can still start in time."""
        return self.at is None or time.monotonic() + wait < self.at


def _models() -> Any:
    # Imported on first parse, not at import time: `import ctconsole.api`
    # stays cheap, and the sandbox (which imports the catalogue) never pulls
    # the models in.
    return importlib.import_module(".models", __package__)


def _httpx() -> Any:
    # Imported when the connection pool opens, not at import time: a start
    # whose first pane is cached paints it before httpx (and the standard
    # library's HTTP, e-mail and cookie modules it brings) is loaded.
    return importlib.import_module("httpx")


class _Pool:
    """The client's connection pool, opened on its first request: building
    one sets up TLS (the system's certificates are read), which a start that
    shows cached answers first need not wait for. Shared with the clients of
    `Client.for_subaccount`."""

    def __init__(self, open_pool: Callable[[], httpx.AsyncClient]) -> None:
        self._open = open_pool
        self._client: httpx.AsyncClient | None = None
        self.is_closed = False

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = self._open()
        return self._client

    def fresh(self) -> "_Pool":
        """A pool of its own, opened the same way (same timeout and headers)."""
        return _Pool(self._open)

    async def aclose(self) -> None:
        self.is_closed = True
        if self._client is not None:
            await self._client.aclose()


class Client(CachedReads):
    """An async client of the Coupontools API. Use as `async with Client(...)`
    or call `aclose()` when done."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        catalogue: Catalogue = CATALOGUE,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 4,
        timeout: float = DEFAULT_TIMEOUT,
        max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES,
        user_agent: str = USER_AGENT,
        cache: Any = None,
        cache_overrides: Mapping[str, float] | None = None,
        offline: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`cache` is a `ctconsole.cache.ResponseCache` (None: no caching);
        `cache_overrides` the configured freshness per operation or
        ``"group.*"``; `offline` sends nothing (reads from cache only, writes
        refused); `clock` (seconds since the epoch) dates fetched answers and
        is injected by tests together with the cache's own.

        `timeout` is one deadline per call: the first try, the retries and
        the waits between them all fit in it, and the error says so.
        `max_answer_bytes` caps an answer: a bigger one is refused
        (`AnswerTooLarge`) while it streams in, never buffered whole."""
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if timeout <= 0 or max_answer_bytes <= 0:
            raise ValueError("timeout and max_answer_bytes must be positive")
        self.credentials = credentials
        self.base_url = base_url.rstrip("/")
        self.catalogue = catalogue
        self.retry = retry if retry is not None else RetryPolicy()
        self.max_concurrency = max_concurrency
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes
        self.cache = cache
        self.offline = offline
        self._clock = clock
        self._link = CacheLink(cache, cache_overrides) if cache is not None else None
        # The cache scope; worked out only with a cache (it imports the cache package).
        self._account = account_of(credentials.client_id) if cache is not None else None
        self._http = _Pool(lambda: _httpx().AsyncClient(
            transport=transport,
            timeout=_httpx().Timeout(timeout),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            follow_redirects=False,
        ))
        self._owns_http = True
        #: The transport given (None: httpx's own pool), for `with_own_pool`.
        self._transport = transport
        self._user_agent = user_agent
        #: Reads go through this pool instead of httpx's (`with_lean_pool`).
        self._lean: LeanPool | None = None
        self._owns_lean = False
        #: The lean pool `lean_reads` twins share (at most one), closed with
        #: this client's httpx pool: copies that own that pool get their own.
        self._shared_lean: list[LeanPool] = []
        self._limit = asyncio.Semaphore(max_concurrency)

    def __repr__(self) -> str:
        return f"Client({self.credentials!r}, base_url={self.base_url!r})"

    # --- lifecycle -------------------------------------------------------------

    async def __aenter__(self) -> "Client":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (a subaccount client leaves the shared
        pool to its parent)."""
        if self._owns_http:
            await self._http.aclose()
            for pool in self._shared_lean:
                await pool.aclose()
        if self._lean is not None and self._owns_lean:
            await self._lean.aclose()

    def for_subaccount(self, api_key: str, api_secret: str, *, retry: RetryPolicy | None = None,
                       limit: asyncio.Semaphore | None = None) -> "Client":
        """A client acting as a subaccount: same connection pool, same
        concurrency limit, retry policy, catalogue and cache; other credentials.
        `retry` and `limit` (a semaphore shared by the clients of one fan-out,
        which bounds itself) replace the parent's."""
        sub = self._twin(limit)
        sub.credentials = Credentials(api_key, api_secret)
        if retry is not None:
            sub.retry = retry
        sub._account = account_of(api_key) if self._link is not None else None
        return sub

    def _twin(self, limit: asyncio.Semaphore | None = None) -> "Client":
        """A copy of this client that owns none of its pools (closing it
        closes nothing); `limit` replaces its concurrency limit."""
        twin = object.__new__(Client)
        twin.__dict__.update(self.__dict__)
        if limit is not None:
            twin._limit = limit
        twin._owns_http = twin._owns_lean = False
        return twin

    def _new_lean_pool(self, lean_http: Any) -> "LeanPool":
        return lean_http.LeanPool(self.base_url, user_agent=self._user_agent,
                                  max_answer_bytes=self.max_answer_bytes)

    def with_own_pool(self, *, limit: asyncio.Semaphore | None = None) -> "Client":
        """This client (credentials, retry policy, catalogue, cache) over a
        connection pool of its own; `limit` replaces its concurrency limit.

        Why: httpcore gives each request a connection by checking every
        waiting request against every connection, so sixteen requests in
        flight on one pool cost markedly more CPU each than four pools of
        four. A client built on a given transport (the sandbox's, a custom
        CA's) shares that transport: it cannot be copied. Close the new client (`aclose`) when done; closing
        a shared one leaves the pool to its owner.
        """
        twin = self._twin(limit)
        twin._lean = None
        if self._transport is None:
            twin._http = self._http.fresh()
            twin._owns_http = True
            twin._shared_lean = []
        return twin

    def with_lean_pool(self, *, limit: asyncio.Semaphore | None = None) -> "Client":
        """This client with its reads sent through a lean keep-alive pool of
        its own (`ctconsole.api.lean_http`: the same requests for a fraction
        of httpx's CPU), for many small reads such as a batch's lookups;
        writes still go through the shared httpx pool, which never resends.
        Where the lean pool cannot go (a proxy, a given transport) this is
        `with_own_pool`. Close it (`aclose`) when done.
        """
        # Lazy for start-up: the lean pool (with h11 and httpx) is for batches only.
        from . import lean_http

        if not lean_http.usable_for(self.base_url, self._transport):
            return self.with_own_pool(limit=limit)
        twin = self._twin(limit)
        twin._lean, twin._owns_lean = self._new_lean_pool(lean_http), True
        return twin

    def lean_reads(self) -> "Client":
        """This client with its reads sent through a lean keep-alive pool
        (`with_lean_pool`) that lives as long as this client: one pool for
        all such twins and their `for_subaccount` clients, its connections
        kept between uses, closed by `aclose`. For fan-outs: hundreds of
        small reads at a time, where httpx's CPU per request delays each
        next one. Where the lean pool cannot go (a proxy, a given
        transport) this is the client itself; nothing is to be closed.
        """
        # Lazy for start-up: the lean pool (with h11) loads with the first fan-out.
        from . import lean_http

        if self._lean is not None or not lean_http.usable_for(self.base_url, self._transport):
            return self
        if not self._shared_lean or self._shared_lean[0].is_closed:
            self._shared_lean[:] = [self._new_lean_pool(lean_http)]
        twin = self._twin()
        twin._lean = self._shared_lean[0]
        return twin

    @property
    def is_lean(self) -> bool:
        """Whether reads go through a lean pool (`with_lean_pool`)."""
        return self._lean is not None

    # --- calls -----------------------------------------------------------------

    def operation(self, name: str) -> Operation:
        try:
            return self.catalogue.get(name)
        except UnknownOperation:
            close = difflib.get_close_matches(name, [op.name for op in self.catalogue], n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise InvalidParams([f"{clean_text(name, 60)}: no such operation{hint}"],
                                title="Unknown operation") from None

    async def call(self, name: str, /, *, use_cache: bool = True, max_age: float | None = None,
                   model: str | None = None, **params: object) -> Result:
        """Run operation `name` with `params` and return its `Result`.

        A read is served from the cache when the cached answer is fresh
        (younger than `max_age` seconds, by default the catalogue's or the
        configured freshness; 0 always asks the API), and from a stale cached
        answer when the client is offline or the API cannot be reached
        (`Result.offline`). `use_cache=False` neither reads nor stores.

        `model` names another model of `ctconsole.api.models` to parse the
        answer with instead of the catalogue's, e.g. ``"LeanSessionPage"``
        (plain-dict rows, for tables of 200k sessions); the cache entry is
        the same either way.

        Raises:
            InvalidParams: before sending, for unknown names or bad values.
            OfflineError: offline, and a write, or a read with nothing cached.
            ApiError, HttpStatusError, UnexpectedPayload, TransportError:
                see `ctconsole.api.errors`.
        """
        op = self.operation(name)
        valid = validate(op, params)
        if not op.is_read:
            return await self._write(op, valid)
        # Parsed only if it is used: a refresh keeps it as the fallback only.
        hit = self._find(op, valid, max_age) if use_cache else None
        if hit is not None and (hit.servable or self.offline):
            cached = self._load(op, hit, model)
            if cached is not None:
                return self._cached_result(op, valid, cached, offline=self.offline)
            hit = None  # it no longer parses: a miss
        if self.offline:
            raise self._nothing_cached(op, use_cache)
        try:
            return await self._fetch(op, valid, store=use_cache, model=model)
        except TransportError as err:
            cached = self._load(op, hit, model) if hit is not None else None
            if cached is None:
                raise
            log.info("%s: %s; serving the cached answer", op.name, err.title)
            return self._cached_result(op, valid, cached, offline=True)

    async def _fetch(self, op: Operation, valid: dict[str, object], *, store: bool,
                     model: str | None = None) -> Result:
        sent_at = self._clock()
        raw, body = await self._send(op, valid)
        if len(body) >= OFF_LOOP_BYTES:
            data = await asyncio.to_thread(self._parse, op, raw, model)
        else:
            data = self._parse(op, raw, model)
        if store and self._link is not None and self._account is not None:
            self._link.store(self._account, op, valid, body, sent_at)
        return Result(operation=op, params=valid, data=data, raw=raw,
                      fetched_at=epoch_to_datetime(sent_at))

    async def _write(self, op: Operation, valid: dict[str, object]) -> Result:
        if self.offline:
            raise OfflineError(f"{op.name} is a write; writes are refused while offline. "
                               "Nothing was sent.", operation=op.name)
        sent_at = self._clock()
        try:
            raw, _ = await self._send(op, valid)
        except ApiError:
            raise  # the API said no: nothing changed
        except CtError as err:
            # No answer, or one we could not read: the write may have been
            # applied, and a needless refetch is cheaper than stale data.
            self._invalidate(op, valid)
            if isinstance(err, ServerError):
                proxy = (" The answer was a web page, likely from a proxy in front of the API."
                         if err.proxy_page else "")
                mark_outcome_unknown(err, f"The server failed (HTTP {err.status_code}) after "
                                          f"the write was sent.{proxy}")
            elif isinstance(err, UnexpectedPayload):
                mark_outcome_unknown(err, err.message)
            raise
        self._invalidate(op, valid)
        try:
            data = self._parse(op, raw)
        except UnexpectedPayload as err:
            raise mark_outcome_unknown(err, err.message) from None
        return Result(operation=op, params=valid, data=data, raw=raw,
                      fetched_at=epoch_to_datetime(sent_at))

    def reparse(self, result: Result, model: str | None = None) -> Result:
        """`result` with its answer parsed again by `model` (default: the
        operation's own): for a pane that painted a quick first look
        (`ctconsole.api.models.pydantic_free`) and now wants the real models.
        Nothing is sent or cached; the answer keeps its origin and age.

        Raises:
            UnexpectedPayload: the model refuses the answer (as `call` would).
        """
        return dataclasses.replace(result, data=self._parse(result.operation, result.raw, model))

    def _parse(self, op: Operation, raw: dict, model_name: str | None = None) -> Any:
        model = getattr(_models(), model_name or op.model)
        try:
            return model.model_validate(raw)
        except ValueError as exc:
            # pydantic's ValidationError, or a quick reader's error shaped like
            # it (`models.pydantic_free`, which must not import pydantic to say so).
            errors = getattr(exc, "errors", None)
            error_count = getattr(exc, "error_count", None)
            if errors is None or error_count is None:
                raise
            # Never the input values: they are untrusted and may hold secrets.
            where = "; ".join(
                f"{'.'.join(str(part) for part in err['loc']) or '(top)'}: {err['msg']}"
                for err in errors(include_input=False, include_url=False)[:3]
            )
            more = error_count() - 3
            raise UnexpectedPayload(
                f"The answer to {op.name} does not have the expected shape "
                f"({clean_text(where, 200)}{f' and {more} more' if more > 0 else ''})",
                operation=op.name,
            ) from None

    async def _send(self, op: Operation, valid: Mapping[str, object]) -> tuple[dict, bytes]:
        """The decoded payload and the body bytes as received (for the cache)."""
        path = op.path_for(valid)
        body = json.dumps(body_of(op, valid), ensure_ascii=False).encode("utf-8")
        attempt = 0
        deadline = _Deadline(self.timeout)
        while True:
            try:
                return await self._post_once(op, path, body, attempt, deadline)
            except CtError as err:
                err.operation = op.name
                wait = self.retry(attempt, err) if op.is_read else None
                if wait is None or not deadline.allows(wait):
                    raise
                log.debug("%s: %s, retry %d in %.2f s", op.name, err.title, attempt + 1, wait)
                await self.retry.wait(wait)
                attempt += 1

    async def _post_once(self, op: Operation, path: str, body: bytes, attempt: int,
                         deadline: "_Deadline") -> tuple[dict, bytes]:
        headers = {**self.credentials.headers(), "Content-Type": "application/json"}
        async with self._limit:
            started = time.perf_counter()
            try:
                async with asyncio.timeout(deadline.remaining()):
                    status, response_headers, content = await self._read(op, path, body, headers)
            except TimeoutError:
                raise self._transport_error(op, _httpx().ReadTimeout("deadline"),
                                            attempt) from None
            except (_httpx().HTTPError, _httpx().InvalidURL) as exc:
                elapsed = (time.perf_counter() - started) * 1000
                log.debug("%s POST %s failed after %.0f ms: %s", op.name, path, elapsed,
                          type(exc).__name__)
                raise self._transport_error(op, exc, attempt) from None
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s POST %s -> %d in %.0f ms (attempt %d, %d bytes)", op.name, path,
                  status, elapsed, attempt + 1, len(content))
        args = (content,)
        kwargs = {"status_code": status,
                  "content_type": response_headers.get("content-type"),
                  "headers": response_headers}
        if len(content) >= OFF_LOOP_BYTES:
            payload = await asyncio.to_thread(decode, *args, **kwargs)
        else:
            payload = decode(*args, **kwargs)
        return payload, content

    async def _read(self, op: Operation, path: str, body: bytes,
                    headers: Mapping[str, str]) -> tuple[int, Mapping[str, str], bytes]:
        """Status, headers and body of one POST; the body streamed and
        refused as soon as it passes `max_answer_bytes` (a declared length
        over the cap is refused before reading)."""
        if self._lean is not None and op.is_read:
            return await self._lean.post(path, body, headers, op.name)
        limit = self.max_answer_bytes
        async with self._http.client().stream("POST", self.base_url + path, content=body,
                                              headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise AnswerTooLarge(limit, operation=op.name, declared=int(declared))
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise AnswerTooLarge(limit, operation=op.name)
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)

    def _transport_error(self, op: Operation, exc: Exception, attempt: int = 0) -> CtError:
        httpx = _httpx()
        host = httpx.URL(self.base_url).host or self.base_url
        never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
        if isinstance(exc, httpx.TimeoutException):
            tries = f" ({attempt + 1} tries)" if attempt else ""
            what = f"{host} did not answer {op.name} within {self.timeout:g} s{tries}."
            error_type: type[CtError] = TimedOut
        else:
            reason = {
                httpx.ConnectError: "could not connect",
                httpx.RemoteProtocolError: "the connection dropped before a complete answer",
                httpx.ReadError: "the connection dropped while reading the answer",
                httpx.WriteError: "the connection dropped while sending",
                httpx.UnsupportedProtocol: "the base URL is not an http(s) URL",
                httpx.InvalidURL: "the base URL is not a valid URL",
            }.get(type(exc), "the request failed")
            what = f"{op.name} to {host}: {reason} ({type(exc).__name__})."
            error_type = ConnectFailed
        if op.is_read:
            return error_type(what, operation=op.name)
        if never_sent:
            return error_type(f"{what} Nothing was sent; the write was not applied.",
                              operation=op.name)
        return mark_outcome_unknown(error_type(what, operation=op.name), what)

    # --- paging ----------------------------------------------------------------

    async def pages(self, name: str, /, *, use_cache: bool = True, max_age: float | None = None,
                    model: str | None = None, after: Result | None = None,
                    **params: object) -> AsyncIterator[Result]:
        """The pages of a paginated read, in page order.

        Page 1 (or the `page` given) is fetched first. If it states the total
        (`amount_of_…`), the remaining pages are fetched concurrently (within
        the concurrency limit, a few pages ahead of the reader) and yielded in
        order as soon as each next one is ready, up to the last page the total
        implies; otherwise pages are walked one by one until a short or empty
        page. An operation without paging yields its one result.

        Each page is a `call` (`use_cache`, `max_age`, `model` apply to each), so fresh
        cached pages are served without asking, and offline the cached pages
        are walked until one is missing (`OfflineError`).

        `after`: the first page, already in hand (a pane showed a cached one
        at once); it is not yielded again and the walk goes on from it.

        Stopping early (`break`) is fine; wrap in `contextlib.aclosing` to
        cancel the pages fetched ahead at once rather than at garbage collection.
        """
        op = self.operation(name)
        paging = op.paging
        if paging is None:
            yield await self.call(name, use_cache=use_cache, max_age=max_age, model=model,
                                  **params)
            return
        start = validate(op, params).get(paging.param, paging.first)
        assert isinstance(start, int)
        opts: dict[str, Any] = {"use_cache": use_cache, "max_age": max_age, "model": model}
        first = after
        if first is None:
            first = await self.call(name, **opts, **{**params, paging.param: start})
            yield first
        if first.last_page:
            return
        total = stated_total(first.raw)
        if total is not None:
            last = max(start, paging.first + (total - 1) // paging.size)
            ahead = self._pages_ahead(name, params, paging.param, start + 1, last, opts)
            async with aclosing(ahead):
                async for page in ahead:
                    if not page_items(page, paging.items):
                        return
                    yield page
                    if len(page_items(page, paging.items)) < paging.size:
                        return
            # The total is trusted: a full last page ends the walk without
            # asking for an empty one.
            return
        # No total: walk on one page at a time until a short or empty page.
        previous = page_items(first, paging.items)
        page_no = start + 1
        while True:
            page = await self.call(name, **opts, **{**params, paging.param: page_no})
            items = page_items(page, paging.items)
            if not items:
                return
            if items == previous:
                raise UnexpectedPayload(
                    f"{op.name} returned the same page twice (page {page_no}); "
                    "the API seems to ignore the page parameter", operation=op.name)
            yield page
            if len(items) < paging.size:
                return
            previous = items
            page_no += 1

    async def _pages_ahead(self, name: str, params: Mapping[str, object], param: str,
                           first: int, last: int,
                           opts: Mapping[str, Any]) -> AsyncIterator[Result]:
        """Pages `first..last`, at most `max_concurrency` requested ahead of
        the reader, yielded in order; pending fetches are cancelled when the
        reader stops early or a page fails."""
        tasks: dict[int, asyncio.Task[Result]] = {}
        next_to_start = first
        try:
            for number in range(first, last + 1):
                while next_to_start <= last and next_to_start < number + self.max_concurrency:
                    tasks[next_to_start] = asyncio.ensure_future(
                        self.call(name, **opts, **{**params, param: next_to_start}))
                    next_to_start += 1
                yield await tasks.pop(number)
        finally:
            for task in tasks.values():
                task.cancel()
            if tasks:
                await asyncio.gather(*tasks.values(), return_exceptions=True)

