"""Result screens with something to take away: a login link, a new URL, a batch of codes.

Why subclasses of `ResultScreen` (passed as `start_write(result_screen=…)`):
some writes exist only for what they answer. A password-reset or
single-sign-on link is handed to a customer on the phone; a batch of
single-use codes goes into the customer's mailing. So the result shows them,
copies them (OSC 52, `ctconsole.ui.clipboard`) and exports the batch
(`ctconsole.ui.export`), on top of everything `ResultScreen` says.

Login links are credentials: they are shown here (that is the point) but
hidden while screen share is on, never put in a notification (the copy notice
says what was copied, not the value) and never journaled (the engine redacts
the answer before it is written; the tests grep the journal file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from ctconsole.ui import clipboard
from ctconsole.ui.export import render, write_private
from ctconsole.ui.formats import count_of
from ctconsole.ui.privacy import screen_share_on
from ctconsole.ui.text import plain
from ctconsole.ui.timefmt import app_now
from ctconsole.ui.widgets.export_dialog import ExportChoice, ExportDialog
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column

from .result import ResultScreen

if TYPE_CHECKING:
    from ctconsole.writes import WriteOutcome


@dataclass(frozen=True)
class Takeaway:
    """One value the user takes away from a result (copied with a key)."""

    label: str
    value: str
    #: A credential: hidden under screen share, never shown in a notice.
    secret: bool = False


def _reveal(value: Any) -> str:
    """The text of a model value (a `SecretStr` revealed: the user asked for it)."""
    if value is None:
        return ""
    if hasattr(value, "get_secret_value"):
        return str(value.get_secret_value() or "")
    return str(value)


class TakeawayResult(ResultScreen):
    """A result with values to copy: `c` or `1` the first, `2`, `3` the next."""

    BINDINGS = [
        Binding("c,1", "copy(0)", "Copy", id="write.copy"),
        Binding("2", "copy(1)", "Copy the 2nd", show=False, id="write.copy_2"),
        Binding("3", "copy(2)", "Copy the 3rd", show=False, id="write.copy_3"),
    ]

    def takeaways(self, outcome: WriteOutcome) -> list[Takeaway]:
        """What the answer hands over (none unless the write was applied)."""
        return []

    @property
    def items(self) -> list[Takeaway]:
        if not self.outcome.ok or self.outcome.result is None:
            return []
        return [t for t in self.takeaways(self.outcome) if t.value]

    def on_mount(self) -> None:
        items = self.items
        if not items:
            return
        hidden = screen_share_on(self)
        lines = [Content("To take away").stylize("bold underline")]
        for number, item in enumerate(items, 1):
            keys = f"c or {number}" if number == 1 else str(number)
            lines.append(Content.assemble(" ", (f"{number} {item.label}", "bold"),
                                          (f"  ({keys} copies it)", "dim")))
            shown = "(hidden while screen share is on; copy it with its key)" \
                if item.secret and hidden else item.value
            # On a line of its own: a long URL wraps, but starts at the margin.
            lines.append(Content.assemble("   ", plain(shown)))
        if any(t.secret for t in items):
            lines.append(Content("A login: hand it only to the account's owner. It is not "
                                 "journaled and expires on its own.").stylize("dim"))
        body = Content("\n").join(lines)
        self.query_one("#result-body").mount(Static(body, id="takeaways", markup=False),
                                             after="#facts")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy":
            index = parameters[0] if parameters else 0
            return isinstance(index, int) and index < len(self.items)
        return super().check_action(action, parameters)

    def action_copy(self, index: int = 0) -> None:
        items = self.items
        if not 0 <= index < len(items):
            return
        item = items[index]
        # A login link never goes into a notification: the notice names it only.
        clipboard.copy(self.app, item.value, item.label, shown=not item.secret)


class LoginUrlResult(TakeawayResult):
    """`subaccount.reset_url` and `subaccount.sso`: the one-time login link(s)."""

    def takeaways(self, outcome: WriteOutcome) -> list[Takeaway]:
        data = outcome.result.data
        if outcome.plan.operation == "subaccount.reset_url":
            return [Takeaway("password-reset URL", _reveal(data.url), secret=True)]
        grant = data.subaccount
        return [Takeaway("login URL", _reveal(grant.url), secret=True),
                Takeaway("white-label login URL", _reveal(grant.url_whitelabel), secret=True),
                Takeaway("login token", _reveal(grant.token), secret=True)]


class CreatedSubaccountResult(TakeawayResult):
    """`subaccount.create`: the new subaccount's ID (what the next ticket needs)."""

    def takeaways(self, outcome: WriteOutcome) -> list[Takeaway]:
        return [Takeaway("new subaccount ID", _reveal(outcome.result.data.subaccount.id))]


