"""Telling the user what state a pane's data is in.

`FetchStatus` is the one-line provenance under every pane (`fetched 12:03:04
UTC`, `cached · 4 min ago · refreshing…`, `offline · cached 4 min ago`,
`loading…`, `failed — press r to retry`);
`ErrorPanel` shows an API error's title and message in the pane itself, so a
failure is something you read and retry, never a traceback.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from ctconsole.ui.text import content, lines
from ctconsole.ui.timefmt import ago_text, app_now, freshness_text


class FetchStatus(Static):
    """Where the data on screen came from and how old it is."""

    DEFAULT_CSS = """
    FetchStatus {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        background: $surface;
    }
    FetchStatus.-error { color: $text-error; }
    """

    def __init__(self, *, id: str | None = "status") -> None:
        super().__init__("", id=id, markup=False)
        self._fetched_at: datetime | None = None
        self._from_cache = False
        self._stale = False
        self._offline = False
        self._refreshing = False
        self._note = ""
        self._failure = ""
        self.state = "idle"

    def on_mount(self) -> None:
        # "4 min ago" must keep ageing while the pane stays open.
        self.set_interval(30, self._render_state)

    def _now(self) -> datetime:
        return app_now(self.app)

    def loading(self, note: str = "loading…") -> None:
        self.state = "loading"
        self._note = note
        self._render_state()

    def fetched(self, fetched_at: datetime, *, from_cache: bool = False, stale: bool = False,
                note: str = "", offline: bool = False, refreshing: bool = False) -> None:
        """Data is on screen. `offline`: a cached answer served because the
        API was not asked or could not be reached; `refreshing`: a cached
        answer shown while the fresh one is on its way."""
        self.state = "ok"
        self._fetched_at = fetched_at
        self._from_cache = from_cache
        self._stale = stale
        self._offline = offline and from_cache
        self._refreshing = refreshing
        self._note = note
        self._render_state()

    def revalidating(self) -> bool:
        """The data on screen is being fetched again: it stays, marked
        "refreshing…" (after a failure too). False, and nothing changed, when
        no data has been shown."""
        if self._fetched_at is None:
            return False
        self.state = "ok"
        self._refreshing = True
        self._render_state()
        return True

    def note(self, note: str) -> None:
        """Extra progress text beside the provenance (e.g. sessions loaded)."""
        self._note = note
        self._render_state()

    def failed(self, text: str = "failed — press r to retry") -> None:
        """The fetch failed; `text` says so and what would help."""
        self.state = "error"
        self._refreshing = False
        self._failure = text
        self._render_state()

    def _render_state(self) -> None:
        self.set_class(self.state == "error", "-error")
        if self.state == "loading":
            text = self._note
        elif self.state == "error":
            text = self._failure
            if self._fetched_at is not None:
                text += " · showing data " + self._freshness()
        elif self.state == "ok" and self._fetched_at is not None:
            text = self._freshness()
            if self._note:
                text += f" · {self._note}"
        else:
            text = ""
        self.update(Content(text))

    def _freshness(self) -> str:
        assert self._fetched_at is not None
        if self._offline:
            return f"offline · cached {ago_text(self._fetched_at, self._now())}"
        text = freshness_text(self._fetched_at, self._now(), from_cache=self._from_cache,
                              stale=self._stale and not self._refreshing)
        return f"{text} · refreshing…" if self._refreshing else text


class ErrorPanel(Static):
    """An API error, in the pane: its title, its message, and how to retry."""

    DEFAULT_CSS = """
    ErrorPanel {
        display: none;
        height: auto;
        margin: 1 1;
        padding: 0 1;
        border: round $error;
        color: $text-error;
    }
    ErrorPanel.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = "error") -> None:
        super().__init__("", id=id, markup=False)
        self.title_text = ""
        self.message_text = ""

    def show_error(self, title: str, message: str, hint: str = "Press r to retry.") -> None:
        self.title_text = title
        self.message_text = message
        body = Content.assemble(
            content(title).stylize("bold"), "\n", lines(message), "\n", Content(hint)
        )
        self.update(body)
        self.add_class("-shown")

    def clear(self) -> None:
        self.title_text = self.message_text = ""
        self.update("")
        self.remove_class("-shown")

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")
