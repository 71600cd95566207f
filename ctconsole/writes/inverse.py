"""Undo: the write that sets an object back, from its journal entry.

Only where the API offers a true inverse and the journal holds what is
needed: stamps +3 → -3, void ↔ un-void, a payment status back to the
journaled one. Some inverses are "best effort" (un-validating a session: the
sandbox accepts it, the real API may not, and the webhook that announced the
validation cannot be recalled); they say so in `note`. Everything else gets a
reason why not, for the UI to show instead of an Undo button.

An undo is a new write: `plan_undo` plans it with `plan_write`, so it goes
through the same guards, preview and confirmation, and is journaled with
`undo_of` pointing at the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterator, Mapping

from ctconsole.api.errors import CtError

from .journal import JournalEntry
from .objects import SUBACCOUNT_FIELDS
from .plan import WritePlan, plan_write


@dataclass(frozen=True)
class Inverse:
    """The write that undoes an entry. Unpacks as `(operation, params)`."""

    operation: str
    params: dict[str, object] = field(default_factory=dict)
    best_effort: bool = False
    note: str = ""

    def __iter__(self) -> Iterator[object]:
        return iter((self.operation, self.params))


Inverter = Callable[[JournalEntry], "Inverse | str"]

_NO_PUSH = "a push notification cannot be recalled once it is sent"
_NO_LINK = "a login link cannot be revoked through the API (it expires on its own)"
_UNVALIDATE = ("un-validating is best effort: the API may refuse it, and the webhook that "
               "announced the validation is not taken back")
_UNCLAIM = "un-claiming is best effort: the API may refuse it"


def _session_inverse(p: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[dict[str, object], list[str]]:
    """(params that set the session back, best-effort notes)."""
    inv: dict[str, object] = {}
    notes: list[str] = []
    if p.get("validated") is True and b.get("validated") is False:
        inv["validated"] = False
        notes.append(_UNVALIDATE)
    if (p.get("claimed") is True or p.get("validated") is True) and b.get("claimed") is False:
        inv["claimed"] = False
        notes.append(_UNCLAIM)
    if p.get("claimed") is False and b.get("claimed") is True:
        inv["claimed"] = True
        if b.get("validated") is True:
            inv["validated"] = True
        notes.append("claiming and validating again record new dates")
    elif p.get("validated") is False and b.get("validated") is True:
        inv["validated"] = True
        notes.append("validating again records a new validation date and fires its webhook")
    for name in ("voided", "locked"):
        if name in p and isinstance(b.get(name), bool) and bool(p[name]) != b[name]:
            inv[name] = b[name]
    for name in ("validation_value", "customid"):
        if name in p and name in b and p[name] != b[name]:
            inv[name] = b[name]
    return inv, list(dict.fromkeys(notes))


def _session_update(e: JournalEntry) -> Inverse | str:
    if not isinstance(e.before, dict):
        return "the session's state before the write was not recorded"
    inv, notes = _session_inverse(e.params, e.before)
    if not inv:
        return "the write changed nothing that can be set back"
    return Inverse("session.update", {"couponsession": e.params["couponsession"], **inv},
                   bool(notes), "; ".join(notes))


def _session_update_many(e: JournalEntry) -> Inverse | str:
    if not isinstance(e.before, dict) or not e.before:
        return "the sessions' states before the write were not recorded"
    found = [_session_inverse(e.params, b if isinstance(b, dict) else {})
             for b in e.before.values()]
    first = found[0]
    if any(f != first for f in found):
        return "the sessions were in different states before; undo them one at a time"
    if not first[0]:
        return "the write changed nothing that can be set back"
    return Inverse("session.update_many",
                   {"couponsessions": list(e.params["couponsessions"]), **first[0]},
                   bool(first[1]), "; ".join(first[1]))


def _loyalty(e: JournalEntry) -> Inverse | str:
    p, b = e.params, e.before if isinstance(e.before, dict) else {}
    inv: dict[str, object] = {n: -int(p[n]) for n in ("stamps", "points") if p.get(n)}
    if "voided" in p and isinstance(b.get("voided"), bool) and bool(p["voided"]) != b["voided"]:
        inv["voided"] = b["voided"]
    if not inv:
        return "the write changed nothing that can be set back"
    return Inverse("loyalty.user_update",
                   {"loyaltycard": p["loyaltycard"], "user": p["user"], **inv})


def _payment(e: JournalEntry) -> Inverse | str:
    b = e.before if isinstance(e.before, dict) else {}
    status = b.get("payment_status")
    if status not in ("paid", "unpaid"):
        return ("the user had no payment status before, and the API cannot set an empty one"
                if status == "" else "the payment status before the write was not recorded")
    params: dict[str, object] = {"directory": e.params["directory"], "user": e.params["user"],
                                 "payment_status": status}
    if status == "paid" and b.get("payment_expiry_date"):
        params["expiry_date"] = b["payment_expiry_date"]
    return Inverse("directory.user_payment", params)


def _subaccount_update(e: JournalEntry) -> Inverse | str:
    p, b = e.params, e.before if isinstance(e.before, dict) else {}
    inv = {k: b[k] for k in SUBACCOUNT_FIELDS if k in p and b.get(k) and b[k] != p[k]}
    lost = sorted(k for k in p if k != "subaccount" and k not in inv and b.get(k) != p[k])
    if not inv:
        return ("the fields changed cannot be read back or cleared through the API"
                if lost else "the write changed nothing that can be set back")
    note = f"cannot be set back: {', '.join(lost)}" if lost else ""
    return Inverse("subaccount.update", {"subaccount": p["subaccount"], **inv}, bool(lost), note)


def _singleuse_create(e: JournalEntry) -> Inverse | str:
    code = e.result.get("single_use_code") if isinstance(e.result, dict) else None
    if not isinstance(code, str):
        return "the created code was not recorded"
    return Inverse("singleuse.remove", {"campaign": e.params["campaign"], "couponsession": code},
                   note="removes the single-use URL; a customer who already opened it loses it")


INVERTERS: dict[str, Inverter | str] = {
    "session.update": _session_update,
    "session.update_many": _session_update_many,
    "loyalty.user_update": _loyalty,
    "directory.user_payment": _payment,
    "subaccount.update": _subaccount_update,
    "singleuse.create": _singleuse_create,
    "campaign.push": _NO_PUSH,
    "campaign.push_all": _NO_PUSH,
    "loyalty.push": _NO_PUSH,
    "loyalty.push_all": _NO_PUSH,
    "subaccount.sso": _NO_LINK,
    "subaccount.reset_url": _NO_LINK,
    "subaccount.create": "the API has no call to delete a subaccount (remove it in the dashboard)",
    "singleuse.create_many": ("the URLs would have to be removed one by one "
                              "(singleuse.remove with each code of the journaled answer)"),
    "singleuse.remove": "a removed single-use URL cannot be restored; create a new one",
}


def _decide(entry: JournalEntry) -> Inverse | str:
    if entry.outcome == "failed":
        return "the write failed, so there is nothing to undo"
    if entry.outcome != "ok":
        return ("the write's outcome is unknown; look at the object as it is now and change "
                "it directly")
    inverter = INVERTERS.get(entry.operation)
    if inverter is None:
        return f"{entry.operation} has no known inverse"
    return inverter if isinstance(inverter, str) else inverter(entry)


def inverse_of(entry: JournalEntry) -> Inverse | None:
    """The write that undoes `entry`, or None (see `reason_no_inverse`)."""
    decided = _decide(entry)
    return decided if isinstance(decided, Inverse) else None


def reason_no_inverse(entry: JournalEntry) -> str | None:
    """Why `entry` cannot be undone, or None when it can."""
    decided = _decide(entry)
    return None if isinstance(decided, Inverse) else decided


async def plan_undo(client: Any, entry: JournalEntry, *, reason: str | None = None,
                    now: datetime | None = None) -> WritePlan:
    """Plan the undo of `entry` like any write (same guards and preview).
    `client` must carry the credentials the original used (`entry.subaccount`);
    `now` as for `plan_write`.

    Raises:
        CtError: the entry has no inverse (the message says why), or the
            read of the current state failed.
    """
    inverse = inverse_of(entry)
    if inverse is None:
        raise CtError("Cannot undo", reason_no_inverse(entry) or "no inverse")
    return await plan_write(client, inverse.operation, inverse.params,
                            reason=reason or f"undo of {entry.id}", subaccount=entry.subaccount,
                            undo_of=entry.id, note=inverse.note, now=now)
