"""Filter and copy, the keys every list in the console answers to.

Why shared: the README promises `/` and `y` in any list, and a support
person reaches for them without looking which pane they are in. A screen
with a `DataGrid` (`grid`) and a `FilterBar` composed under it mixes in
`ListKeys` (a `Screen`, since Textual merges bindings only from its own
classes) before its other bases.

Keys (ids usable in the keymap): `/` filter (`table.filter`), `y` copy the
cell under the cursor (`table.copy_cell`), `Y` copy the row as tab-separated
values (`table.copy_row`), `i` copy the row's key (`table.copy_id`).
Clipboard text goes through `ctconsole.ui.clipboard` (and so `safetext`).
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from ctconsole.ui import clipboard
from ctconsole.ui.widgets.filter_bar import FilterBar
from ctconsole.ui.widgets.grid import DataGrid


class ListKeys(Screen):
    """Filter and copy for a screen showing a `DataGrid` with a `FilterBar`."""

    BINDINGS = [
        # Priority: handled as the key arrives, before keys typed after it are
        # routed, so "/gmail" typed fast (or while pages load) lands in the bar
        # instead of firing the grid's `g`, `m`… (see `check_action`).
        Binding("slash", "filter", "Filter", id="table.filter", key_display="/", priority=True),
        Binding("y", "copy_cell", "Copy cell", show=False, id="table.copy_cell"),
        Binding("Y", "copy_row", "Copy row", show=False, id="table.copy_row"),
        Binding("i", "copy_id", "Copy ID", show=False, id="table.copy_id"),
    ]

    #: How the row key is named in "Copied …" notifications.
    id_label = "ID"

    @property
    def grid(self) -> DataGrid:
        raise NotImplementedError

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

