"""Masking personal data for screen sharing (no Textual here).

Why: support staff share their screen in calls and demos, and the panes are
full of customers' e-mail addresses, phone numbers and names. With screen
share on (`ui.privacy`), every place that shows one of those shows a short
stand-in instead, enough to tell rows apart but not to identify anyone:

* e-mail ``javier.garcia@example.org`` → ``j…@example.org``
* phone ``+32 470 12 34 56`` → ``+32…56``
* name ``Lotte Peeters`` → ``L. P.``

These are pure functions over *already sanitised* text (`visible()`), so a
mask never re-introduces anything a terminal would act on. `mask_payload`
applies the same rules to a raw API payload by field name (detail views
and the raw JSON view read payloads, not grid columns).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

__all__ = ["PiiKind", "PII_FIELDS", "Pii", "mask", "mask_email", "mask_phone", "mask_name",
           "mask_payload", "mask_in_text", "screen_share_on"]

PiiKind = Literal["email", "phone", "name"]

#: API field names that hold personal data, and how each is masked.
PII_FIELDS: dict[str, PiiKind] = {
    "email": "email", "phone": "phone",
    "firstname": "name", "lastname": "name", "first_name": "name", "last_name": "name",
}

_ELLIPSIS = "…"


def mask_email(text: str) -> str:
    """First character of the local part, then the domain: ``j…@example.org``."""
    text = text.strip()
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at or not local:
        return text[:1] + _ELLIPSIS
    return f"{local[:1]}{_ELLIPSIS}@{domain}"


def mask_phone(text: str) -> str:
    """The first three and last two characters: ``+32…56`` (too little to dial)."""
    text = "".join(text.split())
    if not text:
        return ""
    if len(text) <= 5:
        return _ELLIPSIS
    return f"{text[:3]}{_ELLIPSIS}{text[-2:]}"


def mask_name(text: str) -> str:
    """Initials: ``Lotte Peeters`` → ``L. P.`` (at most three, then …)."""
    initials = []
    for word in text.split():
        first = next((char for char in word if char.isalnum()), None)
        if first is not None:
            initials.append(f"{first.upper()}.")
    if len(initials) > 3:
        initials = initials[:3] + [_ELLIPSIS]
    return " ".join(initials)


_MASKERS = {"email": mask_email, "phone": mask_phone, "name": mask_name}


def mask(kind: PiiKind | str, text: str) -> str:
    """`text` masked as `kind` ("email", "phone" or "name")."""
    return _MASKERS[kind](text)


class Pii:
    """A personal value in a detail view: shown as is, or masked under
    screen share. Widgets that know about it (`FieldList`) decide when
    rendering, so toggling screen share needs no refetch."""

    __slots__ = ("kind", "value")

    def __init__(self, kind: PiiKind, value: Any) -> None:
        self.kind = kind
        self.value = value

    def __repr__(self) -> str:  # never the value: reprs end up in logs
        return f"Pii({self.kind!r})"


def mask_payload(payload: Any) -> Any:
    """A copy of an API payload with every personal field (`PII_FIELDS`)
    masked, at any depth; everything else unchanged."""
    if isinstance(payload, Mapping):
        masked = {}
        for key, value in payload.items():
            kind = PII_FIELDS.get(str(key).lower())
            if kind is not None and isinstance(value, str):
                masked[key] = mask(kind, value)
            else:
                masked[key] = mask_payload(value)
        return masked
    if isinstance(payload, list):
        return [mask_payload(item) for item in payload]
    return payload


_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_PHONE = re.compile(r"\+?\d[\d ().-]{5,}\d")


def mask_in_text(text: str) -> str:
    """Free text (a search summary) with every e-mail address and phone
    number in it masked; names cannot be told from other words here."""
    text = _EMAIL.sub(lambda m: mask_email(m.group()), text)
    return _PHONE.sub(lambda m: mask_phone(m.group()), text)


def screen_share_on(node: Any) -> bool:
    """Whether the app `node` belongs to is in screen-share mode (False
    outside a running app, e.g. in unit tests of a widget)."""
    try:
        app = node.app
    except Exception:  # noqa: BLE001 - no active app: nothing to hide from
        return False
    return bool(getattr(app, "screen_share", False))
