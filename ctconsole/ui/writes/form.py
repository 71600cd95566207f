"""The form of a write: one field per catalogue parameter, checked as you type.

Why catalogue-driven: the catalogue is the one place that knows what an
operation takes (types, ranges, choices, which are required), so the form
cannot drift from what the client validates and sends. Each parameter gets
the widget its type calls for: a Select for choices and for optional flags
(blank = "leave as it is": an optional flag not sent is not the same as
"no"), a Switch for a required flag, an Input for the rest. Messages from
`ctconsole.writes.field_problems` appear under the field as you type (a
field's "required" only once it was touched or a preview was asked for).

Enter in a field (or ctrl+o, or the Preview button) plans the write and
opens the preview; nothing is sent from here. Escape cancels. A write that
failed comes back here with every value still filled in and the error shown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, Switch

from ctconsole.api.errors import CtError
from ctconsole.ui.text import content, plain
from ctconsole.ui.widgets.breadcrumbs import Breadcrumbs
from ctconsole.ui.widgets.feedback import ErrorPanel
from ctconsole.ui.widgets.footer import KeyFooter
from ctconsole.writes import field_problems

from .preview import PreviewScreen
from .render import crumbs_for
from .result import ResultScreen

if TYPE_CHECKING:
    from ctconsole.api.catalogue import Operation, Param
    from ctconsole.writes import WriteOutcome, WritePlan

    from .flow import WriteFlow

REASON_ID = "reason"
#: Field widgets are `#f-<param>`, their messages `#p-<param>`.
FIELD = "f-"
PROBLEM = "p-"


def _shown_default(param: Param, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def field_widget(param: Param, value: object, *, fixed: bool) -> Widget:
    """The widget for one parameter, prefilled with `value`."""
    wid = FIELD + param.name
    if param.type == "bool" and not param.required:
        options = [("yes", True), ("no", False)]
        chosen = value if isinstance(value, bool) else Select.NULL
        return Select(options, prompt="(leave as it is)", allow_blank=True, value=chosen,
                      id=wid, compact=True, disabled=fixed)
    if param.type == "bool":
        return Switch(value=bool(value), id=wid, disabled=fixed)
    if param.type == "enum":
        options = [(c, c) for c in param.choices]
        chosen = value if value in param.choices else Select.NULL
        return Select(options, prompt="(not set)" if not param.required else "(choose one)",
                      allow_blank=True, value=chosen, id=wid, compact=True, disabled=fixed)
    placeholder = param.doc or ("(not set)" if not param.required else param.type)
    return Input(_shown_default(param, value), placeholder=placeholder, id=wid, compact=True,
                 password=param.secret, disabled=fixed)


def raw_value(param: Param, widget: Widget) -> object | None:
    """What the user gave for `param` (None: not given, so not sent)."""
    if isinstance(widget, Switch):
        return widget.value
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, Input):
        text = widget.value if param.secret else widget.value.strip()
        if not text:
            return None
        if param.type == "codes":
            return ",".join(part for part in re.split(r"[\s,;]+", text) if part)
        return text
    return None


class WriteForm(Screen):
    """The editable parameters of one write, before its preview."""

    DEFAULT_CSS = """
    WriteForm #form-title { padding: 0 1; text-style: bold; }
    WriteForm #form-doc { padding: 0 1; color: $text-muted; }
    WriteForm #fields { height: 1fr; padding: 0 1; }
    WriteForm .row { height: auto; }
    WriteForm .label { width: 22; padding: 0 1 0 0; }
    WriteForm .label.-fixed { color: $text-muted; }
    WriteForm .row Input, WriteForm .row Select { width: 1fr; }
    WriteForm .row Switch { width: auto; }
    WriteForm .problem { display: none; color: $text-error; padding: 0 0 0 22; }
    WriteForm .problem.-shown { display: block; }
    WriteForm #rule-problems { display: none; color: $text-error; padding: 0 1; }
    WriteForm #rule-problems.-shown { display: block; }
    WriteForm #form-help { height: 1; padding: 0 1; color: $text-muted; }
    WriteForm #form-buttons { height: 1; padding: 0 1; align-horizontal: left; }
    WriteForm #form-buttons Button { margin-right: 2; }
    WriteForm ErrorPanel { margin: 0 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="write.cancel"),
        Binding("ctrl+o", "preview", "Preview", id="write.preview", priority=True),
        # On a choice or a switch, `q` would reach the app's Quit and drop the
        # form; in a text field it is just a letter (the field takes it first).
        Binding("q", "no_quit", "Quit (not from a form)", show=False, id="write.no_quit"),
    ]

    def __init__(self, flow: WriteFlow) -> None:
        super().__init__()
        self.flow = flow
        self.op: Operation = flow.client.operation(flow.operation)
        #: Fields the user has changed (their "required" messages show).
        self.touched: set[str] = set()
        self.planning = False

    # -- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        flow = self.flow
        yield Breadcrumbs(crumbs_for(flow))
        yield Static(Content.assemble(content(flow.heading), ("  ·  ", "dim"),
                                      content(self.op.name, "dim")), id="form-title")
        who = "main account" if flow.subaccount is None else f"subaccount {flow.subaccount}"
        yield Static(content(f"{self.op.title} · credentials: {who} · nothing is sent before "
                             "the preview is confirmed"), id="form-doc")
        yield ErrorPanel(id="form-error")
        with VerticalScroll(id="fields"):
            for param in self.op.params:
                fixed = param.name in flow.fixed
                label = param.name + (" *" if param.required else "")
                with Horizontal(classes="row"):
                    yield Static(content(label), classes="label" + (" -fixed" if fixed else ""))
                    yield field_widget(param, flow.params.get(param.name), fixed=fixed)
                yield Static("", id=PROBLEM + param.name, classes="problem", markup=False)
            with Horizontal(classes="row"):
                yield Static("reason / ticket", classes="label")
                yield Input(flow.reason, placeholder="optional: why, or a ticket ID (journaled)",
                            id=REASON_ID, compact=True)
            yield Static("", id="rule-problems", markup=False)
        yield Static("", id="form-help", markup=False)
        with Horizontal(id="form-buttons"):
            yield Button("Preview", id="form-preview", variant="primary", compact=True)
            yield Button("Cancel", id="form-cancel", compact=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.check_fields()
        quick = any(name not in self.flow.fixed for name in self.flow.params)
        if self.flow.focus is not None:
            self.focus_first_field([self.flow.focus])
        elif quick:
            # A quick action (V, X…) already says what to do: the cursor waits
            # in the reason field, where Enter goes on to the preview.
            self.set_focus(self.query_one(f"#{REASON_ID}", Input))
        else:
            self.focus_first_field()

    def focus_first_field(self, names: list[str] | None = None) -> None:
        for param in self.op.params:
            if names is not None and param.name not in names:
                continue
            widget = self.query_one(f"#{FIELD}{param.name}")
            if not widget.disabled:
                self.set_focus(widget)
                return
        self.set_focus(self.query_one(f"#{REASON_ID}", Input))

    # -- values and problems ---------------------------------------------------

    def values(self) -> dict[str, object]:
        """The parameters as the user gave them (raw; the catalogue coerces)."""
        found: dict[str, object] = {}
        for param in self.op.params:
            value = raw_value(param, self.query_one(f"#{FIELD}{param.name}", Widget))
            if value is not None:
                found[param.name] = value
        return found

    @property
    def reason(self) -> str:
        return self.query_one(f"#{REASON_ID}", Input).value

    def problems(self) -> dict[str, str]:
        values = self.values()
        found = field_problems(self.op.name, values)
        if self.flow.check is not None:
            found = {**self.flow.check(values), **found}
        return found

    def check_fields(self, *, everything: bool = False) -> dict[str, str]:
        """Show what is wrong under each field; return every problem.

        `everything` (a preview was asked for): every message shows, and the
        fields with one count as touched from then on, so a "required" stays
        under its field while others are edited, until it is filled."""
        found = self.problems()
        names = {p.name for p in self.op.params}
        if everything:
            self.touched.update(names & found.keys())
        for name in names:
            shown = found.get(name, "")
            if shown and not everything and name not in self.touched and \
                    name not in self.flow.params and "required" in shown:
                shown = ""  # not yet touched: do not scold an empty form
            box = self.query_one(f"#{PROBLEM}{name}", Static)
            box.update(content(shown))
            box.set_class(bool(shown), "-shown")
        rules = [f"{k}: {v}" if k else v for k, v in found.items() if k not in names]
        box = self.query_one("#rule-problems", Static)
        box.update(Content("\n").join(content(r) for r in rules))
        box.set_class(bool(rules), "-shown")
        return found

    def _field_name(self, widget: Widget | None) -> str | None:
        wid = getattr(widget, "id", None) or ""
        return wid[len(FIELD):] if wid.startswith(FIELD) else None

    def _changed(self, widget: Widget) -> None:
        name = self._field_name(widget)
        if name is not None:
            self.touched.add(name)
            self.check_fields()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed(event.input)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed(event.select)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self._changed(event.switch)

    def on_descendant_focus(self, event: Any) -> None:
        """The focused field's description on the help line."""
        name = self._field_name(event.widget)
        param = self.op.param(name) if name else None
        text = ""
        if param is not None:
            text = f"{param.name}: {param.doc or param.type}"
            if param.name in self.flow.fixed:
                text += " (fixed: the object this write is about)"
        elif getattr(event.widget, "id", None) == REASON_ID:
            text = "reason / ticket: kept in the journal with the write"
        self.query_one("#form-help", Static).update(content(text))

    # -- preview ---------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-preview":
            self.action_preview()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def action_preview(self) -> None:
        if self.planning:
            return
        found = self.check_fields(everything=True)
        if found:
            self.focus_first_field([n for n in found if self.op.param(n)] or None)
            self.app.notify("Fix the fields marked in red first; nothing was sent.",
                            severity="warning", markup=False)
            return
        self.planning = True
        self.query_one("#form-error", ErrorPanel).clear()
        self.query_one("#form-help", Static).update("Reading the current state for the preview…")
        self.query_one("#form-preview", Button).disabled = True
        self._plan(self.values(), self.reason)

    @work(exclusive=True, group="write-plan", exit_on_error=False)
    async def _plan(self, values: dict[str, object], reason: str) -> None:
        try:
            plan = await self.flow.plan(values, reason)
        except CtError as error:
            self._planned(None, error)
        else:
            self._planned(plan, None)

    def _planned(self, plan: WritePlan | None, error: CtError | None) -> None:
        self.planning = False
        self.query_one("#form-preview", Button).disabled = False
        self.query_one("#form-help", Static).update("")
        if error is not None:
            self.query_one("#form-error", ErrorPanel).show_error(
                error.title, error.message, "Nothing was sent. Fix the values, or Esc to cancel.")
            return
        assert plan is not None
        self.app.push_screen(PreviewScreen(self.flow, plan), self._after_preview)

    def _after_preview(self, outcome: WriteOutcome | None) -> None:
        """Back from the preview: cancelled (None), failed (stay, show why),
        or sent (the result replaces the form)."""
        if outcome is None:
            return
        if outcome.status == "failed":
            self.show_failure(outcome)
            return
        screen = self.flow.result_screen or ResultScreen
        self.app.switch_screen(screen(self.flow, outcome))  # type: ignore[call-arg]

    def show_failure(self, outcome: WriteOutcome) -> None:
        error = outcome.error
        title = f"Not applied: {error.title}" if error is not None else "Not applied"
        message = error.message if error is not None else outcome.note
        hint = (f"{outcome.note[:1].upper()}{outcome.note[1:]}. Journal entry "
                f"{outcome.entry_id}. Your values are kept: change them and preview again "
                "(ctrl+o), or Esc to cancel.")
        self.query_one("#form-error", ErrorPanel).show_error(plain(title), plain(message), hint)
        self.focus_first_field()

    def action_no_quit(self) -> None:
        self.app.notify("q does not quit from a form: Esc cancels it first (nothing was sent).",
                        severity="warning", markup=False)

    def action_cancel(self) -> None:
        """Leave without sending anything."""
        self.workers.cancel_group(self, "write-plan")
        self.dismiss(None)
