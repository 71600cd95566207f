"""First-paint rows: a list answer's table columns, read without pydantic.

Why: the console's first pane is the subaccount list, and its first answer
should not wait for pydantic — its import and the first model build cost
more than everything else ctconsole adds to Textual's own start-up. The table needs a few scalar fields per row, not
models. `SubaccountRows` reads those fields by the very rules the models
use (`quirks`: same functions, same wire spellings, same defaults, same
refusals of what it reads), into one dict per row, so the rows are painted
before pydantic is loaded.

It is a first look, not the verdict: the pane then parses the same answer
with the full model (`Client.reparse`) right after the frame is out, and
uses that for everything else (Enter, writes). Fields a quick reader does
not read (credentials, nested lists) are checked only there; an answer the
full model refuses replaces the rows with the error.

The field tables mirror the models' declarations. Tests compare them with
the models' fields (spelling, rule, default) and the values with the
models' on generated rows, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar

from .quirks import _to_day, _to_id, _to_int, _to_local, _to_text

__all__ = ["QuickField", "QuickPayloadError", "QuickRows", "SubaccountRows"]

#: A `QuickField.default` meaning "no default: the key must be there".
REQUIRED: Any = object()
_MISSING: Any = object()


@dataclass(frozen=True)
class QuickField:
    """One model field as a quick reader reads it."""

    name: str
    #: The quirk rule of the field's annotated type (`quirks._to_…`).
    rule: Callable[[Any], Any]
    default: Any = REQUIRED
    #: The wire spellings, in the model's order of preference; () = the name.
    spellings: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return self.spellings or (self.name,)


class QuickPayloadError(ValueError):
    """An answer a quick reader refuses. Shaped like pydantic's
    `ValidationError` where the client reads one (`errors()`,
    `error_count()`), so it becomes the same `UnexpectedPayload`. Like the
    models' errors it names the place, never the value (untrusted data)."""

    def __init__(self, loc: tuple[str | int, ...], msg: str) -> None:
        super().__init__(msg)
        self._loc = loc
        self._msg = msg

    def errors(self, **_options: Any) -> list[dict[str, Any]]:
        return [{"loc": self._loc, "msg": self._msg}]

    def error_count(self) -> int:
        return 1


class QuickRows:
    """A list answer as rows of plain dicts: ``{field name: value}`` for each
    of `fields`. Subclasses name the list's key and the full model."""

    #: The key of the list in the answer (the full model's alias for it).
    list_key: ClassVar[str]
    fields: ClassVar[tuple[QuickField, ...]]
    #: The model of `ctconsole.api.models` this is a first look at.
    full_model: ClassVar[str]

    __slots__ = ("items",)

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.items)} rows)"

    @classmethod
    def field_names(cls) -> frozenset[str]:
        return frozenset(f.name for f in cls.fields)

    @classmethod
    def model_validate(cls, raw: Any) -> "QuickRows":
        """Read `raw` (the decoded answer, envelope included).

        Raises:
            QuickPayloadError: the list is missing or not a list, a row is
                not an object, or a read field fails its rule.
        """
        if not isinstance(raw, dict):
            raise QuickPayloadError((), "Input should be a valid dictionary")
        rows = raw.get(cls.list_key, _MISSING)
        if rows is _MISSING:
            raise QuickPayloadError((cls.list_key,), "Field required")
        if not isinstance(rows, list):
            raise QuickPayloadError((cls.list_key,), "Input should be a valid list")
        return cls([cls._row(index, entry) for index, entry in enumerate(rows)])

    @classmethod
    def _row(cls, index: int, entry: Any) -> dict[str, Any]:
        where = (cls.list_key, index)
        if not isinstance(entry, dict):
            raise QuickPayloadError(where, "Input should be a valid dictionary")
        row: dict[str, Any] = {}
        for field in cls.fields:
            value = _MISSING
            present = [key for key in field.keys if key in entry]
            if present:
                value = entry[present[0]]
                # Two spellings with different values are ambiguous: refused,
                # as `base.merge_alias_spellings` refuses them for the model.
                if any(entry[key] != value for key in present[1:]):
                    raise QuickPayloadError(where, f"Value error, conflicting values for "
                                                   f"{field.name!r} under {', '.join(present)}")
            if value is _MISSING:
                if field.default is REQUIRED:
                    raise QuickPayloadError((*where, field.keys[0]), "Field required")
                row[field.name] = field.default
                continue
            try:
                row[field.name] = field.rule(value)
            except ValueError as exc:
                raise QuickPayloadError((*where, present[0]), f"Value error, {exc}") from None
        return row


class SubaccountRows(QuickRows):
    """`subaccount.list` for the home table: `Subaccount`'s scalar fields
    (not its credentials, read only by the full model, masked)."""

    list_key = "subaccount"
    full_model = "SubaccountList"
    fields = (
        QuickField("id", _to_id, spellings=("ID", "id")),
        QuickField("username", _to_text, ""),
        QuickField("company_name", _to_text, ""),
        QuickField("first_name", _to_text, ""),
        QuickField("last_name", _to_text, ""),
        QuickField("email", _to_text, ""),
        QuickField("package", _to_text, ""),
        QuickField("language", _to_text, ""),
        QuickField("lastlogin", _to_local, None),
        QuickField("amountlogin", _to_int, None),
        QuickField("currency", _to_text, ""),
        QuickField("max_campaigns", _to_int, None),
        QuickField("expiry_date", _to_day, None),
        QuickField("has_campaigns", _to_int, None),
    )
