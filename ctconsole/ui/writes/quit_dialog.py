"""Asked when `q` is pressed while a write is in flight.

Quitting then cannot stop the request: it may still be applied after the
journal recorded the write as interrupted, and nobody would see its answer.
So the console asks first: wait (the default: Esc, `w`, Enter on "Wait", and
`q` again, so a double tap never quits) or quit anyway (`Q` or the button).
Once the answer is in, the flow closes the dialog (`write_answered`) and says
`q` quits now.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

QUESTION = "A write is in flight: wait / quit anyway"
EXPLANATION = ("Its answer has not arrived yet. Quitting now does not stop it: the API may "
               "still apply it, and the journal would record it as interrupted (look at the "
               "object before trying again).")


class QuitWhileWriting(ModalScreen[bool]):
    """Wait for the write in flight (False) or quit anyway (True)."""

    DEFAULT_CSS = """
    QuitWhileWriting { align: center middle; }
    QuitWhileWriting #quit-box {
        width: 64; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    QuitWhileWriting #quit-question { text-style: bold; }
    QuitWhileWriting #quit-buttons { height: auto; margin-top: 1; }
    QuitWhileWriting Button { margin-right: 2; }
    """

    BINDINGS = [
        Binding("escape,w,q", "wait", "Wait", id="quit.wait", key_display="w"),
        Binding("Q", "quit_anyway", "Quit anyway", id="quit.anyway"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="quit-box"):
            yield Static(QUESTION, id="quit-question", markup=False)
            yield Static(EXPLANATION, id="quit-explanation", markup=False)
            with Horizontal(id="quit-buttons"):
                yield Button("Wait (w)", id="quit-wait", variant="primary")
                yield Button("Quit anyway (Q)", id="quit-anyway", variant="error")

    def on_mount(self) -> None:
        self.query_one("#quit-wait", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "quit-anyway")

    def action_wait(self) -> None:
        self.dismiss(False)

    def action_quit_anyway(self) -> None:
        self.dismiss(True)


def write_answered(app: App, still_out: int) -> None:
    """A write's answer is in: with none left out, the question is void.

    Closed here, before the write's own screens move on: a screen that
    dismisses itself pops whatever is on top, which would be this dialog."""
    if not still_out and isinstance(app.screen, QuitWhileWriting):
        app.screen.dismiss(False)
        app.notify("The write's answer arrived; q quits now.", markup=False)