class SingleUseResult(TakeawayResult):
    """`singleuse.create`: the new URL to hand to the person, and its codes."""

    def takeaways(self, outcome: WriteOutcome) -> list[Takeaway]:
        data = outcome.result.data
        return [Takeaway("single-use URL", _reveal(data.single_use_url)),
                Takeaway("session code", _reveal(data.single_use_code)),
                Takeaway("validation code", _reveal(data.customvalcode
                                                    or data.widget_validation_code))]


CODE_COLUMNS = (
    Column("code", "Session code", width=21),
    Column("customvalcode", "Validation code", max_width=26),
    Column("url", "Single-use URL", max_width=60),
    Column("sequence", "Seq", align="right", max_width=8),
)


def code_rows(outcome: WriteOutcome) -> list[dict[str, Any]]:
    """The codes `singleuse.create_many` answered, as rows (export order)."""
    if not outcome.ok or outcome.result is None:
        return []
    return [{"code": c.single_use_code, "customvalcode": c.customvalcode or "",
             "url": c.single_use_url, "sequence": c.sequence_id}
            for c in outcome.result.data.codes]


class CreatedCodesResult(ResultScreen):
    """`singleuse.create_many`: every created code in a grid, `e` exports them."""

    DEFAULT_CSS = """
    CreatedCodesResult #result-body { height: auto; max-height: 45%; }
    CreatedCodesResult #codes-note { height: auto; padding: 0 1; color: $text-muted; }
    CreatedCodesResult #codes { height: 1fr; }
    """

    BINDINGS = [
        Binding("e", "export", "Export codes", id="write.export_codes"),
        Binding("c", "copy", "Copy URL", id="write.copy"),
    ]

    def on_mount(self) -> None:
        rows = code_rows(self.outcome)
        self.rows = rows
        if not rows:
            return
        count = count_of(len(rows), "code", grouped=True)
        note = Content(plain(f"{count} created · e exports them (CSV/JSON) · c copies the URL "
                             "under the cursor · Esc back"))
        # Without automated codes the validation code column is empty: not shown
        # (the export keeps every column, so files of one campaign line up).
        columns = [c for c in CODE_COLUMNS
                   if c.key != "customvalcode" or any(r["customvalcode"] for r in rows)]
        grid = DataGrid(columns, key="code", id="codes")
        footer = self.query_one("Footer")
        self.mount(Static(note, id="codes-note", markup=False), before=footer)
        self.mount(grid, before=footer)
        grid.append_rows(rows)
        self.set_focus(grid)

    @property
    def export_name(self) -> str:
        campaign = str(self.outcome.plan.params.get("campaign") or "campaign")
        return f"{campaign}-singleuse-created"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("export", "copy"):
            return bool(getattr(self, "rows", None))
        return super().check_action(action, parameters)

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        message.stop()  # Enter leaves, as on every result screen
        self.action_close()

    def action_copy(self) -> None:
        grid = self.query_one("#codes", DataGrid)
        if grid.cursor_row_key is None:
            return
        url = str(grid.cursor_value("url") or "")
        clipboard.copy(self.app, url, f"URL of {grid.cursor_row_key}")

    def action_export(self) -> None:
        now = app_now(self.app)
        self.app.push_screen(ExportDialog(self.export_name, len(self.rows), now=now),
                             self._export_chosen)

    def _export_chosen(self, choice: ExportChoice | None) -> None:
        if choice is not None:
            self._write_export(choice)

    @work(thread=True, group="export-codes", exit_on_error=False)
    def _write_export(self, choice: ExportChoice) -> None:
        fmt, path, replace = choice
        columns = [c.key for c in CODE_COLUMNS]
        try:
            written = write_private(path, render(fmt, columns, self.rows), replace=replace)
        except FileExistsError:
            self.app.call_from_thread(
                self.app.notify, f"{plain(path)} already exists; nothing was overwritten.",
                title="Export not written", severity="error", markup=False)
            return
        except OSError as error:
            self.app.call_from_thread(
                self.app.notify, f"{plain(path)}: {plain(error.strerror or type(error).__name__)}",
                title="Export failed", severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.app.notify, f"{len(self.rows):,} codes written to {plain(written)}",
            title="Exported", markup=False, timeout=8)

