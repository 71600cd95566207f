"""What every pane with a table offers: filter, copy, export, find.

Why a shared base screen: support work is "narrow the list, grab a value,
send the rows to someone", and it must work the same in every list (home's
subaccounts, campaigns, loyalty cards, directories, a campaign's sessions).
`ListScreen` and `CampaignScreen` derive from `TableScreen`; a pane gives its
grid (`grid`), a name for export files (`export_name`) and composes the
filter bar (`FilterBar`) under its grid.

Keys (ids usable in the keymap): `/` filter (`table.filter`), `y` copy the
cell under the cursor (`table.copy_cell`), `Y` copy the row as tab-separated
values (`table.copy_row`), `i` copy the row's ID (`table.copy_id`), `e`
export the filtered view (`table.export`), `f` find a session
(`find.open`). Sorting is the grid's own `s`/`S` on the cursor column
(`←`/`→` pick the column); `?` lists every key.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.binding import Binding
from textual.widgets import Input

from ctconsole.ui import clipboard
from ctconsole.ui.export import render, write_private
from ctconsole.ui.formats import count_of
from ctconsole.ui.screens.base import ResourceScreen
from ctconsole.ui.text import plain
from ctconsole.ui.widgets.export_dialog import ExportChoice, ExportDialog
from ctconsole.ui.widgets.filter_bar import FilterBar
from ctconsole.ui.widgets.grid import DataGrid


class TableScreen(ResourceScreen):
    """A `ResourceScreen` whose main content is a `DataGrid`."""

    BINDINGS = [
        # Priority: handled as the key arrives, before keys typed after it are
        # routed, so "/gmail" typed fast (or while pages load) lands in the bar
        # instead of firing the grid's `g`, `m`… (see `check_action`).
        Binding("slash", "filter", "Filter", id="table.filter", key_display="/", priority=True),
        Binding("f", "find", "Find", id="find.open", priority=True),
        Binding("y", "copy_cell", "Copy cell", show=False, id="table.copy_cell"),
        Binding("Y", "copy_row", "Copy row", show=False, id="table.copy_row"),
        Binding("i", "copy_id", "Copy ID", show=False, id="table.copy_id"),
        Binding("e", "export", "Export shown rows", show=False, id="table.export"),
    ]

    #: How the row key is named in "Copied …" notifications.
    id_label = "ID"

    @property
    def grid(self) -> DataGrid:
        raise NotImplementedError

    @property
    def export_name(self) -> str:
        """The pane's part of an export file name."""
        return "export"

    @property
    def find_campaign(self) -> str | None:
        """The campaign `f` searches within (None: the whole account)."""
        return None

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` and `f` are characters, not commands, while an input has focus."""
        if action in ("filter", "find") and isinstance(self.focused, Input):
            return False
        return super().check_action(action, parameters)

    # -- filter ----------------------------------------------------------------

    def action_filter(self) -> None:
        self.filter_bar.open()
        self.update_filter_count()

    def on_filter_bar_changed(self, message: FilterBar.Changed) -> None:
        message.stop()
        self.grid.set_filter(message.text)
        self.update_filter_count()

    def on_filter_bar_done(self, message: FilterBar.Done) -> None:
        message.stop()
        if not message.kept:
            self.grid.set_filter("")
            self.update_filter_count()
        self.set_focus(self.grid)

    def update_filter_count(self) -> None:
        """Refresh the bar's "N of M" (call after rows arrive or go)."""
        model = self.grid.model
        self.filter_bar.show_count(len(model.view), len(model))

    def reapply_filter(self) -> None:
        """After `grid.clear()` (a refresh, another view): filter the new rows
        with the text still in the bar."""
        text = self.filter_bar.text
        if text.strip():
            self.grid.set_filter(text)
        self.update_filter_count()

    def focus_grid_unless_typing(self) -> None:
        """Data arrived: give the grid focus, unless the user is typing a filter.

        Synchronously (`set_focus`, not `focus()`, which runs later): a
        deferred focus could land after the user pressed `/` and steal the
        keys meant for the filter bar."""
        if self.focused is not self.filter_bar.input:
            self.set_focus(self.grid)

    # -- copy ------------------------------------------------------------------

    def _cursor_record(self) -> dict[str, Any] | None:
        grid = self.grid
        if grid.cursor_row_key is None:
            return None
        return {column.key: grid.cursor_value(column.key) for column in grid.model.columns}

    def action_copy_cell(self) -> None:
        grid = self.grid
        if grid.cursor_row_key is None:
            clipboard.refuse(self.app, "the list", "is empty.")
            return
        column = grid.model.columns[grid.cursor_column]
        value = grid.cursor_value(column.key)
        what = f"{column.label} of {grid.cursor_row_key}"
        if clipboard.is_secret(value):
            clipboard.refuse(self.app, what, "is a secret; reveal it and copy it by hand.")
            return
        text = clipboard.csv_cell(value)
        if not text:
            clipboard.refuse(self.app, what, "is empty.")
            return
        clipboard.copy(self.app, text, what)

    def action_copy_row(self) -> None:
        record = self._cursor_record()
        if record is None:
            clipboard.refuse(self.app, "the list", "is empty.")
            return
        text, masked = clipboard.row_text([c.key for c in self.grid.model.columns], record)
        what = f"row {self.grid.cursor_row_key}" + (" (secrets masked)" if masked else "")
        clipboard.copy(self.app, text, what)

    def action_copy_id(self) -> None:
        key = self.grid.cursor_row_key
        if key is None:
            clipboard.refuse(self.app, "the list", "is empty.")
            return
        clipboard.copy(self.app, key, self.id_label)

    # -- export ----------------------------------------------------------------

    def action_export(self) -> None:
        grid = self.grid
        count = len(grid.model.view)
        if not count:
            self.app.notify("Nothing to export: no rows are shown.", severity="warning",
                            markup=False)
            return
        note = ""
        if grid.loading_progress is not None:
            note = "Still loading: only the rows loaded so far are exported."
        elif grid.model.filter_text.strip():
            note = f"Only the rows matching the filter ({count:,} of {len(grid.model):,})."
        now = self.app.clock() if hasattr(self.app, "clock") else None
        dialog = ExportDialog(self.export_name, count, now=now, note=note)
        self.app.push_screen(dialog, self._export_chosen)

    def _export_chosen(self, choice: ExportChoice | None) -> None:
        if choice is None:
            return
        model = self.grid.model
        columns = [column.key for column in model.columns]
        # Taken now, in the UI thread: later sorting or filtering must not
        # change what this export writes.
        records = model.view_records()
        self._write_export(choice, columns, records)

    @work(thread=True, group="export", exit_on_error=False)
    def _write_export(self, choice: ExportChoice, columns: list[str],
                      records: list[dict[str, Any]]) -> None:
        fmt, path, replace = choice
        try:
            written = write_private(path, render(fmt, columns, records), replace=replace)
        except FileExistsError:
            self.app.call_from_thread(
                self.app.notify, f"{plain(path)} already exists; nothing was overwritten.",
                title="Export not written", severity="error", markup=False)
            return
        except OSError as error:
            reason = plain(error.strerror or type(error).__name__)
            self.app.call_from_thread(
                self.app.notify, f"{plain(path)}: {reason}", title="Export failed",
                severity="error", markup=False)
            return
        rows = count_of(len(records), "row", grouped=True)
        self.app.call_from_thread(
            self.app.notify, f"{rows} written to {plain(written)}", title="Exported",
            markup=False, timeout=8)

    # -- find ------------------------------------------------------------------

    def action_find(self) -> None:
        # Lazy for start-up: the session pane's module loads when one is first opened.
        from ctconsole.ui.screens.session import open_find

        open_find(self.app, campaign=self.find_campaign, client=self.client, origin=self)
