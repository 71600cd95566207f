"""Server-side parameter checks, the way the real API answers bad input.

The catalogue says *which* parameters an operation has (names, types,
choices); this module decides, independently of the client's own validation,
whether a value is acceptable and which error code the API would give. That
independence is the point: a client bug that lets a bad value through shows
up as an API error in tests instead of being hidden by shared code.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ctconsole.api.catalogue import OneOf, Operation, Param, RequiredIf

from . import wire

_CODE = re.compile(r"[A-Za-z0-9]{21}|[A-Za-z0-9]{6}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{5,19}")
_INT = re.compile(r"-?[0-9]+")
# ID formats the server knows for parameters whose prefix the catalogue leaves open.
_ID_FORMATS = {
    "loyaltycard": re.compile(r"loy_[0-9]+"),
    ("loyalty", "user"): re.compile(r"lus_[0-9]+"),
    "webhook": re.compile(r"evt_[A-Za-z0-9]{20}"),
    "package": re.compile(r"pac_[A-Za-z0-9]+"),
}
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def _id_pattern(op: Operation, p: Param) -> re.Pattern | None:
    key = ("loyalty", p.name) if op.group == "loyalty" and p.name == "user" else p.name
    if key in _ID_FORMATS:
        return _ID_FORMATS[key]
    if p.prefix:
        return re.compile(re.escape(p.prefix) + r"[0-9]+")
    return None


def _check(op: Operation, p: Param, value: object) -> tuple[object, tuple[int, str] | None]:
    """(coerced value, problem or None) for one given parameter."""
    name = p.name
    if p.type == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return None, wire.invalid_value(name)
    if p.type == "codes":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list):
            return None, wire.invalid_character(name)
        codes = [str(c).strip() for c in items if str(c).strip()]
        if not codes:
            return None, wire.missing(name)
        if any(not _CODE.fullmatch(c) for c in codes) or (p.max and len(codes) > p.max):
            return None, wire.invalid_character(name)
        return codes, None
    if isinstance(value, (dict, list)):
        return None, wire.invalid_character(name)
    text = str(value).strip() if not isinstance(value, bool) else str(value).lower()
    if p.type == "int":
        if not _INT.fullmatch(text):
            return None, wire.invalid_character(name)
        number = int(text)
        if (p.min is not None and number < p.min) or (p.max is not None and number > p.max):
            return None, (300, f"Wrong value in parameter: {name}")
        return number, None
    if p.type == "enum":
        return (text, None) if text in p.choices else (None, wire.invalid_value(name))
    if p.type == "id":
        pattern = _id_pattern(op, p)
        if pattern is not None and not pattern.fullmatch(text):
            return None, wire.invalid_character(name)
        return text, None
    if p.type == "code":
        return (text, None) if _CODE.fullmatch(text) else (None, wire.invalid_character(name))
    if p.type == "date":
        return (text, None) if parse_date(text) else (None, wire.invalid_format(name))
    if p.type == "datetime":
        if parse_window(text, end=False) is None:
            return None, wire.invalid_format(name, "yyyy-MM-dd hh-mm")
        return text, None
    if p.type == "email":
        return (text, None) if _EMAIL.fullmatch(text) else (None, wire.EMAIL_INVALID)
    if p.type == "phone":
        return (text, None) if _PHONE.fullmatch(text) else (None, wire.invalid_character(name))
    # free text: keep it exactly as sent (customers' spacing included)
    raw = value if isinstance(value, str) else text
    if (p.min is not None and len(raw) < p.min) or (p.max is not None and len(raw) > p.max):
        return None, (300, f"Wrong value in parameter: {name}")
    return raw, None


def check_params(op: Operation, body: dict) -> dict:
    """The operation's parameters from `body`, coerced; raises `ApiFailure`
    listing every problem (required first, in catalogue order)."""
    params: dict = {}
    problems: list[tuple[int, str]] = []
    for p in op.params:
        if not p.sent:
            continue
        value = body.get(p.name)
        if value is None or (isinstance(value, str) and value.strip() == "" and p.type != "bool"):
            if p.required:
                problems.append(wire.missing(p.name))
            continue
        coerced, problem = _check(op, p, value)
        if problem:
            problems.append(problem)
        else:
            params[p.name] = coerced
    for rule in op.rules:
        if isinstance(rule, OneOf) and not any(n in params for n in rule.names):
            if not any(n in body and body[n] not in (None, "") for n in rule.names):
                problems.append(wire.missing(" or ".join(rule.names)))
        elif isinstance(rule, RequiredIf) and params.get(rule.when) == rule.equals:
            problems.extend(wire.missing(n) for n in rule.names if n not in params
                            and body.get(n) in (None, ""))
    if problems:
        raise wire.ApiFailure(*problems)
    return params


def parse_date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date() if len(text) == 10 else None
    except ValueError:
        return None


def parse_window(text: str, *, end: bool) -> str | None:
    """C3's 'yyyy-MM-dd hh-mm' or 'yyyy-MM-dd' as a comparable
    'YYYY-MM-DD HH:MM:SS' bound (inclusive: an end date covers its whole
    day, an end minute its whole minute)."""
    text = text.strip()
    for fmt, tail in (("%Y-%m-%d %H-%M", ":59"), ("%Y-%m-%d", " 23:59:59")):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y-%m-%d":
            start = parsed.strftime("%Y-%m-%d") + " 00:00:00"
            return parsed.strftime("%Y-%m-%d") + tail if end else start
        base = parsed.strftime("%Y-%m-%d %H:%M")
        return base + (tail if end else ":00")
    return None


def parse_expiry(text: str) -> datetime | None:
    """singleuse.create's documented `yyyy-MM-dd:HH:mm:ss` expiry."""
    try:
        return datetime.strptime(text, "%Y-%m-%d:%H:%M:%S")
    except ValueError:
        return None
