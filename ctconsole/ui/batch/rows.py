"""The batch table's columns and rows, for every phase.

One grid serves the whole flow: resolved identifiers first (status, object,
campaign, account), then the preview of the same rows (outcome, now → after,
the guard's reason), then the result of applying each. Values are plain
text; the grid shows customer text literally (`ui.text`).
"""

from __future__ import annotations

from typing import Any

from ctconsole.ui.formats import count_of, yes_no
from ctconsole.ui.widgets.grid_model import Column

STATUS_TEXT = {"found": "found", "not_found": "not found", "ambiguous": "ambiguous",
               "error": "error", "duplicate": "duplicate", "pending": "…"}
OUTCOME_TEXT = {"change": "change", "warn": "⚠ change", "refused": "✖ refused",
                "applied": "applied", "unknown": "? unknown", "not_found": "not found",
                "ambiguous": "ambiguous", "error": "error", "duplicate": "duplicate",
                "skipped": "skipped"}


def _number(value: Any) -> str:
    return str(value)


#: Fixed widths: measuring 10,000 rows to choose them would hold the preview back.
COLUMNS = (
    Column("n", "#", width=5, align="right", sort_key=int, format=_number),
    Column("input", "Input", width=18),
    Column("status", "Status", width=10),
    Column("result", "Result", width=7),
    Column("object", "Object", width=21),
    Column("change", "Now → after", width=30),
    Column("note", "Note", width=48),
    Column("scope", "Campaign", width=10),
    Column("account", "Account", width=10),
    Column("who", "Who", width=20, pii="name"),
)


def flag_text(value: object) -> str:
    word = yes_no(value)
    return word if word is not None else str(value)


def change_text(changes: list[tuple[str, object, object]]) -> str:
    """"validated no → yes, claimed no → yes"."""
    return ", ".join(f"{name} {flag_text(now)} → {flag_text(after)}"
                     for name, now, after in changes)


def resolved_row(row: Any) -> dict[str, Any]:
    """A resolved identifier (`writes.batch.Row`)."""
    target = row.target or (row.matches[0] if row.matches else None)
    note = row.describe() if row.status != "found" else ""
    return {"n": row.item.number, "input": row.item.text, "status": STATUS_TEXT.get(row.status,
                                                                                    row.status),
            "object": target.key if target and row.status != "ambiguous" else "",
            "scope": target.scope if target else "", "change": "", "note": note, "result": "",
            "account": (target.subaccount or "main") if target else "",
            "who": target.who if target else ""}


def planned_row(row: Any) -> dict[str, Any]:
    """A row of the preview (`writes.batch.RowPlan`), with its result once applied."""
    target = row.target
    note = "; ".join(("✖ " if r.blocks else "⚠ ") + r.message for r in row.reasons)
    if row.error:
        note = row.error
    elif row.note:
        note = f"{row.note}; {note}" if note else row.note
    return {"n": row.number, "input": row.input, "status": OUTCOME_TEXT.get(row.outcome,
                                                                            row.outcome),
            "object": target.key if target else "", "scope": target.scope if target else "",
            "change": change_text(row.changes()) if row.writes else "", "note": note,
            "result": row.result or "", "account": (target.subaccount or "main") if target else "",
            "who": target.who if target else ""}


def operations_text(plan: Any) -> str:
    """"3 operations: 2 session.update_many, 1 session.update · main account, subaccount sub_2001"."""
    if not plan.steps:
        return "no operation to send"
    kinds: dict[str, int] = {}
    for step in plan.steps:
        kinds[step.operation] = kinds.get(step.operation, 0) + 1
    creds = sorted({s.credentials for s in plan.steps})
    ops = ", ".join(f"{n} {op}" for op, n in kinds.items())
    count = len(plan.steps)
    return f"{count_of(count, 'operation')}: {ops} · {', '.join(creds)}"
