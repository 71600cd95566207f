"""Why can't this customer redeem? One rule per function, in the `RULES` table.

Pure: a rule reads `Facts` and returns a `Finding` or None; nothing here does
I/O or imports the UI. The table's order is the order a support person would
rule things out, so the first finding is the verdict. Each finding carries its
evidence and either the fix the API offers (`Fix`: a write operation with its
parameters prefilled, always to be previewed before it is sent) or the words
to pass on when the fix is the merchant's (`tell`).

Texts hold API values (names, codes): untrusted, to be made safe by whoever
shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

from .facts import Facts, WriteFacts


@dataclass(frozen=True)
class Fix:
    """A write that fixes it: opened in the write preview, never sent directly."""

    operation: str
    params: dict
    title: str
    #: When to use it, shown beside the key.
    caution: str = ""


@dataclass(frozen=True)
class Finding:
    rule: str
    #: One line: what is wrong ("Already validated on 2026-11-01 14:02 UTC").
    verdict: str
    evidence: tuple[str, ...] = ()
    fix: Fix | None = None
    #: The merchant's fix, in words for the ticket: what to tell them.
    tell: str = ""


@dataclass(frozen=True)
class Rule:
    name: str
    #: What the rule checks, listed when nothing is found wrong.
    checks: str
    #: Whether it looks at a coupon session or at a loyalty card user.
    about: str
    test: Callable[[Facts], Finding | None]


@dataclass(frozen=True)
class Explanation:
    findings: tuple[Finding, ...]
    #: What was checked and found fine (the rules' `checks`).
    checked: tuple[str, ...] = ()
    facts: Facts | None = field(default=None, compare=False)

    @property
    def verdict(self) -> Finding:
        if self.findings:
            return self.findings[0]
        loyalty = self.facts is not None and self.facts.loyalty is not None
        return Finding("nothing_wrong", "Nothing wrong found",
                       tuple(f"{c}: fine" for c in self.checked),
                       tell="The card should work: ask what the app or the till says."
                       if loyalty else "The coupon should work. Ask the customer for the exact "
                                       "message they see and the code the merchant typed.")

    @property
    def ok(self) -> bool:
        return not self.findings


def when(moment: datetime | date | None) -> str:
    """"2026-11-03 14:02 UTC" (a day alone: "2026-11-03")."""
    if moment is None:
        return "an unknown date"
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc)
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.isoformat()


def _day(moment: datetime) -> date:
    return moment.astimezone(timezone.utc).date() if moment.tzinfo else moment.date()


def _journal(facts: Facts, **state: object) -> tuple[str, ...]:
    """Evidence lines for this machine's writes that set `state` on the object."""
    lines = []
    for w in facts.writes:
        if all(w.params.get(k) == v for k, v in state.items()):
            lines.append(_journal_line(w))
    return tuple(lines)


def _journal_line(w: WriteFacts) -> str:
    who = f" by {w.user}" if w.user else ""
    why = f" ({w.reason})" if w.reason else ""
    return f"This machine's journal: {w.operation} {w.outcome} {when(w.time)}{who}{why} [{w.entry}]"


def _session_fix(facts: Facts, title: str, caution: str = "", **change: object) -> Fix:
    code = facts.session.code  # type: ignore[union-attr]
    return Fix("session.update", {"couponsession": code, **change}, title, caution)


# --- the rules, in the order they are checked ------------------------------------------


def link_removed(facts: Facts) -> Finding | None:
    camp = facts.link_campaign
    if facts.session is not None or camp is None or not camp.single_use:
        return None
    return Finding(
        "link_removed", "Single-use link removed: this invitation no longer exists",
        (f"The link is for {camp.name or camp.id} ({camp.id}), a single-use campaign",
         f"No session answers to {facts.asked} in {facts.searched or 'any account'}"),
        Fix("singleuse.create", {"campaign": camp.id}, f"New single-use link for {camp.id}",
            "only if the merchant wants this customer invited again"),
        "The merchant removed this customer's single-use link; they can send a new one.")


