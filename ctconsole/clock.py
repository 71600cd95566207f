"""The moment the console judges dates against: is a campaign running, how old
is a session, what does a case note say it was written at.

`CTCONSOLE_NOW` (an ISO 8601 time, e.g. ``2026-11-20T12:00:00Z``) pins it, as
``SOURCE_DATE_EPOCH`` pins a build's date. The sandbox's world is dated (its
campaigns run to fixed days), so a demo, a screenshot or a test judged against
the real calendar would change its verdicts as the calendar moves on; `--demo`
pins the clock to the sandbox's own day for that reason. When a write is made
is never judged: the journal keeps the real time.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

ENV = "CTCONSOLE_NOW"

_pinned: datetime | None = None


def parse(text: str) -> datetime:
    """`text` as an aware UTC datetime (no zone given: UTC).

    Raises:
        ValueError: not an ISO 8601 time, with a sentence saying so.
    """
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{ENV} must be an ISO 8601 time such as 2026-11-20T12:00:00Z") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def check_environment() -> None:
    """Raises ValueError when `CTCONSOLE_NOW` is set but unreadable, so the
    command line can say so before anything is judged by a wrong clock."""
    text = os.environ.get(ENV)
    if text:
        parse(text)


def pin(when: datetime | None) -> None:
    """Judge against `when` from now on (None: the real clock again). The
    environment, when set, still wins: it is the user's explicit choice."""
    global _pinned
    _pinned = when


def now() -> datetime:
    """The pinned moment if any (environment first), else the real UTC time."""
    text = os.environ.get(ENV)
    if text:
        try:
            return parse(text)
        except ValueError:
            pass  # reported by check_environment at start; the real clock meanwhile
    return _pinned if _pinned is not None else datetime.now(timezone.utc)
