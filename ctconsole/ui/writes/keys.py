"""A pane's write keys as data: one `WriteKey` row per key, one way to run them.

A pane lists its writes in a `WRITES` table; the pane base class
(`screens.base.ResourceScreen`) turns each row into a key binding of that
pane (merged with the bindings of its bases, as Textual merges `BINDINGS`)
and runs a pressed key with `run_write_key`:

    WRITES = (
        WriteKey("V", "session.validate", "Validate", "session.update", validate_session,
                 guard=session_shown),
        ...
    )

    def validate_session(pane: SessionScreen) -> Prefill:
        return Prefill({"couponsession": pane.session_code, "validated": True},
                       f"Validate session {plain(pane.session_code[:6])}")

The guard says in words why the key cannot act now (nothing under the
cursor, still loading), or None; the prefill reads the pane (the cursor's
row, the marked rows, the object shown) and says what the form starts with.
Everything after that is the write flow's (`flow.start_write`): refused in
read-only or offline mode with the reason, otherwise form → preview →
confirm → result. Write keys are kept out of the footer (`show=False`: the
80-column footer is full); `?` lists them with their ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Generic, Iterable, Mapping, TypeVar

from textual.binding import Binding

from ctconsole import lazy
from ctconsole.ui.text import plain

from .flow import FormCheck, WriteFlow, start_write

if TYPE_CHECKING:
    from textual.screen import Screen

    from ctconsole.api import Client

#: The pane a write key belongs to.
P = TypeVar("P", bound="Screen")


@dataclass(frozen=True)
class Prefill:
    """What a write's form starts with."""

    params: Mapping[str, object]
    #: What the user is doing, in words ("Validate session AbC123").
    title: str
    #: The field the form starts in (default: the flow's choice).
    focus: str | None = None
    #: Pane-specific problems with the form's values, enforced like the catalogue's.
    check: FormCheck | None = None
    #: Whose credentials (default: the pane's client).
    client: Client | None = None


@dataclass(frozen=True)
class WriteKey(Generic[P]):
    """One write key of a pane: the key, its binding id and help text, the
    catalogue operation, how the form is prefilled from the pane, and what
    must hold first."""

    key: str
    id: str
    description: str
    #: The catalogue operation, or how to read it from the pane when the key
    #: is pressed (the verdict's fix is whichever write the verdict names).
    operation: str | Callable[[P], str]
    prefill: Callable[[P], Prefill]
    #: Why the key cannot act now (said as a warning), or None.
    guard: Callable[[P], str | None] | None = None
    key_display: str | None = None
    #: The result screen class (default `result.ResultScreen`), or where it
    #: is (``"module:Class"``, loaded by `ctconsole.lazy` when the write is
    #: done) for a pane on the way to the first frame.
    result_screen: type[Screen] | str | None = None

    @property
    def binding(self) -> Binding:
        return Binding(self.key, f"write({self.id!r})", self.description, show=False,
                       id=self.id, key_display=self.key_display)


def merged_table(classes: Iterable[type]) -> dict[str, WriteKey[Any]]:
    """The write keys of a pane class by id, from the `WRITES` each class of
    its MRO declares (a subclass's row replaces its base's of the same id)."""
    table: dict[str, WriteKey[Any]] = {}
    for klass in reversed(list(classes)):
        for row in klass.__dict__.get("WRITES", ()):
            table[row.id] = row
    return table


def run_write_key(pane: P, row: WriteKey[P], default_client: Client) -> WriteFlow | None:
    """Start the write of `row` from `pane`, or say (a warning) why not now."""
    reason = row.guard(pane) if row.guard is not None else None
    if reason is not None:
        pane.app.notify(plain(reason), severity="warning", markup=False)
        return None
    operation = row.operation if isinstance(row.operation, str) else row.operation(pane)
    fill = row.prefill(pane)
    result_screen = row.result_screen
    if isinstance(result_screen, str):
        result_screen = lazy.load(result_screen)
    return start_write(pane, operation, params=fill.params, title=fill.title,
                       client=fill.client if fill.client is not None else default_client,
                       focus=fill.focus, check=fill.check, result_screen=result_screen)