def not_found(facts: Facts) -> Finding | None:
    if facts.session is not None or facts.loyalty is not None or (
            facts.link_campaign is not None and facts.link_campaign.single_use):
        return None
    where = facts.searched or "the account"
    camp = facts.link_campaign
    evidence = [f"Searched {where} for {facts.asked}"]
    if camp is not None:
        evidence.append(f"The link's campaign is {camp.name or camp.id} ({camp.id})")
    what = "loyalty card user" if facts.asked.startswith("lus_") else "session"
    return Finding("not_found", f"No such {what}", tuple(evidence),
                   tell="Ask the customer for the full link or code from their coupon, "
                        "and which shop it is for.")


def other_subaccount(facts: Facts) -> Finding | None:
    if facts.named is None or facts.owner is None or facts.named.id == facts.owner.id:
        return None
    return Finding(
        "other_subaccount", f"Belongs to {facts.owner.label}, not {facts.named.label}",
        (f"The customer named {facts.named.label}",
         f"The coupon lives in {facts.owner.label}"),
        tell=f"The coupon is for {facts.owner.label}: only that merchant can redeem it.")


def voided(facts: Facts) -> Finding | None:
    s = facts.session
    if s is None or not s.voided:
        return None
    return Finding("voided", f"Voided on {when(s.voided_date)}",
                   (f"voided = 1 since {when(s.voided_date)}", *_journal(facts, voided=True)),
                   _session_fix(facts, f"Un-void {s.short}", "only if it was voided by mistake",
                                voided=False))


def validated(facts: Facts) -> Finding | None:
    s = facts.session
    if s is None or not s.validated:
        return None
    how = [f"validated = 1 on {when(s.validation_date)}"]
    if s.validation_value:
        how.append(f"validation value {s.validation_value}")
    if s.claimtype:
        how.append(f"claimed by {s.claimtype} on {when(s.claim_date)}")
    mine = _journal(facts, validated=True)
    if not mine:
        how.append("not from this machine (till, widget, app or another API client)")
    return Finding("validated", f"Already validated on {when(s.validation_date)}",
                   (*how, *mine),
                   _session_fix(facts, f"Un-validate {s.short}",
                                "only if the customer did not get the offer", validated=False),
                   "It was redeemed already; one session can be redeemed once.")


def locked(facts: Facts) -> Finding | None:
    s = facts.session
    if s is None or not s.locked:
        return None
    return Finding("locked", "Locked: its state cannot change",
                   ("locked = 1", *_journal(facts, locked=True)),
                   _session_fix(facts, f"Unlock {s.short}", locked=False))


def campaign_inactive(facts: Facts) -> Finding | None:
    c = facts.campaign
    if facts.session is None or c is None or c.status.strip().lower() == "active":
        return None
    status = c.status or "no status"
    return Finding("campaign_inactive", f"Campaign {c.id} is {status}",
                   (f"{c.name or c.id}: status {status}",),
                   tell=f"The merchant has to activate campaign {c.name or c.id} in the "
                        "dashboard; until then no coupon of it can be redeemed.")


def campaign_not_started(facts: Facts) -> Finding | None:
    c = facts.campaign
    if facts.session is None or c is None or c.start is None or _day(facts.now) >= c.start:
        return None
    return Finding("campaign_not_started", f"Campaign starts on {when(c.start)}",
                   (f"{c.name or c.id}: runs {when(c.start)} to {when(c.end)}",
                    f"today is {when(_day(facts.now))} (UTC)"),
                   tell=f"The campaign starts on {when(c.start)}: the customer can redeem from "
                        "then, or the merchant moves the start date.")


def campaign_ended(facts: Facts) -> Finding | None:
    c = facts.campaign
    if facts.session is None or c is None or c.end is None or _day(facts.now) <= c.end:
        return None
    return Finding("campaign_ended", f"Campaign ended on {when(c.end)}",
                   (f"{c.name or c.id}: ran {when(c.start)} to {when(c.end)}",
                    f"today is {when(_day(facts.now))} (UTC)"),
                   tell=f"The campaign ended on {when(c.end)}. Only the merchant can extend it "
                        "or honour the coupon by hand.")


