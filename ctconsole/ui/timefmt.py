"""How times are shown: UTC beside local time, gaps between steps, "4 min ago".

The API speaks UTC (`"YYYY-MM-DD HH:MM:SS"`, `""` when missing); people read
local time. Every function here takes "now" and the local zone as arguments
instead of reading the system clock, so screens can be frozen for screenshots
and tests and the output stays deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone, tzinfo

WIRE_FORMAT = "%Y-%m-%d %H:%M:%S"


def clock_of(app: object) -> datetime | None:
    """The moment the app judges dates against (`ctconsole.clock`, or the frozen
    one of tests and screenshots); None: the engine's own clock."""
    clock = getattr(app, "judging_clock", None)
    return clock() if callable(clock) else None


def utc_now() -> datetime:
    """The default clock: an aware UTC datetime."""
    return datetime.now(timezone.utc)


def app_now(app: object) -> datetime:
    """The moment the app shows times against (ages, today, export names): its
    `clock`, frozen for tests and screenshots; else `utc_now()`."""
    clock = getattr(app, "clock", None)
    return clock() if callable(clock) else utc_now()


def parse_wire(value: object) -> datetime | None:
    """A wire date (`"2019-03-25 10:43:50"`, UTC) as an aware datetime.

    Accepts datetimes (models may already have parsed them); returns None for
    `""`, None, and anything unparseable — a bad date is shown as missing,
    never as a crash.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    for fmt in (WIRE_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def display_zone(configured: str | None, environ: Mapping[str, str]) -> tzinfo | None:
    """The zone times are shown in beside UTC: `[ui] timezone`, else `TZ`
    (an IANA name such as "Europe/Brussels"), else the machine's (None).

    Raises:
        ValueError: `configured` names no known zone (a bad `TZ` is ignored,
            as the C library ignores it).
    """
    name = environ.get("TZ", "").lstrip(":")
    if not configured and not name:
        return None
    # Lazy for start-up: zoneinfo (and the sysconfig it reads) loads only when a zone is named.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if configured:
        try:
            return ZoneInfo(configured)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {configured!r} (an IANA name such as "
                             "'Europe/Brussels')") from None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_label(local_tz: tzinfo | None, moment: datetime | None = None) -> str:
    """How a column in `local_tz` is headed: the zone's name ("Europe/Brussels"),
    else its abbreviation at `moment` ("CET")."""
    key = getattr(local_tz, "key", None)
    if key:
        return str(key)
    moment = moment or utc_now()
    local = moment.astimezone(local_tz) if local_tz else moment.astimezone()
    return local.tzname() or local.strftime("UTC%z")


def is_utc(local_tz: tzinfo | None, moment: datetime | None = None) -> bool:
    """Whether `local_tz` shows the same wall clock as UTC (a second column
    would only repeat the first)."""
    moment = moment or utc_now()
    local = moment.astimezone(local_tz) if local_tz else moment.astimezone()
    return local.utcoffset() == timedelta(0) and (local.tzname() or "") in ("UTC", "GMT", "Z", "")


def local_text(moment: datetime, local_tz: tzinfo | None) -> str:
    """Local wall-clock time with the zone's abbreviation or offset."""
    local = moment.astimezone(local_tz) if local_tz else moment.astimezone()
    name = local.tzname() or local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {name}"


def duration_text(delta: timedelta) -> str:
    """A compact, human gap: `45s`, `3m 05s`, `2h 04m`, `3d 4h`.

    Negative gaps (a later step dated before an earlier one, which customer
    data can contain) keep their sign so the oddity stays visible.
    """
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m {secs:02d}s"
    return f"{sign}{secs}s"


def ago_text(moment: datetime, now: datetime) -> str:
    """`just now`, `4 min ago`, `2 h ago`, `3 d ago`."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"


def freshness_text(fetched_at: datetime, now: datetime, *, from_cache: bool, stale: bool) -> str:
    """The one-line provenance every pane shows under its data.

    A fresh fetch shows its clock time (`fetched 12:03:04 UTC`); a cached
    answer shows its age (`cached · 4 min ago`), and `stale` says the cache
    kept it past its freshness window (offline, or the API failed).
    """
    if from_cache:
        text = f"cached · {ago_text(fetched_at, now)}"
        return f"{text} · stale" if stale else text
    return f"fetched {fetched_at.astimezone(timezone.utc):%H:%M:%S} UTC"
