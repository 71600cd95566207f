"""After a write: what happened, and the object as the API now has it.

The state shown is `WriteOutcome.state`, read again from the API after the
write (past the cache), never the prediction: the point is to see what the
API holds. An outcome that is unknown (no answer, a server failure) says so
with the journal's note, so nobody retries blindly; the pane underneath has
already been fetched again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ctconsole.ui.text import content
from ctconsole.ui.widgets.breadcrumbs import Breadcrumbs
from ctconsole.ui.widgets.footer import KeyFooter

from .render import crumbs_for, state_content, table

if TYPE_CHECKING:
    from ctconsole.writes import WriteOutcome

    from .flow import WriteFlow

HEADLINES = {"ok": "✔ Applied", "unknown": "? Outcome unknown", "failed": "✖ Not applied",
             "refused": "✖ Not sent"}


def outcome_headline(outcome: WriteOutcome) -> Content:
    words = HEADLINES.get(outcome.status, outcome.status)
    return Content.assemble((words, "bold"), ": ", content(outcome.plan.target.label))


class ResultScreen(Screen[None]):
    """The outcome of one write; Enter or Escape goes back to the pane."""

    DEFAULT_CSS = """
    ResultScreen #result-body { height: 1fr; padding: 0 1; }
    ResultScreen #result-body > Static { height: auto; margin-bottom: 1; }
    ResultScreen #headline.-ok { color: $text-success; }
    ResultScreen #headline.-unknown { color: $text-warning; }
    ResultScreen #headline.-failed, ResultScreen #headline.-refused { color: $text-error; }
    """

    BINDINGS = [
        Binding("escape,enter", "close", "Close", id="write.close"),
    ]

    def __init__(self, flow: WriteFlow, outcome: WriteOutcome) -> None:
        super().__init__()
        self.flow = flow
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        yield Breadcrumbs((*crumbs_for(self.flow), "Result"))
        with VerticalScroll(id="result-body"):
            yield Static(outcome_headline(outcome), id="headline", classes=f"-{outcome.status}")
            yield Static(self._facts(), id="facts", markup=False)
            if self.flow.result_rows is not None:
                rows = list(self.flow.result_rows(outcome))
                if rows:
                    yield Static(table(rows), id="extra", markup=False)
            yield Static(self._state(), id="now", markup=False)
        yield KeyFooter(compact=True)

    def _facts(self) -> Content:
        outcome = self.outcome
        rows: list[tuple[str, object]] = [("operation", outcome.plan.operation)]
        if outcome.error is not None:
            # The cause only: what an unknown outcome means is the note below.
            rows.append(("error", f"{outcome.error.title}: {outcome.error.cause}"))
        note = outcome.note or "—"
        if outcome.ok and outcome.refetch_error is None:
            note = "applied, and read again from the API (below)" \
                if outcome.state is not None else "applied"
        rows.append(("what it means", note))
        rows.append(("journal entry", outcome.entry_id or "—"))
        if outcome.journal_problem:
            rows.append(("journal", outcome.journal_problem))
        if outcome.refetch_error is not None:
            err = outcome.refetch_error
            rows.append(("read again", f"failed: {err.title}: {err.message}"))
        return table(rows, indent=0, styles=("bold",))

    def _state(self) -> Content:
        outcome = self.outcome
        if outcome.status != "ok":
            head = "Look at the object as it is now before trying again."
            return Content(head).stylize("bold")
        if outcome.state is None:
            return Content("(this write has no object to read again)").stylize("dim")
        return Content("\n").join([Content("As the API now has it").stylize("bold underline"),
                                   state_content(outcome.state)])

    def action_close(self) -> None:
        self.dismiss(None)
