"""After a write: every open pane that shows the object written fetches again.

A write is made from one pane (or from the journal, as an undo), but the
same object is often on screen further down the stack: the session pane
behind the journal, the campaign pane listing that session, the loyalty
users behind a user's pane. `announce` tells every pane on the stack which
objects changed (the IDs the write names: its object and the ones scoping
it, per `ctconsole.writes.SPECS`); each pane that shows one of them
(`ResourceScreen.shows_any`) refreshes itself. The pane the write started
from is refreshed by the flow itself, so it is skipped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from textual.app import App
from textual.screen import Screen

__all__ = ["changed_objects", "announce"]


def _ids(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield from (part.strip() for part in value.split(",") if part.strip())
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _ids(item)


def changed_objects(operation: str, params: Mapping[str, object]) -> frozenset[str]:
    """The IDs a write of `operation` with `params` touches."""
    # Lazy for start-up: the write engine loads on the first write.
    from ctconsole.writes import SPECS

    spec = SPECS.get(operation)
    names = [spec.id_param, *spec.scope] if spec is not None else list(params)
    return frozenset(i for name in names if name for i in _ids(params.get(name)))


def announce(app: App, objects: frozenset[str], *, done: Screen | None = None) -> list[Screen]:
    """Refresh every pane on the stack (but `done`) that shows one of
    `objects`; the panes refreshed."""
    refreshed = []
    if not objects:
        return refreshed
    for screen in app.screen_stack:
        if screen is done or not screen.is_attached:
            continue
        shows_any = getattr(screen, "shows_any", None)
        if callable(shows_any) and shows_any(objects):
            screen.action_refresh()  # type: ignore[attr-defined]
            refreshed.append(screen)
    return refreshed
