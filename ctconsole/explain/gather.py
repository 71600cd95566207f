"""Build the `Facts` of a ticket from the API and this machine's journal.

`investigate(client, text)` finds the session a code, link, e-mail or phone
number points at - in the main account first, then (with `everywhere`) in
every subaccount with its own credentials - reads the session and its
campaign with the owning account's client, and runs the rules. A link whose
session no longer answers is matched to its campaign by code, so a removed
single-use link is told apart from a mistyped one.
"""

from __future__ import annotations

import asyncio

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from ctconsole import clock
from ctconsole.api.errors import ApiError, CtError
from ctconsole.api.fanout import DEFAULT_CONCURRENCY, Event, FanOut, Target, accounts
from ctconsole.api.finder import FindResult, Match, classify, find_sessions

from .facts import Account, CampaignFacts, Facts, LoyaltyFacts, SessionFacts, WriteFacts
from .rules import Explanation, explain


#: A loyalty card user's ID, as the loyalty pane and the API show it.
_LOYALTY_USER = re.compile(r"lus_[0-9A-Za-z]{1,40}")


@dataclass
class Case:
    """One investigated ticket: the facts, the verdict, and the account whose
    client any fix must use."""

    asked: str
    explanation: Explanation
    target: Target | None = None
    match: Match | None = None
    #: Other sessions the same text matched (an e-mail shared by several).
    others: tuple[Match, ...] = ()
    failures: tuple[tuple[str, str], ...] = ()
    raw_session: dict | None = field(default=None, repr=False)

    @property
    def facts(self) -> Facts:
        return self.explanation.facts  # type: ignore[return-value]


def session_facts(info: Any) -> SessionFacts:
    """From a `SessionInfo` model."""
    status, user = info.data.status, info.data.user
    name = " ".join(p for p in ((user.firstname if user else ""), (user.lastname if user else ""))
                    if p)
    return SessionFacts(
        code=info.session, campaign=info.campaign, created=status.created_date_utc,
        opened=bool(status.opened), claimed=bool(status.claimed), claim_date=status.claim_date_utc,
        claimtype=status.claimtype, validated=bool(status.validated),
        validation_date=status.validation_date_utc, validation_value=status.validation_value,
        voided=bool(status.voided), voided_date=status.voided_date_utc, locked=bool(status.locked),
        single_use_url=info.single_use_url, session_url=info.session_url,
        customvalcode=info.customvalcode, name=name,
        email=user.email if user else "", phone=user.phone if user else "")


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def campaign_facts(detail: Any) -> CampaignFacts:
    """From a `CampaignDetail` model."""
    return CampaignFacts(id=detail.id, code=detail.code, name=detail.name or detail.title,
                         status=detail.status, start=_day(detail.start_date),
                         end=_day(detail.end_date), single_use=bool(detail.single_use))


def loyalty_facts(card: Any, holder: Any) -> LoyaltyFacts:
    """From a `LoyaltyCard` and one of its `LoyaltyUser`s."""
    name = " ".join(p for p in (holder.firstname, holder.lastname) if p)
    return LoyaltyFacts(card=card.id, user=holder.id, card_name=card.name,
                        type=card.type or "stamp", stamps_required=card.stamps_required,
                        stamps=holder.stamps or 0, points=holder.points or 0,
                        voided=bool(holder.voided), name=name, email=holder.email,
                        phone=holder.phone)


def journal_facts(journal: Any, code: str) -> tuple[WriteFacts, ...]:
    if journal is None or not code:
        return ()
    writes = []
    for entry in journal.entries(object=code):
        try:
            moment = entry.when
        except ValueError:
            continue
        writes.append(WriteFacts(entry.id, moment, entry.operation, dict(entry.params or {}),
                                 entry.outcome, entry.user, entry.reason))
    return tuple(writes)


