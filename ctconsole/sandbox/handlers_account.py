"""Subaccount management, the credentials check and webhook verification.

Subaccount calls are main-account-only; the app refuses subaccount
credentials (102) before these handlers run.
"""

from __future__ import annotations

from . import wire
from .fixtures import MAIN_EMAIL
from .people import ALNUM, DIGITS
from .registry import Call, handles, n

_LIST_KEYS = ("ID", "username", "company_name", "first_name", "last_name", "email", "package",
              "language", "lastlogin", "amountlogin", "currency", "max_campaigns", "expiry_date",
              "api_key", "api_secret")
_COUNTERS = ("amountlogin", "max_campaigns", "has_campaigns")


def _item(call: Call, sub: dict, *, strings: bool) -> dict:
    """A subaccount as S1 lists it (numbers) or S2 shows it (strings)."""
    camps = call.state.campaigns_of(sub["ID"])
    item = {k: sub[k] for k in _LIST_KEYS}
    item["has_campaigns"] = len(camps)
    item["campaigns"] = [{"ID": c["ID"], "code": c["code"], "url": c["url"], "status": c["status"]}
                         for c in camps]
    if strings:
        for k in _COUNTERS:
            item[k] = str(item[k])
    return item


@handles("subaccount.list")
def subaccount_list(call: Call) -> dict:
    subs = [_item(call, s, strings=False) for s in call.state.subaccounts.values()]
    # The API names the subaccount count "amount_of_campaigns" (a JSON number).
    return {"amount_of_campaigns": len(subs), "subaccount": subs}


@handles("subaccount.info")
def subaccount_info(call: Call) -> dict:
    sub = call.subaccount()
    item = _item(call, sub, strings=True)
    item["webhook_endpoint"] = sub["webhook_endpoint"]
    item["available_campaigns"] = n(max(0, sub["max_campaigns"] - int(item["has_campaigns"])))
    item.update(sub["permissions"])
    for k in ("shown_templates", "buildertype", "webhook_type", "integrations"):
        item[k] = sub[k]
    return {"subaccount": item}


_EDITABLE = ("package", "status", "first_name", "last_name", "country", "company_name",
             "expiry_date")


@handles("subaccount.create")
def subaccount_create(call: Call) -> dict:
    state = call.state
    email = call.params["email"]
    taken = {s["email"].lower() for s in state.subaccounts.values()}
    if email.lower() in taken or email.lower() == MAIN_EMAIL:
        raise wire.ApiFailure(wire.EMAIL_EXISTS)
    sid = f"sub_{state.next_sub}"
    state.next_sub += 1
    local = email.split("@")[0]
    sub = {
        "ID": sid, "username": "".join(ch for ch in local if ch.isalnum()).lower() or sid,
        "company_name": "", "first_name": "", "last_name": "", "email": email,
        "package": "pac_7001", "language": "en", "lastlogin": "", "amountlogin": 0,
        "currency": "EUR", "max_campaigns": 5, "expiry_date": "",
        "api_key": "".join(state.rng.choices(DIGITS, k=27)),
        "api_secret": "".join(state.rng.choices(ALNUM, k=30)),
        "webhook_endpoint": "", "status": "trial", "country": "",
        "permissions": {p: p == "access_dashboard" for p in _permission_names(state)},
        "shown_templates": "all", "buildertype": "standard", "webhook_type": "all",
        "integrations": "all", "password_set": "password" in call.params,
    }
    sub.update({k: call.params[k] for k in _EDITABLE if k in call.params})
    state.subaccounts[sid] = sub
    return {"subaccount": {"ID": sid}}


def _permission_names(state) -> list[str]:
    first = next(iter(state.subaccounts.values()))
    return list(first["permissions"])


@handles("subaccount.update")
def subaccount_update(call: Call) -> dict:
    sub = call.subaccount()
    sub.update({k: call.params[k] for k in _EDITABLE if k in call.params})
    if "password" in call.params:
        sub["password_set"] = True
    return {"subaccount": {"ID": sub["ID"]}}


@handles("subaccount.reset_url")
def subaccount_reset_url(call: Call) -> dict:
    sub = call.subaccount()
    token = "".join(call.state.rng.choices(ALNUM, k=32))
    return {"subaccount": sub["ID"], "url": f"https://app.coupontools.com/reset-password/{token}"}


@handles("subaccount.sso")
def subaccount_sso(call: Call) -> dict:
    sub = call.subaccount()
    page = call.get("page", "campaigns")
    if "campaign" in call.params:
        camp = call.state.campaigns.get(call.params["campaign"])
        if camp is None or camp["owner"] != sub["ID"]:
            raise wire.ApiFailure(wire.CAMPAIGN_NOT_FOUND)
    token = "".join(call.state.rng.choices(ALNUM, k=49))
    query = f"token={token}&page={page}"
    if "campaign" in call.params:
        query += f"&campaign={call.params['campaign']}"
    return {"subaccount": {
        "ID": sub["ID"], "token": token,
        "url": f"https://app.coupontools.com/sso/?{query}",
        "url_whitelabel": f"https://dashboard.demo-agency.example.com/sso/?{query}",
    }}


@handles("auth.check")
def auth_check(call: Call) -> dict:
    return {}


@handles("webhook.verify")
def webhook_verify(call: Call) -> dict:
    event = call.state.webhooks.get(call.params["webhook"])
    camp = event and call.state.campaigns.get(event["campaign"])
    if not event or not camp or camp["owner"] != call.owner:
        raise wire.ApiFailure(wire.WEBHOOK_NOT_FOUND)
    given = call.get("session")
    if given and given not in (event["session"], event["session"][:6]):
        raise wire.ApiFailure(wire.WEBHOOK_NOT_FOUND)
    return {"result": "valid", **event}
