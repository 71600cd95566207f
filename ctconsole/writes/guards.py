"""Guard rails that know the domain: warn about or refuse a planned write.

The API accepts many writes a support person almost never means: validating a
voided coupon, validating twice, taking a stamp card below zero, pushing to
someone who never saved the pass. The API cannot take them back, so the
console says so first, with the reason in plain words.

Rules are data: one `rule(...)` line each, over `Facts` (the validated
params `p`, the state before `b`, the fields the write would change
`changed`, the people it reaches `reach`, the subaccount whose credentials are
used, and `today` (UTC) for dates, given rather than read so the rules stay
pure). Rules that need the state before are skipped when it is unknown, and
the plan says so. Pure functions only: no I/O, so they are cheap to run on
every keystroke of a form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Literal, Mapping

from ctconsole.safetext import one_line

from .reasons import GuardWarning, Reason, Refusal

#: A campaign's name in a warning is cut to this: its status and dates, after
#: it, must survive one-line limits (the CLI's stderr).
NAME_IN_MESSAGE = 40

Severity = Literal["refuse", "warn"]

#: Update-many and create-many of more than this many need the count typed.
MASS_THRESHOLD = 1

SESSION_WRITES = ("session.update", "session.update_many")
LOYALTY_UPDATE = ("loyalty.user_update",)
PAYMENT = ("directory.user_payment",)
PUSH_ALL = ("campaign.push_all", "loyalty.push_all")
REMOVE = ("singleuse.remove",)
SUBACCOUNT_WRITES = ("subaccount.create", "subaccount.update", "subaccount.reset_url",
                     "subaccount.sso")


@dataclass(frozen=True)
class Facts:
    """What a rule may look at: the write's parameters and the object's state before it."""

    params: Mapping[str, Any]
    before: Mapping[str, Any]
    changed: frozenset[str] = frozenset()
    reach: int | None = None
    subaccount: str | None = None
    today: date | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    operations: tuple[str, ...]
    severity: Severity
    when: Callable[[Facts], bool]
    message: Callable[[Facts], str]
    #: Needs the state before (skipped when it is unknown).
    needs_before: bool = True


def rule(name: str, operations: tuple[str, ...], severity: Severity,
         when: Callable[[Facts], bool], message: Callable[[Facts], str] | str,
         *, needs_before: bool = True) -> Rule:
    text = message if callable(message) else (lambda f, m=message: m)
    return Rule(name, operations, severity, when, text, needs_before)


def _n(f: Facts, name: str) -> int:
    return int(f.before.get(name) or 0)


def _below_zero(name: str) -> Callable[[Facts], bool]:
    return lambda f: name in f.params and _n(f, name) + int(f.params[name]) < 0


def _count(n: int, plural: str) -> str:
    return f"{n} {plural if n != 1 else plural[:-1]}"


def _below_zero_text(name: str) -> Callable[[Facts], str]:
    return lambda f: (f"has {_count(_n(f, name), name)}; removing {-int(f.params[name])} would "
                      f"leave {_n(f, name) + int(f.params[name])} ({name} cannot go below zero)")


def _held(f: Facts) -> str:
    """How far a session went: what makes it someone's coupon."""
    found = []
    if f.before.get("validated") is True:
        date = f.before.get("validation_date_utc")
        found.append(f"validated (on {date} UTC)" if date else "validated")
    elif f.before.get("claimed") is True:
        found.append(f"claimed via {f.before['claimtype']}" if f.before.get("claimtype") else "claimed")
    if f.before.get("saved_to_passbook") is True:
        found.append("saved to a wallet")
    return " and ".join(found)


def _as_day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _campaign_off(f: Facts) -> str:
    """Why the session's campaign does not run today ("" when it does, or
    when its campaign was not read)."""
    if "campaign_status" not in f.before:
        return ""
    status = str(f.before.get("campaign_status") or "").strip()
    start, end = _as_day(f.before.get("campaign_start")), _as_day(f.before.get("campaign_end"))
    why = [] if status.lower() == "active" else [f"is {status or 'without a status'}"]
    if f.today is not None and start is not None and f.today < start:
        why.append(f"has not started (starts on {start})")
    if f.today is not None and end is not None and f.today > end:
        why.append(f"ended on {end}")
    return " and ".join(why)


