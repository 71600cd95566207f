"""The base model and the small annotated types that absorb the API's quirks.

The Coupontools API is inconsistent about how it encodes the same kind of value
(see `shared/api/coupontools-api.md` §13): a counter is `5` in one response and
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

import math
import re
from datetime import date, datetime, timezone
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

_INT = re.compile(r"[+-]?[0-9]{1,18}")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})")
#: MySQL's "zero date", the classic PHP stand-in for "no date".
_ZERO_DATES = frozenset({"0000-00-00", "0000-00-00 00:00:00"})
_TRUE = frozenset({"1", "true"})
_FALSE = frozenset({"0", "false"})


def _kind(value: object) -> str:
    """Name a value's JSON kind for an error message, without echoing the value
    (API data is untrusted and may be long or sensitive)."""
    return type(value).__name__


def _to_int(value: Any) -> int | None:
    """Quirk "numbers as strings": counters and IDs-as-numbers arrive as `5` in
    some responses and `"5"` in others (S1 vs S2); `""` and null mean "not set".
    Whole-valued floats (`5.0`) are accepted; booleans, fractions and words are
    not."""
    if value.__class__ is str and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)  # the usual "5" (issue 7): what the full rules below give
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("expected a whole number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise ValueError("expected a whole number, got a fraction")
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        if _INT.fullmatch(text):
            return int(text)
        raise ValueError("expected a whole number as digits")
    raise ValueError(f"expected a whole number, got {_kind(value)}")


def _to_bool(value: Any) -> bool | None:
    """Quirk "booleans in three encodings": session and user flags are
    `"0"`/`"1"`, subaccount permissions are JSON `true`/`false`, some writes
    echo `0`/`1` or `"true"`/`"false"`; `""` and null mean "not set"."""
    # The wire's usual spellings first: this runs for every flag of every
    # row of a 5000-session page (issue 7).
    if value == "1":
        return True
    if value == "0":
        return False
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "":
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError("expected a flag: true/false, 1/0, \"1\"/\"0\" or \"true\"/\"false\"")


def _parse_time(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date-time string, got {_kind(value)}")
    text = value.strip()
    if text == "" or text in _ZERO_DATES:
        return None
    if not _TIME.fullmatch(text):
        raise ValueError("expected a date-time as YYYY-MM-DD HH:MM:SS")
    try:
        # The pattern admits only "YYYY-MM-DD[ T]HH:MM:SS", which
        # fromisoformat (C) reads exactly as the six numbers would; it is
        # ~3x cheaper than building the datetime from the groups (issue 7).
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not a real calendar date-time") from None


def _to_utc(value: Any) -> datetime | None:
    """Quirk "zoneless UTC": `_utc` fields are `"YYYY-MM-DD HH:MM:SS"` without
    a zone; they become timezone-aware UTC datetimes. `""` (and MySQL's zero
    date) mean "never happened" and become None."""
    if value == "":  # the commonest value of all: a step not reached yet
        return None
    if value.__class__ is str and _TIME.fullmatch(value):
        # The usual case, made cheap (issue 7: six of these per session row):
        # parsing with an explicit zero offset yields the aware UTC datetime
        # directly; `.replace(tzinfo=…)` alone cost ten times the parse.
        # A zero date or an impossible one falls through to the full rules.
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            pass
    moment = _parse_time(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _to_local(value: Any) -> datetime | None:
    """Quirk "zone unknown": `lastlogin` and the webhook `date` are
    `"YYYY-MM-DD HH:MM:SS"` with no documented zone. They stay naive, so no
    code can mistake them for UTC; `""` becomes None."""
    return _parse_time(value)


def _to_day(value: Any) -> date | None:
    """Quirk "empty dates": `expiry_date`-style fields are `"YYYY-MM-DD"` or
    `""` (not set), which becomes None."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date string, got {_kind(value)}")
    text = value.strip()
    if text == "" or text in _ZERO_DATES:
        return None
    match = _DAY.fullmatch(text)
    if not match:
        raise ValueError("expected a date as YYYY-MM-DD")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError("not a real calendar date") from None


def _to_day_or_time(value: Any) -> date | datetime | None:
    """Quirk "undocumented date format": `created_date`, `start_date` and
    `end_date` of campaigns, cards and directories are not specified; both
    `"YYYY-MM-DD"` (→ date) and `"YYYY-MM-DD HH:MM:SS"` (→ naive datetime,
    zone unknown) are accepted, keeping exactly the precision that was sent."""
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        return _to_day(value)
    return _parse_time(value)


def _to_text(value: Any) -> str:
    """Quirk "numbers where text is expected": free-text fields (custom IDs,
    phone numbers, codes) may arrive as JSON numbers; they become their decimal
    text. Null becomes `""`, the API's own spelling of "empty"."""
    if value.__class__ is str:  # nearly always (issue 7: ~9 per session row)
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise ValueError("expected text, got a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else repr(value)
    raise ValueError(f"expected text, got {_kind(value)}")


def _to_id(value: Any) -> str:
    """Quirk "IDs as numbers": v3 IDs are prefixed strings (`cam_123`), v4 and
    some inferred contracts use bare numbers (`123456`); both become text.
    An empty or missing ID is refused: an entity without identity is a payload
    we do not understand."""
    text = _to_text(value).strip()
    if text == "":
        raise ValueError("expected a non-empty ID")
    return text


def _to_action(value: Any) -> str:
    """Quirk "leading space": `singleuse.create_many` documents its action as
    `" multiple_single_use_codes_created"`; surrounding whitespace is removed
    so action values can be compared exactly."""
    return _to_text(value).strip()


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
#: every instance: a 5000-session page validates 5000 instances (issue 7).
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
