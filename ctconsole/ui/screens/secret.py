"""The first screen while a profile's `client_secret_command` runs.

A password manager's command may wait for a touch, a PIN or an unlock
dialog, or hang. Until it answers nothing can be fetched, but the cached
data of the account is there (the cache is keyed by the client ID, not the
secret). So the console says at once what it is waiting for and for how
long, and lets the user stop waiting: Esc browses the cached data offline
(writes refused), q quits. When the command fails or times out, the same
choices stay, plus r to run it again.

`pending` is the CLI's handle on the command (no Textual, no httpx here):
`describe` (what runs, in words), `timeout` (seconds), `run()` (blocking,
in a thread: the secret, or raises with a message), `cancel()` (stops a
run, from any thread) and `connect(secret)` (puts the client online with it).
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ctconsole.ui.text import content, plain
from ctconsole.ui.widgets.footer import KeyFooter


class PendingSecret(Protocol):
    describe: str
    timeout: float

    def run(self) -> str: ...

    def cancel(self) -> None: ...

    def connect(self, secret: str) -> None: ...


class SecretScreen(Screen[None]):
    """Waiting for the client secret; the way on: online, offline, or quit."""

    DEFAULT_CSS = """
    SecretScreen { align: center middle; }
    SecretScreen #secret-box { width: 100%; max-width: 84; height: auto;
                               border: round $primary; padding: 0 1; }
    SecretScreen #secret-title { text-style: bold; }
    SecretScreen #secret-status.-failed { color: $text-error; }
    SecretScreen #secret-hint { color: $text-muted; }
    SecretScreen Static { width: 100%; }
    """

    BINDINGS = [
        Binding("escape,o", "offline", "Browse cached data offline", id="secret.offline"),
        Binding("r", "retry", "Run it again", id="secret.retry", show=False),
        Binding("q", "quit_now", "Quit", id="secret.quit"),
    ]

    def __init__(self, pending: Any, profile_name: str) -> None:
        super().__init__()
        self.pending: PendingSecret = pending
        self.profile_name = profile_name
        self.running = False
        self.failure: str | None = None
        self._started = time.monotonic()

    def compose(self) -> ComposeResult:
        with Vertical(id="secret-box"):
            yield Static(content(f"Profile {self.profile_name!r}: getting the client secret"),
                         id="secret-title", markup=False)
            yield Static("", id="secret-status", markup=False)
            yield Static("", id="secret-hint", markup=False)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.set_interval(1.0, self._show)
        self._start()

    def _start(self) -> None:
        self.running, self.failure = True, None
        self._started = time.monotonic()
        self._show()
        self._resolve()

    def _show(self) -> None:
        status = self.query_one("#secret-status", Static)
        hint = self.query_one("#secret-hint", Static)
        status.set_class(self.failure is not None, "-failed")
        if self.failure is not None:
            status.update(Content.assemble(("✖ ", "bold"), content(self.failure)))
            hint.update("Esc: browse the cached data offline (writes refused) · "
                        "r: run it again · q: quit")
            return
        waited = int(time.monotonic() - self._started)
        status.update(content(f"{plain(self.pending.describe)}… {waited} s "
                              f"(gives up after {self.pending.timeout:g} s)"))
        hint.update("Esc: stop waiting and browse the cached data offline (writes refused) · "
                    "q: quit")

    @work(thread=True, exclusive=True, group="client-secret", exit_on_error=False)
    def _resolve(self) -> None:
        try:
            secret = self.pending.run()
        except Exception as exc:  # the command's failure, in words (never its output)
            message = str(exc) or type(exc).__name__
            self.app.call_from_thread(self._failed, message)
            return
        self.app.call_from_thread(self._resolved, secret)

    def _failed(self, message: str) -> None:
        if not self.running:
            return  # cancelled: the user has moved on
        self.running, self.failure = False, message
        self._show()

    def _resolved(self, secret: str) -> None:
        if not self.running:
            return
        self.running = False
        self.pending.connect(secret)
        self.app.go_online()  # type: ignore[attr-defined]

    def _stop(self) -> None:
        if self.running:
            self.running = False
            self.pending.cancel()

    def action_offline(self) -> None:
        why = "you stopped the client secret command" if self.failure is None \
            else f"the client secret could not be had ({self.failure})"
        self._stop()
        self.app.go_offline(why)  # type: ignore[attr-defined]

    def action_retry(self) -> None:
        if not self.running:
            self._start()

    def action_quit_now(self) -> None:
        failed = self.failure is not None
        self._stop()
        # Said again on the terminal after the console's screen is gone; as
        # plain text, never markup (the message names paths and commands).
        self.app.exit(return_code=2 if failed else 0,
                      message=Text(f"ctconsole: {plain(self.failure)}") if failed else None)
