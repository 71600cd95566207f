"""Screen share: one key that hides customers' personal data in every pane.

Why: support staff share their screen in calls and demos, and the panes are
full of customers' e-mail addresses, phone numbers and names. `ctrl+s`
(binding id `screen_share`, also "Screen share" in the command palette)
toggles `app.screen_share`; while it is on, every place that shows one of
those shows a short stand-in instead, enough to tell rows apart but not to
identify anyone:

* e-mail ``javier.garcia@example.org`` → ``j…@example.org``
* phone ``+32 470 12 34 56`` → ``+32…56``
* name ``Lotte Peeters`` → ``L. P.``

The masks are pure functions over *already sanitised* text (`visible()`), so
a mask never re-introduces anything a terminal would act on. Grid columns
marked `Column(..., pii=...)` and personal fields in detail views (`Pii`
values, payloads through `mask_payload`, which masks by field name) are
masked; copy notifications do not preview what was copied, and the profile
badge says "screen share" so everybody watching knows the mode is on.

How a toggle reaches the panes: every node on every screen in the stack
that has a `privacy_changed()` method gets it called; widgets re-render
from what they already hold (no refetch). Widgets and panes created later
read `screen_share_on(self)` when they render.

The mixin also makes screenshots private files (0600), like every other
file the console writes with customer data in it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, Iterable, Literal

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

__all__ = ["PiiKind", "PII_FIELDS", "Pii", "mask", "mask_email", "mask_phone", "mask_name",
           "mask_payload", "mask_in_text", "screen_share_on",
           "SCREEN_SHARE_BINDING", "ScreenShareMixin", "apply_screen_share"]

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


#: Priority, so it works with a filter bar or the find prompt focused too.
SCREEN_SHARE_BINDING = Binding("ctrl+s", "toggle_screen_share", "Screen share (masking)",
                               id="screen_share", show=False, priority=True)


def apply_screen_share(app: App) -> int:
    """Tell every live node about the current mode; how many were told."""
    told = 0
    for screen in list(app.screen_stack):
        for node in (screen, *screen.query("*")):
            hook = getattr(node, "privacy_changed", None)
            if callable(hook):
                hook()
                told += 1
    return told


class ScreenShareMixin:
    """For the app class: the `screen_share` flag, its action and palette entry."""

    screen_share: bool = False

    def action_toggle_screen_share(self) -> None:
        self.set_screen_share(not self.screen_share)

    def set_screen_share(self, on: bool) -> None:
        self.screen_share = bool(on)
        apply_screen_share(self)  # type: ignore[arg-type]
        state = "on: e-mail, phone and names are masked" if on else "off"
        self.notify(f"Screen share {state}.", title="Screen share",  # type: ignore[attr-defined]
                    markup=False, timeout=3)

    def save_screenshot(self, filename: str | None = None, path: str | None = None,
                        time_format: str | None = None) -> str:
        """Textual's screenshot (also the palette's "Save screenshot"), made
        readable by its owner only: a screenshot holds customers' data."""
        saved = super().save_screenshot(filename, path, time_format)  # type: ignore[misc]
        os.chmod(saved, 0o600)
        return saved

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        """A screenshot Textual delivered itself (the palette's "Save
        screenshot", `action_screenshot`) is made private too."""
        if event.name == "screenshot" and event.path is not None:
            try:
                os.chmod(event.path, 0o600)
            except OSError:  # moved or deleted meanwhile: nothing to protect
                pass

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)  # type: ignore[misc]
        state = "off" if self.screen_share else "on"
        yield SystemCommand(f"Screen share {state}",
                            "Mask (or show again) e-mail addresses, phone numbers and names",
                            self.action_toggle_screen_share)
