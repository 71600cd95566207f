"""NO_COLOR (https://no-color.org): no colour, never no text.

Textual's own NO_COLOR filter turns each colour into its grey. Under the
ANSI theme, and on terminals with 8 or 256 colours, a dark grey text on a
dark grey ground is quantised to the same black for both (`30;40`), so most
of the screen goes blank. This filter replaces it: every colour is dropped,
so text is the terminal's own foreground on its own background (legible by
construction, under every TERM), and a segment whose ground stood out from
its widget's (a table's cursor row, a highlighted option, the input cursor,
a scrollbar thumb, a chip) is drawn in reverse video instead. Bold,
underline, italic and dim pass through. What colour alone marked (focus,
placeholders) gets a text style from `NO_COLOUR_CSS`, which the app loads.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

__all__ = ["NoColour", "NO_COLOUR", "NO_COLOUR_CSS", "STANDS_OUT"]

#: How far (0..1 perceived brightness) a ground must be from its widget's
#: ground to count as emphasis. Textual's themes put cursors and highlights
#: well beyond this, and panels and surfaces (which should not turn into
#: blocks of reverse video) well within it.
STANDS_OUT = 0.12

_REVERSE = Style(reverse=True)
_NOT_REVERSE = Style(reverse=False)


def _brightness(color: RichColor | None, foreground: bool, default: float) -> float:
    if color is None or color.is_default:
        return default
    r, g, b = color.get_truecolor(foreground=foreground)
    return (299 * r + 587 * g + 114 * b) / 255_000


@lru_cache(4096)
def monochrome(style: Style, ground: float) -> Style:
    """`style` with no colour; reversed where its ground stood out from `ground`."""
    if style.reverse:
        shown_ground = _brightness(style.color, True, 1.0 - ground)
    else:
        shown_ground = _brightness(style.bgcolor, False, ground)
    emphasised = abs(shown_ground - ground) > STANDS_OUT
    # `without_color` keeps the attributes, link and meta (Textual's click
    # actions live in the meta).
    return style.without_color + (_REVERSE if emphasised else _NOT_REVERSE)


class NoColour(LineFilter):
    """Drop all colour; turn a contrasting ground into reverse video."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        ground = background.brightness
        return [
            segment if segment.control or segment.style is None
            else Segment(segment.text, monochrome(segment.style, ground), None)
            for segment in segments
        ]


#: Where only a colour told things apart, a text style does under NO_COLOR
#: (`:nocolor` is Textual's pseudo-class for it): the focused control is
#: reversed or underlined, a placeholder is dim italic so it does not read
#: as a value.
NO_COLOUR_CSS = """
Input:nocolor > .input--placeholder, Input:nocolor > .input--suggestion {
    text-style: dim italic;
}
Input:nocolor:focus { text-style: underline; }
Button:nocolor:focus { text-style: bold reverse; }
Select:nocolor:focus > SelectCurrent { text-style: reverse; }
Switch:nocolor:focus { text-style: reverse; }
RadioSet:nocolor:focus > RadioButton.-selected { text-style: reverse; }
"""

#: The one instance the app puts in place of Textual's NO_COLOR filter.
NO_COLOUR = NoColour()
