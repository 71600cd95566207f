"""The loyalty holders pane's verdict: why this card holder cannot redeem.

The same rules as the session pane's (`ctconsole.explain.rules`: voided, out
of stamps or points, or nothing wrong with what was checked), for the holder
under the cursor, shown above the table with its evidence. `F` opens the
finding's fix (un-void, add a stamp) in the existing write flow - form,
preview, journal; a fix that is the customer's or the merchant's is said in
words. `n` copies and saves the case note, as on the session pane.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ctconsole import safetext
from ctconsole.explain.facts import Account, Facts
from ctconsole.explain.gather import journal_facts, loyalty_facts
from ctconsole.explain.note import render
from ctconsole.explain.rules import Explanation, explain
from ctconsole.ui.screens.verdict import save_note
from ctconsole.ui.text import plain
from ctconsole.ui.writes.flow import journal_of
from ctconsole.ui.writes.keys import Prefill

#: The operation every loyalty fix goes through.
FIX_OPERATION = "loyalty.user_update"


class Writes:
    """This machine's loyalty writes, read once for a whole list of holders
    (`journal_facts` asks it by object, as it asks the journal)."""

    def __init__(self, journal: Any) -> None:
        try:
            self._entries = journal.entries(operation="loyalty") if journal is not None else []
        except Exception:  # a journal that cannot be read leaves the verdicts without it
            self._entries = []

    def entries(self, object: str | None = None, **_: Any) -> list[Any]:
        return [e for e in self._entries if not object or e.mentions(object)]


def holder_explanation(card: Any, holder: Any, *, now: datetime, owner: Account | None,
                       writes: Any) -> Explanation:
    """The rules run on one holder of `card`."""
    loyalty = loyalty_facts(card, holder)
    return explain(Facts(now, asked=loyalty.user, owner=owner, loyalty=loyalty,
                         writes=journal_facts(writes, loyalty.user)))


def pane_writes(app: Any) -> Writes:
    try:
        journal = journal_of(app)
    except Exception:  # a journal that cannot be opened leaves the verdicts without it
        journal = None
    return Writes(journal)


def now_of(app: Any) -> datetime:
    clock = getattr(app, "clock", None)
    return clock() if callable(clock) else datetime.now(timezone.utc)


def fix_guard(pane: Any) -> str | None:
    """Why `F` cannot open a fix now (a write key's guard), or None."""
    explanation = pane.explanation
    if explanation is None:
        return "No card holder under the cursor (the list is empty or still loading)."
    fix = explanation.verdict.fix
    if fix is None:
        tell = explanation.verdict.tell
        return f"No fix from here: {tell}" if tell else "Nothing to fix."
    if fix.operation != FIX_OPERATION:
        return f"The fix is {fix.operation}: {fix.title}."
    return None


def fix_prefill(pane: Any) -> Prefill:
    fix = pane.explanation.verdict.fix
    return Prefill(dict(fix.params), plain(fix.title))


def case_note(pane: Any) -> None:
    """`n`: the holder's case note copied (OSC 52) and saved (0600)."""
    app = pane.app
    if pane.explanation is None:
        app.notify("No card holder under the cursor.", markup=False)
        return
    now = now_of(app)
    note = render(pane.explanation, personal=bool(getattr(app, "case_note_personal", False)),
                  generated=now)
    app.copy_to_clipboard(safetext.clipboard(note))
    try:
        path = save_note(note, pane.explanation, now)
    except OSError as err:
        app.notify(plain(f"Copied; not saved: {err.strerror or err}"), severity="warning",
                   markup=False)
        return
    app.notify(plain(f"Case note copied and saved to {path}"), title="Case note", markup=False,
               timeout=8)
