"""Validate and coerce an operation's parameters before anything is sent.

The catalogue declares each parameter's type, bounds, choices and prefix; this
module holds the values against that declaration, so a typo costs a message
instead of a round trip (or, for a write, a half-applied change). Values may be
Python values or the strings a command line produces ("5", "yes", "a,b,c").

Free text is held to its declared maximum length and allowed characters
(`Param.chars`, checked by `ctconsole.safetext.check`), so a pasted file or a
terminal escape is refused here, with the reason, and never sent.

Every problem is collected and reported at once in one `InvalidParams`, one
line per problem ("amount: must be between 1 and 100000 (got 0)"). Values are
echoed in messages only shortened, and never for parameters marked `secret`.

`None` means "not given" for every type; so does `""` for every type but free
text (an empty text is a value a person may mean to send).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date, datetime

from ctconsole import safetext

from .catalogue import OneOf, Operation, Param, RequiredIf
from .errors import InvalidParams, clean_text

_TRUE = frozenset({"true", "yes", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "off"})
_INT = re.compile(r"[+-]?[0-9]+")
_CODE = re.compile(r"[A-Za-z0-9]{21}|[A-Za-z0-9]{6}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAY_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2})[-:]([0-9]{2})")
_EMAIL = re.compile(r"[^@\s\"'<>,;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")
_PHONE_CHARS = re.compile(r"\+?[0-9 ()./-]+")
_FREE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: Prefixes whose IDs are documented as prefix + digits (coupontools-api.md §9);
#: other prefixes (`cat_`, `pac_`, `evt_`) are followed by letters and digits.
_NUMERIC_PREFIXES = frozenset({"sub_", "cam_", "dir_", "reg_"})


class _Problem(Exception):
    """One parameter's problem, worded to follow "name: "."""


def _shown(p: Param, value: object) -> str:
    """The value as echoed in a message: quoted, shortened, never a secret."""
    if p.secret:
        return "(hidden)"
    return repr(clean_text(value, 40)) if isinstance(value, str) else clean_text(repr(value), 40)


def _text(p: Param, value: object) -> str:
    """A value expected to be one word of text (IDs, codes, dates, enums)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _Problem(f"must be text, not {type(value).__name__}")
    return str(value).strip()


def _int(p: Param, value: object) -> int:
    if isinstance(value, bool):
        raise _Problem(f"must be a whole number (got {_shown(p, value)})")
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INT.fullmatch(value.strip()) and len(value.strip()) < 19:
        number = int(value.strip())
    else:
        raise _Problem(f"must be a whole number (got {_shown(p, value)})")
    if p.min is not None and p.max is not None and not p.min <= number <= p.max:
        raise _Problem(f"must be between {p.min} and {p.max} (got {number})")
    if p.min is not None and number < p.min:
        raise _Problem(f"must be at least {p.min} (got {number})")
    if p.max is not None and number > p.max:
        raise _Problem(f"must be at most {p.max} (got {number})")
    return number


def _bool(p: Param, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise _Problem(f"must be true or false (yes/no, 1/0) (got {_shown(p, value)})")


def _str(p: Param, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Problem(f"must be text, not {type(value).__name__}")
    text = value if isinstance(value, str) else str(value)
    if p.min is not None and p.max is not None and not p.min <= len(text) <= p.max:
        if p.min == p.max:
            raise _Problem(f"must be exactly {p.min} characters long (got {len(text)})")
        raise _Problem(f"must be {p.min} to {p.max} characters long (got {len(text)})")
    if p.min is not None and len(text) < p.min:
        raise _Problem(f"must be at least {p.min} characters long (got {len(text)})")
    if p.max is not None and len(text) > p.max:
        raise _Problem(f"must be at most {p.max} characters long (got {len(text)})")
    reason = safetext.check(text, p.chars or "line")
    if reason:
        raise _Problem(reason)
    return text


def _enum(p: Param, value: object) -> str:
    text = _text(p, value)
    for choice in p.choices:
        if text.lower() == choice.lower():
            return choice
    raise _Problem(f"must be one of {', '.join(p.choices)} (got {_shown(p, text)})")


def _id(p: Param, value: object) -> str:
    text = _text(p, value)
    if p.prefix:
        tail = r"[0-9]+" if p.prefix in _NUMERIC_PREFIXES else r"[A-Za-z0-9]+"
        if not re.fullmatch(re.escape(p.prefix) + tail, text):
            example = p.prefix + ("12345" if p.prefix in _NUMERIC_PREFIXES else "abc123")
            raise _Problem(f"must be an ID like {example} (got {_shown(p, text)})")
    elif not _FREE_ID.fullmatch(text):
        raise _Problem(f"must be an ID of letters, digits, '_' or '-' (got {_shown(p, text)})")
    return text


def _code(p: Param, value: object) -> str:
    text = _text(p, value)
    if not _CODE.fullmatch(text):
        raise _Problem("must be a session code of 21 letters and digits, or its first 6 "
                       f"(got {_shown(p, text)})")
    return text


def _codes(p: Param, value: object) -> list[str]:
    if isinstance(value, str):
        items: list[object] = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise _Problem(f"must be a list of session codes, not {type(value).__name__}")
    codes: list[str] = []
    bad: list[str] = []
    for item in items:
        text = item.strip() if isinstance(item, str) else item
        if text == "":
            continue
        if not isinstance(text, str) or not _CODE.fullmatch(text):
            bad.append(_shown(p, text))
        elif text not in codes:
            codes.append(text)
    if bad:
        more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
        raise _Problem("each must be a session code of 21 letters and digits, or its first 6 "
                       f"(got {', '.join(bad[:3])}{more})")
    if not codes:
        raise _Problem("needs at least one session code")
    if p.max is not None and len(codes) > p.max:
        raise _Problem(f"at most {p.max} session codes at a time (got {len(codes)})")
    return codes


def _date(p: Param, value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(p, value)
    if _DAY.fullmatch(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise _Problem(f"is not a real date (got {_shown(p, text)})") from None
    raise _Problem(f"must be a date as yyyy-MM-dd (got {_shown(p, text)})")


def _datetime(p: Param, value: object) -> str:
    """C3's bounds: 'yyyy-MM-dd hh-mm' (note the hyphen) or 'yyyy-MM-dd'.
    'yyyy-MM-dd hh:mm', the way people write times, is accepted and sent in
    the API's spelling."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H-%M")
    if isinstance(value, date):
        return value.isoformat()
    text = _text(p, value)
    match = _DAY_TIME.fullmatch(text)
    if match:
        day, hour, minute = match.groups()
        try:
            datetime.strptime(f"{day} {hour}-{minute}", "%Y-%m-%d %H-%M")
        except ValueError:
            raise _Problem(f"is not a real date and time (got {_shown(p, text)})") from None
        return f"{day} {hour}-{minute}"
    if _DAY.fullmatch(text):
        return _date(p, text)
    raise _Problem(f"must be 'yyyy-MM-dd hh-mm' or 'yyyy-MM-dd' (got {_shown(p, text)})")