async def investigate(client: Any, text: str, *, everywhere: bool = True,
                      named: str | None = None, journal: Any = None,
                      now: datetime | None = None, concurrency: int = DEFAULT_CONCURRENCY,
                      on_event: Callable[[Event], None] | None = None) -> Case:
    """The case for `text` (a session code, link, e-mail, phone or custom code).

    Raises:
        ValueError: empty input.
        CtError: the main account's own lookups failed (network, credentials).
    """
    now = now or clock.now()
    if _LOYALTY_USER.fullmatch(text.strip()):
        return await _loyalty_case(client, text.strip(), everywhere=everywhere, named=named,
                                   journal=journal, now=now, concurrency=concurrency)
    query = classify(text)
    main = Target("main", "main account", client, 0)
    targets: list[Target] | None = None
    failures: list[tuple[str, str]] = []
    found: list[tuple[Target, FindResult]] = []
    # The subaccount list is read, and the subaccounts searched, while the
    # main account is: a match there is the answer and the fan-out is then
    # cancelled, its events never reported.
    listing = asyncio.ensure_future(accounts(client, concurrency=concurrency)) \
        if everywhere else None
    fan: FanOut | None = None
    read = False

    async def early_fan() -> None:
        nonlocal fan
        listed = await asyncio.shield(listing)  # type: ignore[arg-type]
        fan = FanOut(listed[1:], lambda t: _find(t, text), concurrency=concurrency)
        fan.start()

    starter = asyncio.ensure_future(early_fan()) if listing is not None else None
    try:
        result = await find_sessions(client, text)
        if result.found:
            found.append((main, result))
        elif listing is not None:
            targets = await listing
            await asyncio.gather(starter, return_exceptions=True)
            if fan is None:
                fan = FanOut(targets[1:], lambda t: _find(t, text), concurrency=concurrency)
            async for event in fan.events():
                if on_event is not None:
                    on_event(event)
            read = True
            found = [(f.target, f.value) for f in fan.found]
            failures = [(f.target.label, f.error.title) for f in fan.failed]
    finally:
        for task in (starter, listing):
            if task is not None:
                task.cancel()  # a no-op once done; their errors are then retrieved here
                await asyncio.gather(task, return_exceptions=True)
        if fan is not None and not read:
            fan.cancel()  # the main account had a match, or this failed
    searched = _searched(targets, everywhere)
    named_account = _named(named, targets)
    asked = query.display
    if not found:
        link = await _link_campaign(client, query.link_campaign, targets, concurrency) \
            if query.link_campaign else None
        facts = Facts(now, asked=asked, link_campaign=link[1] if link else None,
                      owner=_account(link[0]) if link else None, named=named_account,
                      searched=searched)
        return Case(asked, explain(facts), link[0] if link else None,
                    failures=tuple(failures))
    target, first = found[0]
    match = first.matches[0]
    others = tuple(m for _, r in found for m in r.matches if m is not match)
    info = await target.client.call("session.info", couponsession=match.session)
    campaign = None
    try:
        camp = await target.client.call("campaign.info", campaign=info.data.campaign)
        campaign = campaign_facts(camp.data.campaign)
    except ApiError:
        pass
    session = session_facts(info.data)
    facts = Facts(now, asked=asked, session=session, campaign=campaign, owner=_account(target),
                  named=named_account, writes=journal_facts(journal, session.code),
                  searched=searched)
    return Case(asked, explain(facts), target, match, others, tuple(failures), info.raw)


async def _find(target: Target, text: str) -> FindResult | None:
    result = await find_sessions(target.client, text)
    return result if result.found else None


def _account(target: Target) -> Account:
    return Account(target.id, target.name if target.id != "main" else "")


def _searched(targets: list[Target] | None, everywhere: bool) -> str:
    if targets is None:
        return "the main account" if not everywhere else "the main account"
    subs = len(targets) - 1
    return f"the main account and {subs} subaccount{'s' if subs != 1 else ''}"


def _named(named: str | None, targets: list[Target] | None) -> Account | None:
    if not named:
        return None
    for t in targets or ():
        if t.id == named:
            return _account(t)
    return Account(named)


async def _link_campaign(client: Any, code: str, targets: list[Target] | None,
                         concurrency: int) -> tuple[Target, CampaignFacts] | None:
    """The account and campaign whose public code is `code`, if any answers."""
    if targets is None:
        targets = [Target("main", "main account", client, 0)]

    async def lookup(target: Target) -> CampaignFacts | None:
        listing = await target.client.call("campaign.list")
        for camp in listing.data.campaigns:
            if camp.code == code:
                info = await target.client.call("campaign.info", campaign=camp.id)
                return campaign_facts(info.data.campaign)
        return None

    fan = FanOut(targets, lookup, concurrency=concurrency)
    try:
        await fan.run()
    except CtError:
        return None
    return (fan.found[0].target, fan.found[0].value) if fan.found else None


async def _loyalty_case(client: Any, user: str, *, everywhere: bool, named: str | None,
                        journal: Any, now: datetime, concurrency: int) -> Case:
    """The case of a loyalty card user: found on any card of any account."""
    targets = await accounts(client, concurrency=concurrency) if everywhere else [
        Target("main", "main account", client, 0)]

    async def lookup(target: Target) -> tuple[Any, Any] | None:
        cards = await target.client.call("loyalty.list")
        for card in cards.data.cards:
            holders = await target.client.call("loyalty.users", loyaltycard=card.id)
            for holder in holders.data.users:
                if holder.id == user:
                    return card, holder
        return None

    fan = FanOut(targets, lookup, concurrency=concurrency)
    await fan.run()
    failures = tuple((f.target.label, f.error.title) for f in fan.failed)
    searched = _searched(targets if everywhere else None, everywhere)
    named_account = _named(named, targets)
    if not fan.found:
        facts = Facts(now, asked=user, named=named_account, searched=searched)
        return Case(user, explain(facts), failures=failures)
    found = fan.found[0]
    card, holder = found.value
    loyalty = loyalty_facts(card, holder)
    facts = Facts(now, asked=user, owner=_account(found.target), named=named_account,
                  loyalty=loyalty, writes=journal_facts(journal, holder.id), searched=searched)
    return Case(user, explain(facts), found.target, failures=failures)
