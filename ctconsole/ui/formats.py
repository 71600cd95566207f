"""How values read in tables and detail views: days, counts, yes/no.

One formatter per kind of value, so every pane writes a date, a count or a
flag the same way. Pure functions over already parsed values (no Textual).
"""

from __future__ import annotations

from typing import Any


def day_text(value: Any) -> str:
    """Dates and date-times the way lists show them (no seconds)."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def count_text(value: Any) -> str:
    return "" if value is None else str(value)
