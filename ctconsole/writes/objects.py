"""The current state of the object a write touches, as a small flat dict.

Why flat dicts of plain values (bools, ints, text) rather than the models: the
same dict is shown in the preview beside the predicted state, compared field
by field for the diff, checked by the guard rails and stored in the journal as
JSON. The values come from the parsed models, so the API's quirks ("0"/"1",
numbers as strings, "" for no date) are already normalised.

Every read here asks the API, not the cache, when the client can be told so:
a guard that trusts a minute-old "not validated" is no guard.
"""

from __future__ import annotations

import asyncio
import inspect
from datetime import date, datetime, timezone
from typing import Any

from ctconsole.api.errors import ApiError, CtError

#: Session fields a write can change, then context the guards read.
SESSION_FIELDS = ("claimed", "validated", "voided", "locked", "validation_value", "customid")
SESSION_CONTEXT = ("saved_to_passbook", "claimtype", "validation_date_utc", "voided_date_utc",
                   "campaign")
#: The session's campaign, for the guards: a coupon of a campaign that is not
#: running cannot be redeemed by the customer, whatever the console records.
CAMPAIGN_CONTEXT = ("campaign_name", "campaign_status", "campaign_start", "campaign_end")
LOYALTY_FIELDS = ("stamps", "points", "voided")
LOYALTY_CONTEXT = ("saved_to_wallet",)
DIRECTORY_FIELDS = ("payment_status", "payment_expiry_date")
DIRECTORY_CONTEXT = ("blocked",)
#: What `subaccount.info` shows of the fields `subaccount.update` can set
#: (`status` and `country` are write-only as far as the docs tell).
SUBACCOUNT_FIELDS = ("package", "first_name", "last_name", "company_name", "expiry_date")

#: Session code of "not found" on session reads (the API's 505).
SESSION_NOT_FOUND = 505


def _bypass(method: Any) -> dict[str, object]:
    """Keyword that makes `method` (`client.call`, `client.pages`) skip a
    cached answer, if it takes one.

    Only a keyword the signature names explicitly is passed: both take the
    API parameters as `**params`, so an unknown keyword would be sent as one.
    """
    try:
        names = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return {}
    # max_age=0 asks the API and stores the fresh answer for the screens that
    # read next; use_cache=False (an older spelling) only skips the cache.
    for name, value in (("max_age", 0), ("use_cache", False)):
        param = names.get(name)
        if param is not None and param.kind is inspect.Parameter.KEYWORD_ONLY:
            return {name: value}
    return {}


async def fresh(client: Any, operation: str, **params: object) -> Any:
    """`client.call(operation, **params)`, bypassing the cache when possible."""
    return await client.call(operation, **params, **_bypass(client.call))


def plain(value: object) -> object:
    """A model value as a JSON-ready plain value (dates as text, None as "")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "get_secret_value"):
        return "…"
    return value


def _day(value: object) -> str:
    """A campaign's start or end as a day ("YYYY-MM-DD"), "" when none."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).date().isoformat()
    return value.isoformat() if isinstance(value, date) else ""


def _flag(value: object) -> bool:
    return bool(value)


def _count(value: object) -> int:
    return int(value) if isinstance(value, int) else 0


async def read_session(client: Any, code: str) -> dict[str, object]:
    """A session's state (`session.info`)."""
    return session_state((await fresh(client, "session.info", couponsession=code)).data)


def session_state(info: Any) -> dict[str, object]:
    """The state of a parsed `session.info` answer (a `SessionInfo`) already in hand."""
    status = info.data.status
    state: dict[str, object] = {
        "session": info.session,
        "claimed": _flag(status.claimed), "validated": _flag(status.validated),
        "voided": _flag(status.voided), "locked": _flag(status.locked),
        "validation_value": status.validation_value, "customid": info.customid,
        "saved_to_passbook": _flag(status.saved_to_passbook), "claimtype": status.claimtype,
        "validation_date_utc": plain(status.validation_date_utc),
        "voided_date_utc": plain(status.voided_date_utc), "campaign": info.campaign,
    }
    return state


def campaign_state(detail: Any) -> dict[str, object]:
    """Name, status and run of a parsed `CampaignDetail` (or `Campaign`)."""
    return {"campaign_name": detail.name or detail.title, "campaign_status": detail.status,
            "campaign_start": _day(detail.start_date), "campaign_end": _day(detail.end_date)}


async def read_campaign_run(client: Any, campaign: str) -> dict[str, object]:
    """`campaign_state` of `campaign` (`campaign.info`), or {} when it cannot
    be read: the session's own state still guards the write, and the preview
    then simply shows no campaign fields."""
    if not campaign:
        return {}
    try:
        return campaign_state((await fresh(client, "campaign.info", campaign=campaign)).data.campaign)
    except CtError:
        return {}


async def read_sessions_in_campaigns(client: Any, codes: list[str]) -> dict[str, dict[str, object]]:
    """`read_session` for many sessions, each with its campaign's
    `CAMPAIGN_CONTEXT` (each campaign read once)."""
    states = await asyncio.gather(*(read_session(client, c) for c in codes))
    campaigns = sorted({str(s.get("campaign") or "") for s in states} - {""})
    runs = dict(zip(campaigns, await asyncio.gather(*(read_campaign_run(client, c)
                                                       for c in campaigns))))
    return {code: {**state, **runs.get(str(state.get("campaign") or ""), {})}
            for code, state in zip(codes, states)}


async def read_session_or_gone(client: Any, code: str) -> dict[str, object]:
    """`read_session`, or `{"exists": False}` once the API no longer knows it."""
    try:
        return {"exists": True, **await read_session(client, code)}
    except ApiError as err:
        if err.code == SESSION_NOT_FOUND:
            return {"exists": False}
        raise


async def read_loyalty_user(client: Any, card: str, user: str) -> dict[str, object]:
    """One loyalty user's balances (`loyalty.users` has no single-user read)."""
    page = (await fresh(client, "loyalty.users", loyaltycard=card)).data
    for item in page.users:
        if item.id == user:
            return loyalty_user_state(item)
    raise CtError("User not found", f"Loyalty card {card} has no user {user}.")


def loyalty_user_state(item: Any) -> dict[str, object]:
    """The balances of a `LoyaltyUser` row the caller already has."""
    return {"stamps": _count(item.stamps), "points": _count(item.points),
            "voided": _flag(item.voided), "saved_to_wallet": _flag(item.saved_to_wallet)}


def directory_user_state(item: Any) -> dict[str, object]:
    """The payment fields of a `DirectoryUser` row the caller already has."""
    return {"payment_status": item.payment_status,
            "payment_expiry_date": plain(item.payment_expiry_date),
            "blocked": _flag(item.blocked)}


async def read_directory_user(client: Any, directory: str, user: str) -> dict[str, object]:
    """A registered user's payment state, paging `directory.users` until found."""
    async for page in client.pages("directory.users", directory=directory,
                                   **_bypass(client.pages)):
        for item in page.data.users:
            if item.id == user:
                return directory_user_state(item)
    raise CtError("User not found", f"Directory {directory} has no user {user}.")


async def read_subaccount(client: Any, subaccount: str) -> dict[str, object]:
    """The editable fields of a subaccount (`subaccount.info`), never its keys."""
    detail = (await fresh(client, "subaccount.info", subaccount=subaccount)).data.subaccount
    return {name: plain(getattr(detail, name)) for name in ("email", *SUBACCOUNT_FIELDS)}
