"""Writes in the TUI: form → preview → confirm → apply → result.

    from ctconsole.ui.writes import start_write, start_undo
    start_write(pane, "session.update", params={"couponsession": code, "validated": True},
                title="Validate session AbC123")   # pane: the Screen to refresh after

A pane's write keys are a `WRITES` table of `keys.WriteKey` rows (key,
binding id, operation, prefill, guard); the journal pane is
`screens.journal.JournalScreen`. The engine underneath (planning, guards,
journal, undo) is `ctconsole.writes`; nothing here sends a request except
through `ctconsole.writes.apply_write`.
See docs/DESIGN.md, "Writes UI".
"""

from .flow import WriteFlow, journal_of, start_undo, start_write, why_no_writes

__all__ = ["WriteFlow", "journal_of", "start_undo", "start_write", "why_no_writes"]
