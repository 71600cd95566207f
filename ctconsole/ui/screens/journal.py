"""The journal pane (`J`): every write made from this machine, newest first.

Why in the console and not only `ctconsole journal`: the question "what did
we change on this customer, and can we take it back?" comes up in the middle
of support work. Enter shows an entry (parameters redacted, the state before,
the result or the error, the state read again after). `u` offers the undo
when the write has a true inverse (`ctconsole.writes.inverse_of`), through
the same preview and confirmation as any write; otherwise it says why not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ctconsole.ui.batch.batches import BatchesScreen
from ctconsole.ui.formats import count_of
from ctconsole.ui.worker_errors import WorkerSafetyNet
from ctconsole.ui.text import content, plain
from ctconsole.ui.screens.list_keys import ListKeys
from ctconsole.ui.widgets.breadcrumbs import Breadcrumbs
from ctconsole.ui.widgets.filter_bar import FilterBar
from ctconsole.ui.widgets.footer import KeyFooter
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column
from ctconsole.writes import inverse_of, reason_no_inverse
from ctconsole.ui.writes.flow import journal_of, start_undo
from ctconsole.ui.writes.render import body_text, state_content, table, value_text

if TYPE_CHECKING:
    from ctconsole.writes import JournalEntry

JOURNAL_CRUMBS = ("Account", "Journal")


def time_text(value: object) -> str:
    """An ISO UTC time as 'yyyy-mm-dd hh:mm:ss' (journal times are UTC)."""
    text = str(value or "")
    return text[:19].replace("T", " ")


#: The outcome right after the time, so it stays in view at 80 columns.
COLUMNS = (
    Column("time", "Time (UTC)", format=time_text, width=19),
    Column("outcome", "Outcome", max_width=7),
    Column("operation", "Operation", max_width=19),
    Column("object", "Object", max_width=24),
    Column("change", "Change", max_width=24),
    Column("user", "User", max_width=10),
    Column("reason", "Reason", max_width=20),
    Column("id", "Entry", width=22),
)


def entry_row(entry: JournalEntry) -> dict[str, Any]:
    label = entry.object.get("label") or entry.object.get("id") or ""
    keys = set((entry.object.get("keys") or {}))
    change = ", ".join(f"{k}={value_text(v)}" for k, v in entry.params.items() if k not in keys)
    return {"time": entry.time, "operation": entry.operation, "object": label, "change": change,
            "outcome": entry.outcome, "user": entry.user, "reason": entry.reason or "",
            "id": entry.id}


class JournalScreen(WorkerSafetyNet, ListKeys):
    """The local journal of writes (`/` filters, `y` `Y` `i` copy, as in any list)."""

    id_label = "entry"

    DEFAULT_CSS = """
    JournalScreen #journal-summary { height: auto; padding: 0 1; color: $text-muted; }
    JournalScreen DataGrid { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
        Binding("r", "refresh", "Reload", id="journal.reload"),
        # Priority: the grid's own `u` clears marks; here it means undo.
        Binding("u", "undo", "Undo", id="journal.undo", priority=True),
        Binding("b", "batches", "Batches", id="journal.batches"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.crumbs = JOURNAL_CRUMBS
        self.entries: dict[str, JournalEntry] = {}

    def compose(self) -> ComposeResult:
        yield Breadcrumbs(self.crumbs)
        yield Static(id="journal-summary", markup=False)
        yield DataGrid(COLUMNS, key="id", id="journal")
        yield FilterBar(id="filter-bar")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.load()

    @property
    def grid(self) -> DataGrid:
        return self.query_one("#journal", DataGrid)

    def load(self) -> None:
        journal = journal_of(self.app)
        found = journal.entries()
        self.entries = {e.id: e for e in found}
        grid = self.grid
        # In place: a reload (after an undo, `r`) keeps the cursor on its entry.
        grid.replace_rows([entry_row(e) for e in reversed(found)])
        count = count_of(len(found), "write")
        lines = [Content.assemble(content(count), " in ", content(str(journal.path)),
                                  " · Enter details · u undo · b batches")]
        lines += [content(f"⚠ {w}") for w in journal.warnings[:3]]
        self.query_one("#journal-summary", Static).update(Content("\n").join(lines))
        self.update_filter_count()
        self.focus_grid_unless_typing()

    def action_refresh(self) -> None:
        self.load()

    def action_batches(self) -> None:
        """The batches of writes: resume one cut short, or undo one."""
        self.app.push_screen(BatchesScreen())

    def action_back(self) -> None:
        self.dismiss()

    def _cursor_entry(self) -> JournalEntry | None:
        key = self.grid.cursor_row_key
        return self.entries.get(key) if key is not None else None

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        message.stop()
        entry = self.entries.get(str(message.row_key))
        if entry is not None:
            self.app.push_screen(JournalEntryScreen(entry), self._detail_closed)

    def _detail_closed(self, undo: bool | None) -> None:
        if undo:
            self.action_undo()

    def action_undo(self) -> None:
        entry = self._cursor_entry()
        if entry is None:
            self.app.notify("The journal is empty: nothing to undo.", severity="warning",
                            markup=False)
            return
        start_undo(self, entry, host=self)


class JournalEntryScreen(Screen[bool]):
    """One journal entry in full (secrets were redacted before it was written)."""

    DEFAULT_CSS = """
    JournalEntryScreen #entry-body { height: 1fr; padding: 0 1; }
    JournalEntryScreen #entry-body > Static { height: auto; margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="back"),
        Binding("u", "undo", "Undo", id="journal.undo"),
    ]

    def __init__(self, entry: JournalEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        yield Breadcrumbs((*JOURNAL_CRUMBS, e.id))
        inverse = inverse_of(e)
        undo = (f"u undoes it with {inverse.operation}"
                + (f" ({inverse.note})" if inverse.note else "")) if inverse is not None \
            else f"no undo: {reason_no_inverse(e)}"
        facts: list[tuple[str, object]] = [
            ("entry", e.id), ("time (UTC)", time_text(e.time)),
            ("answered (UTC)", time_text(e.finished) or "—"),
            ("operation", e.operation), ("object", e.object.get("label") or "—"),
            ("credentials", e.credentials or "—"), ("who", f"{e.user}@{e.host}"),
            ("profile", e.profile), ("reason", e.reason or "—"),
            ("outcome", f"{e.outcome}: {e.outcome_note}" if e.outcome_note else e.outcome),
            ("undo", undo),
        ]
        if e.undo_of:
            facts.append(("undoes", e.undo_of))
        with VerticalScroll(id="entry-body"):
            yield Static(table(facts, indent=0, styles=("bold",)), id="entry-facts",
                         markup=False)
            yield Static(self._section("Parameters (secrets redacted)",
                                       body_text(e.params)), markup=False)
            if e.request:
                yield Static(self._section("Request", Content.assemble(
                    " POST ", content(e.request.get("path")), "  ",
                    body_text(e.request.get("body")))), markup=False)
            yield Static(self._section("Before", state_content(e.before)), markup=False)
            if e.error:
                error = e.error
                yield Static(self._section("Error", content(
                    f" {error.get('title', '')}: {error.get('message', '')}")), markup=False)
            elif e.result is not None:
                yield Static(self._section("Answer", Content.assemble(" ", body_text(e.result))),
                             markup=False)
            yield Static(self._section("After (read again)", state_content(e.after)),
                         markup=False)
        yield KeyFooter(compact=True)

    @staticmethod
    def _section(title: str, body: Content) -> Content:
        return Content("\n").join([Content(plain(title)).stylize("bold underline"), body])

    def action_close(self) -> None:
        self.dismiss(False)

    def action_undo(self) -> None:
        self.dismiss(True)
