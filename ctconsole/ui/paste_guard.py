"""A bracketed paste arrives whole and in order, whatever it holds.

Textual's terminal parser treats an ESC inside a bracketed paste as the start
of a key sequence: the characters after it are replayed as key presses
*before* the paste event with the text in front of it, so a paste of
`abc ESC X def` reached the find prompt as `^Xdefabc`. `PasteKeepingParser`
takes a bracketed paste (from the terminal's start marker to its end marker)
out of the stream before Textual parses it and hands it on as one `Paste`
event with the text exactly as pasted; what happens to the controls in it is
then the input's business (`ctconsole.safetext.clean_input`, which removes
them in place and says so).

A start marker split across two reads of the terminal is left to Textual
(holding back a lone ESC would delay the Escape key); terminals write a
paste's start marker in one piece.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.message import Message

from ctconsole.ui.textual_internals import XTermParser, use_input_parser

__all__ = ["PasteKeepingParser", "install"]

START = "\x1b[200~"
END = "\x1b[201~"


class PasteKeepingParser(XTermParser):
    """`XTermParser` with bracketed pastes taken whole before parsing."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._paste: list[str] | None = None  # inside a paste: its text so far
        self._tail = ""  # a possible start of END held back between reads

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input
            if self._paste is not None:
                yield events.Paste("".join(self._paste) + self._tail)
                self._paste, self._tail = None, ""
            yield from super().feed(data)
            return
        while data:
            if self._paste is None:
                start = data.find(START)
                if start < 0:
                    yield from super().feed(data)
                    return
                if start:
                    yield from super().feed(data[:start])
                self._paste = []
                data = data[start + len(START):]
                continue
            data = self._tail + data
            self._tail = ""
            end = data.find(END)
            if end < 0:
                keep = _partial_end(data)
                self._paste.append(data[:len(data) - keep])
                self._tail = data[len(data) - keep:]
                return
            self._paste.append(data[:end])
            text = "".join(self._paste)
            self._paste = None
            data = data[end + len(END):]
            if text:
                yield events.Paste(text)


def _partial_end(data: str) -> int:
    """How many characters at the end of `data` could begin END."""
    for size in range(min(len(END) - 1, len(data)), 0, -1):
        if END.startswith(data[-size:]):
            return size
    return 0


def install() -> None:
    """Make Textual's Linux driver read the terminal with `PasteKeepingParser`
    (the driver looks the parser class up in its module when its input
    thread starts). Other drivers are left as they are."""
    use_input_parser(PasteKeepingParser)
