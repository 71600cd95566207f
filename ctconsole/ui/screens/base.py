"""What every data pane shares: crumbs, a fetch worker, feedback, back/refresh.

A pane subclasses `ResourceScreen`, composes its body, says how to `fetch()`
its data and how to `show()` it. The base class runs the fetch in an
exclusive async worker, reports the outcome as a past-tense message
(`Fetched` / `FetchFailed`) tagged with a generation number so a slow,
superseded answer is dropped instead of overwriting a newer one, shows a
loading indicator meanwhile, and puts API errors in the pane with a retry
hint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from ctconsole.api.errors import CtError
from ctconsole.ui.app import WorkerSafetyNet
from ctconsole.ui.widgets.breadcrumbs import Breadcrumbs
from ctconsole.ui.widgets.feedback import ErrorPanel, FetchStatus

if TYPE_CHECKING:
    from ctconsole.api import Client


def error_text(error: BaseException) -> tuple[str, str]:
    """Title and message of an error as the pane shows them."""
    if isinstance(error, CtError):
        return error.title, error.message
    return "Unexpected error", type(error).__name__


class ResourceScreen(WorkerSafetyNet, Screen):
    """A pane that fetches one resource and shows it."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "refresh", "Refresh", id="refresh"),
    ]

    class Fetched(Message):
        """The pane's data arrived."""

        def __init__(self, generation: int, result: Any) -> None:
            super().__init__()
            self.generation = generation
            self.result = result

    class FetchFailed(Message):
        """Fetching the pane's data failed with an error worth showing."""

        def __init__(self, generation: int, error: BaseException) -> None:
            super().__init__()
            self.generation = generation
            self.error = error

    def __init__(self, client: Client, crumbs: Sequence[object]) -> None:
        super().__init__()
        self.client = client
        self.crumbs = tuple(crumbs)
        self.generation = 0
        self.result: Any = None

    #: The part of the pane covered by a loading indicator while fetching.
    loading_target = "#body"

    # -- what subclasses provide -------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield from ()

    async def fetch(self) -> Any:
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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()

    @property
    def status(self) -> FetchStatus:
        return self.query_one(FetchStatus)

    @property
    def error_panel(self) -> ErrorPanel:
        return self.query_one(ErrorPanel)

    def reload(self) -> None:
        """Start (or restart) the fetch; an older fetch still running is
        cancelled and its answer, should it arrive, ignored."""
        self.generation += 1
        self.status.loading()
        self.query_one(self.loading_target).loading = True
        self._fetch(self.generation)

    @work(exclusive=True, group="fetch", exit_on_error=False)
    async def _fetch(self, generation: int) -> None:
        try:
            result = await self.fetch()
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
        self.status.fetched(message.result.fetched_at, from_cache=message.result.from_cache,
                            stale=getattr(message.result, "stale", False))
        self.show(message.result)

    def on_resource_screen_fetch_failed(self, message: FetchFailed) -> None:
        if message.generation != self.generation:
            return
        self.query_one(self.loading_target).loading = False
        self.show_failure(message.error)

    def on_worker_state_changed(self, event) -> None:
        """Beyond the notification: a fetch that crashed must not leave the
        pane spinning forever; it shows the failure and `r` retries."""
        super().on_worker_state_changed(event)
        if event.state.name == "ERROR" and event.worker.group == "fetch":
            self.query_one(self.loading_target).loading = False
            self.show_failure(event.worker.error)

    def show_failure(self, error: BaseException) -> None:
        title, text = error_text(error)
        self.error_panel.show_error(title, text)
        self.status.failed()

    def action_refresh(self) -> None:
        self.reload()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:  # the default screen + home stay
            self.app.pop_screen()
