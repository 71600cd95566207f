"""The small dialog that asks how and where to export a list.

It only asks: the format (CSV for spreadsheets, JSON for scripts) and the
file path, pre-filled with `~/ctconsole-exports/<pane>-<UTC time>.csv`.
Switching the format switches the path's extension. Enter (or Export)
answers `(format, path)`; Escape (or Cancel) answers None. The writing is
done by the pane (`TableScreen`), with `ctconsole.ui.export`.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from ctconsole.ui.export import FORMATS, Format, default_path, exists, export_path, with_format
from ctconsole.ui.formats import count_of
from ctconsole.ui.text import content, plain
from ctconsole.ui.timefmt import utc_now


class ExportChoice(NamedTuple):
    format: Format
    path: str
    #: The file exists and the user confirmed replacing it.
    replace: bool = False


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Ask the export format and path."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog #export-box {
        width: 72; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ExportDialog #export-title { text-style: bold; }
    ExportDialog #export-note { color: $text-muted; }
    ExportDialog #export-error { color: $text-error; }
    ExportDialog RadioSet { layout: horizontal; border: none; height: auto; }
    ExportDialog #export-path { margin: 0 0 1 0; }
    ExportDialog #export-buttons { height: auto; align-horizontal: right; }
    ExportDialog Button { margin-left: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, pane: str, count: int, *, now: datetime | None = None,
                 note: str = "") -> None:
        super().__init__()
        self.pane = pane
        self.count = count
        self.note = note
        self.format: Format = "csv"
        self.initial_path = default_path(pane, now or utc_now(), "csv")
        #: The existing file the user was warned about (Enter again replaces it).
        self.confirming: str | None = None

    def compose(self) -> ComposeResult:
        rows = count_of(self.count, "row", grouped=True)
        with Vertical(id="export-box"):
            yield Static(Content.assemble("Export ", rows, " of ", content(self.pane)),
                         id="export-title")
            if self.note:
                yield Static(content(self.note), id="export-note")
            with RadioSet(id="export-format"):
                yield RadioButton("CSV (spreadsheets)", value=True, id="format-csv")
                yield RadioButton("JSON (scripts)", id="format-json")
            yield Static("File (private to you; a bare name goes in ~/ctconsole-exports):",
                         markup=False)
            yield Input(self.initial_path, id="export-path", compact=True,
                        select_on_focus=False)
            yield Static("", id="export-error", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export-ok", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        path.focus()
        path.cursor_position = len(path.value) - len("." + self.format)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._warn("")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.format = FORMATS[event.index]
        path = self.query_one("#export-path", Input)
        path.value = with_format(path.value, self.format)
        self._warn("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-ok":
            self._answer()
        else:
            self.dismiss(None)

    def _warn(self, text: str, confirming: str | None = None) -> None:
        self.confirming = confirming
        self.query_one("#export-error", Static).update(text)

    def _answer(self) -> None:
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            self._warn("Give a file path.")
            return
        path = export_path(typed, self.format)
        if exists(path):
            if self.confirming != path:
                self._warn(f"{plain(path)} exists. Enter again replaces it; "
                           "or change the name.", confirming=path)
                return
            self.dismiss(ExportChoice(self.format, path, replace=True))
            return
        self.dismiss(ExportChoice(self.format, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
