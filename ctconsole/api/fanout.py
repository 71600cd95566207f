"""One read across the main account and every subaccount, with their own credentials.

A support person rarely knows which merchant a coupon belongs to, and a
subaccount's sessions answer only to that subaccount's credentials. `FanOut`
runs one coroutine per account with a bounded pool and reports as it goes:

    targets = await accounts(client)                 # main + every subaccount
    fan = FanOut(targets, lambda t: find_sessions(t.client, text), concurrency=8)
    async for event in fan.events():                 # Found / Failed / Progress
        ...
    fan.cancel()                                     # nothing more is sent

* at most `concurrency` requests in flight (a semaphore shared by the
  targets' clients, not the parent client's smaller one);
* a failure of one account (a suspended subaccount's 401) is a `Failed`
  event, never the end of the run;
* a 429 slows the whole pool: no new request before its Retry-After has
  passed, the pool halves (it grows back by one per `concurrency` answers
  without a 429), and the same account is asked again, up to `max_rate_waits`
  times. The targets' clients do not retry 429s themselves, so the wait is
  the pool's, not one per request; other read retries (5xx, timeouts) stay
  the client's;
* `cancel()` stops at once: running requests are cancelled, queued accounts
  are never asked (also when `start()`ed and not yet read); `pause()` sends nothing new (requests out finish) until
  `resume()`, e.g. while a pane reads what a match needs;
* answers go through `Client.call`, so they are cached like any read.

`Found` values are whatever the coroutine returned (an empty list or None is
not a find); `fan.found` lists them in account order at the end.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable

from .errors import ApiError, CtError, RateLimited
from .retry import RetryPolicy

if TYPE_CHECKING:
    from .client import Client

DEFAULT_CONCURRENCY = 8
#: Wait after a 429 that names no Retry-After.
DEFAULT_RATE_WAIT = 2.0


@dataclass(frozen=True)
class Target:
    """One account to ask: "main" or a subaccount ID, its name, its client."""

    id: str
    name: str
    client: Any
    #: Position in the account list (results are ordered by it).
    index: int = 0

    @property
    def label(self) -> str:
        if self.id == "main":
            return "main account"
        return f"{self.name} ({self.id})" if self.name and self.name != self.id else self.id


@dataclass(frozen=True)
class Found:
    target: Target
    value: Any


@dataclass(frozen=True)
class Failed:
    target: Target
    error: CtError


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    found: int
    failed: int

    def line(self, noun: str = "accounts") -> str:
        """"searched 37 of 120 accounts · 2 matches · 1 failed"."""
        parts = [f"searched {self.done} of {self.total} {noun}",
                 f"{self.found} match{'es' if self.found != 1 else ''}"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        return " · ".join(parts)


Event = Found | Failed | Progress


class _PoolRetry(RetryPolicy):
    """The client's policy minus 429s, which the pool waits out itself."""

    def delay(self, attempt: int, error: BaseException) -> float | None:
        if isinstance(error, RateLimited):
            return None
        return super().delay(attempt, error)

    __call__ = delay


def pool_retry(policy: RetryPolicy) -> RetryPolicy:
    return _PoolRetry(policy.max_retries, policy.base_delay, policy.max_delay,
                      policy.max_retry_after, policy.jitter, policy.sleep, policy.random)


async def accounts(client: "Client", *, concurrency: int = DEFAULT_CONCURRENCY,
                   include_main: bool = True, listing: Any = None) -> list[Target]:
    """The main account and every subaccount, each with a client of its own
    credentials sharing one semaphore of `concurrency` slots.

    The subaccount list is fetched (a cached one has its credentials blanked),
    unless `listing` is one just read from the API (a `subaccount.list`
    `Result`, credentials in it); an account whose credentials do not allow
    subaccount calls (a subaccount's) yields just itself. The targets' reads
    go through the client's lean pool where it can be used
    (`Client.lean_reads`), closed with the client."""
    limit = asyncio.Semaphore(concurrency)
    retry = pool_retry(client.retry)
    creds = client.credentials
    # Each slot of the pool sends its requests one after the other, so the
    # client's CPU per request delays every next one: the targets read over
    # the client's lean pool where it can go (`Client.lean_reads`).
    lean = getattr(client, "lean_reads", None)
    reads = lean() if callable(lean) else client
    targets = []
    if include_main:
        targets.append(Target("main", "main account", reads.for_subaccount(
            creds.client_id, creds.client_secret, retry=retry, limit=limit), 0))
    result = listing
    if result is None:
        try:
            # The quick reader: 500 subaccounts through the full models would hold
            # the event loop for a noticeable time; the raw items carry all we need.
            result = await client.call("subaccount.list", model="SubaccountRows")
        except ApiError:
            return targets
    items = result.raw.get("subaccount") if isinstance(result.raw, dict) else None
    for sub in items if isinstance(items, list) else ():
        if not isinstance(sub, dict):
            continue
        key, secret = _secret(sub.get("api_key")), _secret(sub.get("api_secret"))
        sid = str(sub.get("ID") or "")
        if not key or not secret or not sid:
            continue
        targets.append(Target(sid, _name(sub) or sid,
                              reads.for_subaccount(key, secret, retry=retry, limit=limit),
                              len(targets)))
    return targets


