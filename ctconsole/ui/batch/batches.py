"""The batches in the journal (`b` in the journal pane): Enter resumes one
(what was not applied, read again and previewed afresh), `u` undoes one."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from ctconsole.ui.batch.screen import BatchScreen
from ctconsole.ui.worker_errors import WorkerSafetyNet
from ctconsole.ui.text import content
from ctconsole.ui.widgets.breadcrumbs import Breadcrumbs
from ctconsole.ui.widgets.footer import KeyFooter
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column
from ctconsole.ui.writes.flow import journal_of, why_no_writes
from ctconsole.writes.batch import batch_status, batches

COLUMNS = (
    Column("time", "Time (UTC)", width=19, format=lambda v: str(v or "")[:19].replace("T", " ")),
    Column("action", "Action", max_width=12),
    Column("objects", "Objects", align="right", width=7, format=str),
    Column("status", "Status", max_width=44),
    Column("id", "Batch", width=31),
)


class BatchesScreen(WorkerSafetyNet, Screen):
    DEFAULT_CSS = """
    BatchesScreen #batches-summary { height: auto; padding: 0 1; color: $text-muted; }
    BatchesScreen DataGrid { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("u", "undo", "Undo batch", id="batch.undo", priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(("Account", "Journal", "Batches"))
        yield Static(id="batches-summary", markup=False)
        yield DataGrid(COLUMNS, key="id", id="batches")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        journal = journal_of(self.app)
        found = batches(journal)
        rows = []
        for b in found:
            try:
                status = batch_status(journal, b["id"]).summary()
            except Exception:  # a damaged record: listed, not resumable
                status = "unreadable"
            action = f"undo {b['undo_of'][-8:]}" if b.get("undo_of") else b.get("action")
            rows.append({"time": b["time"], "action": action, "objects": b["objects"],
                         "status": status, "id": b["id"]})
        grid = self.query_one(DataGrid)
        grid.append_rows(rows)
        count = f"{len(found)} batch{'es' if len(found) != 1 else ''}"
        self.query_one("#batches-summary", Static).update(content(
            f"{count} · Enter resumes (what was not applied, previewed afresh) · u undoes"))
        self.set_focus(grid)

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        message.stop()
        self._open(resume=str(message.row_key))

    def action_undo(self) -> None:
        key = self.query_one(DataGrid).cursor_row_key
        if key is not None:
            self._open(undo=key)

    def _open(self, **which: Any) -> None:
        why = why_no_writes(self.app)
        if why:
            self.app.notify(why, title="Batch", severity="warning", markup=False)
            return
        self.app.push_screen(BatchScreen(self.app.client, **which))

    def action_back(self) -> None:
        self.app.pop_screen()
