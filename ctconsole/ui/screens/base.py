"""What every data pane shares: crumbs, a fetch worker, feedback, back/refresh.

A pane subclasses `ResourceScreen`, composes its body, says how to `fetch()`
its data and how to `show()` it. The base class runs the fetch in an
exclusive async worker, reports the outcome as a past-tense message
(`Fetched` / `FetchFailed`) tagged with a generation number so a slow,
superseded answer is dropped instead of overwriting a newer one, shows a
loading indicator meanwhile, and puts API errors in the pane with a retry
hint.

Stale-while-revalidate: a fetch runs in two passes, and `fetch(client)` is
given the client of the pass. In the first, every `client.call` is answered
from the response cache only (`Client.peek`); if all of them were cached the
pane shows that at once ("cached · 4 min ago · refreshing…"), and unless
every answer was fresh (or the client is offline) the second pass runs
`fetch()` again against the API and replaces it ("fetched 12:03:04 UTC").
`r` skips the first pass and asks the API even when the cache is fresh
(``max_age=0``). An answer the client served because the API could not be
reached says "offline · cached 4 min ago".

A refresh never blanks the pane: while `r` (or the refresh after a write)
is out, what was on screen stays usable with "refreshing…" in the status
line; the answer replaces it in place (lists keep the cursor on its row),
and a failure leaves it there with the error and its age.

The pass's client (`PassClient`) wraps the pane's client and changes only
`call`; anything else a subclass does with `self.client` (pages, subaccount
clients, other workers) reaches the real client.

The cache-only pass runs right away, in `reload()` itself, not in the
worker: a `fetch()` that awaits nothing but `client.call` never really
suspends while every call is a cache lookup, so it is run to its end there
and then (`finish_now`), and the pane's first frame already shows the
cached answer instead of a loading indicator followed by a second frame. A
pane whose `fetch()` awaits anything else (another client, a timer) says so
with ``cache_now = False`` and gets its cache-only pass in the worker.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Coroutine, Sequence

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen

from ctconsole.api.errors import ApiError, CtError, OfflineError
from ctconsole.ui.worker_errors import WorkerSafetyNet
from ctconsole.ui.widgets.breadcrumbs import Breadcrumbs
from ctconsole.ui.widgets.feedback import ErrorPanel, FetchStatus
from ctconsole.ui.widgets.footer import KeyFooter
from ctconsole.ui.writes.keys import WriteKey, merged_table, run_write_key

if TYPE_CHECKING:
    from ctconsole.api import Client

log = logging.getLogger("ctconsole.ui")


class _NotCached(Exception):
    """Raised inside the cache-only pass: this call has no cached answer."""


class PassClient:
    """The client one fetch pass hands to `fetch(client)`.

    It delegates to the pane's client (looked up on every use, so a fetch
    that switches `pane.client` mid-way keeps working) and changes only
    `call`: answered from the cache alone (`peek=True`), or sent with the
    pass's `max_age` (0 for a refresh).
    """

    def __init__(self, screen: "ResourceScreen", *, peek: bool = False,
                 max_age: float | None = None) -> None:
        self._screen = screen
        self._peek = peek
        self._max_age = max_age
        #: The cached answers the cache-only pass handed out.
        self.served: list[Any] = []

    async def call(self, name: str, /, **params: Any) -> Any:
        client = self._screen.client
        if self._peek:
            peek = getattr(client, "peek", None)
            result = peek(name, **params) if peek is not None else None
            if result is None:
                raise _NotCached(name)
            self.served.append(result)
            return result
        if self._max_age is not None:
            params["max_age"] = self._max_age
        return await client.call(name, **params)

    @property
    def final(self) -> bool:
        """The cached answers need no refresh: all fresh and complete, or
        offline (there is nothing to refresh from)."""
        return all(getattr(r, "offline", False)
                   or not (getattr(r, "stale", False) or getattr(r, "redacted", False))
                   for r in self.served)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._screen.client, name)


#: `_cached_now`'s answer when the cache-only pass cannot run synchronously.
_LATER = object()


class WouldSuspend(Exception):
    """`finish_now`: the coroutine awaited something that really suspends."""


def finish_now(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never suspends to its end, here and now; its value.

    A `fetch()` whose every `client.call` is a synchronous cache lookup
    finishes on its first step. Should it suspend after all, it is closed
    and `WouldSuspend` raised; its own errors propagate.
    """
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise WouldSuspend


