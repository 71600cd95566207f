"""The loyalty holders pane's verdict: why this card holder cannot redeem.

The same rules as the session pane's (`ctconsole.explain.rules`: voided, out
of stamps or points, or nothing wrong with what was checked), for the holder
under the cursor, shown above the table with its evidence. `F` opens the
finding's fix (un-void, add a stamp) in the existing write flow - form,
preview, journal; a fix that is the customer's or the merchant's is said in
words. `n` copies and saves the case note. The block, the fix key and the
note are the session pane's (`screens.verdict`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ctconsole.explain.facts import Account, Facts
from ctconsole.explain.gather import journal_facts, loyalty_facts
from ctconsole.explain.rules import Explanation, explain
from ctconsole.ui.screens import verdict


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
    return Writes(verdict.journal_or_none(app))


def fix_guard(pane: Any) -> str | None:
    """Why `F` cannot open a fix now (a write key's guard), or None."""
    if pane.explanation is None:
        return "No card holder under the cursor (the list is empty or still loading)."
    return verdict.fix_guard(pane)


def case_note(pane: Any) -> None:
    """`n`: the holder's case note copied (OSC 52) and saved (0600)."""
    if pane.explanation is None:
        pane.app.notify("No card holder under the cursor.", markup=False)
        return
    verdict.case_note(pane.app, pane.explanation)
