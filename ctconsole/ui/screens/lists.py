"""Panes that are one table of things: fetch a list, show it, Enter drills in.

`ListScreen` keeps the row → model mapping so a selected row becomes the
model it came from; subclasses declare the operation, the columns and what
opening a row does. The table is the shared virtualised `DataGrid`, with the
filter bar under it; filtering, copying, exporting and finding come from
`TableScreen`, so every list has them.

A list may name a `quick_model` (`ctconsole.api.models.pydantic_free`): its rows are
then painted from a pydantic-free first look at the answer, and the real
models are parsed from the same answer right after that frame is out
(`Client.reparse`). The first pane (home) does this so start-up does not
wait for pydantic; Enter on a row before then parses at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Mapping, Sequence

from textual.app import ComposeResult

from ctconsole.api.errors import CtError
from ctconsole.ui.formats import count_of
from ctconsole.ui.screens.base import ResourceScreen
from ctconsole.ui.screens.tables import TableScreen
from ctconsole.ui.textual_internals import paint_pending
from ctconsole.ui.widgets.filter_bar import FilterBar
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column

if TYPE_CHECKING:
    from ctconsole.api import Client


class ListScreen(TableScreen):
    """A pane showing one list operation's items in a grid."""

    #: Catalogue operation that fetches the list.
    operation: ClassVar[str]
    columns: ClassVar[Sequence[Column]]
    #: Column whose value identifies a row (its entity ID).
    key: ClassVar[str] = "id"
    #: What the grid says when the list is empty.
    empty_text: ClassVar[str] = "Nothing here."
    #: A quick reader of `ctconsole.api.models.pydantic_free` to paint rows with
    #: before the full models are parsed; its fields must cover the columns.
    quick_model: ClassVar[str | None] = None

    def __init__(self, client: Client, crumbs: Sequence[object], **params: Any) -> None:
        super().__init__(client, crumbs)
        self.params = params
        self.items: dict[str, Any] = {}
        #: The last answer parsed by the full model (what a failed
        #: completion falls back to).
        self._full: Any = None

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

    async def fetch(self, client: Client):
        if self.quick_model is not None and hasattr(client, "reparse"):
            return await client.call(self.operation, model=self.quick_model, **self.params)
        return await client.call(self.operation, **self.params)

    def row(self, item: Any) -> Mapping[str, Any]:
        """One item as the grid's row (values by column key); a quick
        reader's row is already a dict of them."""
        if isinstance(item, dict):
            return {column.key: item.get(column.key) for column in self.columns}
        return {column.key: getattr(item, column.key, None) for column in self.columns}

    def show(self, result) -> None:
        items = list(result.data.items)
        quick = self.quick_model is not None and type(result.data).__name__ == self.quick_model
        if quick:
            self.items = {}
            self._complete_after_paint(result)
        else:
            self._full = result
            self.items = {str(getattr(item, self.key)): item for item in items}
        # In place: a refresh keeps the cursor on its row (and sort, filter, marks).
        self.grid.replace_rows([self.row(item) for item in items])
        self.reapply_filter()
        self.status.note(count_of(len(items), "item"))
        if not items:
            self.status.note(self.empty_text)
        self.focus_grid_unless_typing()

    def _complete_after_paint(self, result: Any, tries: int = 0) -> None:
        """`_complete(result)` once the frame with its rows is out.

        `call_after_refresh` alone is not enough: while any update batch is
        open (a footer recomposing after the focus moved) Textual runs such
        callbacks at once, and the grid's repaint request reaches the screen
        only later. So the callback looks at Textual's own "frame pending"
        flags and, while one is set, tries again a frame later (at most ~0.2 s:
        if the flags ever go away, it simply completes).
        """
        def attempt() -> None:
            if tries < 12 and paint_pending(self):
                self.set_timer(1 / 60, lambda: self._complete_after_paint(result, tries + 1))
            else:
                self._complete(result)

        self.call_after_refresh(attempt)

    def _complete(self, result: Any) -> None:
        """Parse `result` (shown from a quick first look) with the full
        model, if it is still the pane's answer. Refused by the model: the
        rows go back to the last answer that parsed (if any) and the error
        shows, as if the answer had been refused before it was painted."""
        if self.result is not result or self._full is result:
            return
        try:
            full = self.client.reparse(result)
        except CtError as error:
            self.result = self._full
            if self._full is not None:
                self.show(self._full)
            else:
                self.grid.clear()
            self.show_failure(error)
            return
        self.result = self._full = full
        self.items = {str(getattr(item, self.key)): item for item in full.data.items}

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        if self.result is not None and self.result is not self._full:
            self._complete(self.result)  # Enter before the models were parsed
        item = self.items.get(str(message.row_key))
        if item is not None:
            message.stop()
            self.open(item)

    def open(self, item: Any) -> None:
        """Drill into one item (Enter). Lists with nothing below do nothing."""


def crumbs_plus(screen: ResourceScreen, *parts: object) -> tuple[object, ...]:
    """The breadcrumbs of a pane opened from `screen`."""
    return (*screen.crumbs, " ".join(str(p) for p in parts if p))
