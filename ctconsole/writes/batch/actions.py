"""What a batch can do to each object: one table row per action.

An action names the single write for one object, the bulk write that does the
same to many at once where the API has one (`session.update_many`), the
fields it sets (fixed, or given as ``field=value`` by the user) and the kind
of object it acts on. Planning, guards, journaling and undo come from the
write engine; this table only says which write an action is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.api.errors import InvalidParams
from ctconsole.api.params import validate

from .resolve import LOYALTY, SESSION


@dataclass(frozen=True)
class Action:
    name: str
    #: What the preview's heading says: "Validate 400 sessions".
    verb: str
    target: str
    #: The write for one object.
    operation: str
    #: The write for many objects of one campaign and account, if the API has one.
    bulk: str | None = None
    #: Fields the action always sets.
    fixed: tuple[tuple[str, object], ...] = ()
    #: Fields the user gives (``field=value``); `required` of them must be given.
    user_fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    #: Whether sending it twice leaves the object as sending it once (the
    #: state tells afterwards whether a write of unknown outcome was applied).
    idempotent: bool = True
    help: str = ""

    def fields(self, given: Mapping[str, object]) -> dict[str, object]:
        """The fields to send, `given` checked against the operation's
        parameters and coerced ("5" → 5, "true" → True).

        Raises:
            InvalidParams: an unknown, missing or bad field (nothing is read or sent).
        """
        unknown = [k for k in given if k not in self.user_fields]
        problems = [f"{k}: not a field of action {self.name}"
                    + (f" (it takes {', '.join(self.user_fields)})" if self.user_fields else
                       " (it takes none)") for k in unknown]
        problems += [f"{k}: required by action {self.name}" for k in self.required
                     if k not in given]
        if not problems and self.target == SESSION and self.user_fields and not given \
                and not self.fixed:
            problems.append(f"action {self.name} needs at least one of "
                            f"{', '.join(self.user_fields)}=value")
        if problems:
            raise InvalidParams(problems, title="Bad batch fields")
        fields = {**dict(self.fixed), **given}
        op = CATALOGUE.get(self.operation)
        valid = validate(op, {**_sample_ids(self), **fields})
        return {k: valid[k] for k in fields}

    def params(self, found: Any, fields: Mapping[str, object]) -> dict[str, object]:
        """The single write's parameters for one object."""
        if self.target == LOYALTY:
            return {"loyaltycard": found.scope, "user": found.ident, **fields}
        if self.operation == "campaign.push":
            return {"campaign": found.scope, "couponsession": found.key, **fields}
        return {"couponsession": found.key, **fields}


def _sample_ids(action: Action) -> dict[str, object]:
    """Placeholder IDs so the fields can be checked before any object is known."""
    if action.target == LOYALTY:
        return {"loyaltycard": "loy_1", "user": "lus_1"}
    if action.operation == "campaign.push":
        return {"campaign": "cam_1", "couponsession": "a" * 21}
    return {"couponsession": "a" * 21}


_UPDATE, _MANY = "session.update", "session.update_many"

ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("validate", "Validate", SESSION, _UPDATE, _MANY, (("validated", True),),
           help="mark each session validated (redeemed); also claims it"),
    Action("claim", "Claim", SESSION, _UPDATE, _MANY, (("claimed", True),),
           help="mark each session claimed"),
    Action("void", "Void", SESSION, _UPDATE, _MANY, (("voided", True),),
           help="void each session"),
    Action("unvoid", "Un-void", SESSION, _UPDATE, _MANY, (("voided", False),),
           help="un-void each session"),
    Action("lock", "Lock", SESSION, _UPDATE, _MANY, (("locked", True),),
           help="lock each session"),
    Action("unlock", "Unlock", SESSION, _UPDATE, _MANY, (("locked", False),),
           help="unlock each session"),
    Action("set", "Set fields of", SESSION, _UPDATE, _MANY,
           user_fields=("validation_value", "customid"),
           help="set validation_value=… and/or customid=… on each session"),
    Action("push", "Push to", SESSION, "campaign.push", user_fields=("message",),
           required=("message",), idempotent=False,
           help="send message=… as a push notification to each session's wallet pass"),
    Action("stamps", "Add stamps to", LOYALTY, "loyalty.user_update", user_fields=("stamps",),
           required=("stamps",), idempotent=False,
           help="add stamps=N to each loyalty user (negative removes)"),
    Action("points", "Add points to", LOYALTY, "loyalty.user_update", user_fields=("points",),
           required=("points",), idempotent=False,
           help="add points=N to each loyalty user (negative removes)"),
    Action("void-user", "Void", LOYALTY, "loyalty.user_update", fixed=(("voided", True),),
           help="void each loyalty user"),
    Action("unvoid-user", "Un-void", LOYALTY, "loyalty.user_update", fixed=(("voided", False),),
           help="un-void each loyalty user"),
    Action("push-user", "Push to", LOYALTY, "loyalty.push", user_fields=("message",),
           required=("message",), idempotent=False,
           help="send message=… as a push notification to each loyalty user's wallet card"),
)}


def action_named(name: str) -> Action:
    """Raises InvalidParams (with the list of actions) for an unknown name."""
    try:
        return ACTIONS[name]
    except KeyError:
        raise InvalidParams([f"{name[:40]}: no such action; one of {', '.join(ACTIONS)}"],
                            title="Unknown action") from None
