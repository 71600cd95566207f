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


#: A value that is not set (None or ""), wherever a value is shown.
BLANK = "—"


def yes_no(value: Any) -> str | None:
    """"yes"/"no" for a flag, `BLANK` for a value not set; None for any
    other value (the caller shows it as text)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None or value == "":
        return BLANK
    return None


def count_of(n: int | None, one: str, many: str | None = None, *, grouped: bool = False) -> str:
    """``"1 row"``, ``"2 rows"``; None counts as 0. `many` defaults to `one`
    plus "s"; `grouped` writes thousands with commas (``"1,234 rows"``)."""
    n = n or 0
    number = f"{n:,}" if grouped else str(n)
    return f"{number} {one if n == 1 else (many or one + 's')}"
