"""The seeded, mutable state of one sandbox: build it, look things up in it.

`build_state(seed, big_sessions, now)` turns the cast in `fixtures.py` into
records that are already in wire form (strings for numbers, "0"/"1" flags,
"" for missing dates), so handlers mostly select keys. The same seed gives
the same records; the writes' randomness (new codes, tokens) comes from a
second seeded generator, so a replayed test sees the same codes too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from . import fixtures as fx
from .cases import add_cases, add_crowd
from .people import (ALNUM, DIGITS, FIXED_NOW_TS, fmt_ts, days_ago, mix, person_from,
                     random_code)
from .sessions import LazyCampaign, session_url
from .store import SessionStore, blank


@dataclass
class State:
    """Everything the handlers read and write. Owners are "main" or a sub ID."""

    seed: int
    now: Callable[[], datetime]
    rng: random.Random
    subaccounts: dict[str, dict] = field(default_factory=dict)
    campaigns: dict[str, dict] = field(default_factory=dict)
    loyalty: dict[str, dict] = field(default_factory=dict)
    directories: dict[str, dict] = field(default_factory=dict)
    categories: list[dict] = field(default_factory=list)
    level3: list[dict] = field(default_factory=list)
    webhooks: dict[str, dict] = field(default_factory=dict)
    sessions: SessionStore = None  # type: ignore[assignment]
    next_seq: int = 19_000_000
    next_sub: int = 2006
    #: Named support cases (`cases.py`): name -> session code, e-mail, link, ….
    cases: dict[str, dict] = field(default_factory=dict)

    # -- lookups used by the app and by tests ----------------------------------
    def owner_of(self, client_id: str | None, client_secret: str | None) -> str | None:
        """"main", a subaccount ID, or None for credentials that match nothing."""
        if not client_id or not client_secret:
            return None
        if client_id == fx.DEMO_CLIENT_ID and client_secret == fx.DEMO_CLIENT_SECRET:
            return "main"
        for sub in self.subaccounts.values():
            if sub["api_key"] == client_id and sub["api_secret"] == client_secret:
                return sub["ID"]
        return None

    def credentials(self, subaccount: str) -> tuple[str, str]:
        sub = self.subaccounts[subaccount]
        return sub["api_key"], sub["api_secret"]

    def campaigns_of(self, owner: str) -> list[dict]:
        return [c for c in self.campaigns.values() if c["owner"] == owner]

    def session(self, code: str) -> dict | None:
        """The current record of a session (21- or 6-char code)."""
        return self.sessions.read(code)

    def now_str(self) -> str:
        return fmt_ts(self.now().timestamp())

    def new_code(self) -> str:
        while True:
            code = random_code(self.rng)
            if not self.sessions.taken(code):
                return code


def build_state(seed: int, big_sessions: int, now: Callable[[], datetime], *,
                cases: bool = False, subaccounts: int = 0) -> State:
    rng = random.Random(seed)
    state = State(seed=seed, now=now, rng=random.Random(mix(seed) ^ 0xC0DE))
    campaign_rows = [(row, "main") for row in fx.MAIN_CAMPAIGNS]
    for i, sub in enumerate(fx.SUBACCOUNTS):
        state.subaccounts[sub[0]] = _subaccount(rng, sub, i)
        for cid, code, name, status, n in sub[12]:
            campaign_rows.append(((cid, code, name, "coupon", status, "", "", "cat_11",
                                   "2026-01-10", "2026-01-15", "2026-12-31", "0", n), sub[0]))
    big_code = next(r[1] for r in fx.MAIN_CAMPAIGNS if r[0] == fx.BIG_CAMPAIGN)
    big = LazyCampaign(fx.BIG_CAMPAIGN, big_code, big_sessions, seed, 18_100_000,
                       days_ago(19.5), FIXED_NOW_TS - 3600)
    state.sessions = SessionStore(big)
    for k, (row, owner) in enumerate(campaign_rows):
        camp = _campaign(row, owner)
        state.campaigns[camp["ID"]] = camp
        _seed_sessions(state, rng, camp, row[12], seq_base=17_000_000 + 1000 * k)
    for row in fx.LOYALTY_CARDS:
        state.loyalty[row[0]] = _loyalty_card(rng, row)
    for row in fx.DIRECTORIES:
        state.directories[row[0]] = _directory(rng, row)
    state.categories = [{"ID": i, "name": n, "parent": p} for i, n, p in fx.CATEGORIES]
    state.level3 = [{"ID": i, "name": n, "parent": p} for i, n, p in fx.LEVEL3]
    _seed_webhooks(state, rng)
    if cases:
        add_cases(state, _subaccount)
        state.next_sub = 2007
    if subaccounts:
        add_crowd(state, subaccounts, _subaccount)
    return state


def _subaccount(rng: random.Random, row: tuple, i: int) -> dict:
    (sid, username, company, first, last, email, lang, currency, max_c, expiry,
     logins, lastlogin, campaigns) = row
    perms = {name: bool((mix(i * 31 + k) >> 7) % 3) for k, name in enumerate(fx.PERMISSIONS)}
    perms["access_dashboard"] = True
    return {
        "ID": sid, "username": username, "company_name": company, "first_name": first,
        "last_name": last, "email": email, "package": f"pac_{7001 + i % 2}", "language": lang,
        "lastlogin": lastlogin, "amountlogin": logins, "currency": currency,
        "max_campaigns": max_c, "expiry_date": expiry,
        "api_key": "".join(rng.choices(DIGITS, k=27)),
        "api_secret": "".join(rng.choices(ALNUM, k=30)),
        "webhook_endpoint": f"https://hooks.{username}.example.com/coupontools" if i % 2 else "",
        "permissions": perms, "status": "customer" if i != 3 else "trial",
        "country": {"nl": "BE", "en": "US", "de": "DE", "it": "IT", "fr": "FR"}[lang],
        "shown_templates": "all", "buildertype": "standard" if i % 2 else "advanced",
        "webhook_type": "all", "integrations": "all",
    }


def _campaign(row: tuple, owner: str) -> dict:
    (cid, code, name, ctype, status, folder, tags, category, created, start, end,
     single_use, _n) = row
    return {
        "ID": cid, "code": code, "name": name, "title": name, "type": ctype, "status": status,
        "url": f"https://digicpn.com/p/{code}", "folder": folder, "tags": tags,
        "category": category, "created_date": f"{created} 09:30:00", "start_date": start,
        "end_date": end, "description": f"{name}. Show this coupon at the counter.",
        "expiry_date": end, "single_use": single_use,
        "max_validations_per_session": "1", "owner": owner,
    }


def _seed_sessions(state: State, rng: random.Random, camp: dict, n: int, seq_base: int) -> None:
    """`n` stored sessions: first one of every lifecycle state, then random ones."""
    start = _ts(camp["start_date"])
    stop = min(_ts(camp["end_date"]) + 86399, FIXED_NOW_TS - 7200)
    hostile = camp["ID"] == fx.HOSTILE_CAMPAIGN
    single = camp["single_use"] == "1"
    times = sorted(rng.randint(start, max(start, stop - 4 * 86400)) for _ in range(n))
    for k, created in enumerate(times):
        if k < len(fx.LIFECYCLE):
            stage, kind, wallet, voided, locked = fx.LIFECYCLE[k]
        else:
            stage = rng.choice(("created", "opened", "played", "claimed", "claimed", "validated"))
            kind = rng.choice(("email", "sms", "wallet", "print", "direct")) if stage in (
                "claimed", "validated") else ""
            wallet, voided, locked = kind == "wallet", rng.random() < 0.05, rng.random() < 0.03
        code = state.new_code()
        if camp["ID"] == "cam_1001" and k == 3:
            code = code[:9] + "QxZ" + code[12:]  # the API's codes are case-sensitive
        rec = blank(session=code, campaign=camp["ID"], sequenceid=str(seq_base + k),
                    session_url=session_url(camp["code"], code), created_date_utc=fmt_ts(created))
        _advance(rec, rng, created, stage, kind, wallet, voided, locked, stop)
        if stage in ("claimed", "validated") or single or hostile:
            first, last, email, phone = person_from(rng.getrandbits(64))
            if hostile:
                first, last = fx.HOSTILE_TEXT[k % len(fx.HOSTILE_TEXT)]
            rec.update(firstname=first, lastname=last, email=email,
                       phone=phone if kind in ("sms", "wallet") or single else "")
        if single:
            rec.update(single_use_url=rec["session_url"], customid=f"vip-{2026000 + k}",
                       customvalcode=f"VIP{rng.randrange(10**7):07d}")
        elif rng.random() < 0.15 or (hostile and k == 1):
            rec["customid"] = "ord-\x1b[31m7\x1b[0m" if hostile else f"ord-{rng.randrange(10**6):06d}"
        if hostile and k == 0:
            rec.update(customvalcode="[red]CODE[/red]", validation_value="\x1b]52;c;ZXZpbA==\x07")
        state.sessions.add(rec)


def _advance(rec: dict, rng: random.Random, t: int, stage: str, kind: str, wallet: bool,
             voided: bool, locked: bool, stop: int) -> None:
    """Walk a new session through its lifecycle up to `stage`, with dates."""
    order = ("created", "opened", "played", "claimed", "validated")
    reached = order.index(stage)
    if reached >= 1:
        t += rng.randint(2, 300)
        rec.update(opened="1", open_date_utc=fmt_ts(t))
    if reached >= 2:
        t += rng.randint(5, 120)
        rec.update(played="1", played_date_utc=fmt_ts(t))
    if reached >= 3:
        t += rng.randint(20, 900)
        rec.update(claimed="1", claim_date_utc=fmt_ts(t), claimtype=kind,
                   saved_to_passbook="1" if wallet else "0")
    if reached >= 4:
        t = min(t + rng.randint(600, 3 * 86400), stop)
        rec.update(validated="1", validation_date_utc=fmt_ts(t),
                   validation_value=f"{rng.randint(5, 120)}.00")
    if voided:
        rec.update(voided="1", voided_date_utc=fmt_ts(min(t + rng.randint(60, 86400), stop + 3600)))
    if locked:
        rec["locked"] = "1"


def _loyalty_card(rng: random.Random, row: tuple) -> dict:
    lid, owner, name, ltype, code, status, created, required, n = row
    users: dict[str, dict] = {}
    base = int(lid[4:]) * 10
    for k in range(n):
        first, last, email, phone = person_from(rng.getrandbits(64))
        if lid == "loy_3001" and k == 5:
            first, last = "[bold red]x[/]", "\x1b]2;pwned\x07\u202eevil"
        joined = rng.randint(_ts(created), FIXED_NOW_TS - 86400)
        users[f"lus_{base + k}"] = {
            "ID": f"lus_{base + k}", "firstname": first, "lastname": last, "email": email,
            "phone": phone if rng.random() < 0.7 else "",
            "stamps": str(rng.randint(0, required) if ltype == "stamp" else 0),
            "points": str(rng.randint(0, 2500) if ltype == "points" else 0),
            "voided": "1" if k % 9 == 4 else "0", "saved_to_wallet": "1" if k % 3 != 1 else "0",
            "created_date_utc": fmt_ts(joined),
            "last_activity_utc": fmt_ts(rng.randint(joined, FIXED_NOW_TS - 600)) if k % 7 else "",
        }
    return {"ID": lid, "owner": owner, "name": name, "type": ltype, "code": code,
            "url": f"https://save2wallet.link/{code}", "status": status,
            "created_date": f"{created} 10:00:00", "stamps_required": str(required),
            "users": users}


def _directory(rng: random.Random, row: tuple) -> dict:
    did, owner, name, slug, login, payment, created, category, camps, cards, n = row
    start = _ts(created)
    times = sorted(rng.randint(start, FIXED_NOW_TS - 3600) for _ in range(n))
    base = int(did[4:]) * 1000 % 100000 + 6000
    users = []
    for k, t in enumerate(times):
        first, last, email, phone = person_from(rng.getrandbits(64))
        status, expiry = "", ""
        if payment == "1":
            status = "paid" if k % 3 else "unpaid"
            expiry = f"2027-{1 + k % 12:02d}-28" if status == "paid" else ""
        users.append({"ID": f"reg_{base + k}", "firstname": first, "lastname": last,
                      "email": email, "phone": phone if k % 4 else "",
                      "registration_date_utc": fmt_ts(t), "payment_status": status,
                      "payment_expiry_date": expiry, "blocked": "1" if k % 37 == 11 else "0"})
    return {"ID": did, "owner": owner, "name": name, "url": f"https://digicpn.com/d/{slug}",
            "status": "active", "login_required": login, "payment_required": payment,
            "created_date": f"{created} 11:00:00",
            "description": f"{name}: deals from local shops, in one app.",
            "category": category, "campaigns": list(camps), "loyaltycards": list(cards),
            "users": users}


def _seed_webhooks(state: State, rng: random.Random) -> None:
    """A few events about validated/claimed sessions, for webhook.verify."""
    for cid in ("cam_1001", "cam_1002", "cam_2101"):
        for code in state.sessions.order.get(cid, ())[:12]:
            rec = state.sessions.records[code]
            for kind, date in (("coupon_claimed", rec["claim_date_utc"]),
                               ("coupon_validated", rec["validation_date_utc"])):
                if date:
                    eid = "evt_" + "".join(rng.choices(ALNUM, k=20))
                    state.webhooks[eid] = {"webhook": eid, "date": date, "campaign": cid,
                                           "session": code, "type": kind}


def _ts(day: str) -> int:
    # fromisoformat, not strptime: the first strptime imports _strptime and
    # its locale machinery, start-up time the demo does not need.
    return int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())
