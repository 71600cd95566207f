"""Panes that are one table of things: fetch a list, show it, Enter drills in.

`ListScreen` keeps the row → model mapping so a selected row becomes the
model it came from; subclasses declare the operation, the columns and what
opening a row does. The table is the shared virtualised `DataGrid`, with the
filter bar under it; filtering, copying, exporting and finding come from
`TableScreen`, so every list has them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Mapping, Sequence

from textual.app import ComposeResult

from ctconsole.ui.screens.base import ResourceScreen
from ctconsole.ui.screens.tables import TableScreen
from ctconsole.ui.widgets.filter_bar import FilterBar
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column

if TYPE_CHECKING:
    from ctconsole.api import Client


def day_text(value: Any) -> str:
    """Dates and date-times the way lists show them (no seconds)."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def count_text(value: Any) -> str:
    return "" if value is None else str(value)


class ListScreen(TableScreen):
    """A pane showing one list operation's items in a grid."""

    #: Catalogue operation that fetches the list.
    operation: ClassVar[str]
    columns: ClassVar[Sequence[Column]]
    #: Column whose value identifies a row (its entity ID).
    key: ClassVar[str] = "id"
    #: What the grid says when the list is empty.
    empty_text: ClassVar[str] = "Nothing here."

    def __init__(self, client: Client, crumbs: Sequence[object], **params: Any) -> None:
        super().__init__(client, crumbs)
        self.params = params
        self.items: dict[str, Any] = {}

    def compose_body(self) -> ComposeResult:
        yield from self.compose_above()
        yield DataGrid(self.columns, key=self.key, id="grid")
        yield FilterBar(id="filter-bar")

    def compose_above(self) -> ComposeResult:
        """Widgets above the table (detail panes put their fields here)."""
        yield from ()

    @property
    def grid(self) -> DataGrid:
        return self.query_one("#grid", DataGrid)

    @property
    def export_name(self) -> str:
        """The operation's name ("campaign-list"), after the ID of whose list
        it is when the breadcrumbs name one ("sub_2001-campaign-list")."""
        name = self.operation.replace(".", "-")
        for crumb in reversed(self.crumbs):
            first = str(crumb).split(" ")[0]
            if "_" in first:
                return f"{first}-{name}"
        return name

    async def fetch(self):
        return await self.client.call(self.operation, **self.params)

    def row(self, item: Any) -> Mapping[str, Any]:
        """One item as the grid's row (values by column key)."""
        return {column.key: getattr(item, column.key, None) for column in self.columns}

    def show(self, result) -> None:
        items = list(result.data.items)
        self.items = {str(getattr(item, self.key)): item for item in items}
        grid = self.grid
        grid.clear()
        self.reapply_filter()
        grid.append_rows([self.row(item) for item in items])
        self.update_filter_count()
        self.status.note(f"{len(items)} {'item' if len(items) == 1 else 'items'}")
        if not items:
            self.status.note(self.empty_text)
        self.focus_grid_unless_typing()

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        item = self.items.get(str(message.row_key))
        if item is not None:
            message.stop()
            self.open(item)

    def open(self, item: Any) -> None:
        """Drill into one item (Enter). Lists with nothing below do nothing."""


def crumbs_plus(screen: ResourceScreen, *parts: object) -> tuple[object, ...]:
    """The breadcrumbs of a pane opened from `screen`."""
    return (*screen.crumbs, " ".join(str(p) for p in parts if p))
