"""Support cases: a merchant whose sessions cover every "why can't I redeem?" answer.

`add_cases(state)` adds subaccount sub_2006 (Velo Bakker) with one session per
verdict of `ctconsole.explain.rules`, and `add_crowd(state, total)` adds
generated merchants until the account has `total` subaccounts, one of them
holding the session the scale benchmark's ticket is about. Both run after the
seeded dataset is built and draw from their own random generators, so the
seeded records, and the codes later writes create, stay what they were.

`CASES` names each case; `state.cases[name]` gives its session code, e-mail
and link (the removed single-use link keeps its URL but has no session).
"""

from __future__ import annotations

import random

from .people import ALNUM, DIGITS, FIXED_NOW_TS, fmt_ts, random_code
from .sessions import session_url
from .store import blank

CASES_SUBACCOUNT = "sub_2006"
CROWD_FIRST = 3001
#: The e-mail of the one session the crowd's ticket is about.
NEEDLE_EMAIL = "ticket.needle@example.org"

_DAY = 86400

# (ID, code, name, status, start, end, single_use)
_CAMPAIGNS = (
    ("cam_2601", "tuneup", "Winter tune-up — 25% off", "active", "2026-12-01", "2027-02-28", "0"),
    ("cam_2602", "smride", "Summer rides — free bottle", "active", "2026-06-01", "2026-09-30", "0"),
    ("cam_2603", "bikchk", "Free bike check", "inactive", "2026-03-01", "2026-12-31", "0"),
    ("cam_2604", "svclub", "Service club — invitations", "active", "2026-09-01", "2026-12-31", "1"),
    ("cam_2605", "bell26", "Free bell with any service", "active", "2026-01-01", "2026-12-31", "0"),
)

# name -> (campaign, stage, e-mail, days before "now" it was created, extra fields)
# stage: created / opened / claimed / validated; extras are raw record fields.
CASES: dict[str, tuple[str, str, str, float, dict]] = {
    "nothing_wrong": ("cam_2605", "claimed", "noor.jansen@example.net", 12, {}),
    "validated": ("cam_2605", "validated", "bram.visser@example.net", 20,
                  {"validation_value": "34.50"}),
    "voided": ("cam_2605", "claimed", "fenna.smit@example.net", 15, {"voided": "1"}),
    "locked": ("cam_2605", "claimed", "daan.bakker@example.net", 9, {"locked": "1"}),
    "never_claimed": ("cam_2605", "opened", "", 3, {}),
    "outside_run": ("cam_2605", "claimed", "sem.devries@example.net", 340, {}),
    "not_started": ("cam_2601", "claimed", "julia.vandijk@example.net", 2, {}),
    "ended": ("cam_2602", "claimed", "sara.jansen@example.net", 70, {}),
    "inactive": ("cam_2603", "claimed", "wout.maes@example.net", 30, {}),
    "single_use": ("cam_2604", "claimed", "elise.claes@example.net", 40, {}),
    "removed_link": ("cam_2604", "claimed", "tom.goossens@example.net", 45, {}),
}

# Loyalty card of the cases merchant: (user ID, e-mail, stamps, voided)
LOYALTY_CARD = ("loy_3601", "Velo ride card", "ridecd", 10)
LOYALTY_CASES = {
    "loyalty_voided": ("lus_36010", "lena.weber@example.net", 6, "1"),
    "loyalty_out_of_stamps": ("lus_36011", "hugo.martin@example.net", 0, "0"),
    "loyalty_ok": ("lus_36012", "chloe.moreau@example.net", 10, "0"),
}


def _code(state, rng: random.Random) -> str:
    while True:
        code = random_code(rng)
        if not state.sessions.taken(code):
            return code


def add_cases(state, subaccount_row) -> None:
    """sub_2006 with a session per verdict (`state.cases`). `subaccount_row`
    builds the subaccount record (the seeded builder, fed our own generator)."""
    rng = random.Random(0xCA5E)
    state.subaccounts[CASES_SUBACCOUNT] = subaccount_row(rng, (
        CASES_SUBACCOUNT, "velobakker", "Velo Bakker", "Sem", "Bakker",
        "sem@velo-bakker.example.com", "nl", "EUR", 6, "2027-12-31", 21,
        "2026-11-19 16:20:00", ()), 5)
    for cid, code, name, status, start, end, single in _CAMPAIGNS:
        state.campaigns[cid] = {
            "ID": cid, "code": code, "name": name, "title": name, "type": "coupon",
            "status": status, "url": f"https://digicpn.com/p/{code}", "folder": "", "tags": "",
            "category": "cat_31", "created_date": f"{start} 09:00:00", "start_date": start,
            "end_date": end, "description": f"{name}. Show this coupon at the counter.",
            "expiry_date": end, "single_use": single, "max_validations_per_session": "1",
            "owner": CASES_SUBACCOUNT,
        }
    state.cases = {}
    for k, (name, (cid, stage, email, age, extra)) in enumerate(CASES.items()):
        camp = state.campaigns[cid]
        code = _code(state, rng)
        created = FIXED_NOW_TS - int(age * _DAY)
        url = session_url(camp["code"], code)
        rec = blank(session=code, campaign=cid, sequenceid=str(16_600_000 + k),
                    session_url=url, created_date_utc=fmt_ts(created))
        _walk(rec, stage, created)
        if email:
            first, last = email.split("@")[0].split(".")
            rec.update(firstname=first.title(), lastname=last.title(), email=email,
                       phone=f"+3247{rng.randrange(10**7):07d}")
        if camp["single_use"] == "1":
            rec.update(single_use_url=url, customid=f"club-{k:03d}")
        if extra.get("voided") == "1":
            rec["voided_date_utc"] = fmt_ts(created + 3 * 3600)
        rec.update(extra)
        state.sessions.add(rec)
        state.cases[name] = {"session": code, "email": email, "url": url, "campaign": cid}
    state.sessions.remove(state.cases["removed_link"]["session"])
    _two_merchants(state, rng)
    lid, name, code, required = LOYALTY_CARD
    users = {}
    for k, (case, (uid, email, stamps, voided)) in enumerate(LOYALTY_CASES.items()):
        first, last = email.split("@")[0].split(".")
        joined = FIXED_NOW_TS - (90 - k) * _DAY
        users[uid] = {"ID": uid, "firstname": first.title(), "lastname": last.title(),
                      "email": email, "phone": "", "stamps": str(stamps), "points": "0",
                      "voided": voided, "saved_to_wallet": "1", "created_date_utc": fmt_ts(joined),
                      "last_activity_utc": fmt_ts(joined + 40 * _DAY)}
        state.cases[case] = {"loyaltycard": lid, "user": uid, "email": email}
    state.loyalty[lid] = {"ID": lid, "owner": CASES_SUBACCOUNT, "name": name, "type": "stamp",
                          "code": code, "url": f"https://save2wallet.link/{code}",
                          "status": "active", "created_date": "2026-02-01 10:00:00",
                          "stamps_required": str(required), "users": users}


