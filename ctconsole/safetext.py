"""The one rule for untrusted text, and what it becomes on each way out.

API text is typed by customers; pasted text comes from chats and terminals.
Either may hold characters that act on a terminal or a reader instead of
being read: C0 and C1 controls (ESC starts sequences that retitle the window
or write the clipboard), DEL, bidi controls that reorder what is shown,
zero-width and other format characters, line and paragraph separators, lone
surrogates. `is_unsafe` is that one set, the Unicode categories Cc, Cf, Cs,
Zl and Zp. Other spaces, private-use and unassigned code points are inert on
a terminal and kept.

Each way text leaves the console has its mode here, and nothing else in the
console keeps a list of unsafe characters:

* `display`: the screen. Every unsafe character becomes a visible stand-in
  (ESC -> "␛", U+202E -> "\\u202e"), so a person sees that it is there.
* `clipboard` and `export`: what a person copies or saves is what the screen
  shows minus the unsafe characters (removed, not stood in for); tab and line
  break are kept as text structure, a carriage return becomes a line break
  (alone it lets a later text overwrite an earlier one on a terminal).
  `spreadsheet_cell` adds the formula guard for CSV.
* `one_line`: messages and errors, unsafe characters removed, whitespace
  runs collapsed, shortened.
* `escape_json`: a JSON document with every unsafe character written as a
  `\\uXXXX` escape (the same data, inert on a terminal).
* `clean_input`: what a person pasted into a one-line input. Escape
  sequences and unsafe characters are removed in place (the rest keeps its
  order) and `Cleaned.note` says what was removed.
* `check`: a request parameter's text against its allowed characters
  (`CHARS`); the caller refuses it with the reason, nothing is sent.

No Textual, no httpx: the API client, the writes engine and the CLI use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Literal

__all__ = ["UNSAFE_CATEGORIES", "is_unsafe", "has_unsafe", "display", "stand_in", "strip",
           "clipboard", "export", "spreadsheet_cell", "guard_formula", "one_line",
           "escape_json", "Cleaned", "clean_input", "CHARS", "Chars", "check", "char_name"]

#: Letters of Unicode's general categories that make a character unsafe.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

# What starts a spreadsheet formula, after any leading blanks: ASCII and the
# full-width forms spreadsheet programs also accept.
_FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_LEADING_BLANKS = " \t\r\n\u00a0\u3000"
# A terminal escape sequence as a paste carries it: CSI, OSC/DCS/SOS/PM/APC
# strings with their terminator (without one, only the ESC pair goes: the
# text after it is the person's), a two-character ESC sequence, an 8-bit CSI.
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_SHOWN_SEQUENCE = 24  # characters of a removed escape sequence named in a note
_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK "
             "SYN ETB CAN EM SUB ESC FS GS RS US").split()


def is_unsafe(char: str) -> bool:
    """Whether one character acts on a terminal or hides or reorders text."""
    return not char.isprintable() and unicodedata.category(char) in UNSAFE_CATEGORIES


def has_unsafe(text: str) -> bool:
    if text.isprintable():  # C fast path: false for every unsafe character
        return False
    return any(is_unsafe(char) for char in text)


def stand_in(char: str) -> str:
    """The visible form of one unsafe character ("␛", "␡", "\\x9b", "\\u202e")."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC -> "␛", TAB -> "␉"
    if code == 0x7F:
        return "\u2421"  # "␡"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def display(text: str) -> str:
    """`text` for the screen: every unsafe character as a visible stand-in.

    Ordinary text (accents, CJK, emoji) comes back unchanged and, when nothing
    needed a stand-in, as the very same object (no extra memory).
    """
    if text.isprintable():
        return text
    shown = "".join(stand_in(char) if is_unsafe(char) else char for char in text)
    return text if shown == text else shown


def strip(text: str, keep: str = "") -> str:
    """`text` without its unsafe characters, except those in `keep`."""
    if text.isprintable():
        return text
    return "".join(char for char in text if char in keep or not is_unsafe(char))


def clipboard(text: str) -> str:
    """What goes on the clipboard: the shown text minus unsafe characters;
    tabs and line breaks kept, carriage returns made line breaks."""
    if text.isprintable():
        return text
    return strip(text.replace("\r\n", "\n").replace("\r", "\n"), keep="\t\n")


#: Export files keep exactly what the clipboard keeps.
export = clipboard


def guard_formula(text: str) -> str:
    """`text` made inert for spreadsheets: a leading `'` when, after any
    leading blanks, it starts with a formula character (`= + - @` or their
    full-width forms), or when it starts with a tab or carriage return."""
    if not text:
        return text
    if text[0] in "\t\r":
        return "'" + text
    start = text.lstrip(_LEADING_BLANKS)[:1]
    return "'" + text if start and start in _FORMULA_STARTS else text


