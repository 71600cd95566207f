"""Coupon sessions: read one, change state, search, and single-use URLs."""

from __future__ import annotations

from . import wire
from .checks import parse_expiry
from .people import ALNUM, DIGITS
from .registry import Call, handles, n, pick
from .sessions import session_url
from .store import blank

_STATUS = ("created_date_utc", "opened", "open_date_utc", "played", "played_date_utc",
           "claimed", "claim_date_utc", "claimtype", "saved_to_passbook", "validated",
           "validation_date_utc", "validation_value", "voided", "voided_date_utc", "locked")
_USER = ("firstname", "lastname", "email", "phone")
_FOUND = ("session", "campaign", "session_url", "sequenceid", "customid", "customvalcode",
          "firstname", "lastname", "email", "phone", "created_date_utc")
STATE_FIELDS = ("claimed", "validated", "voided", "locked", "validation_value", "customid")


@handles("session.info")
def session_info(call: Call) -> dict:
    rec = call.session()
    return {
        "campaign": rec["campaign"], "action": "retrieve_all_session_data",
        "session": rec["session"], "session_url": rec["session_url"],
        "sequenceid": rec["sequenceid"], "customid": rec["customid"],
        "customvalcode": rec["customvalcode"], "single_use_url": rec["single_use_url"],
        "data": {"status": pick(rec, _STATUS), "user": pick(rec, _USER)},
    }


def apply_changes(rec: dict, params: dict, now: str) -> None:
    """The state fields of C5/C6 applied to one (materialised) record."""
    if params.get("claimed") is True or params.get("validated") is True:
        if rec["claimed"] != "1":
            rec.update(claimed="1", claim_date_utc=now, claimtype=rec["claimtype"] or "direct")
    elif params.get("claimed") is False:
        rec.update(claimed="0", claim_date_utc="", claimtype="", validated="0",
                   validation_date_utc="")
    if params.get("validated") is True:
        rec.update(validated="1", validation_date_utc=now)
    elif params.get("validated") is False:
        rec.update(validated="0", validation_date_utc="")
    if "voided" in params:
        if params["voided"]:
            if rec["voided"] != "1":
                rec.update(voided="1", voided_date_utc=now)
        else:
            rec.update(voided="0", voided_date_utc="")
    if "locked" in params:
        rec["locked"] = "1" if params["locked"] else "0"
    for key in ("validation_value", "customid"):
        if key in params:
            rec[key] = params[key]


@handles("session.update")
def session_update(call: Call) -> dict:
    rec = call.session(write=True)
    apply_changes(rec, call.params, call.now())
    _webhook(call, rec)
    return {"campaign": rec["campaign"], "action": "couponsession_updated",
            "session": rec["session"]}


@handles("session.update_many")
def session_update_many(call: Call) -> dict:
    codes = call.params["couponsessions"]
    for code in codes:  # all or nothing: check every code before changing any
        call.session(code)
    now, done = call.now(), []
    for code in codes:
        rec = call.session(code, write=True)
        apply_changes(rec, call.params, now)
        _webhook(call, rec)
        if rec["session"] not in done:
            done.append(rec["session"])
    return {"action": "couponsessions_updated", "amount_updated": n(len(done)), "sessions": done}


def _webhook(call: Call, rec: dict) -> None:
    """Validating through the API fires a coupon_validated event, as in production."""
    if call.params.get("validated") is True:
        eid = "evt_" + "".join(call.state.rng.choices(ALNUM, k=20))
        call.state.webhooks[eid] = {"webhook": eid, "date": rec["validation_date_utc"],
                                    "campaign": rec["campaign"], "session": rec["session"],
                                    "type": "coupon_validated"}


def _search(call: Call, campaigns: set[str]) -> dict:
    found = call.state.sessions.search(campaigns, email=call.get("email"),
                                       phone=call.get("phone"),
                                       customvalcode=call.get("customvalcode"))
    return {"amount_of_sessions": n(len(found)), "sessions": [pick(r, _FOUND) for r in found]}


@handles("session.search")
def session_search(call: Call) -> dict:
    return _search(call, {c["ID"] for c in call.state.campaigns_of(call.owner)})


@handles("campaign.session_search")
def campaign_session_search(call: Call) -> dict:
    return _search(call, {call.campaign()["ID"]})


def _new_single_use(call: Call, camp: dict, **fields: str) -> dict:
    state = call.state
    code = state.new_code()
    url = session_url(camp["code"], code)
    rec = blank(session=code, campaign=camp["ID"], session_url=url, single_use_url=url,
                sequenceid=str(state.next_seq), created_date_utc=call.now(), **fields)
    state.next_seq += 1
    return state.sessions.add(rec)


def _created(rec: dict) -> dict:
    return {"single_use_code": rec["session"], "sequence_id": int(rec["sequenceid"]),
            "single_use_url": rec["single_use_url"], "widget_validation_code": rec["session"][:6],
            "customvalcode": rec["customvalcode"]}


@handles("singleuse.create")
def singleuse_create(call: Call) -> dict:
    camp = call.campaign()
    if "expiry_date" in call.params and parse_expiry(call.params["expiry_date"]) is None:
        raise wire.ApiFailure(wire.invalid_format("expiry_date", "yyyy-MM-dd:HH:mm:ss"))
    prefill = {k: call.params[k] for k in ("firstname", "lastname", "email", "phone", "customid",
                                           "customvalcode") if k in call.params}
    rec = None
    if call.get("duplicate_check"):
        keys = [k for k in ("email", "phone", "customid") if k in prefill]
        for code in state_codes(call, camp["ID"]):
            other = call.state.sessions.records[code]
            if other["single_use_url"] and any(other[k] == prefill[k] for k in keys):
                rec = other
                break
    rec = rec or _new_single_use(call, camp, **prefill)
    return {"campaign": camp["ID"], "action": "single_use_code_created", **_created(rec)}


def state_codes(call: Call, cid: str) -> list[str]:
    return list(call.state.sessions.order.get(cid, ()))


@handles("singleuse.create_many")
def singleuse_create_many(call: Call) -> dict:
    camp = call.campaign()
    status = call.get("status", "normal")
    automated = call.get("automated_codes", False)
    alphabet = DIGITS if call.get("code_type") == "numeric" else ALNUM.upper()[:36]
    made = []
    for _ in range(call.get("amount", 10)):
        fields: dict[str, str] = {}
        if automated:
            body = "".join(call.state.rng.choices(alphabet, k=call.params["code_length"]))
            fields["customvalcode"] = call.params["code_prefix"] + body
        if status == "voided":
            fields.update(voided="1", voided_date_utc=call.now())
        elif status == "activated":
            fields.update(opened="1", open_date_utc=call.now())
        made.append(_created(_new_single_use(call, camp, **fields)))
    return {"campaign": camp["ID"], "action": " multiple_single_use_codes_created", "data": made}


@handles("singleuse.remove")
def singleuse_remove(call: Call) -> dict:
    camp = call.campaign()
    rec = call.session(campaign=camp["ID"])
    call.state.sessions.remove(rec["session"])
    return {"campaign": camp["ID"], "action": "single_use_code_removed",
            "couponsession": rec["session"]}
