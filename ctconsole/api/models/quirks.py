"""The rules that absorb the API's encoding quirks, one function per quirk.

The Coupontools API is inconsistent about how it encodes the same kind of
value (docs/DESIGN.md, "Wire format"); each function below turns
every accepted encoding of one kind of value into one Python value, and
raises `ValueError` (never `TypeError`) for anything else. `base` attaches
them to model fields as annotated types; they live here, free of pydantic,
so that `pydantic_free` can read a first pane's table columns by exactly
the same rules before pydantic is even imported (its import and first model
build are a large part of start-up).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timezone
from typing import Any

_INT = re.compile(r"[+-]?[0-9]{1,18}")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})")
#: MySQL's "zero date", the classic PHP stand-in for "no date".
_ZERO_DATES = frozenset({"0000-00-00", "0000-00-00 00:00:00"})
_TRUE = frozenset({"1", "true"})
_FALSE = frozenset({"0", "false"})


def _kind(value: object) -> str:
    """Name a value's JSON kind for an error message, without echoing the value
    (API data is untrusted and may be long or sensitive)."""
    return type(value).__name__


def _to_int(value: Any) -> int | None:
    """Quirk "numbers as strings": counters and IDs-as-numbers arrive as `5` in
    some responses and `"5"` in others (S1 vs S2); `""` and null mean "not set".
    Whole-valued floats (`5.0`) are accepted; booleans, fractions and words are
    not."""
    if value.__class__ is str and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)  # the usual "5": what the full rules below give
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("expected a whole number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise ValueError("expected a whole number, got a fraction")
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        if _INT.fullmatch(text):
            return int(text)
        raise ValueError("expected a whole number as digits")
    raise ValueError(f"expected a whole number, got {_kind(value)}")


def _to_bool(value: Any) -> bool | None:
    """Quirk "booleans in three encodings": session and user flags are
    `"0"`/`"1"`, subaccount permissions are JSON `true`/`false`, some writes
    echo `0`/`1` or `"true"`/`"false"`; `""` and null mean "not set"."""
    # The wire's usual spellings first: this runs for every flag of every
    # row of a 5000-session page.
    if value == "1":
        return True
    if value == "0":
        return False
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "":
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError("expected a flag: true/false, 1/0, \"1\"/\"0\" or \"true\"/\"false\"")


def _parse_time(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date-time string, got {_kind(value)}")
    text = value.strip()
    if text == "" or text in _ZERO_DATES:
        return None
    if not _TIME.fullmatch(text):
        raise ValueError("expected a date-time as YYYY-MM-DD HH:MM:SS")
    try:
        # The pattern admits only "YYYY-MM-DD[ T]HH:MM:SS", which
        # fromisoformat (C) reads exactly as the six numbers would; it is
        # much cheaper than building the datetime from the groups.
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not a real calendar date-time") from None


def _to_utc(value: Any) -> datetime | None:
    """Quirk "zoneless UTC": `_utc` fields are `"YYYY-MM-DD HH:MM:SS"` without
    a zone; they become timezone-aware UTC datetimes. `""` (and MySQL's zero
    date) mean "never happened" and become None."""
    if value == "":  # the commonest value of all: a step not reached yet
        return None
    if value.__class__ is str and _TIME.fullmatch(value):
        # The usual case, made cheap (six of these per session row):
        # parsing with an explicit zero offset yields the aware UTC datetime
        # directly; `.replace(tzinfo=…)` alone costs many times the parse.
        # A zero date or an impossible one falls through to the full rules.
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            pass
    moment = _parse_time(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _to_local(value: Any) -> datetime | None:
    """Quirk "zone unknown": `lastlogin` and the webhook `date` are
    `"YYYY-MM-DD HH:MM:SS"` with no documented zone. They stay naive, so no
    code can mistake them for UTC; `""` becomes None."""
    return _parse_time(value)


def _to_day(value: Any) -> date | None:
    """Quirk "empty dates": `expiry_date`-style fields are `"YYYY-MM-DD"` or
    `""` (not set), which becomes None."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date string, got {_kind(value)}")
    text = value.strip()
    if text == "" or text in _ZERO_DATES:
        return None
    match = _DAY.fullmatch(text)
    if not match:
        raise ValueError("expected a date as YYYY-MM-DD")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError("not a real calendar date") from None


def _to_day_or_time(value: Any) -> date | datetime | None:
    """Quirk "undocumented date format": `created_date`, `start_date` and
    `end_date` of campaigns, cards and directories are not specified; both
    `"YYYY-MM-DD"` (→ date) and `"YYYY-MM-DD HH:MM:SS"` (→ naive datetime,
    zone unknown) are accepted, keeping exactly the precision that was sent."""
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        return _to_day(value)
    return _parse_time(value)


def _to_text(value: Any) -> str:
    """Quirk "numbers where text is expected": free-text fields (custom IDs,
    phone numbers, codes) may arrive as JSON numbers; they become their decimal
    text. Null becomes `""`, the API's own spelling of "empty"."""
    if value.__class__ is str:  # nearly always (several per session row)
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise ValueError("expected text, got a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    raise ValueError(f"expected text, got {_kind(value)}")


def _to_id(value: Any) -> str:
    """Quirk "IDs as numbers": v3 IDs are prefixed strings (`cam_123`), v4 and
    some inferred contracts use bare numbers (`123456`); both become text.
    An empty or missing ID is refused: an entity without identity is a payload
    we do not understand."""
    text = _to_text(value).strip()
    if text == "":
        raise ValueError("expected a non-empty ID")
    return text


def _to_action(value: Any) -> str:
    """Quirk "leading space": `singleuse.create_many` documents its action as
    `" multiple_single_use_codes_created"`; surrounding whitespace is removed
    so action values can be compared exactly."""
    return _to_text(value).strip()
