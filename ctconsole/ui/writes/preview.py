"""The preview of a planned write, and its explicit confirmation.

Why a screen of its own: this is the last moment a wrong validation or a
push to every customer can be stopped. It shows, from the `WritePlan`: what
the guard rails refuse or warn about (first, in words), the object now
beside the object after, the exact request (operation, path, body with
secrets redacted), whose credentials carry it and how many people it
reaches. Nothing is sent until the user presses `a` (or the Apply button):
Enter never applies by default, and a write a guard refuses cannot be
applied at all. A mass write (update many, push to all, create many) needs
its count or the target's code typed into the confirmation field first;
while the text differs, Apply stays disabled.

The apply runs once; Escape is ignored while it is in flight (leaving would
not take a sent request back). Its outcome goes back to the form (failed:
the form shows the error with every value kept) or on to the result screen.
An undo has no form: its preview plans itself (`undo_of`) and shows a
failure in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from ctconsole.api.errors import CtError
from ctconsole.api.subaccounts import MissingCredentials, SubaccountNotListed, subaccount_client
from ctconsole.ui.text import content, plain
from ctconsole.ui.timefmt import clock_of
from ctconsole.ui.widgets.breadcrumbs import Breadcrumbs
from ctconsole.ui.widgets.feedback import ErrorPanel
from ctconsole.ui.widgets.footer import KeyFooter
from ctconsole.writes import plan_undo

from .render import (REFUSE, WARN, beside_content, crumbs_for, diff_content, reasons_content,
                     request_content)
from .result import ResultScreen

if TYPE_CHECKING:
    from ctconsole.writes import JournalEntry, WriteOutcome, WritePlan

    from .flow import WriteFlow


def _section(title: str) -> Content:
    return Content(title).stylize("bold underline")


class PreviewScreen(Screen["WriteOutcome | None"]):
    """What will change and what will be sent; apply only on purpose."""

    DEFAULT_CSS = """
    PreviewScreen #preview-title { padding: 0 1; text-style: bold; }
    PreviewScreen #preview-body { height: 1fr; padding: 0 1; }
    PreviewScreen #preview-body > Static { height: auto; margin-bottom: 1; }
    /* One line per field: a long value (an e-mail, a name) is cut where the
       screen ends, with "…" (it is whole in the request block above). */
    PreviewScreen #change { text-wrap: nowrap; text-overflow: ellipsis; }
    PreviewScreen #refusals { color: $text-error; }
    PreviewScreen #warnings { color: $text-warning; }
    PreviewScreen #confirm-box { height: auto; padding: 0 1; display: none; }
    PreviewScreen #confirm-box.-shown { display: block; }
    PreviewScreen #confirm-label { height: auto; }
    PreviewScreen #confirm { width: 40; }
    PreviewScreen #preview-status { height: auto; padding: 0 1; color: $text-muted; }
    PreviewScreen #preview-status.-blocked { color: $text-error; }
    PreviewScreen #preview-buttons { height: 1; padding: 0 1; }
    PreviewScreen #preview-buttons Button { margin-right: 2; }
    PreviewScreen ErrorPanel { margin: 0 1; }
    """

    BINDINGS = [
        Binding("a", "apply", "Apply", id="write.apply"),
        Binding("escape", "back", "Back", id="write.back"),
    ]

    def __init__(self, flow: WriteFlow, plan: WritePlan | None, *,
                 undo_of: JournalEntry | None = None) -> None:
        super().__init__()
        self.flow = flow
        self.plan = plan
        self.undo_of = undo_of
        self.applying = False

    # -- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Breadcrumbs((*crumbs_for(self.flow), "Preview"))
        yield Static(id="preview-title", markup=False)
        yield ErrorPanel(id="apply-error")
        with VerticalScroll(id="preview-body"):
            yield Static(id="refusals", markup=False)
            yield Static(id="warnings", markup=False)
            yield Static(id="summary", markup=False)
            yield Static(id="request", markup=False)
            yield Static(id="change", markup=False)
        with VerticalScroll(id="confirm-box"):
            yield Static(id="confirm-label", markup=False)
            yield Input(id="confirm", compact=True)
        yield Static(id="preview-status", markup=False)
        with Horizontal(id="preview-buttons"):
            yield Button("Apply", id="preview-apply", variant="error", compact=True,
                         disabled=True)
            yield Button("Back" if self.flow.has_form else "Cancel", id="preview-back",
                         compact=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        if self.plan is None:
            self.query_one("#preview-title", Static).update(
                content(f"Preparing: {self.flow.heading}…"))
            self.query_one("#preview-status", Static).update("Reading the current state…")
            self._plan_undo()
        else:
            self.show_plan(self.plan)

    @work(exclusive=True, group="write-plan", exit_on_error=False)
    async def _plan_undo(self) -> None:
        assert self.undo_of is not None
        try:
            await self._undo_client()
            plan = await plan_undo(self.flow.client, self.undo_of, now=clock_of(self.app))
        except CtError as error:
            self.query_one("#preview-title", Static).update(content(self.flow.heading))
            self.query_one("#apply-error", ErrorPanel).show_error(
                error.title, error.message, "Nothing was sent. Esc goes back.")
            self.query_one("#preview-status", Static).update("")
            return
        self.plan = plan
        self.show_plan(plan)

    async def _undo_client(self) -> None:
        """An undo of a subaccount's write uses that subaccount's credentials,
        looked up in the subaccount list with the main account's."""
        flow = self.flow
        if flow.subaccount is None or flow.client is not getattr(self.app, "client", None):
            return
        listed = await flow.client.call("subaccount.list")
        sub = next((s for s in listed.data.items if str(s.id) == flow.subaccount), None)
        if sub is None:
            raise SubaccountNotListed(flow.subaccount)
        sub_client = subaccount_client(flow.client, sub)
        if sub_client is None:
            raise MissingCredentials()
        flow.client = sub_client

    def show_plan(self, plan: WritePlan) -> None:
        self.query_one("#preview-title", Static).update(Content.assemble(
            "Preview: ", content(self.flow.heading), ("  ·  ", "dim"),
            content(plan.target.label, "dim")))
        refusals = self.query_one("#refusals", Static)
        refusals.update(reasons_content(plan.refusals, REFUSE, "bold"))
        refusals.display = bool(plan.refusals)
        warnings = self.query_one("#warnings", Static)
        warnings.update(reasons_content(plan.warnings, WARN, "bold"))
        warnings.display = bool(plan.warnings)
        self.query_one("#summary", Static).update(self._summary(plan))
        self.query_one("#change", Static).update(self._change(plan))
        self.query_one("#request", Static).update(Content("\n").join(
            [_section("Request"), request_content(plan.as_request())]))
        if plan.confirmation is not None:
            self.query_one("#confirm-label", Static).update(Content.assemble(
                "This write reaches ", content(plan.reach_note or "many people"),
                ". Type ", (plain(plan.confirmation), "bold"), " to confirm:"))
            self.query_one("#confirm-box").add_class("-shown")
            box = self.query_one("#confirm", Input)
            box.placeholder = f"type {plain(plan.confirmation)}"
            if not plan.blocked:
                self.set_focus(box)
        else:
            self.set_focus(self.query_one("#preview-body"))
        self._update_gate()

    def _summary(self, plan: WritePlan) -> Content:
        rows: list[tuple[str, object]] = [("credentials", plan.credentials)]
        if plan.reach_note:
            rows.append(("reaches", plan.reach_note))
        if plan.spec.per_object:
            codes = list(plan.params.get("couponsessions") or [])  # type: ignore[call-overload]
            rows.append(("sessions", f"{len(codes)}: " + ", ".join(codes[:12])
                         + (f" … and {len(codes) - 12} more" if len(codes) > 12 else "")))
        rows.append(("reason", plan.reason or "—"))
        if plan.note:
            rows.append(("note", plan.note))
        if plan.undo_of:
            rows.append(("undoes", f"journal entry {plan.undo_of}"))
        width = max(len(k) for k, _ in rows)
        return Content("\n").join(Content.assemble((k.ljust(width), "bold"), "  ", content(v))
                                  for k, v in rows)

    def _change(self, plan: WritePlan) -> Content:
        if not plan.spec.changes_state:
            head = _section("The object (a push changes nothing on it)"
                            if "push" in plan.operation else "The object")
            body = beside_content(plan.before, None) if isinstance(plan.before, dict) \
                else Content(" (no state to show)").stylize("dim")
            return Content("\n").join([head, body])
        if isinstance(plan.before, dict) and not plan.spec.per_object:
            # The object's own ID is in the title already; every other field is shown.
            before = {k: v for k, v in plan.before.items() if v != plan.target.id}
            after = {k: v for k, v in (plan.after or {}).items()
                     if k in before or k not in plan.before}  # nor its "(removed)"
            return Content("\n").join([_section("Change (now → after)"),
                                       beside_content(before, after)])
        return Content("\n").join([_section("Change"), diff_content(plan.diff())])

    # -- the gate --------------------------------------------------------------

    @property
    def typed(self) -> str:
        return self.query_one("#confirm", Input).value

    def gate(self) -> str | None:
        """Why Apply is not possible now (None: it is)."""
        plan = self.plan
        if plan is None:
            return "the preview is not ready"
        if self.applying:
            return "sending…"
        if plan.blocked:
            return "refused: " + "; ".join(r.message for r in plan.refusals)
        if plan.confirmation is not None and self.typed.strip() != plan.confirmation:
            return f"type {plan.confirmation} exactly to enable Apply"
        return None

    def _update_gate(self) -> None:
        reason = self.gate()
        self.query_one("#preview-apply", Button).disabled = reason is not None
        status = self.query_one("#preview-status", Static)
        back = "esc back to the form" if self.flow.has_form else "esc cancels"
        if reason is None:
            status.update(f"Nothing is sent until you press a (Apply) · {back}")
        elif self.plan is not None and self.plan.blocked:
            status.update(f"Apply is disabled: a guard refuses this write (see above) · {back}")
        else:
            status.update(f"Apply is disabled: {reason} · {back}")
        status.set_class(self.plan is not None and self.plan.blocked, "-blocked")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._update_gate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the confirmation field applies only when it matches."""
        event.stop()
        if self.gate() is None:
            self.action_apply()
        else:
            self._update_gate()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "preview-apply":
            self.action_apply()
        elif event.button.id == "preview-back":
            self.action_back()

    # -- apply -----------------------------------------------------------------

    def action_apply(self) -> None:
        reason = self.gate()
        if reason is not None:
            if not self.applying:
                self.app.notify(f"Not applied: {plain(reason)}", severity="warning",
                                markup=False)
            return
        assert self.plan is not None
        self.applying = True
        self.query_one("#apply-error", ErrorPanel).clear()
        self._update_gate()
        confirm = self.typed if self.plan.confirmation is not None else None
        self._apply(self.plan, confirm)

    @work(exclusive=True, group="write-apply", exit_on_error=False)
    async def _apply(self, plan: WritePlan, confirm: str | None) -> None:
        outcome = await self.flow.apply(plan, confirm)
        self.applying = False
        self._applied(outcome)

    def _applied(self, outcome: WriteOutcome) -> None:
        if outcome.status == "refused":
            self.query_one("#apply-error", ErrorPanel).show_error(
                "Not sent", outcome.note, "Nothing was sent.")
            self._update_gate()
            return
        if outcome.status == "failed" and not self.flow.has_form:
            error = outcome.error
            self.query_one("#apply-error", ErrorPanel).show_error(
                f"Not applied: {error.title if error else 'failed'}",
                error.message if error else outcome.note,
                f"{outcome.note}. Journal entry {outcome.entry_id}. Press a to try again, "
                "or Esc to cancel.")
            self._update_gate()
            return
        if self.flow.has_form:
            self.dismiss(outcome)
            return
        self.app.switch_screen(ResultScreen(self.flow, outcome))

    def action_back(self) -> None:
        """Back to the form (or out of an undo); nothing is sent."""
        if self.applying:
            self.app.notify("The write is being sent; wait for its answer.",
                            severity="warning", markup=False)
            return
        self.workers.cancel_group(self, "write-plan")
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[Any, ...]) -> bool | None:
        if action == "apply" and isinstance(self.focused, Input):
            return False  # `a` is a letter in the confirmation field
        return super().check_action(action, parameters)