def error_text(error: BaseException) -> tuple[str, str]:
    """Title and message of an error as the pane shows them."""
    if isinstance(error, CtError):
        return error.title, error.message
    return "Unexpected error", type(error).__name__


def what_helps(error: BaseException) -> tuple[str, str]:
    """(status line, hint) for a failed fetch: `r` only where asking again
    can help (the network, the API's own trouble, a bad answer); otherwise
    what would."""
    if isinstance(error, OfflineError):
        return ("offline — nothing cached",
                "Nothing for this pane is cached, and the console is offline: open it "
                "again once online (started without --offline) to fetch it.")
    if isinstance(error, ApiError) and error.codes:
        kind = error.codes[0] // 100 if error.codes[0] < 1000 else 1
        if kind == 5:
            return ("failed — not found",
                    "Check the ID (it may be mistyped, removed, or another account's): "
                    "asking again will not find it.")
        if kind == 1:
            return ("failed — account problem",
                    "Check the profile's credentials and the account: asking again "
                    "will get the same answer.")
    return "failed — press r to retry", "Press r to retry."


class ResourceScreen(WorkerSafetyNet, Screen):
    """A pane that fetches one resource and shows it."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]
    #: The pane's write keys (`ui.writes.keys`): each row becomes a binding of
    #: the class that lists it, after its `BINDINGS`, and runs `action_write`.
    WRITES: ClassVar[Sequence[WriteKey[Any]]] = ()
    _write_keys: ClassVar[dict[str, WriteKey[Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        writes = cls.__dict__.get("WRITES")
        if writes:  # before Textual merges the bindings of the class
            cls.BINDINGS = [*cls.__dict__.get("BINDINGS", []), *(row.binding for row in writes)]
        super().__init_subclass__(**kwargs)
        cls._write_keys = merged_table(cls.__mro__)

    class Fetched(Message):
        """The pane's data arrived (`revalidating`: a cached answer shown
        while the fresh one is being fetched)."""

        def __init__(self, generation: int, result: Any, revalidating: bool = False) -> None:
            super().__init__()
            self.generation = generation
            self.result = result
            self.revalidating = revalidating

    class FetchFailed(Message):
        """Fetching the pane's data failed with an error worth showing."""

        def __init__(self, generation: int, error: BaseException) -> None:
            super().__init__()
            self.generation = generation
            self.error = error

    def __init__(self, client: Client, crumbs: Sequence[object]) -> None:
        super().__init__()
        #: The pane's client (a subaccount pane switches it once it has the
        #: subaccount's credentials).
        self.client = client
        self.crumbs = tuple(crumbs)
        self.generation = 0
        self.result: Any = None
        #: True while the pane's data is being reloaded by `r` (cache bypassed);
        #: subclasses fetching more than `fetch()` may pass ``max_age=0`` then.
        self.refreshing = False

    #: The part of the pane covered by a loading indicator while fetching.
    loading_target = "#body"
    #: `fetch()` awaits nothing but `client.call`, so its cache-only pass
    #: can run synchronously in `reload()` (see the module docstring).
    cache_now = True

    # -- what subclasses provide -------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield from ()

    async def fetch(self, client: Client) -> Any:
        """The pane's data, asked of `client` (the pass's view of
        `self.client`: cache only, or the API; see the module docstring)."""
        raise NotImplementedError

    def show(self, result: Any) -> None:
        raise NotImplementedError

    # -- the shared frame ----------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(self.crumbs)
        yield ErrorPanel()
        with Vertical(id="body"):
            yield from self.compose_body()
        yield FetchStatus()
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()

    @property
    def status(self) -> FetchStatus:
        return self.query_one(FetchStatus)

    @property
    def error_panel(self) -> ErrorPanel:
        return self.query_one(ErrorPanel)

    def reload(self, refresh: bool = False) -> None:
        """Start (or restart) the fetch; an older fetch still running is
        cancelled and its answer, should it arrive, ignored. `refresh`: ask
        the API whatever the cache holds."""
        self.generation += 1
        self.refreshing = refresh
        peek = not self.refreshing
        if peek and self.cache_now:
            served = self._cached_now()
            peek = served is _LATER  # the worker's cache pass, then
            if served is not None and served is not _LATER:
                result, final = served
                self.on_resource_screen_fetched(
                    self.Fetched(self.generation, result, revalidating=not final))
                self.workers.cancel_group(self, "fetch")  # an older fetch's answer is void
                if not final:
                    self.call_after_refresh(self._refresh_after_paint, self.generation)
                return
        # Data on screen stays usable, marked, while the API is asked; only
        # an empty pane gets a loading indicator.
        if self.result is None or not self.status.revalidating():
            self.status.loading()
            self.query_one(self.loading_target).loading = True
        self._fetch(self.generation, self.refreshing, peek=peek)

    def _refresh_after_paint(self, generation: int) -> None:
        """The API pass behind a cached answer shown at once, started once
        the frame showing it is out (else the request's work - the sandbox's
        answer, parsing - would run first and hold that frame back)."""
        if generation == self.generation:
            self._fetch(generation, peek=False)

    def _cached_now(self) -> Any:
        """The cache-only pass, run to its end here: the answer and whether
        it is final (needs no refresh); None when something was not cached.

        Should `fetch()` suspend after all (it awaited something else:
        `cache_now` is wrong for this pane) `_LATER` is returned and the
        worker's passes do the work. Any error is left for the worker's API
        pass to meet and report.
        """
        cached = PassClient(self, peek=True)
        try:
            result = finish_now(self.fetch(cached))  # type: ignore[arg-type]
        except WouldSuspend:
            log.warning("%s.fetch() suspended in its cache-only pass; set cache_now = False",
                        type(self).__name__)
            return _LATER
        except Exception:
            return None
        return None if result is None else (result, cached.final)

    @work(exclusive=True, group="fetch", exit_on_error=False)
    async def _fetch(self, generation: int, refresh: bool = False, peek: bool = True) -> None:
        if peek and not refresh:
            cached = PassClient(self, peek=True)
            try:
                result = await self.fetch(cached)  # type: ignore[arg-type]
            except (_NotCached, CtError):
                result = None  # the API pass below answers (or reports the error)
            if result is not None:
                self.post_message(self.Fetched(generation, result, revalidating=not cached.final))
                if cached.final:
                    return
        try:
            result = await self.fetch(
                PassClient(self, max_age=0 if refresh else None))  # type: ignore[arg-type]
        except CtError as error:
            self.post_message(self.FetchFailed(generation, error))
        else:
            self.post_message(self.Fetched(generation, result))

    def on_resource_screen_fetched(self, message: Fetched) -> None:
        if message.generation != self.generation:
            return
        self.result = message.result
        self.query_one(self.loading_target).loading = False
        self.error_panel.clear()
        result = message.result
        self.status.fetched(result.fetched_at, from_cache=result.from_cache,
                            stale=getattr(result, "stale", False),
                            offline=getattr(result, "offline", False),
                            refreshing=message.revalidating)
        self.show(result)

    def on_resource_screen_fetch_failed(self, message: FetchFailed) -> None:
        if message.generation != self.generation:
            return
        self.query_one(self.loading_target).loading = False
        self.show_failure(message.error)

    def on_worker_state_changed(self, event) -> None:
        """Beyond the notification: a fetch that crashed must not leave the
        pane spinning forever; it shows the failure and `r` retries.

        No `super()` call: Textual itself calls every class's own handler in
        the MRO, so `WorkerSafetyNet`'s notification already runs once."""
        if event.state.name == "ERROR" and event.worker.group == "fetch":
            self.query_one(self.loading_target).loading = False
            self.show_failure(event.worker.error)

    def show_failure(self, error: BaseException) -> None:
        title, text = error_text(error)
        status, hint = what_helps(error)
        self.error_panel.show_error(title, text, hint)
        self.status.failed(status)

    #: Attributes that name the object a pane is about (each pane has one).
    OBJECT_ATTRIBUTES = ("campaign_id", "session_code", "directory_id", "sub_id", "card")

    def shows_any(self, objects: frozenset[str]) -> bool:
        """Whether this pane shows one of `objects` (IDs a write changed):
        as the object it is about, a parameter of its fetch, or a row."""
        own = set()
        for name in self.OBJECT_ATTRIBUTES:
            value = getattr(self, name, None)
            value = getattr(value, "id", value)
            if isinstance(value, str):
                own.add(value)
        own.update(v for v in (getattr(self, "params", None) or {}).values()
                   if isinstance(v, str))
        if own & objects:
            return True
        try:
            model = getattr(self, "grid").model
        except Exception:  # no grid on this pane (or not composed yet)
            return False
        return any(o in model for o in objects)

    def action_write(self, write_id: str) -> None:
        """A write key of the pane's `WRITES` was pressed."""
        run_write_key(self, self._write_keys[write_id], self.client)

    def action_refresh(self) -> None:
        """Reload from the API, whatever the cache holds."""
        self.reload(refresh=True)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:  # the default screen + home stay
            self.app.pop_screen()