def _campaign_off_text(f: Facts) -> str:
    name = one_line(f.before.get("campaign_name") or "", NAME_IN_MESSAGE)
    start = f.before.get("campaign_start") or "—"
    end = f.before.get("campaign_end") or "no end"
    return (f"belongs to campaign {f.before.get('campaign') or '?'}"
            + (f" ({name})" if name else "")
            + f", which {_campaign_off(f)} (status {f.before.get('campaign_status') or '—'}, "
            f"runs {start} to {end}); check that the merchant still honours its coupons")


def _until(f: Facts) -> str:
    expiry = f.before.get("payment_expiry_date")
    return f" until {expiry}" if expiry else ""


RULES: tuple[Rule, ...] = (
    # --- coupon sessions ------------------------------------------------------------------
    rule("validate_voided", SESSION_WRITES, "refuse",
         lambda f: f.params.get("validated") is True and f.before.get("voided") is True
         and f.params.get("voided") is not False,
         "is voided; validating a voided coupon is refused (un-void it first if that is meant)"),
    rule("validate_again", SESSION_WRITES, "refuse",
         lambda f: f.params.get("validated") is True and f.before.get("validated") is True,
         lambda f: "is already validated"
         + (f" (on {f.before['validation_date_utc']} UTC)" if f.before.get("validation_date_utc") else "")
         + "; validating again changes nothing"),
    rule("validate_unclaimed", SESSION_WRITES, "warn",
         lambda f: f.params.get("validated") is True and f.before.get("claimed") is False,
         "was never claimed; validating will also claim it"),
    rule("campaign_not_running", SESSION_WRITES, "warn",
         lambda f: (f.params.get("validated") is True or f.params.get("claimed") is True)
         and bool(_campaign_off(f)), _campaign_off_text),
    rule("locked", SESSION_WRITES, "warn",
         lambda f: f.before.get("locked") is True and f.params.get("locked") is not False and bool(f.changed),
         "is locked; the API may refuse to change a locked session"),
    # --- voiding, for sessions and loyalty users -------------------------------------------
    rule("unvoid_not_voided", (*SESSION_WRITES, *LOYALTY_UPDATE), "refuse",
         lambda f: f.params.get("voided") is False and f.before.get("voided") is False and not f.changed,
         "is not voided; un-voiding changes nothing"),
    rule("void_again", (*SESSION_WRITES, *LOYALTY_UPDATE), "refuse",
         lambda f: f.params.get("voided") is True and f.before.get("voided") is True and not f.changed,
         "is already voided; voiding again changes nothing"),
    # --- loyalty balances and users ---------------------------------------------------------
    rule("stamps_below_zero", LOYALTY_UPDATE, "refuse", _below_zero("stamps"),
         _below_zero_text("stamps")),
    rule("points_below_zero", LOYALTY_UPDATE, "refuse", _below_zero("points"),
         _below_zero_text("points")),
    rule("voided_user", (*LOYALTY_UPDATE, "loyalty.push"), "warn",
         lambda f: f.before.get("voided") is True and f.params.get("voided") is not False,
         "is voided; the change applies to a user whose card is void"),
    # --- pushes ---------------------------------------------------------------------------
    rule("push_no_wallet", ("campaign.push",), "warn",
         lambda f: f.before.get("saved_to_passbook") is False,
         "never saved the coupon to a wallet; the push will not reach anyone"),
    rule("push_voided_session", ("campaign.push",), "warn",
         lambda f: f.before.get("voided") is True, "is voided; the push still goes to its wallet pass"),
    rule("push_no_wallet", ("loyalty.push",), "warn",
         lambda f: f.before.get("saved_to_wallet") is False,
         "never saved the card to a wallet; the push will not reach anyone"),
    rule("push_all_nobody", PUSH_ALL, "warn", lambda f: f.reach == 0,
         "has no holder who saved it to a wallet; the push will not reach anyone",
         needs_before=False),
    rule("push_all_everyone", PUSH_ALL, "warn", lambda f: bool(f.reach),
         lambda f: f"reaches up to {f.reach} people at once; a push cannot be taken back",
         needs_before=False),
    # --- directory payments ----------------------------------------------------------------
    rule("payment_unchanged", PAYMENT, "refuse", lambda f: not f.changed,
         lambda f: f"is already {f.before.get('payment_status') or 'without a status'}{_until(f)}; "
         "nothing would change"),
    rule("payment_clears_expiry", PAYMENT, "warn",
         lambda f: "payment_expiry_date" in f.changed and f.before.get("payment_expiry_date")
         and not f.params.get("expiry_date"),
         lambda f: f"has paid access until {f.before['payment_expiry_date']}; with no expiry_date "
         "given, that date will be cleared"),
    rule("payment_blocked_user", PAYMENT, "warn", lambda f: f.before.get("blocked") is True,
         "is blocked in this directory; paying does not unblock them"),
    # --- single-use removal and session-scoped pushes --------------------------------------
    rule("remove_missing", REMOVE, "refuse", lambda f: f.before.get("exists") is False,
         "does not exist (already removed?); nothing to remove"),
    rule("remove_held", REMOVE, "warn", lambda f: bool(_held(f)),
         lambda f: f"was already {_held(f)}: a customer may hold this coupon, and removing it "
         "stops its URL and code working"),
    rule("remove_for_good", REMOVE, "warn", lambda f: f.before.get("exists") is not False,
         "and its single-use URL will be removed for good: it cannot be undone or restored "
         "(a new one gets a new URL and code)", needs_before=False),
    rule("other_campaign", ("singleuse.remove", "campaign.push"), "refuse",
         lambda f: bool(f.before.get("campaign")) and f.before.get("campaign") != f.params.get("campaign"),
         lambda f: f"belongs to campaign {f.before.get('campaign')}, not {f.params.get('campaign')}"),
    # --- credentials -----------------------------------------------------------------------
    rule("subaccount_credentials", SUBACCOUNT_WRITES, "refuse", lambda f: f.subaccount is not None,
         lambda f: f"is managed with the main account's credentials, not subaccount "
         f"{f.subaccount}'s (the API answers 102)", needs_before=False),
)