def spreadsheet_cell(text: str) -> str:
    """A CSV cell: export-clean, then formula-guarded."""
    return guard_formula(export(text))


def one_line(text: object, limit: int = 300) -> str:
    """Untrusted text for a message: unsafe characters removed, runs of
    whitespace collapsed to one space, cut to `limit` characters with "…"."""
    value = " ".join(strip(str(text), keep="\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029")
                     .split())
    if len(value) > limit:
        value = value[: max(limit - 1, 0)].rstrip() + "…"
    return value


def escape_json(document: str) -> str:
    """A JSON text with every unsafe character written as a `\\uXXXX` escape
    (surrogate pairs above U+FFFF). The document means the same."""
    if document.isprintable():
        return document
    out = []
    for char in document:
        if char in "\n" or not is_unsafe(char):
            out.append(char)  # json.dumps already escaped line breaks inside strings
            continue
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


def char_name(char: str) -> str:
    """An unsafe character as a person can look it up: "ESC", "U+202E
    RIGHT-TO-LEFT OVERRIDE"."""
    code = ord(char)
    if code < 0x20:
        return _C0_NAMES[code]
    if code == 0x7F:
        return "DEL"
    name = unicodedata.name(char, "")
    return f"U+{code:04X} {name}" if name else f"U+{code:04X}"


@dataclass(frozen=True)
class Cleaned:
    """A pasted text after `clean_input`: `text` and, in order of first
    appearance, what was removed from it."""

    text: str
    removed: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.removed)

    @property
    def note(self) -> str:
        """"" when nothing was removed, else e.g. "removed from the paste:
        escape sequence ␛[31m, U+202E RIGHT-TO-LEFT OVERRIDE"."""
        if not self.removed:
            return ""
        counts = Counter(self.removed)
        parts = [f"{counts[item]} × {item}" if counts[item] > 1 else item
                 for item in dict.fromkeys(self.removed)]
        return "removed from the paste: " + ", ".join(parts)


def clean_input(text: str, *, single_line: bool = True) -> Cleaned:
    """A paste made safe to search for or send, in its own order.

    Escape sequences go as a whole (`ESC [31m` would otherwise leave `[31m`
    behind), every other unsafe character alone; `removed` names them in the
    order they stood. For a one-line input, line breaks and tabs become
    spaces (not reported: they only separate words). Nothing else changes;
    nothing moves.
    """
    if text.isprintable():
        return Cleaned(text)
    if single_line:
        text = _BREAKS.sub(" ", text)
    removed: list[str] = []
    kept: list[str] = []

    def characters(piece: str) -> None:
        for char in piece:
            if is_unsafe(char) and (single_line or char not in "\t\n"):
                removed.append(char_name(char))
            else:
                kept.append(char)

    done = 0
    for match in _SEQUENCE.finditer(text):
        characters(text[done:match.start()])
        shown = display(match.group(0))
        if len(shown) > _SHOWN_SEQUENCE:  # an OSC 52 payload can be kilobytes
            shown = shown[:_SHOWN_SEQUENCE - 1] + "…"
        removed.append(f"escape sequence {shown}")
        done = match.end()
    characters(text[done:])
    return Cleaned("".join(kept), tuple(removed))


_BREAKS = re.compile(r"\r\n|[\t\n\r\x0b\x0c\x85\u2028\u2029]")


Chars = Literal["line", "lines", "token", "secret"]

#: The allowed characters of a free-text request parameter, by name, with
#: the sentence that says so when a value breaks the rule.
CHARS: dict[str, str] = {
    "line": "one line of text without control characters",
    "lines": "text without control characters (line breaks allowed)",
    "token": "letters, digits and . _ - : / only, no spaces",
    "secret": "one line without control characters",
}
_TOKEN = re.compile(r"[A-Za-z0-9._:/-]*")


def check(text: str, chars: str) -> str | None:
    """Why `text` breaks the character rule `chars` (a key of `CHARS`), or
    None when it keeps it. The reason names the first offending character but
    never echoes the value (it may be a secret)."""
    if chars == "token":
        if _TOKEN.fullmatch(text):
            return None
        bad = next(char for char in text if not _TOKEN.fullmatch(char))
    else:
        allowed = "\n" if chars == "lines" else ""
        bad = next((char for char in text if char not in allowed and is_unsafe(char)), "")
        if not bad:
            return None
    what = char_name(bad) if is_unsafe(bad) else repr(bad)
    return f"must be {CHARS[chars]} (found {what})"
