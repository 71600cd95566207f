"""Find a session from anywhere: paste what the customer sent, get the session.

Support is usually handed one thing - a coupon link, a 21- or 6-character
code, the e-mail or phone number it was claimed with, or the validation code
printed on it - and wants the session's timeline. The prompt says live what
the text looks like (`ctconsole.api.finder.classify`), Enter runs the lookups
(`find_sessions`: by code account-wide, by e-mail/phone/validation code in
the whole account, or in one campaign when opened from a campaign pane), and
then: one match opens the session pane; several are listed to choose from
(Enter opens one); none says exactly what was searched. The prompt stays
open after a miss or an error, so the next try is one edit away.

`screens.session.open_find(app, text=None, campaign=None)` is the entry
point for keys and the command palette: a chosen session opens its pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ctconsole.api.errors import CtError
from ctconsole.api.finder import FindResult, Match, classify, find_sessions
from ctconsole.ui.formats import day_text
from ctconsole.ui.worker_errors import WorkerSafetyNet
from ctconsole.ui.screens.find_everywhere import EverywhereSearch, everywhere_columns, match_row
from ctconsole.safetext import clean_input
from ctconsole.ui.privacy import mask_in_text, screen_share_on
from ctconsole.ui.text import content, lines
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column

if TYPE_CHECKING:
    from ctconsole.api import Client

#: The date beside the code, so at 80 columns the matches can be told apart
#: by when (the newest first) without scrolling.
MATCH_COLUMNS = (
    Column("session", "Session", width=21),
    Column("created", "Created (UTC)", format=day_text, width=16),
    Column("campaign", "Campaign", max_width=10),
    Column("who", "Name", max_width=20, pii="name", grow=True),
    Column("email", "E-mail", max_width=28, pii="email", grow=True),
    Column("phone", "Phone", max_width=16, pii="phone"),
    Column("customvalcode", "Validation code", max_width=16),
)


def newest_first(row: dict[str, Any]) -> tuple[float, str]:
    """Order of several matches: the most recent session first (usually the
    one the customer is asking about), then by code, so the list is stable
    whatever order the API answered in."""
    created = row["created"]
    return (-created.timestamp() if created is not None else 0.0, row["session"])


class FindScreen(EverywhereSearch, WorkerSafetyNet, ModalScreen["Match | None"]):
    """The find prompt; answers the chosen match (None when closed)."""

    DEFAULT_CSS = """
    FindScreen { align: center top; }
    FindScreen #find-box {
        width: 100; max-width: 100%; height: auto; max-height: 90%;
        margin-top: 2; border: round $accent; background: $surface; padding: 0 1;
    }
    FindScreen #find-title { text-style: bold; }
    FindScreen #find-input { margin: 1 0 0 0; }
    FindScreen #find-kind { color: $text-muted; }
    FindScreen #find-result { margin-top: 1; height: auto; }
    FindScreen #find-result.-error { color: $text-error; }
    FindScreen #find-progress { height: 1; display: none; }
    FindScreen #find-failures { height: auto; color: $text-muted; display: none; }
    FindScreen.-streaming #find-progress { display: block; }
    FindScreen.-streaming #find-failures { display: block; }
    FindScreen .find-grid { display: none; height: 12; margin-top: 1; }
    FindScreen.-several.-here #find-matches { display: block; }
    FindScreen.-several.-everywhere #find-matches-all { display: block; }
    """

    BINDINGS = [Binding("escape", "close", "Close", id="find.close"),
                Binding("ctrl+t", "toggle_scope", "Everywhere / this account", id="find.scope")]

    class Found(Message):
        def __init__(self, generation: int, result: FindResult) -> None:
            super().__init__()
            self.generation = generation
            self.result = result

    class Failed(Message):
        def __init__(self, generation: int, title: str, text: str) -> None:
            super().__init__()
            self.generation = generation
            self.title = title
            self.text = text

    def __init__(self, client: Client, *, campaign: str | None = None,
                 text: str | None = None, everywhere: bool = False) -> None:
        super().__init__()
        self.client = client
        self.campaign = campaign
        self.initial_text = text or ""
        #: What was removed from the last paste ("" when nothing was).
        self.paste_note = ""
        self.generation = 0
        self.result: FindResult | None = None
        self.everywhere = everywhere and campaign is None
        self.found_in = {}

    def _title(self) -> Content:
        if self.everywhere:
            where, other = "everywhere (main account + subaccounts)", "here only"
        else:
            where = f"in campaign {self.campaign}" if self.campaign else "in the whole account"
            other = "" if self.campaign else "everywhere"
        hint = content(f"  ctrl+t: {other}", "dim") if other else Content("")
        return Content.assemble(content(f"Find a session {where}"), hint)

    def compose(self) -> ComposeResult:
        self.set_class(self.everywhere, "-everywhere")
        self.set_class(not self.everywhere, "-here")
        with Vertical(id="find-box"):
            yield Static(self._title(), id="find-title")
            cleaned = clean_input(self.initial_text)
            self.paste_note = cleaned.note
            yield Input(cleaned.text, id="find-input", compact=True,
                        placeholder="session code or link, e-mail, phone or validation code")
            yield Static("", id="find-kind", markup=False)
            yield Static("", id="find-result", markup=False)
            yield Static("", id="find-progress", markup=False)
            yield DataGrid(MATCH_COLUMNS, key="session", id="find-matches", classes="find-grid")
            yield DataGrid(everywhere_columns(MATCH_COLUMNS), key="session",
                           id="find-matches-all", classes="find-grid")
            yield Static("", id="find-failures", markup=False)

    def on_mount(self) -> None:
        self.query_one("#find-input", Input).focus()
        self.query_one("#find-input", Input).password = screen_share_on(self)
        text = self.query_one("#find-input", Input).value
        if text.strip():
            self._describe(text)
            self.search(text)
        elif self.paste_note:
            self._describe(text)

    @property
    def matches_grid(self) -> DataGrid:
        """The list the last search filled: with an account column when everywhere."""
        return self.query_one("#find-matches-all" if self.has_class("-streaming")
                              else "#find-matches", DataGrid)

    def _describe(self, text: str) -> None:
        try:
            query = classify(text)
        except ValueError:
            shown = Content("")
        else:
            shown = Content.assemble("looks like: ", (query.describe(), "bold"), " ",
                                     content(self._private(query.display)))
        if self.paste_note:
            note = content(self._private(self.paste_note), "$text-warning")
            shown = Content.assemble(shown, "\n", note) if shown else note
        self.query_one("#find-kind", Static).update(shown)

    def _private(self, text: str) -> str:
        """Under screen share, the e-mail or phone searched for is masked."""
        return mask_in_text(text) if screen_share_on(self) else text

    def privacy_changed(self) -> None:
        """Screen share on/off: what is typed is hidden (shown as dots) or not."""
        field = self.query_one("#find-input", Input)
        field.password = screen_share_on(self)
        self._describe(field.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        cleaned = clean_input(event.value)
        if cleaned.changed:
            # A paste with control characters: removed in place (the rest keeps
            # its order), and the prompt says what went. Changes again, cleaned.
            self.paste_note = cleaned.note
            field = event.input
            cursor = len(clean_input(event.value[:field.cursor_position]).text)
            field.value = cleaned.text
            field.cursor_position = cursor
            return
        if not event.value:
            self.paste_note = ""
        self._describe(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search(event.value)

    def search(self, text: str) -> None:
        """Run the lookups for `text`; the answer arrives as `Found`/`Failed`."""
        self.generation += 1
        self.remove_class("-several")
        self.set_class(self.everywhere, "-everywhere")
        self.set_class(not self.everywhere, "-here")
        self.remove_class("-streaming")
        self._everywhere_reset()
        for grid in self.query(DataGrid):
            grid.clear()
        if self.everywhere:
            self.add_class("-streaming")
            self._say("searching the main account, then every subaccount…")
            self._find_everywhere(self.generation, text)
            return
        self._say("searching…")
        self._find(self.generation, text)

    def action_toggle_scope(self) -> None:
        """Everywhere ⇄ this account (a campaign's find stays in its campaign)."""
        if self.campaign is not None:
            return
        self.cancel_everywhere()
        self.everywhere = not self.everywhere
        self.query_one("#find-title", Static).update(self._title())
        text = self.query_one("#find-input", Input).value
        if self.generation and text.strip():  # after a search: the same search, other scope
            self.search(text)

    @work(exclusive=True, group="find", exit_on_error=False)
    async def _find(self, generation: int, text: str) -> None:
        try:
            result = await find_sessions(self.client, text, campaign=self.campaign)
        except ValueError as error:
            self.post_message(self.Failed(generation, "", str(error)))
        except CtError as error:
            self.post_message(self.Failed(generation, error.title, error.message))
        else:
            self.post_message(self.Found(generation, result))

    def _say(self, text: Content | str, *, error: bool = False) -> None:
        result = self.query_one("#find-result", Static)
        result.set_class(error, "-error")
        result.update(text if isinstance(text, Content) else content(text))

    def on_find_screen_failed(self, message: Failed) -> None:
        if message.generation != self.generation:
            return
        body = lines(message.text)
        if message.title:
            body = Content.assemble(content(message.title, "bold"), "\n", body)
        self._say(body, error=True)

    def on_find_screen_found(self, message: Found) -> None:
        if message.generation != self.generation:
            return
        result = self.result = message.result
        self.remove_class("-streaming")
        self.set_class(False, "-everywhere")
        self.set_class(True, "-here")
        if result.single is not None:
            self.dismiss(result.single)
            return
        self._say(self._private(result.summary()), error=not result.found)
        if result.found:
            grid = self.matches_grid
            grid.clear()
            grid.append_rows(sorted((match_row(m) for m in result.matches), key=newest_first))
            # header + rows + status line + a horizontal scrollbar, at most 12
            grid.styles.height = min(len(result.matches) + 3, 12)
            self._show_matches()

    def _show_matches(self) -> None:
        assert self.result is not None
        self.add_class("-several")
        self._say(self._private(self.result.summary()) + " Choose one with Enter.")
        self.matches_grid.focus()

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        message.stop()
        if self.has_class("-streaming"):
            for match in self._shown_matches:
                if match.session == message.row_key:
                    if self.fan is not None:
                        self.fan.cancel()
                    self.dismiss(match)
                    return
            return
        if self.result is None:
            return
        for match in self.result.matches:
            if match.session == message.row_key:
                self.dismiss(match)
                return

    def action_close(self) -> None:
        if self.cancel_everywhere():
            self._say("Search cancelled; nothing more is sent.")
            return
        if self.has_class("-several") and self.focused is self.matches_grid:
            # Back from the list to the prompt, to refine the search; what
            # the prompt says must not offer a list that is no longer shown.
            self.remove_class("-several")
            self.query_one("#find-input", Input).focus()
            if self.result is not None:
                self._say(self._private(self.result.summary())
                          + " ↓ shows them again; Enter searches again; Esc closes.")
            return
        self.dismiss(None)

    def on_key(self, event: events.Key) -> None:
        """↓ from the prompt goes back to the matches it hid."""
        if (event.key == "down" and self.result is not None and self.result.found
                and self.result.single is None and not self.has_class("-several")
                and self.focused is self.query_one("#find-input", Input)):
            event.stop()
            self._show_matches()

