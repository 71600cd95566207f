"""The filter-as-you-type bar under a list.

Why a bar and not a dialog: the point is to watch the list narrow while
typing. The bar only reports what was typed (`Changed`) and when the user is
done (`Done`); the pane owning the grid applies the filter and tells the bar
how many rows match (`show_count`). Escape in the bar clears the filter and
closes it, so Escape means "back" only when the grid has focus. After Enter
the bar stays visible while a filter is active, so a narrowed list never
looks like the whole list.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from ctconsole.ui.text import typed


class FilterBar(Horizontal):
    """`/`-style filter input with a live "N of M" count."""

    DEFAULT_CSS = """
    FilterBar {
        display: none;
        height: 1;
        background: $panel;
    }
    FilterBar.-open { display: block; }
    FilterBar #filter-label { width: auto; padding: 0 1; color: $text-accent; }
    FilterBar #filter-input { width: 1fr; }
    FilterBar #filter-count { width: auto; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Clear filter", id="filter.clear"),
    ]

    #: The "N of M" shown last.
    _count_text = ""

    class Changed(Message):
        """The filter text changed (applied at once, as the user types)."""

        def __init__(self, bar: FilterBar, text: str) -> None:
            super().__init__()
            self.bar = bar
            self.text = text

        @property
        def control(self) -> FilterBar:
            return self.bar

    class Done(Message):
        """The user left the bar: `kept` after Enter, not after Escape."""

        def __init__(self, bar: FilterBar, kept: bool) -> None:
            super().__init__()
            self.bar = bar
            self.kept = kept

        @property
        def control(self) -> FilterBar:
            return self.bar

    def compose(self) -> ComposeResult:
        yield Static("Filter", id="filter-label", markup=False)
        yield Input(placeholder="words to match in any column", compact=True, id="filter-input",
                    select_on_focus=False)
        yield Static("", id="filter-count", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    @property
    def text(self) -> str:
        return self.input.value

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        """Show the bar and put the cursor in it (the text so far is kept)."""
        self.add_class("-open")
        # At once, not `focus()` (which waits its turn in the queue): keys
        # typed right after `/` while the app is busy must land in the bar.
        self.screen.set_focus(self.input)
        self.input.cursor_position = len(self.input.value)

    def show_count(self, shown: int, total: int) -> None:
        count = self.query_one("#filter-count", Static)
        text = f"{shown:,} of {total:,}"
        before, self._count_text = self._count_text, text
        # A layout only when the count's width changes on an open bar (a
        # closed one is laid out when it opens): counts updated as rows
        # stream in would otherwise lay the whole screen out each time.
        count.update(Content(text), layout=self.is_open and len(text) != len(before))

    def on_input_changed(self, event: Input.Changed) -> None:
        if typed(event.value) != event.value:  # a paste with control characters
            event.stop()
            # Removed in place, the cursor kept after what was pasted; the
            # value changes again, cleaned.
            field = event.input
            cursor = len(typed(event.value[:field.cursor_position]))
            field.value = typed(event.value)
            field.cursor_position = cursor
            return
        event.stop()
        self.post_message(self.Changed(self, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.remove_class("-open")
        self.post_message(self.Done(self, kept=True))

    def action_cancel(self) -> None:
        self.input.value = ""
        self.remove_class("-open")
        # The owner clears the filter on Done(kept=False) itself, whatever
        # order this and the input's own Changed message arrive in.
        self.post_message(self.Done(self, kept=False))
