"""What every pane with a table offers: filter, copy, export, find.

Why a shared base screen: support work is "narrow the list, grab a value,
send the rows to someone", and it must work the same in every list (home's
subaccounts, campaigns, loyalty cards, directories, a campaign's sessions).
`ListScreen` and `CampaignScreen` derive from `TableScreen`; a pane gives its
grid (`grid`), a name for export files (`export_name`) and composes the
filter bar (`FilterBar`) under its grid.

Keys (ids usable in the keymap): filter and copy come from `ListKeys`
(`/`, `y`, `Y`, `i`; the journal has them too), `e`
export the filtered view (`table.export`), `f` find a session
(`find.open`). Sorting is the grid's own `s`/`S` on the cursor column
(`←`/`→` pick the column); `?` lists every key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding

from ctconsole.ui.formats import count_of
from ctconsole.ui.screens.base import ResourceScreen
from ctconsole.ui.text import plain
from ctconsole.ui.timefmt import app_now
from ctconsole.ui.screens.list_keys import ListKeys

if TYPE_CHECKING:
    from ctconsole.ui.widgets.export_dialog import ExportChoice


class TableScreen(ListKeys, ResourceScreen):
    """A `ResourceScreen` whose main content is a `DataGrid`."""

    BINDINGS = [
        # Priority, like `/` (see `ListKeys`): "f" typed in the filter bar is a
        # character (see `check_action`).
        Binding("f", "find", "Find", id="find.open", priority=True),
        Binding("e", "export", "Export shown rows", show=False, id="table.export"),
    ]

    @property
    def export_name(self) -> str:
        """The pane's part of an export file name."""
        return "export"

    @property
    def find_campaign(self) -> str | None:
        """The campaign `f` searches within (None: the whole account)."""
        return None

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
        now = app_now(self.app)
        # Lazy for start-up: the export dialog loads with the first export.
        from ctconsole.ui.widgets.export_dialog import ExportDialog

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
        # Lazy for start-up: the file formats load with the first export.
        from ctconsole.ui.export import render, write_private

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
