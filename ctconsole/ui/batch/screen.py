"""The batch pane (`B`): paste or load a list, resolve it, preview one action
on all of it, apply with the count typed, pause, retry the failed, undo.

Why one pane with phases rather than a chain of screens: the table is the
thing a support person works in from start to end (filter it, sort it,
export it, pick the ambiguous rows), and it stays where it is while the
rows go from "resolved" to "previewed" to "applied". The engine is
`ctconsole.writes.batch`; this pane only shows it and asks.

Phases and keys: input (ctrl+r resolves the pasted list or the file) →
resolving (progress, rows appear as they resolve) → resolved (Enter on an
ambiguous row picks one match; `p` previews) → preview (per-row now → after,
refusals and warnings, counts, the operations; type the count, Enter or `a`
applies) → applying (progress; Esc pauses: no new write starts, those in
flight finish) → applied (`R` retries the failed after a fresh preview, `u`
undoes the whole batch through the same preview). `/` filters, `e` exports,
`s` sorts, like every table.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import re
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, ProgressBar, Select, Static, TextArea

from ctconsole import safetext
from ctconsole.api.errors import CtError, InvalidParams
from ctconsole.ui.batch.pick import PickScreen
from ctconsole.ui.batch.rows import COLUMNS, operations_text, planned_row, resolved_row
from ctconsole.ui.screens.tables import TableScreen
from ctconsole.ui.text import content, lines as text_lines
from ctconsole.ui.timefmt import clock_of
from ctconsole.ui.widgets.filter_bar import FilterBar
from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.writes.flow import context_of, journal_of, sending, why_no_writes
from ctconsole.writes.batch import (ACTIONS, Accounts, InputError, Progress, Resolver,
                                   action_named, apply_batch, parse_csv, parse_text, plan_batch,
                                   plan_resume, plan_retry, plan_undo_batch, read_file, resolve,
                                   rows_for)

BATCH_CRUMBS = ("Account", "Batch")
#: How often rows that finished are moved into the table and the progress
#: redrawn (seconds): each redraw repaints the screen, which costs as much
#: client work as a few lookups.
FLUSH_EVERY = 0.5


class BatchScreen(TableScreen):
    """A batch from paste or file to applied, or one resumed from the journal."""

    DEFAULT_CSS = """
    BatchScreen #batch-options, BatchScreen #batch-file { height: 1; }
    BatchScreen #batch-options Select { width: 22; }
    BatchScreen #batch-fields { width: 1fr; }
    BatchScreen #batch-reason { width: 1fr; }
    BatchScreen #batch-path { width: 2fr; }
    BatchScreen #batch-column { width: 1fr; }
    BatchScreen Checkbox { width: auto; }
    BatchScreen #batch-paste { height: 1fr; }
    BatchScreen #batch-summary { height: auto; max-height: 6; padding: 0 1; }
    BatchScreen #batch-progress { height: 1; padding: 0 1; }
    BatchScreen #grid { height: 1fr; }
    BatchScreen #batch-confirm-row { height: 1; padding: 0 1; }
    BatchScreen #batch-confirm-label { width: auto; margin-right: 1; color: $warning; }
    BatchScreen #batch-confirm { width: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back / pause", id="back"),
        Binding("r", "refresh", "Refresh", id="refresh", show=False),
        Binding("ctrl+r", "resolve", "Resolve", id="batch.resolve"),
        Binding("p", "preview", "Preview", id="batch.preview"),
        Binding("a", "apply", "Apply", id="batch.apply"),
        Binding("R", "retry", "Retry failed", id="batch.retry"),
        # Priority: the grid's own `u` clears marks; here it means undo.
        Binding("u", "undo", "Undo batch", id="batch.undo", priority=True),
    ]

    id_label = "row"

    def __init__(self, client: Any, *, resume: str | None = None, undo: str | None = None) -> None:
        super().__init__(client, BATCH_CRUMBS if not (resume or undo)
                         else (*BATCH_CRUMBS, resume or undo))
        self.phase = "input"
        self.resume_id, self.undo_id = resume, undo
        self.rows: list[Any] = []
        self.plan: Any = None
        self.accounts: Any = None
        self.action: Any = None
        self.fields: dict = {}
        self.parsed: Any = None
        self.progress: Any = None
        self.pause = asyncio.Event()
        self._pending: list[dict] = []
        self._flusher: Any = None
        self._line_needs_layout = True
        #: Every `Accounts` made here: their extra connection pools close with the pane.
        self._opened: list[Any] = []

    # -- layout ----------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="batch-options"):
            yield Select([(f"{a.name}", a.name) for a in ACTIONS.values()], value="validate",
                         allow_blank=False, compact=True, id="batch-action")
            yield Input(placeholder="field=value … (stamps=5, message=…)", compact=True,
                        id="batch-fields")
            yield Input(placeholder="reason / ticket", compact=True, id="batch-reason")
        with Horizontal(id="batch-file"):
            yield Input(placeholder="…or a file path (text or CSV)", compact=True, id="batch-path")
            yield Input(placeholder="CSV column", compact=True, id="batch-column")
            yield Checkbox("everywhere", compact=True, id="batch-everywhere")
        yield TextArea(id="batch-paste", soft_wrap=False, compact=True,
                       placeholder="Paste codes, links, e-mails, phones or lus_ IDs, any "
                                   "separators (up to 10,000), then ctrl+r")
        yield Static(id="batch-summary", markup=False)
        # A total from the start: an indeterminate bar animates 15 times a second.
        yield ProgressBar(total=1, id="batch-progress", show_eta=False)
        yield DataGrid(COLUMNS, key="n", id="grid")
        with Horizontal(id="batch-confirm-row"):
            yield Static("Type the count to apply:", id="batch-confirm-label", markup=False)
            yield Input(placeholder="the number of objects written", compact=True,
                        id="batch-confirm")
        yield FilterBar(id="filter-bar")

    @property
    def grid(self) -> DataGrid:
        return self.query_one("#grid", DataGrid)

    @property
    def export_name(self) -> str:
        return (self.plan.id if self.plan is not None else "batch") + f"-{self.phase}"

    def reload(self) -> None:
        """Nothing to fetch: the pane's data is what the user gives it."""

    def action_refresh(self) -> None:
        """`r` does nothing here: the rows are read when resolved and previewed."""

    def on_mount(self) -> None:
        self._show_phase("input")
        if self.resume_id or self.undo_id:
            self._show_phase("resolving")
            self._say("reading the batch from the journal and every object again…")
            self._from_journal()
        else:
            self.set_focus(self.query_one("#batch-paste", TextArea))

    def _show_phase(self, phase: str) -> None:
        self.phase = phase
        inputs = phase == "input"
        for selector in ("#batch-file", "#batch-paste"):
            self.query_one(selector).display = inputs
        # The action stays pickable once the rows are resolved (Tab to it).
        self.query_one("#batch-options").display = phase in ("input", "resolved")
        self.grid.display = not inputs
        self.query_one("#batch-progress").display = phase in ("resolving", "applying")
        self.query_one("#batch-confirm-row").display = phase == "preview"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = {"resolve": ("input",), "preview": ("resolved",),
                   "apply": ("preview", "paused"), "retry": ("applied",),
                   "undo": ("applied",)}
        if action in allowed:
            if isinstance(self.focused, (Input, TextArea)) and action != "apply" \
                    and action != "resolve":
                return False
            return self.phase in allowed[action]
        return super().check_action(action, parameters)

    def _say(self, text: str, *, layout: bool = True) -> None:
        """The pane's summary lines. `layout=False` for a progress line that
        replaces a progress line (same height: no layout pass needed)."""
        self.query_one("#batch-summary", Static).update(text_lines(text), layout=layout)

    def _refused(self, why: str) -> None:
        self.app.notify(safetext.one_line(why), title="Batch", severity="warning",
                        markup=False)

    # -- input and resolve -----------------------------------------------------

    def action_resolve(self) -> None:
        why = why_no_writes(self.app)
        if why:
            self._refused(why)
            return
        try:
            self.action = action_named(str(self.query_one("#batch-action", Select).value))
            self.fields = self.action.fields(_pairs(self.query_one("#batch-fields", Input).value))
            path = self.query_one("#batch-path", Input).value.strip()
            column = self.query_one("#batch-column", Input).value.strip() or None
            if path:
                self.parsed = read_file(path, column=column)
            else:
                text = self.query_one("#batch-paste", TextArea).text
                self.parsed = parse_csv(text, column) if column else parse_text(text)
        except InvalidParams as err:
            self._refused("; ".join(err.problems))
            return
        except (InputError, ValueError) as err:
            self._refused(str(err))
            return
        if not self.parsed.items:
            self._refused("Nothing to resolve: paste identifiers or give a file.")
            return

        everywhere = self.query_one("#batch-everywhere", Checkbox).value
        self.accounts = self._accounts(everywhere=everywhere)
        self.rows = rows_for(self.parsed.items)
        self.progress = Progress(len(self.rows))
        self.grid.clear()
        self._show_phase("resolving")
        bar = self.query_one("#batch-progress", ProgressBar)
        bar.update(total=len(self.rows), progress=0)
        self.set_focus(self.grid)  # the hidden paste area would keep its cursor blinking
        self._start_flushing()
        self._resolve()

    def _accounts(self, *, everywhere: bool = False) -> Any:
        accounts = Accounts(self.client, everywhere=everywhere)
        self._opened.append(accounts)
        return accounts

    async def on_unmount(self) -> None:
        for accounts in self._opened:
            await accounts.aclose()

    def _start_flushing(self) -> None:
        self._line_needs_layout = True  # the first progress line needs a layout pass
        if self._flusher is None:
            self._flusher = self.set_interval(FLUSH_EVERY, self._flush)

    def _stop_flushing(self) -> None:
        if self._flusher is not None:
            self._flusher.stop()
            self._flusher = None
        self._flush()

    def _flush(self) -> None:
        if self._pending:
            rows, self._pending = self._pending, []
            self.grid.append_rows(rows)
            self.update_filter_count()
        if self.progress is not None and self.phase in ("resolving", "applying"):
            self.query_one("#batch-progress", ProgressBar).update(progress=self.progress.done)
            verb = "resolving" if self.phase == "resolving" else "applying"
            extra = " · Esc pauses" if self.phase == "applying" else ""
            self._say(f"{verb} {self.progress.text()}{extra}", layout=self._line_needs_layout)
            self._line_needs_layout = False

    def _collections_held(self) -> Any:
        """Full garbage collections wait while rows stream in (they walk
        every row held: a pause the user would feel as a stalled key)."""
        schedule = getattr(self.app, "gc_schedule", None)
        return schedule.hold() if schedule is not None else contextlib.nullcontext()

    @work(exclusive=True, group="batch", exit_on_error=False)
    async def _resolve(self) -> None:
        def arrived(row: Any, progress: Any) -> None:
            self._pending.append(resolved_row(row))

        # The models are imported off the event loop: parsing the first
        # answer would otherwise hold the screen while they load.
        await asyncio.to_thread(importlib.import_module, "ctconsole.api.models")
        try:
            with self._collections_held():
                await resolve(self.rows, Resolver(self.accounts, self.action.target),
                              progress=self.progress, on_row=arrived)
        except CtError as err:
            self._stop_flushing()
            self._show_phase("resolved")
            self._say(f"stopped: {err.title}: {err.message}")
            return
        self._stop_flushing()
        if any(r.status == "duplicate" for r in self.rows):
            self.grid.clear()  # a row found first may be marked a duplicate now
            self.reapply_filter()
            self.grid.append_rows([resolved_row(r) for r in self.rows])
        else:
            self.grid.sort("n")  # rows arrived as they resolved; put them in input order
            self.grid.cursor = 0
        self.update_filter_count()
        self._show_phase("resolved")
        counts = {s: sum(1 for r in self.rows if r.status == s)
                  for s in ("found", "not_found", "ambiguous", "error", "duplicate")}
        said = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n)
        self._say(f"{self.parsed.summary()} · resolved: {said} · "
                  "Enter on an ambiguous row picks · p previews the action above")
        self.set_focus(self.grid)

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        message.stop()
        if self.phase != "resolved":
            return
        row = next((r for r in self.rows if str(r.item.number) == str(message.row_key)), None)
        if row is None or row.status != "ambiguous":
            return

        def picked(key: str | None) -> None:
            if key is None:
                row.skip()  # left out on purpose: the preview says "skipped"
            else:
                row.pick(key)
            self.grid.clear()
            self.reapply_filter()
            self.grid.append_rows([resolved_row(r) for r in self.rows])
            self.grid.move_cursor_to(str(row.item.number))

        self.app.push_screen(PickScreen(row), picked)

    # -- preview ---------------------------------------------------------------

    def action_preview(self) -> None:
        try:
            action = action_named(str(self.query_one("#batch-action", Select).value))
            fields = action.fields(_pairs(self.query_one("#batch-fields", Input).value))
        except InvalidParams as err:
            self._refused("; ".join(err.problems))
            return
        except ValueError as err:
            self._refused(str(err))
            return
        if action.target != self.action.target:
            self._refused(f"{action.name} acts on {action.target}s; these rows were resolved as "
                          f"{self.action.target}s (Esc, then ctrl+r to resolve them again)")
            return
        self.action, self.fields = action, fields
        reason = self.query_one("#batch-reason", Input).value.strip() or None
        self.show_plan(plan_batch(self.action, self.rows, self.fields, reason=reason,
                                  now=clock_of(self.app)))

    def show_plan(self, plan: Any, heading: str = "") -> None:
        """The preview of `plan`: every row, the counts, the operations, the count to type."""
        self.plan = plan
        self.grid.clear()
        self.reapply_filter()
        self.grid.append_rows([planned_row(r) for r in plan.rows])
        self.update_filter_count()
        self._show_phase("preview")
        confirm = self.query_one("#batch-confirm", Input)
        confirm.value = ""
        self.query_one("#batch-confirm-label", Static).update(
            f"Type {plan.confirmation} to apply ({plan.heading()}):")
        lines = [f"{heading}{plan.heading()} — {plan.summary()}",
                 f"{operations_text(plan)} · batch {plan.id}"]
        if plan.reason:
            lines.append(f"reason: {plan.reason}")
        if plan.to_write:
            lines.append(f"Type {plan.confirmation} and press Enter to apply "
                         "(nothing is sent before) · Esc back")
            self.set_focus(confirm)
        else:
            lines.append("Nothing to write · Esc back")
            self.set_focus(self.grid)
        self._say("\n".join(lines))

    def on_input_submitted(self, message: Input.Submitted) -> None:
        if message.input.id == "batch-confirm":
            message.stop()
            self.action_apply()
        elif self.phase == "input" and message.input.id in (
                "batch-fields", "batch-reason", "batch-path", "batch-column"):
            message.stop()
            self.action_resolve()
        elif self.phase == "resolved" and message.input.id in ("batch-fields", "batch-reason"):
            message.stop()
            self.action_preview()

    # -- apply -----------------------------------------------------------------

    def action_apply(self) -> None:
        why = why_no_writes(self.app)
        if why:
            self._refused(why)
            return
        plan = self.plan
        if plan is None or not plan.to_write:
            self._refused("Nothing to write in this batch.")
            return
        if self.phase == "preview":
            typed = self.query_one("#batch-confirm", Input).value.strip()
            if typed != plan.confirmation:
                self._refused(f"Type {plan.confirmation} exactly to apply "
                              f"({plan.heading()}); nothing was sent.")
                return

        self.pause.clear()
        self.progress = Progress(sum(len(s.rows) for s in plan.pending_steps))
        self._show_phase("applying")
        self.query_one("#batch-progress", ProgressBar).update(total=self.progress.total,
                                                              progress=0)
        self.set_focus(self.grid)
        self._start_flushing()
        self._apply()

    @work(exclusive=True, group="batch", exit_on_error=False)
    async def _apply(self) -> None:
        plan = self.plan
        if self.accounts is None:
            self.accounts = self._accounts()
        with sending(self.app), self._collections_held():  # `q` meanwhile asks first
            report = await apply_batch(plan, self.accounts, journal=journal_of(self.app),
                                       context=context_of(self.app, None),
                                       confirm=plan.confirmation, pause=self.pause,
                                       progress=self.progress)
        self._stop_flushing()
        self.grid.clear()
        self.reapply_filter()
        self.grid.append_rows([planned_row(r) for r in plan.rows])
        self.update_filter_count()
        if report.status == "refused":
            self._show_phase("preview")
            self._say(f"Nothing was sent: {report.note}")
            return
        results = plan.results()
        if report.status == "paused":
            self._show_phase("paused")
            self._say(f"Paused: {report.note} · a goes on with the rest · Esc leaves "
                      f"(resume later from the journal: J, b) · batch {plan.id}")
            return
        self._show_phase("applied")
        failed = results.get("failed", 0) + results.get("unknown", 0)
        tail = (f" · R retries the {failed} failed (fresh preview; / filters them)"
                if results.get("failed") else "")
        unknown = (" · unknown: look at those objects before trying again"
                   if results.get("unknown") else "")
        self._say(f"Applied: {report.note}{tail}{unknown} · u undoes the batch · "
                  f"batch {plan.id}")

    def action_back(self) -> None:
        if self.phase == "applying":
            self.pause.set()
            self._say("Pausing: the writes in flight finish, no new one starts…")
            return
        if self.phase in ("preview",) and self.rows:
            self.grid.clear()
            self.grid.append_rows([resolved_row(r) for r in self.rows])
            self._show_phase("resolved")
            self._say("Back to the resolved rows · p previews again")
            self.set_focus(self.grid)
            return
        if self.phase == "resolved" and not (self.resume_id or self.undo_id):
            self._show_phase("input")
            self._say("")
            self.set_focus(self.query_one("#batch-paste", TextArea))
            return
        if self.phase == "resolving":
            self.workers.cancel_group(self, "batch")
            self._stop_flushing()
            self._show_phase("resolved")
            self._say("Resolving stopped (nothing was sent) · Esc again to go back")
            return
        if self.app.screen is self:
            self.app.pop_screen()

    # -- retry, undo, resume -----------------------------------------------------

    def action_retry(self) -> None:
        if self.plan is None or not self.plan.failed:
            self._refused("No failed rows to retry.")
            return
        self._show_phase("resolving")
        self._say(f"reading the {len(self.plan.failed)} failed objects again…")
        self._replan("retry")

    def action_undo(self) -> None:
        if self.plan is None:
            return
        self._show_phase("resolving")
        self._say("reading the applied objects again for the undo…")
        self._replan("undo")

    @work(exclusive=True, group="batch", exit_on_error=False)
    async def _replan(self, kind: str) -> None:
        try:
            if kind == "retry":
                plan = await plan_retry(journal_of(self.app), self.plan, self.accounts,
                                        now=clock_of(self.app))
                self.show_plan(plan, "Retry: ")
            else:
                plan = await plan_undo_batch(journal_of(self.app), self.plan.id, self.accounts)
                self.show_plan(plan, "Undo: ")
        except CtError as err:
            self._show_phase("applied")
            self._say(f"{err.title}: {err.message}")

    @work(exclusive=True, group="batch", exit_on_error=False)
    async def _from_journal(self) -> None:
        self.accounts = self._accounts(everywhere=True)
        journal = journal_of(self.app)
        try:
            if self.undo_id:
                plan = await plan_undo_batch(journal, self.undo_id, self.accounts)
                self.show_plan(plan, "Undo: ")
            else:
                plan, status = await plan_resume(journal, self.resume_id, self.accounts,
                                                 now=clock_of(self.app))
                self.show_plan(plan, f"Resume ({status.summary()}): ")
        except CtError as err:
            self._show_phase("resolved")
            self._say(f"{err.title}: {err.message} · Esc back")


def _pairs(text: str) -> dict[str, str]:
    """"stamps=5 message=Hello there" → fields (a value runs to the next name=)."""
    found: dict[str, str] = {}
    parts = re.split(r"\s+(?=[A-Za-z_]+=)", text.strip()) if text.strip() else []
    for part in parts:
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"expected field=value, got {safetext.one_line(part, 40)!r}")
        found[name.strip()] = value.strip()
    return found