def _name(sub: dict) -> str:
    """Company, else person, else username (as the subaccount list shows it)."""
    person = f"{sub.get('first_name') or ''} {sub.get('last_name') or ''}".strip()
    return str(sub.get("company_name") or person or sub.get("username") or "")


def _secret(value: Any) -> str:
    """The clear text of a credential (a `Secret` field or the raw string)."""
    if value is None:
        return ""
    reveal = getattr(value, "get_secret_value", None)
    return str(reveal() if callable(reveal) else value)


class FanOut:
    """Run `fn(target)` for every target; see the module docstring."""

    def __init__(self, targets: list[Target], fn: Callable[[Target], Awaitable[Any]], *,
                 concurrency: int = DEFAULT_CONCURRENCY, max_rate_waits: int = 5,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.targets = list(targets)
        self.fn = fn
        self.concurrency = concurrency
        self.max_rate_waits = max_rate_waits
        self._sleep = sleep
        self._clock = clock
        self._queue: deque[Target] = deque(self.targets)
        self._events: asyncio.Queue[Event | None] = asyncio.Queue()
        self._tasks: list[asyncio.Task] = []
        self._started = False
        self._cancelled = False
        self._limit = concurrency
        self._busy = 0
        self._calm = 0  # answers since the last 429
        self._resume_at = 0.0
        self._wake = asyncio.Event()
        self._going = asyncio.Event()
        self._going.set()
        self.done = 0
        self.found: list[Found] = []
        self.failed: list[Failed] = []
        #: How many 429s slowed the pool down.
        self.rate_limited = 0

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def progress(self) -> Progress:
        return Progress(self.done, len(self.targets), len(self.found), len(self.failed))

    def pause(self) -> None:
        """Send nothing new until `resume()`; requests out still finish."""
        self._going.clear()

    def resume(self) -> None:
        self._going.set()

    @property
    def paused(self) -> bool:
        return not self._going.is_set()

    def cancel(self) -> None:
        """Stop now: running requests are cancelled, nothing more is sent."""
        self._cancelled = True
        self._queue.clear()
        for task in self._tasks:
            task.cancel()
        self._events.put_nowait(None)

    def start(self) -> None:
        """Start asking (`events()` does too, if not yet): the events wait,
        in order, until `events()` reads them. Whoever starts a fan-out reads
        or cancels it."""
        if self._started or self._cancelled:
            return
        self._started = True
        workers = min(self.concurrency, len(self.targets))
        self._tasks = [asyncio.create_task(self._worker()) for _ in range(workers)]

    async def events(self) -> AsyncIterator[Event]:
        """`Found`/`Failed` as they happen, a `Progress` after each account."""
        self.start()
        if not self._tasks:
            if not self._cancelled:
                yield self.progress
            return
        waiter = asyncio.ensure_future(asyncio.gather(*self._tasks, return_exceptions=True))
        waiter.add_done_callback(lambda _: self._events.put_nowait(None))
        try:
            while True:
                event = await self._events.get()
                if event is None:
                    break
                yield event
        finally:
            if not waiter.done():
                self.cancel()
            await asyncio.gather(waiter, return_exceptions=True)
        self.found.sort(key=lambda f: f.target.index)
        self.failed.sort(key=lambda f: f.target.index)

    async def run(self) -> "FanOut":
        """Run to the end (no streaming)."""
        async for _ in self.events():
            pass
        return self

    # -- the pool ---------------------------------------------------------------------

    async def _worker(self) -> None:
        while self._queue and not self._cancelled:
            target = self._queue.popleft()
            await self._ask(target)
            self.done += 1
            self._events.put_nowait(self.progress)

    async def _ask(self, target: Target) -> None:
        waits = 0
        while True:
            delay = self._resume_at - self._clock()
            if delay > 0:
                await self._sleep(delay)
            await self._acquire()
            try:
                value = await self.fn(target)
            except RateLimited as err:
                self._slow_down(err)
                waits += 1
                if waits > self.max_rate_waits:
                    self._fail(target, err)
                    return
                continue
            except CtError as err:
                self._fail(target, err)
                return
            finally:
                self._release()
            self._calm += 1
            if self._calm >= self.concurrency and self._limit < self.concurrency:
                self._calm = 0
                self._limit += 1
                self._wake.set()
            if value:
                found = Found(target, value)
                self.found.append(found)
                self._events.put_nowait(found)
            return

    def _fail(self, target: Target, err: CtError) -> None:
        failed = Failed(target, err)
        self.failed.append(failed)
        self._events.put_nowait(failed)

    def _slow_down(self, err: RateLimited) -> None:
        self.rate_limited += 1
        self._calm = 0
        wait = err.retry_after if err.retry_after is not None else DEFAULT_RATE_WAIT
        self._resume_at = max(self._resume_at, self._clock() + wait)
        self._limit = max(1, self._limit // 2)

    async def _acquire(self) -> None:
        while True:
            await self._going.wait()
            if self._busy < self._limit:
                break
            self._wake.clear()
            await self._wake.wait()
        self._busy += 1

    def _release(self) -> None:
        self._busy -= 1
        self._wake.set()