#: A customer of two merchants with one e-mail: a find everywhere lists both.
TWO_MERCHANTS_EMAIL = "lucas.maes@example.net"


def _two_merchants(state, rng: random.Random) -> None:
    codes = []
    for k, (cid, age) in enumerate((("cam_2101", 25), ("cam_2605", 6))):
        camp = state.campaigns[cid]
        code = _code(state, rng)
        created = FIXED_NOW_TS - age * _DAY
        rec = blank(session=code, campaign=cid, sequenceid=str(16_700_000 + k),
                    session_url=session_url(camp["code"], code), created_date_utc=fmt_ts(created))
        _walk(rec, "validated" if k == 0 else "claimed", created)
        rec.update(firstname="Lucas", lastname="Maes", email=TWO_MERCHANTS_EMAIL)
        state.sessions.add(rec)
        codes.append(code)
    state.cases["two_merchants"] = {"sessions": codes, "email": TWO_MERCHANTS_EMAIL}


def _walk(rec: dict, stage: str, t: int) -> None:
    order = ("created", "opened", "claimed", "validated")
    reached = order.index(stage)
    if reached >= 1:
        rec.update(opened="1", open_date_utc=fmt_ts(t + 40))
    if reached >= 2:
        rec.update(claimed="1", claim_date_utc=fmt_ts(t + 300), claimtype="email")
    if reached >= 3:
        rec.update(validated="1", validation_date_utc=fmt_ts(t + 2 * _DAY + 3600))


def add_crowd(state, total: int, subaccount_row) -> None:
    """Generated merchants until there are `total` subaccounts, each with one
    campaign of two claimed sessions; the one at three quarters of the list
    also holds the session of `NEEDLE_EMAIL` (validated, so it has a verdict)."""
    rng = random.Random(0xC20D)
    missing = total - len(state.subaccounts)
    needle_at = max(0, missing * 3 // 4)
    for k in range(max(0, missing)):
        number = CROWD_FIRST + k
        sid = f"sub_{number}"
        state.subaccounts[sid] = subaccount_row(rng, (
            sid, f"shop{number}", f"Shop {number}", "Alex", f"Owner{number}",
            f"owner@shop{number}.example.com", "en", "EUR", 3, "2027-12-31", 1,
            "2026-11-01 10:00:00", ()), k % 2)
        cid = f"cam_{number}0"
        code = "".join(rng.choices(ALNUM[:26] + DIGITS, k=6))
        state.campaigns[cid] = {
            "ID": cid, "code": code, "name": f"Welcome offer {number}",
            "title": f"Welcome offer {number}", "type": "coupon", "status": "active",
            "url": f"https://digicpn.com/p/{code}", "folder": "", "tags": "", "category": "",
            "created_date": "2026-01-01 09:00:00", "start_date": "2026-01-01",
            "end_date": "2026-12-31", "description": "", "expiry_date": "2026-12-31",
            "single_use": "0", "max_validations_per_session": "1", "owner": sid,
        }
        emails = [f"guest{number}.{j}@example.com" for j in range(2)]
        if k == needle_at:
            emails.append(NEEDLE_EMAIL)
        for j, email in enumerate(emails):
            session = _code(state, rng)
            created = FIXED_NOW_TS - (30 + j) * _DAY
            rec = blank(session=session, campaign=cid, sequenceid=str(number * 10 + j),
                        session_url=session_url(code, session), created_date_utc=fmt_ts(created))
            _walk(rec, "validated" if email == NEEDLE_EMAIL else "claimed", created)
            rec.update(firstname="Guest", lastname=str(number), email=email)
            state.sessions.add(rec)
            if email == NEEDLE_EMAIL:
                state.cases["needle"] = {"session": session, "email": email,
                                         "url": rec["session_url"], "campaign": cid,
                                         "subaccount": sid}
    state.next_sub = max(state.next_sub, CROWD_FIRST + max(0, missing))
