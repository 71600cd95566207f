"""Pick the one object an ambiguous identifier meant (or skip it)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ctconsole.ui.text import content

SKIP = "\x00skip"


class PickScreen(ModalScreen[str | None]):
    """The matches of one row; Enter picks, `x` or Esc skips the row."""

    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > Vertical { width: 76; height: auto; max-height: 20; border: round $accent;
                            background: $surface; padding: 0 1; }
    PickScreen OptionList { height: auto; max-height: 14; }
    """

    BINDINGS = [Binding("escape", "skip", "Skip this row", id="batch.pick_skip")]

    def __init__(self, row: Any) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(f"{len(self.row.matches)} matches for {self.row.item.display}: "
                                 "Enter picks one, Esc skips the row"), markup=False)
            options = [Option(content(f"{m.key}  {m.scope}  {m.subaccount or 'main'}  {m.who}"),
                              id=m.key) for m in self.row.matches]
            options.append(Option("skip this row", id=SKIP))
            yield OptionList(*options)

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        key = message.option.id
        self.dismiss(None if key == SKIP else key)

    def action_skip(self) -> None:
        self.dismiss(None)