def outside_run(facts: Facts) -> Finding | None:
    s, c = facts.session, facts.campaign
    if s is None or c is None or s.created is None:
        return None
    day = _day(s.created)
    if not ((c.start and day < c.start) or (c.end and day > c.end)):
        return None
    return Finding("outside_run", "Session created outside the campaign's run",
                   (f"created {when(s.created)}",
                    f"{c.name or c.id}: runs {when(c.start)} to {when(c.end)}"),
                   tell="This coupon was made outside the campaign's dates (a test or preview "
                        "session?); the merchant decides whether to honour it.")


def never_claimed(facts: Facts) -> Finding | None:
    s = facts.session
    if s is None or s.claimed:
        return None
    seen = "opened but" if s.opened else "created but never opened, and"
    return Finding("never_claimed", "Never claimed",
                   (f"{seen} not claimed (claimed = 0)",),
                   _session_fix(facts, f"Claim {s.short}",
                                "when the customer filled in the form and it did not register",
                                claimed=True),
                   "The customer has not claimed the coupon: they open the link and "
                   "complete the form first.")


def loyalty_voided(facts: Facts) -> Finding | None:
    u = facts.loyalty
    if u is None or not u.voided:
        return None
    return Finding("loyalty_voided", f"Loyalty card user {u.user} is voided",
                   (f"{u.card_name or u.card}: voided = 1", *_journal(facts, voided=True)),
                   Fix("loyalty.user_update", {"loyaltycard": u.card, "user": u.user,
                                               "voided": False},
                       f"Un-void {u.user}", "only if it was voided by mistake"))


def loyalty_out(facts: Facts) -> Finding | None:
    u = facts.loyalty
    if u is None:
        return None
    if u.type == "points":
        if u.points > 0:
            return None
        return Finding("loyalty_out", "No points left", (f"{u.card_name or u.card}: 0 points",),
                       tell="The customer has no points to spend; they collect more first.")
    need = u.stamps_required or 0
    if need and u.stamps >= need:
        return None
    if not need and u.stamps > 0:
        return None
    have = f"{u.stamps} of {need}" if need else str(u.stamps)
    return Finding("loyalty_out", f"Not enough stamps for a reward ({have})",
                   (f"{u.card_name or u.card}: {have} stamps",),
                   Fix("loyalty.user_update", {"loyaltycard": u.card, "user": u.user, "stamps": 1},
                       f"Add a stamp to {u.user}", "only with proof of a missed stamp"),
                   f"The card has {have} stamps; the reward needs {need or 'more'}.")


RULES: tuple[Rule, ...] = (
    Rule("link_removed", "single-use link still exists", "session", link_removed),
    Rule("not_found", "session exists", "session", not_found),
    Rule("other_subaccount", "belongs to the subaccount named", "any", other_subaccount),
    Rule("voided", "not voided", "session", voided),
    Rule("validated", "not validated yet", "session", validated),
    Rule("locked", "not locked", "session", locked),
    Rule("campaign_inactive", "campaign active", "session", campaign_inactive),
    Rule("campaign_not_started", "campaign started", "session", campaign_not_started),
    Rule("campaign_ended", "campaign not ended", "session", campaign_ended),
    Rule("outside_run", "created within the campaign's run", "session", outside_run),
    Rule("never_claimed", "claimed", "session", never_claimed),
    Rule("loyalty_voided", "loyalty user not voided", "loyalty", loyalty_voided),
    Rule("loyalty_out", "enough stamps or points", "loyalty", loyalty_out),
)


def explain(facts: Facts, rules: tuple[Rule, ...] = RULES) -> Explanation:
    """Every rule's finding, in table order; the first is the verdict."""
    about = "loyalty" if facts.loyalty is not None else "session"
    findings, checked = [], []
    for rule in rules:
        if rule.about not in (about, "any"):
            continue
        found = rule.test(facts)
        if found is not None:
            findings.append(found)
        elif rule.name not in ("link_removed", "not_found", "other_subaccount") or (
                rule.name == "other_subaccount" and facts.named is not None):
            checked.append(rule.checks)
    return Explanation(tuple(findings), tuple(checked), facts)
