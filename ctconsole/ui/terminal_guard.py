"""The last line of defence: no rendered character may act on the terminal.

Customer text is made visible where it enters the UI (`ui.text`, the grid's
`visible()`, both `ctconsole.safetext.display`), but some text reaches the screen through widgets we do not
write: Textual's `Input` shows whatever was pasted into the find prompt or
the filter bar, the command palette echoes its query, and a future pane
may forget `ui.text`. A pasted ESC, BEL or C1 control would then go to the
terminal as is, where `ESC ]2;…` retitles the window and `ESC ]52;…` writes
the clipboard.

`ControlGuard` is a Textual line filter (the mechanism Textual uses for
NO_COLOR): every line every widget renders passes through it, and any
segment holding a character `visible()` would escape is replaced by its
visible form. Ordinary lines cost one `str.isprintable()` per segment.
Textual's own control segments (cursor moves, which it adds after the
filters) are not touched. A line with a replaced control keeps its width
(stand-ins take cells the controls did not), so borders stay aligned.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter
from textual.strip import Strip

from ctconsole.safetext import display as visible

__all__ = ["ControlGuard", "CONTROL_GUARD"]


class ControlGuard(LineFilter):
    """Replace terminal-active characters in rendered text by visible ones."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(text.isprintable() or segment.control for segment in segments
               for text in (segment.text,)):
            return segments
        shown = [
            segment if segment.control or segment.text.isprintable()
            else Segment(visible(segment.text), segment.style)
            for segment in segments
        ]
        # A stand-in takes a cell where the control took none: keep the line
        # as wide as the layout made it, so borders stay where they were.
        return list(Strip(shown).adjust_cell_length(Strip(segments).cell_length))


#: The one instance the app adds to Textual's filters.
CONTROL_GUARD = ControlGuard()
