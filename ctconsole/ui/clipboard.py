"""Copying a cell, a row or a row's ID to the user's clipboard.

Why OSC 52: support staff often run the console on a server over SSH, where
no local clipboard program can be reached. Textual's `App.copy_to_clipboard`
writes the OSC 52 escape sequence, which the *user's* terminal turns into a
clipboard write, so copying works wherever the terminal supports it.

What goes on the clipboard is what the screen shows minus the characters
that act on a terminal (`ctconsole.safetext.clipboard`): customer text can
hold `ESC ]2;…` or `ESC ]52;…`, which must not reach the terminal of whoever
pastes it. Every copy is announced with a notification that shows exactly
that text (shortened), so the user knows what is about to be pasted into a
ticket. Secrets are never copied by these helpers: a secret cell is
refused, and a row is copied with its secrets masked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.app import App

from ctconsole import safetext
from ctconsole.ui.export import MASK, csv_cell
from ctconsole.ui.privacy import screen_share_on
from ctconsole.ui.text import plain

#: Longest preview of copied text in the notification.
PREVIEW = 60


def preview(text: str, limit: int = PREVIEW) -> str:
    """Copied text as the notification shows it: one line, safe, shortened."""
    shown = plain(text.replace("\t", " · ").replace("\r\n", " ⏎ ").replace("\n", " ⏎ "))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def is_secret(value: Any) -> bool:
    return hasattr(value, "get_secret_value")


def row_text(columns: Sequence[str], record: Mapping[str, Any]) -> tuple[str, bool]:
    """A row as tab-separated values (pastes into a spreadsheet or a ticket),
    and whether a secret had to be masked."""
    masked = any(is_secret(record.get(name)) for name in columns)
    cells = [MASK if is_secret(record.get(name)) else csv_cell(record.get(name)) for name in columns]
    return "\t".join(_one_line(cell) for cell in cells), masked


def _one_line(cell: str) -> str:
    """A tab or line break inside a value would split the row when pasted."""
    return " ".join(cell.split()) if any(ch in cell for ch in "\t\r\n") else cell


def copy(app: App, text: str, what: str, *, shown: bool = True) -> None:
    """Put `text`, cleaned for the clipboard, there (OSC 52) and say what was
    copied. `shown=False` for a credential (a login link): the notice names it only."""
    text = safetext.clipboard(text)
    if not text.strip():
        refuse(app, what, "holds only control characters.")
        return
    app.copy_to_clipboard(text)
    if not shown:
        app.notify(f"Copied {plain(what)} (not shown)", title="Copied", markup=False, timeout=4)
        return
    # Under screen share the copied value may be personal data: not shown.
    shown_text = "(not shown: screen share is on)" if screen_share_on(app) else preview(text)
    app.notify(f"Copied {plain(what)}: {shown_text}", title="Copied", markup=False, timeout=4)


def refuse(app: App, what: str, reason: str) -> None:
    app.notify(f"Nothing copied: {plain(what)} {reason}", title="Not copied",
               severity="warning", markup=False)
