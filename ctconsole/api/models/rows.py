"""Lean rows: a big list page parsed by the same rules, into plain dicts.

Why: a campaign can have 200,000 sessions. As `SessionRow` models they
would cost kilobytes each (hundreds of MB in all) and, being container
objects, every full pass of Python's garbage collector would walk all of
them (the UI freezes while a big campaign loads); building the model
objects is also a large part of the parse time. A table needs the values, not the objects.

`lean_row_type(Model)` is a `TypedDict` built from the model's own fields:
the same annotated quirk types (so `"1"` → True, `""` → None, zoneless
`_utc` times → aware UTC, numbers in text fields → digits), the same wire
spellings (`sequenceid`/`sequence_id`, conflicting duplicates refused), the
same defaults for missing keys, and the same refusals — a row the model
rejects, the lean type rejects. The result is `{field name: value}` for every
field, equal to reading those attributes off the model. Unknown keys are
dropped (the model keeps them in `model_extra`; a table never shows them).
Because it is derived from the model, the two cannot drift apart.

`LeanSessionPage` is `SessionPage` with its rows lean; ask for it with
``client.pages("campaign.sessions", …, model="LeanSessionPage")``.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Mapping

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from typing_extensions import Required, TypedDict

from .base import Action, ApiModel, Count, Reply, Text, merge_alias_spellings
from .session import SessionRow, SessionState, furthest_state

__all__ = ["LeanSessionPage", "SessionRowData", "lean_row_type", "session_row_state"]


def _complete(defaults: Mapping[str, Any], count: int, row: dict) -> dict:
    # Every field present (the usual case): nothing to add.
    return row if len(row) == count else {**defaults, **row}


def lean_row_type(model: type[ApiModel]) -> Any:
    """An annotated `TypedDict` type validating what `model` validates,
    into a dict of every field's value by field name."""
    fields: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        parts: list[Any] = [info.annotation, *info.metadata]
        if info.validation_alias is not None:
            parts.append(Field(validation_alias=info.validation_alias))
        annotation = Annotated[tuple(parts)]  # type: ignore[valid-type]
        if info.is_required():
            fields[name] = Required[annotation]
        else:
            fields[name] = annotation
            defaults[name] = info.get_default(call_default_factory=True)
    data = TypedDict(f"{model.__name__}Data", fields, total=False)  # type: ignore[operator]
    data.__pydantic_config__ = ConfigDict(extra="ignore", hide_input_in_errors=True)  # type: ignore[attr-defined]
    return Annotated[data, BeforeValidator(partial(merge_alias_spellings, model)),
                     AfterValidator(partial(_complete, defaults, len(fields)))]


SessionRowData = lean_row_type(SessionRow)
"""One `campaign.sessions` row as a dict: `SessionRow`'s fields by name."""


def session_row_state(row: Mapping[str, Any]) -> SessionState:
    """`SessionRow.state` of a lean row."""
    return furthest_state(row.get)


class LeanSessionPage(Reply):
    """`SessionPage` with plain-dict rows (`SessionRowData`): for tables."""

    campaign: Text = ""
    action: Action = ""
    page: Count = None
    amount_of_sessions: Count = None
    sessions: list[SessionRowData] = Field(alias="data")  # type: ignore[valid-type]

    @property
    def items(self) -> list[dict[str, Any]]:
        return self.sessions
