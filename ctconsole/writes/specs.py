"""What each write operation acts on: one table row per write in the catalogue.

A row says which object the write touches (for the preview's heading and the
journal's `object` filter), which read gives its state before and after
(`objects`), how the state will look once the write is applied (the
prediction the preview diffs against), and how many people it reaches.

The catalogue stays the one place for paths and parameters; this table only
adds what the catalogue cannot know: the domain meaning of each write. A test
fails if a write in the catalogue has no row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Mapping

from . import objects

Params = Mapping[str, Any]
State = dict[str, object]
Read = Callable[[Any, Params], Awaitable[State]]
#: Where the "reach" (people a write gets to) comes from.
ReachKind = str  # "one", "codes", "amount", "campaign", "card", "none"

MASK = "…"
#: A removed object's fields after the write: gone, not kept as they were.
REMOVED = "(removed)"


@dataclass(frozen=True)
class Target:
    """The object a planned write acts on, described for a person and for
    filtering the journal (`keys`: the identifying parameters and values)."""

    kind: str
    id: str
    label: str
    keys: dict[str, object]


@dataclass(frozen=True)
class WriteSpec:
    #: Kind of object, for headings: "session", "loyalty user", …
    kind: str
    #: The parameter naming the object itself, and the ones that scope it.
    id_param: str | None
    scope: tuple[str, ...] = ()
    #: Reads the object's current state (before, and again after the write).
    read: Read | None = None
    #: The state the write should leave, from the params and the state before.
    predict: Callable[[Params, State], State] | None = None
    reach: ReachKind = "none"
    #: For creates: reads the new object from the write's answer.
    created: Callable[[Any, Params, dict], Awaitable[State | None]] | None = None
    #: Whether the object's state changes (False: pushes, login links).
    changes_state: bool = True
    #: Per-object state keyed by session code (update_many).
    per_object: bool = False
    #: Adds to the state before what the guards weigh but the write cannot
    #: change (a session's campaign and its run); not read again after.
    context: Callable[[Any, State], Awaitable[State]] | None = None


# --- predictions ---------------------------------------------------------------


def predict_session(p: Params, b: State) -> State:
    """The session fields after `session.update`, following the API's coupling
    of the flags: validating also claims; un-claiming also un-validates."""
    after: State = {}
    if p.get("claimed") is True or p.get("validated") is True:
        after["claimed"] = True
    elif p.get("claimed") is False:
        after.update(claimed=False, validated=False)
    if "validated" in p:
        after["validated"] = bool(p["validated"])
    for name in ("voided", "locked"):
        if name in p:
            after[name] = bool(p[name])
    for name in ("validation_value", "customid"):
        if name in p:
            after[name] = p[name]
    return after


def predict_loyalty(p: Params, b: State) -> State:
    after: State = {}
    for name in ("stamps", "points"):
        if name in p:
            after[name] = int(b.get(name) or 0) + int(p[name])
    if "voided" in p:
        after["voided"] = bool(p["voided"])
    return after


def predict_payment(p: Params, b: State) -> State:
    # The API sets the expiry with the status: given for "paid", cleared otherwise.
    paid = p["payment_status"] == "paid"
    return {"payment_status": p["payment_status"],
            "payment_expiry_date": str(p.get("expiry_date", "")) if paid else ""}


def predict_fields(names: tuple[str, ...]) -> Callable[[Params, State], State]:
    """Writes that set fields to the given values (secret ones shown masked)."""

    def predict(p: Params, b: State) -> State:
        return {n: (MASK if n == "password" else p[n]) for n in names if n in p}

    return predict


_SUB_SET = ("email", "password", "package", "status", "first_name", "last_name", "country",
            "company_name", "expiry_date")
_PREFILL = ("firstname", "lastname", "email", "phone", "customid", "customvalcode", "expiry_date")


def predict_removed(p: Params, b: State) -> State:
    """Nothing of the object is left: every field it had reads "(removed)"
    (not its old value, as a field the write does not set would)."""
    return {"exists": False, **{name: REMOVED for name in b if name != "exists"}}


# --- reads -----------------------------------------------------------------------


async def _session(client: Any, p: Params) -> State:
    return await objects.read_session(client, str(p["couponsession"]))


async def _session_campaign(client: Any, state: State) -> State:
    return await objects.read_campaign_run(client, str(state.get("campaign") or ""))


async def _session_present(client: Any, p: Params) -> State:
    return await objects.read_session_or_gone(client, str(p["couponsession"]))


async def _loyalty_user(client: Any, p: Params) -> State:
    return await objects.read_loyalty_user(client, str(p["loyaltycard"]), str(p["user"]))


async def _directory_user(client: Any, p: Params) -> State:
    return await objects.read_directory_user(client, str(p["directory"]), str(p["user"]))


async def _subaccount(client: Any, p: Params) -> State:
    return await objects.read_subaccount(client, str(p["subaccount"]))


async def _created_subaccount(client: Any, p: Params, raw: dict) -> State | None:
    sub = raw.get("subaccount")
    new_id = sub.get("ID") if isinstance(sub, dict) else None
    return await objects.read_subaccount(client, new_id) if isinstance(new_id, str) else None


async def _created_session(client: Any, p: Params, raw: dict) -> State | None:
    code = raw.get("single_use_code")
    return await objects.read_session(client, code) if isinstance(code, str) else None


SPECS: dict[str, WriteSpec] = {
    "session.update": WriteSpec("session", "couponsession", read=_session,
                                predict=predict_session, reach="one",
                                context=_session_campaign),
    "session.update_many": WriteSpec("sessions", "couponsessions", predict=predict_session,
                                     reach="codes", per_object=True),
    "campaign.push": WriteSpec("session", "couponsession", ("campaign",), read=_session,
                               reach="one", changes_state=False),
    "campaign.push_all": WriteSpec("campaign", "campaign", reach="campaign", changes_state=False),
    "loyalty.user_update": WriteSpec("loyalty user", "user", ("loyaltycard",),
                                     read=_loyalty_user, predict=predict_loyalty, reach="one"),
    "loyalty.push": WriteSpec("loyalty user", "user", ("loyaltycard",), read=_loyalty_user,
                              reach="one", changes_state=False),
    "loyalty.push_all": WriteSpec("loyalty card", "loyaltycard", reach="card",
                                  changes_state=False),
    "directory.user_payment": WriteSpec("directory user", "user", ("directory",),
                                        read=_directory_user, predict=predict_payment,
                                        reach="one"),
    "subaccount.create": WriteSpec("new subaccount", "email", predict=predict_fields(_SUB_SET),
                                   created=_created_subaccount),
    "subaccount.update": WriteSpec("subaccount", "subaccount", read=_subaccount,
                                   predict=predict_fields(_SUB_SET)),
    "subaccount.reset_url": WriteSpec("subaccount", "subaccount", changes_state=False),
    "subaccount.sso": WriteSpec("subaccount", "subaccount", changes_state=False),
    "singleuse.create": WriteSpec("campaign", "campaign", predict=predict_fields(_PREFILL),
                                  created=_created_session),
    "singleuse.create_many": WriteSpec("campaign", "campaign", reach="amount"),
    "singleuse.remove": WriteSpec("session", "couponsession", ("campaign",),
                                  read=_session_present, predict=predict_removed),
}


def spec_for(operation: str) -> WriteSpec:
    """The row for a write. Raises KeyError for a read or an unknown name."""
    return SPECS[operation]


def describe(operation: str, params: Params) -> Target:
    """The target of `operation` with `params`, for a heading and the journal."""
    spec = spec_for(operation)
    keys = {name: params[name] for name in (spec.id_param, *spec.scope)
            if name and name in params}
    ident = params.get(spec.id_param) if spec.id_param else None
    if spec.per_object:
        codes = list(ident or [])
        label = f"{len(codes)} session{'s' if len(codes) != 1 else ''}"
        return Target(spec.kind, ",".join(codes), label, keys)
    text = str(ident) if ident is not None else ""
    label = f"{spec.kind} {text}".strip()
    scope = [f"{params[s]}" for s in spec.scope if s in params]
    if scope:
        label += f" ({', '.join(scope)})"
    return Target(spec.kind, text, label, keys)
