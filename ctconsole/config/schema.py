"""The config file's schema as data: per TOML table, its keys in order, each
with its type, default and limits; `validate` checks a parsed file against it.

A table of rules rather than model classes: the file has a few dozen keys of
four scalar types, and validating them this way needs nothing imported at
start-up (pydantic's import and model building cost more than the rest of
reading the config). The rules are strict: a value of the wrong type is an
error, never converted (``timeout = "5"`` is refused); a whole number is a
number (``timeout = 5`` gives 5.0). A misspelt key is an error. The first
problem is reported, in the order of the tables below (declared keys first,
then unknown ones in the file's order), worded by `errors.describe`.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

from ctconsole.config.defaults import DEFAULT_BASE_URL
from ctconsole.config.errors import Locator, describe


class Key(NamedTuple):
    """One key of a table: `kind` is a scalar type ("string", "bool", "int",
    "float"), a table (a dict of `Key`s: the nested table's own keys), or
    ``("each", kind)``: a table whose keys are free and whose values all
    have `kind`. Limits are inclusive (`ge`, `le`) or exclusive (`gt`).
    (A named tuple: a dataclass costs several times more to define, on
    every start.)"""

    kind: Any
    default: Any = None
    gt: float | None = None
    ge: float | None = None
    le: float | None = None


PROFILE: dict[str, Key] = {
    "base_url": Key("string", DEFAULT_BASE_URL),
    "client_id": Key("string"),
    "client_secret": Key("string"),
    "client_secret_env": Key("string"),
    "client_secret_command": Key("string"),
    "read_only": Key("bool", False),
    "color": Key("string"),
    # Start with screen share on (e-mail, phone and names masked); unset: `[ui]`'s.
    "screen_share": Key("bool"),
    # Seconds one API call may take, retries and the waits between them included.
    "timeout": Key("float", 30.0, gt=0, le=600),
    # The largest API answer read, in MB (10^6 bytes); a bigger one is refused.
    "max_answer_mb": Key("float", 16.0, gt=0, le=1024),
    "max_concurrency": Key("int", 4, ge=1, le=32),
    # A PEM file of extra CAs to trust (a TLS-intercepting proxy): the
    # supported alternative to turning verification off, which we never do.
    "ca_bundle": Key("string"),
}

#: The whole file. Every table is optional; an empty file is valid.
FILE: dict[str, Key] = {
    "default_profile": Key("string"),
    "profiles": Key(("each", PROFILE)),
    "api": Key({"paths": Key(("each", "string"))}),
    "cache": Key({
        "enabled": Key("bool", True),
        "max_size_mb": Key("int", 200, ge=1, le=100_000),
        "max_age": Key(("each", "float")),
    }),
    "ui": Key({
        "theme": Key("string"),
        # Start every profile with screen share on (a profile may say otherwise).
        "screen_share": Key("bool", False),
        # Mouse reporting: true/false; unset: on locally, off over SSH.
        "mouse": Key("bool"),
        # The time zone shown beside UTC (an IANA name); unset: TZ, else the machine's.
        "timezone": Key("string"),
    }),
    "keys": Key(("each", "string")),
    "security": Key({"refuse_insecure_config": Key("bool", False)}),
    # Accounts a find everywhere asks at once.
    "find": Key({"concurrency": Key("int", 8, ge=1, le=64)}),
    # Case notes include e-mail, phone and names (masked by default).
    "explain": Key({"include_personal_data": Key("bool", False)}),
}

#: Scalar kind -> whether a TOML value has it (bool is not a number here).
_IS: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def validate(raw: Mapping[str, Any], locator: Locator) -> dict[str, Any]:
    """`raw` (the parsed file) checked against `FILE`: plain dicts with every
    default filled in. Raises the first problem as a located `ConfigError`."""
    return _table(FILE, raw, (), locator)


def _table(keys: Mapping[str, Key], raw: Mapping[str, Any], loc: tuple,
           locator: Locator) -> dict[str, Any]:
    out = {name: _value(key, raw[name], (*loc, name), locator) if name in raw
           else _default(key) for name, key in keys.items()}
    for name in raw:
        if name not in keys:
            raise locator.error((*loc, name), describe("unknown", (*loc, name), None, keys))
    return out


def _value(key: Key, value: Any, loc: tuple, locator: Locator) -> Any:
    kind = key.kind
    if isinstance(kind, (dict, tuple)):
        if not isinstance(value, dict):
            raise locator.error(loc, describe("table", loc, value))
        if isinstance(kind, dict):
            return _table(kind, value, loc, locator)
        each = Key(kind[1])
        return {name: _value(each, v, (*loc, name), locator) for name, v in value.items()}
    if not _IS[kind](value):
        raise locator.error(loc, describe(kind, loc, value))
    # At most first, so a NaN (which fails every comparison) gets that message.
    for bound, holds, words in ((key.le, lambda b: value <= b, "less than or equal to"),
                                (key.ge, lambda b: value >= b, "greater than or equal to"),
                                (key.gt, lambda b: value > b, "greater than")):
        if bound is not None and not holds(bound):
            raise locator.error(loc, describe(f"must be {words} {bound}", loc, value))
    return float(value) if kind == "float" else value


def _default(key: Key) -> Any:
    if isinstance(key.kind, dict):
        return {name: _default(k) for name, k in key.kind.items()}
    if isinstance(key.kind, tuple):
        return {}
    return key.default
