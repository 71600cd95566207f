"""Loyalty cards, directories and categories."""

from __future__ import annotations

from . import wire
from .registry import Call, handles, n, pick

_CARD = ("ID", "name", "type", "code", "url", "status", "created_date", "stamps_required")
_LUSER = ("ID", "firstname", "lastname", "email", "phone", "stamps", "points", "voided",
          "saved_to_wallet", "created_date_utc", "last_activity_utc")
_DIR = ("ID", "name", "url", "status", "login_required", "payment_required", "created_date")
_DUSER = ("ID", "firstname", "lastname", "email", "phone", "registration_date_utc",
          "payment_status", "payment_expiry_date", "blocked")
USERS_PAGE = 100


@handles("loyalty.list")
def loyalty_list(call: Call) -> dict:
    cards = [c for c in call.state.loyalty.values() if c["owner"] == call.owner]
    if call.get("only_active"):
        cards = [c for c in cards if c["status"] == "active"]
    cards.sort(key=lambda c: c["created_date"], reverse=call.get("sorting") == "desc")
    items = [{**pick(c, _CARD), "amount_of_users": n(len(c["users"]))} for c in cards]
    return {"amount_of_loyaltycards": n(len(items)), "loyaltycard": items}


@handles("loyalty.users")
def loyalty_users(call: Call) -> dict:
    card = call.card()
    users = [pick(u, _LUSER) for u in card["users"].values()]
    return {"loyaltycard": card["ID"], "amount_of_users": n(len(users)), "users": users}


def _user(call: Call, card: dict) -> dict:
    user = card["users"].get(call.params["user"])
    if user is None:
        raise wire.ApiFailure(wire.USER_NOT_FOUND)
    return user


@handles("loyalty.user_update")
def loyalty_user_update(call: Call) -> dict:
    card = call.card()
    user = _user(call, card)
    stamps = int(user["stamps"]) + call.get("stamps", 0)
    points = int(user["points"]) + call.get("points", 0)
    problems = []
    if stamps < 0:
        problems.append((300, "Stamps cannot go below zero"))
    if points < 0:
        problems.append((300, "Points cannot go below zero"))
    if problems:
        raise wire.ApiFailure(*problems)
    user.update(stamps=str(stamps), points=str(points), last_activity_utc=call.now())
    if "voided" in call.params:
        user["voided"] = "1" if call.params["voided"] else "0"
    return {"loyaltycard": card["ID"], "user": user["ID"], "stamps": user["stamps"],
            "points": user["points"], "voided": user["voided"]}


@handles("loyalty.push")
def loyalty_push(call: Call) -> dict:
    _user(call, call.card())
    return {}


@handles("loyalty.push_all")
def loyalty_push_all(call: Call) -> dict:
    card = call.card()
    reached = [u for u in card["users"].values()
               if u["saved_to_wallet"] == "1" and u["voided"] == "0"]
    return {"amount_of_recipients": n(len(reached))}


@handles("directory.list")
def directory_list(call: Call) -> dict:
    dirs = [pick(d, _DIR) for d in call.state.directories.values() if d["owner"] == call.owner]
    return {"amount_of_directories": n(len(dirs)), "directory": dirs}


@handles("directory.info")
def directory_info(call: Call) -> dict:
    d = call.directory()
    info = pick(d, _DIR)
    info.update(description=d["description"], amount_of_users=n(len(d["users"])),
                amount_of_campaigns=n(len(d["campaigns"])),
                amount_of_loyaltycards=n(len(d["loyaltycards"])), category=d["category"])
    return {"directory": info}


@handles("directory.campaigns")
def directory_campaigns(call: Call) -> dict:
    d = call.directory()
    camps = [call.state.campaigns[c] for c in d["campaigns"]]
    items = [pick(c, ("ID", "code", "name", "url", "status", "category")) for c in camps]
    return {"directory": d["ID"], "amount_of_campaigns": n(len(items)), "campaigns": items}


@handles("directory.users")
def directory_users(call: Call) -> dict:
    d = call.directory()
    page = call.get("page", 1)
    newest_first = sorted(d["users"], key=lambda u: (u["registration_date_utc"], u["ID"]),
                          reverse=True)
    chunk = newest_first[(page - 1) * USERS_PAGE:page * USERS_PAGE]
    return {"directory": d["ID"], "page": n(page), "amount_of_users": n(len(d["users"])),
            "users": [pick(u, _DUSER) for u in chunk]}


@handles("directory.user_payment")
def directory_user_payment(call: Call) -> dict:
    d = call.directory()
    user = next((u for u in d["users"] if u["ID"] == call.params["user"]), None)
    if user is None:
        raise wire.ApiFailure(wire.USER_NOT_FOUND)
    status = call.params["payment_status"]
    expiry = call.get("expiry_date", "") if status == "paid" else ""
    user.update(payment_status=status, payment_expiry_date=expiry)
    return {"directory": d["ID"], "user": user["ID"], "payment_status": status,
            "expiry_date": expiry}


@handles("category.list")
def category_list(call: Call) -> dict:
    return {"amount_of_categories": n(len(call.state.categories)),
            "category": [dict(c) for c in call.state.categories]}


@handles("category.level3")
def category_level3(call: Call) -> dict:
    return {"amount_of_categories": n(len(call.state.level3)),
            "category": [dict(c) for c in call.state.level3]}
