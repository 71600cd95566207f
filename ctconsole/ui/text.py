"""Untrusted API text -> display text, for everything that is not the grid.

Customers type campaign names, company names, e-mail addresses; any of them
can contain console markup (`[bold]`, `[@click=app.quit]`) or terminal
escape sequences. The grid cleans its cells with `visible()` (the display
mode of `ctconsole.safetext`); this module applies the same rule to detail
views, breadcrumbs, titles and notifications, and returns `Content` objects (never markup strings), so
nothing a customer typed is ever interpreted.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from textual.content import Content

from ctconsole.redaction import mask_secrets
from ctconsole.safetext import clean_input
from ctconsole.safetext import display as visible

__all__ = ["visible", "plain", "content", "join", "json_lines", "flatten", "shown_payload", "lines",
           "typed"]

#: How a `SecretStr` that reached display code is shown (never unwrapped here).
MASK = "••••••••"


def plain(value: object) -> str:
    """Any value as safe single-line text; None becomes ``""``."""
    if value is None:
        return ""
    if hasattr(value, "get_secret_value"):  # a SecretStr: never unwrap here
        return MASK
    return visible(str(value))


def typed(value: str) -> str:
    """What a person typed or pasted into an input, without the characters
    that would act on a terminal (removed in place, not escaped: an input
    holds what will be searched, and a pasted ESC is never part of that)."""
    return clean_input(value).text


def content(value: object, style: str = "") -> Content:
    """Safe text as a `Content` (which Textual never parses as markup)."""
    text = Content(plain(value))
    return text.stylize(style) if style else text


def lines(value: object) -> Content:
    """Safe multi-line text: each line sanitised, line breaks kept (an error
    message listing several problems stays readable)."""
    return Content("\n").join(content(line) for line in plain_lines(value))


def plain_lines(value: object) -> list[str]:
    return [visible(line) for line in ("" if value is None else str(value)).splitlines()]


def join(parts: Iterable[object], separator: str = " › ") -> Content:
    """Safe pieces joined by a separator, e.g. for breadcrumbs."""
    return Content(separator).join(content(part) for part in parts)


def json_lines(payload: Any) -> list[str]:
    """A whole payload as indented JSON, every line sanitised.

    `json.dumps` escapes C0 controls but not C1 ones or bidi overrides, so
    each line still goes through `visible()`.
    """
    dumped = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    return [visible(line) for line in dumped.splitlines()]


def flatten(payload: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Nested dicts as dotted `(key, value)` pairs, in payload order.

    Lists of scalars stay one value; lists of objects become `key[i].field`.
    Unknown fields are kept: this is how detail views show *every* field.
    """
    pairs: list[tuple[str, Any]] = []
    for key, value in payload.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            pairs.extend(flatten(value, f"{name}."))
        elif isinstance(value, list) and any(isinstance(v, Mapping) for v in value):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    pairs.extend(flatten(item, f"{name}[{index}]."))
                else:
                    pairs.append((f"{name}[{index}]", item))
        elif isinstance(value, list):
            pairs.append((name, ", ".join(str(v) for v in value)))
        else:
            pairs.append((name, value))
    return pairs


def shown_payload(raw: Any, *, operation: str | None, reveal: bool = False) -> Any:
    """The payload a detail or raw view may display: secrets masked by the
    API layer's one masking rule (`ctconsole.redaction`) unless the user
    explicitly asked to reveal them."""
    return raw if reveal else mask_secrets(raw, operation=operation)
