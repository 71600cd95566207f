"""Escape followed quickly by another key is two keys, whatever the link.

A terminal sends Escape as a lone ESC byte, and also starts every special
key (arrows, F-keys, Alt+letter) with ESC. Textual waits `ESCDELAY`
milliseconds (default 100) after an ESC: whatever arrives meanwhile is read
as part of one sequence. Typed over SSH, `Escape c` within that window (or
coalesced into one packet, however slowly it was typed) would be read as
`alt+c`, `Escape /` as a plain `/`, `Escape 2` as a `™`: the Escape lost.

`EscapeFirstParser` reads an ESC followed by a character that cannot start
a terminal sequence (anything but `[`, `O`, `P`, `]`, `_`, `^`, `\\` and
ESC) as the Escape key, then that character as its own key, at once,
whether the two came in one read or in two. Sequences (arrows, function
keys, mouse, paste, terminal answers) start with those introducers and are
parsed as before. The console binds no Alt+letter key; the cost is that a
terminal's Alt+letter (sent as ESC letter) arrives as Escape, letter.

`ESCDELAY` (milliseconds, read by Textual at start) still decides how long
a *lone* Escape waits before it counts, and how long a sequence split
across packets may take to complete: on a link slow enough that arrow keys
arrive as Escape `[` `A`, raise it (e.g. `ESCDELAY=250`); Escape followed by
another key is never delayed by it.

It extends `ui.paste_guard`'s parser (a bracketed paste is taken whole
first), and `install()` makes Textual's Linux driver use it (the driver
builds its parser from the module's `XTermParser` name when its input
thread starts).
"""

from __future__ import annotations

from typing import Iterable

from ctconsole.ui.paste_guard import PasteKeepingParser
from ctconsole.ui.textual_internals import end_pending_escape, use_input_parser

__all__ = ["EscapeFirstParser", "SEQUENCE_INTRODUCERS", "install", "split_escapes"]

ESC = "\x1b"
#: Characters that, after ESC, begin a terminal sequence rather than a key:
#: CSI, SS3, DCS, OSC, APC, PM, ST, and ESC itself (Textual's own case).
SEQUENCE_INTRODUCERS = frozenset("[OP]_^\\" + ESC)


PASTE_START, PASTE_END = ESC + "[200~", ESC + "[201~"


def split_escapes(data: str, escape_pending: bool,
                  in_paste: bool = False) -> tuple[list[tuple[str, bool]], bool]:
    """`data` cut after each ESC that is a key of its own.

    Each piece comes with whether the ESC before it (the one it follows, or
    for the first piece with `escape_pending`, the ESC fed last time) must
    be ended before the piece is fed. Inside a bracketed paste (`in_paste`,
    between ESC[200~ and ESC[201~) nothing is cut: pasted text is text.
    Returns the (piece, end_escape_first) pairs and whether a paste is
    still open at the end of `data`.
    """
    pieces: list[tuple[str, bool]] = []
    start = 0
    end_first = (escape_pending and not in_paste and bool(data)
                 and data[0] not in SEQUENCE_INTRODUCERS)
    for index, char in enumerate(data):
        if char != ESC:
            continue
        if data.startswith(PASTE_START, index):
            in_paste = True
        elif data.startswith(PASTE_END, index):
            in_paste = False
        elif (not in_paste and index + 1 < len(data)
              and data[index + 1] not in SEQUENCE_INTRODUCERS
              and (index == 0 or data[index - 1] != ESC)):
            pieces.append((data[start:index + 1], end_first))
            start, end_first = index + 1, True
    pieces.append((data[start:], end_first))
    return pieces, in_paste


class EscapeFirstParser(PasteKeepingParser):
    """Textual's parser (pastes kept whole), with ESC + an ordinary
    character read as two keys."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        #: The last character fed was an ESC the parser is still waiting on.
        self._escape_pending = False
        #: Inside a bracketed paste.
        self._in_paste = False

    def feed(self, data: str) -> Iterable[object]:
        if not data:
            self._escape_pending = False
            yield from super().feed(data)
            return
        pieces, self._in_paste = split_escapes(data, self._escape_pending, self._in_paste)
        for piece, end_escape_first in pieces:
            if end_escape_first:
                yield from self._end_escape()
            if piece:
                yield from super().feed(piece)
        self._escape_pending = (not self._in_paste and data.endswith(ESC)
                                and not data.endswith(ESC + ESC))

    def _end_escape(self) -> Iterable[object]:
        """Stop waiting after the ESC fed last: it is the Escape key (what
        `tick` does once `ESCDELAY` has passed)."""
        yield from end_pending_escape(self)


def install() -> None:
    """Make Textual's Linux driver build its input parser from this class."""
    use_input_parser(EscapeFirstParser)