#: Applies to every write that changes state, after the specific rules: a
#: write that would change nothing is refused, whatever it is.
NO_CHANGE = rule("no_change", (), "refuse", lambda f: not f.changed,
                 "already has these values; nothing would change")


def check(operation: str, params: Mapping[str, Any], before: Mapping[str, Any] | None, *,
          subject: str, changed: frozenset[str] = frozenset(), reach: int | None = None,
          subaccount: str | None = None, changes_state: bool = False,
          today: date | None = None, rules: tuple[Rule, ...] = RULES) -> list[Reason]:
    """Warnings and refusals for one object; each message starts with `subject`
    ("Session AbC123"). `changes_state`: apply the no-change rule. `today`
    (UTC): rules about dates are skipped without it."""
    facts = Facts(params, before or {}, changed, reach, subaccount, today)
    found: list[Reason] = []
    for r in rules:
        if operation not in r.operations or (r.needs_before and before is None):
            continue
        if r.when(facts):
            kind = Refusal if r.severity == "refuse" else GuardWarning
            found.append(kind(r.name, f"{subject} {r.message(facts)}"))
    if changes_state and before is not None and not any(x.blocks for x in found) \
            and NO_CHANGE.when(facts):
        found.append(Refusal(NO_CHANGE.name, f"{subject} {NO_CHANGE.message(facts)}"))
    return found


def confirmation_for(operation: str, params: Mapping[str, Any], *, reach: int | None,
                     code: str | None) -> str | None:
    """What must be typed to confirm a mass write, or None for a plain yes:
    the card's or campaign's code for a push to all; the count for updating or
    creating more than `MASS_THRESHOLD` at once."""
    if operation in PUSH_ALL:
        return code or str(params.get("campaign") or params.get("loyaltycard"))
    if operation in ("session.update_many", "singleuse.create_many"):
        if reach is not None and reach > MASS_THRESHOLD:
            return str(reach)
    return None
