"""The base model and the small annotated types that absorb the API's quirks.

The Coupontools API is inconsistent about how it encodes the same kind of value
(docs/DESIGN.md, "Wire format"): a counter is `5` in one response and
`"5"` in the next, a boolean is `true`, `"1"` or `1`, a missing date is `""`,
an ID key is `ID` or `id`. Every model field that can arrive in more than one
encoding uses one of the types below, so each quirk is handled once, here, and
documented by name. Anything that fits none of the accepted encodings (a word
where a number belongs, an object where text belongs) raises `ValueError`, which
pydantic turns into `ValidationError` and the client into `UnexpectedPayload`:
the models are lenient about encodings, never about meaning.

Validators raise only `ValueError`: pydantic converts that into a
`ValidationError`, whereas a `TypeError` would escape as a crash.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    model_validator,
)

# The quirk rules themselves need no pydantic (a first paint reads table
# columns with them before pydantic is loaded: `quick`); the types below
# attach them to fields.
from .quirks import (  # noqa: F401  (re-exported: tests and `rows` use these names)
    _kind,
    _parse_time,
    _to_action,
    _to_bool,
    _to_day,
    _to_day_or_time,
    _to_id,
    _to_int,
    _to_local,
    _to_text,
    _to_utc,
)


def _to_secret(value: Any) -> Any:
    """Secrets (`api_key`, `api_secret`, SSO tokens and URLs, reset URLs) arrive
    as plain strings, occasionally as digits-only numbers; they are wrapped in
    `SecretStr`, which prints as `**********` in repr, str and JSON dumps.
    Reveal one deliberately with `.get_secret_value()`."""
    if isinstance(value, SecretStr) or value is None:
        return value
    return _to_text(value)


Count = Annotated[int | None, BeforeValidator(_to_int)]
"""A whole number sent as a JSON number or as digits in a string; `""` → None."""

Number = Annotated[int, BeforeValidator(_to_int)]
"""A required whole number (digits in a string accepted); `""` is refused."""

Flag = Annotated[bool | None, BeforeValidator(_to_bool)]
"""A boolean sent as true/false, 1/0, "1"/"0" or "true"/"false"; `""` → None."""

UtcTime = Annotated[datetime | None, BeforeValidator(_to_utc)]
"""A `_utc` field: "YYYY-MM-DD HH:MM:SS" → aware UTC datetime; `""` → None."""

LocalTime = Annotated[datetime | None, BeforeValidator(_to_local)]
"""A date-time of unknown zone (`lastlogin`): kept naive; `""` → None."""

Day = Annotated[date | None, BeforeValidator(_to_day)]
"""A calendar date "YYYY-MM-DD"; `""` → None."""

DayOrTime = Annotated[datetime | date | None, BeforeValidator(_to_day_or_time)]
"""A date or a naive date-time, whichever was sent; `""` → None."""

Text = Annotated[str, BeforeValidator(_to_text)]
"""Free text; numbers become their digits, null becomes `""`."""

EntityId = Annotated[str, BeforeValidator(_to_id)]
"""An entity ID (`sub_…`, `cam_…`, or a bare number), always text, never empty."""

Action = Annotated[str, BeforeValidator(_to_action)]
"""The `action` echo of a write, with stray surrounding spaces removed."""

Secret = Annotated[SecretStr | None, BeforeValidator(_to_secret)]
"""A credential or one-time URL; masked everywhere until `.get_secret_value()`."""


def id_field(**kwargs: Any) -> Any:
    """The entity ID field: read from `ID` (v3) or `id` (v4), exposed as `.id`,
    written back as `ID`, the v3 spelling."""
    return Field(validation_alias=AliasChoices("ID", "id"), serialization_alias="ID", **kwargs)


def sequence_field(wire_name: str) -> Any:
    """The session sequence number: C4 sends `sequenceid` (a string), U2 sends
    `sequence_id` (a number); both become `.sequence_id: int | None`, written
    back under `wire_name`, the key the operation itself uses."""
    return Field(
        None,
        validation_alias=AliasChoices("sequence_id", "sequenceid"),
        serialization_alias=wire_name,
    )


class ApiModel(BaseModel):
    """Base of every response model.

    * `extra="allow"`: unknown fields are kept (in `model_extra` and in dumps),
      because the raw view of a real response must show everything the API
      sent, including fields these models have not heard of yet.
    * `populate_by_name=True`: fields can be set by their Python name in code
      and tests as well as by the API's key.
    * frozen: a parsed response is a value, never edited in place.
    * `hide_input_in_errors=True`: a `ValidationError` names the field and
      what was wrong but never echoes the input, which may hold a subaccount's
      `api_secret` or a customer's personal data.
    """

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, frozen=True, hide_input_in_errors=True
    )

    @model_validator(mode="before")
    @classmethod
    def _merge_alias_spellings(cls, data: Any) -> Any:
        """Where one field has two wire spellings (`ID`/`id`,
        `sequenceid`/`sequence_id`), a payload carrying both with different
        values is ambiguous and refused; equal duplicates collapse into one so
        the spare spelling does not shadow the field in `model_extra`."""
        return merge_alias_spellings(cls, data)


def merge_alias_spellings(cls: type[BaseModel], data: Any) -> Any:
    """`data` with the spare spellings of `cls`'s two-spelling fields
    collapsed (see `ApiModel._merge_alias_spellings`); also used by the lean
    row types of `ctconsole.api.models.rows`, so both refuse the same rows.

    Raises:
        ValueError: two spellings of one field carry different values.
    """
    if not isinstance(data, dict):
        return data
    merged = None
    for name, keys in _alias_spellings(cls):
        present = [key for key in keys if key in data]
        if len(present) < 2:
            continue
        first = data[present[0]]
        if any(data[key] != first for key in present[1:]):
            raise ValueError(f"conflicting values for {name!r} under {', '.join(present)}")
        merged = dict(data) if merged is None else merged
        for key in present[1:]:
            merged.pop(key)
    return data if merged is None else merged


#: Per model class: (field name, its string wire spellings) for the fields
#: with more than one spelling. Worked out once per class rather than for
#: every instance: a 5000-session page validates 5000 instances.
_ALIAS_SPELLINGS: dict[type, tuple[tuple[str, tuple[str, ...]], ...]] = {}


def _alias_spellings(cls: type[BaseModel]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = _ALIAS_SPELLINGS.get(cls)
    if found is None:
        pairs = []
        for name, info in cls.model_fields.items():
            choices = info.validation_alias
            if isinstance(choices, AliasChoices):
                keys = tuple(key for key in choices.choices if isinstance(key, str))
                if len(keys) > 1:
                    pairs.append((name, keys))
        found = _ALIAS_SPELLINGS[cls] = tuple(pairs)
    return found


class ReplyStatus(ApiModel):
    """The `status` envelope of a success body: `{"status": "OK"}`. Failure
    envelopes never reach the models (`envelope.decode` raises `ApiError`)."""

    status: Text = ""


class Reply(ApiModel):
    """Base of every whole-response model: the body with its envelope."""

    #: The success envelope; optional so a model can also parse a bare payload.
    status: ReplyStatus | None = None


class Ack(Reply):
    """A success with nothing else in it (`campaign.push`, `loyalty.push`,
    `auth.check`)."""