def _email(p: Param, value: object) -> str:
    text = _text(p, value)
    if len(text) > 254 or not _EMAIL.fullmatch(text) or safetext.has_unsafe(text):
        raise _Problem(f"must be an e-mail address like name@example.com (got {_shown(p, text)})")
    return text


def _phone(p: Param, value: object) -> str:
    text = _text(p, value)
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_CHARS.fullmatch(text) or not 6 <= digits <= 15:
        raise _Problem("must be a phone number of 6 to 15 digits, optionally with +, spaces, "
                       f"dashes or brackets (got {_shown(p, text)})")
    return text


_COERCE = {
    "str": _str, "int": _int, "bool": _bool, "enum": _enum, "id": _id, "code": _code,
    "codes": _codes, "date": _date, "datetime": _datetime, "email": _email, "phone": _phone,
}


def _absent(p: Param, value: object) -> bool:
    if value is None:
        return True
    return p.type != "str" and isinstance(value, str) and value.strip() == ""


def _unknown(op: Operation, name: str) -> str:
    known = [p.name for p in op.params]
    if not known:
        return f"{name}: unknown parameter ({op.name} takes none)"
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"{name}: unknown parameter ({hint}{op.name} takes {', '.join(known)})"


def _rule_problems(rule: object, given: Mapping[str, object]) -> list[str]:
    if isinstance(rule, OneOf):
        if not any(n in given for n in rule.names):
            return [f"{' / '.join(rule.names)}: give at least one of them"]
    elif isinstance(rule, RequiredIf):
        if rule.when in given and given[rule.when] == rule.equals:
            shown = str(rule.equals).lower() if isinstance(rule.equals, bool) else rule.equals
            return [f"{n}: required when {rule.when} is {shown}"
                    for n in rule.names if n not in given]
    return []


def validate(op: Operation, raw: Mapping[str, object]) -> dict[str, object]:
    """The parameters of `op` from `raw`, coerced, in catalogue order.

    Unsent parameters (C3's `view`) stay in the result; the client leaves them
    out of the body and passes them to `op.path_for`.

    Raises:
        InvalidParams: listing every problem found (unknown names, missing
            required, wrong type, out of range, bad format, broken rules).
    """
    problems: list[str] = []
    for name in raw:
        if op.param(str(name)) is None:
            problems.append(_unknown(op, str(name)))
    given: dict[str, object] = {}
    failed: set[str] = set()
    for p in op.params:
        value = raw.get(p.name)
        if _absent(p, value):
            if p.required:
                what = f" ({p.doc})" if p.doc else ""
                problems.append(f"{p.name}: required{what}")
            continue
        try:
            given[p.name] = _COERCE[p.type](p, value)
        except _Problem as problem:
            problems.append(f"{p.name}: {problem}")
            failed.add(p.name)
    for rule in op.rules:
        # A parameter given with a bad value is already reported; do not also
        # call it missing.
        present = {**given, **{n: None for n in failed if n not in given}}
        problems.extend(_rule_problems(rule, present))
    if problems:
        raise InvalidParams(problems, operation=op.name)
    return given


def body_of(op: Operation, params: Mapping[str, object]) -> dict[str, object]:
    """The JSON body for validated `params`: everything but unsent params."""
    return {k: v for k, v in params.items() if (p := op.param(k)) is None or p.sent}
