"""The console's only reads and writes of Textual's private API.

Each use below has no public equivalent in Textual 8, and each is read
defensively (an attribute that has gone away counts as "nothing to do"), so
a Textual upgrade degrades the feature instead of crashing the console.
`tests/ui/test_textual_internals.py` fails loudly when Textual renames or
drops any of them, so an upgrade is checked here, in one place.

* `paint_pending(screen)`: whether a frame is still to be drawn (the app's
  batch depth and the screen's layout/repaint flags); used to let the first
  frame out before the models of a quick first look are parsed.
* `swap_line_filter(app, old_types, new)`: replaces the colour filter Textual
  adds under NO_COLOR (`App._filters`).
* `XTermParser` and `use_input_parser(cls)`: the Linux driver's terminal
  parser (`textual._xterm_parser`), swapped for one that keeps bracketed
  pastes whole and an Escape typed just before another key
  (`ui.paste_guard`, `ui.escape_keys`);
* `end_pending_escape(parser)`: what the parser does when `ESCDELAY` runs
  out (its generator told `ParseTimeout`), done at once.
* `FooterKey`: the Footer's key widget (`textual.widgets._footer`), given
  its compact class before it is mounted (`ui.widgets.footer`).
* `load_screen_css(app, screen)`: what pushing a screen of a new class does
  first (`App._load_screen_css`: read its CSS file, re-parse every rule and
  restyle every node), done ahead, at a moment nothing else is drawn.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from textual._parser import ParseTimeout
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.widgets._footer import FooterKey

__all__ = ["PRIVATE_NAMES", "FooterKey", "XTermParser", "end_pending_escape", "load_screen_css",
           "paint_pending", "swap_line_filter", "use_input_parser"]

#: Every private name used here, by where it lives (checked by the tests).
PRIVATE_NAMES = {
    "App": ("_batch_count", "_filters", "_load_screen_css"),
    "Screen": ("_layout_required", "_repaint_required", "_dirty_widgets"),
    "textual._xterm_parser": ("XTermParser",),
    "textual._parser": ("ParseTimeout",),
    "textual.widgets._footer": ("FooterKey",),
    "XTermParser()": ("_timeout_time", "_gen", "_awaiting", "_tokens"),
    "textual.drivers.linux_driver": ("XTermParser",),
}


def paint_pending(screen: Any) -> bool:
    """Whether Textual still has a frame to draw for `screen`."""
    return bool(getattr(screen.app, "_batch_count", 0)
                or getattr(screen, "_layout_required", False)
                or getattr(screen, "_repaint_required", False)
                or getattr(screen, "_dirty_widgets", None))


def swap_line_filter(app: App, old_types: tuple[type, ...], new: Any) -> None:
    """Put `new` where the app has a line filter of one of `old_types`."""
    filters = getattr(app, "_filters", None)
    if isinstance(filters, list):
        app._filters = [new if isinstance(f, old_types) else f  # type: ignore[attr-defined]
                        for f in filters]


def load_screen_css(app: App, screen: Any) -> None:
    """Load `screen`'s CSS into the app's stylesheet now, as pushing it would
    (nothing is done when it is loaded already)."""
    load = getattr(app, "_load_screen_css", None)
    if callable(load):
        load(screen)


def end_pending_escape(parser: XTermParser) -> Iterable[Any]:
    """Tokens of a parser waiting to tell a lone ESC from a sequence, as if
    its `ESCDELAY` had run out now (nothing when it is not waiting)."""
    if getattr(parser, "_timeout_time", None) is None:
        return
    parser._timeout_time = None  # type: ignore[attr-defined]
    parser._awaiting = parser._gen.throw(ParseTimeout())  # type: ignore[attr-defined]
    while parser._tokens:  # type: ignore[attr-defined]
        yield parser._tokens.popleft()  # type: ignore[attr-defined]


def use_input_parser(parser: Callable[..., XTermParser]) -> bool:
    """Make Textual's Linux driver read the terminal with `parser` (it looks
    the class up in its module when its input thread starts); False where
    there is no Linux driver."""
    try:
        # Platform: the Linux driver needs termios, which Windows lacks.
        from textual.drivers import linux_driver
    except ImportError:
        return False
    if not hasattr(linux_driver, "XTermParser"):
        return False
    linux_driver.XTermParser = parser  # type: ignore[misc,assignment]
    return True
