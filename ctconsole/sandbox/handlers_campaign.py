"""Campaigns: list, info, usage data pages (C3 and its views) and pushes."""

from __future__ import annotations

from .checks import parse_window
from .registry import Call, handles, n, pick

_ITEM = ("ID", "code", "name", "title", "type", "status", "url", "folder", "tags", "category",
         "created_date", "start_date", "end_date")
_INFO = ("description", "expiry_date", "single_use", "max_validations_per_session")
#: C3 rows, in the documented order.
SESSION_ROW = (
    "session", "session_url", "sequenceid", "customid", "created_date_utc", "opened",
    "open_date_utc", "played", "played_date_utc", "claimed", "claim_date_utc", "claimtype",
    "saved_to_passbook", "validated", "validation_date_utc", "voided", "voided_date_utc",
    "firstname", "lastname", "email", "phone", "customvalcode",
)
SESSIONS_PAGE = 5000


def _item(call: Call, camp: dict) -> dict:
    item = pick(camp, _ITEM)
    item["amount_of_sessions"] = n(call.state.sessions.count(camp["ID"]))
    return item


@handles("campaign.list")
def campaign_list(call: Call) -> dict:
    camps = call.state.campaigns_of(call.owner)
    if call.get("only_active"):
        camps = [c for c in camps if c["status"] == "active"]
    if "folder" in call.params:
        camps = [c for c in camps if c["folder"] == call.params["folder"]]
    if "tags" in call.params:
        wanted = {t.strip().lower() for t in call.params["tags"].split(",") if t.strip()}
        camps = [c for c in camps if wanted & {t.lower() for t in c["tags"].split(",")}]
    if "category" in call.params:
        camps = [c for c in camps if c["category"] == call.params["category"]]
    items = [_item(call, c) for c in camps]
    return {"amount_of_campaigns": n(len(items)), "coupon_info": items}


@handles("campaign.info")
def campaign_info(call: Call) -> dict:
    camp = call.campaign()
    info = _item(call, camp)
    info.update(pick(camp, _INFO))
    out = {"coupon_info": info}
    if call.get("show_usage_stats"):
        stats = call.state.sessions.stats(camp["ID"])
        stats.pop("recipients")
        out["usage_stats"] = {k: n(v) for k, v in stats.items()}
    return out


@handles("campaign.sessions")
def campaign_sessions(call: Call) -> dict:
    camp = call.campaign()
    page = call.get("page", 1)
    lo = parse_window(call.params["start_date"], end=False) if "start_date" in call.params else None
    hi = parse_window(call.params["end_date"], end=True) if "end_date" in call.params else None
    total, records = call.state.sessions.page(camp["ID"], call.view, lo, hi, page, SESSIONS_PAGE)
    return {
        "campaign": camp["ID"], "action": "retrieve_campaign_data", "page": n(page),
        "amount_of_sessions": n(total), "data": [pick(r, SESSION_ROW) for r in records],
    }


@handles("campaign.push")
def campaign_push(call: Call) -> dict:
    camp = call.campaign()
    # A session that never saved a wallet pass is still accepted: the API
    # does not refuse, the console is the one that warns.
    call.session(campaign=camp["ID"])
    return {}


@handles("campaign.push_all")
def campaign_push_all(call: Call) -> dict:
    camp = call.campaign()
    return {"amount_of_recipients": n(call.state.sessions.stats(camp["ID"])["recipients"])}
