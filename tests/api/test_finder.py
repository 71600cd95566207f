"""Finding a session from whatever a customer gave support.

`classify` is checked over a table of inputs as support staff would paste
them; `find_sessions` runs against the real sandbox in-process, with the
sessions (and their e-mails, phones and custom codes) taken from its seeded
data, and the request log showing which operations were called with what.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctconsole.api import ApiError, Client, ConnectFailed, Credentials, InvalidParams
from ctconsole.api.finder import KIND_LABELS, FindResult, Match, classify, find_sessions
from ctconsole.api.retry import RetryPolicy
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app

CODE = "ac6s7u3g8a25ja7x9qg87"
MIXED = "kkfiznr8Yp8630h82es8d"

# --- classify -----------------------------------------------------------------------------

# (pasted text, expected candidates, expected value of the first reading)
CASES = [
    # full and short session codes
    (CODE, ("session_code", "custom_code"), CODE),
    (MIXED, ("session_code", "custom_code"), MIXED),  # case is kept: codes are case-sensitive
    (f"  {CODE}\n", ("session_code", "custom_code"), CODE),
    (f'"{CODE}"', ("session_code", "custom_code"), CODE),
    (f"\u201c{CODE}\u201d", ("session_code", "custom_code"), CODE),
    ("ac6s7u", ("short_code", "custom_code"), "ac6s7u"),
    ("'5F3JUP'", ("short_code", "custom_code"), "5F3JUP"),
    ("123456", ("short_code", "custom_code"), "123456"),
    ("[ac6s7u]", ("short_code", "custom_code"), "ac6s7u"),
    # session links in many shapes
    (f"https://digicpn.com/p/wk7c0f/{CODE}", ("session_url",), CODE),
    (f"https://digicpn.com/p/wk7c0f/{CODE}/", ("session_url",), CODE),
    (f"http://digicpn.com/p/wk7c0f/{CODE}?utm_source=mail&x=1#top", ("session_url",), CODE),
    (f"digicpn.com/p/wk7c0f/{CODE}", ("session_url",), CODE),
    (f"www.digicpn.com/p/wk7c0f/{CODE}", ("session_url",), CODE),
    (f"HTTPS://DIGICPN.COM/p/wk7c0f/{MIXED}", ("session_url",), MIXED),
    (f"https://coupons.brasserie-peeters.be/p/hh2for/{CODE}", ("session_url",), CODE),
    (f"https://deals.example.co.uk:8443/p/hh2for/{CODE}/?lang=en", ("session_url",), CODE),
    (f"<https://digicpn.com/p/wk7c0f/{CODE}>", ("session_url",), CODE),
    ("https://digicpn.com/p/vip9ev/5f3jup", ("session_url",), "5f3jup"),
    (f"Hi, my coupon https://digicpn.com/p/wk7c0f/{CODE}. does not work!", ("session_url",), CODE),
    # e-mail addresses
    ("anna.peeters@example.com", ("email",), "anna.peeters@example.com"),
    ("  Anna.Peeters+coupons@Example.COM ", ("email",), "Anna.Peeters+coupons@Example.COM"),
    ("Anna Peeters <anna.peeters@example.com>", ("email",), "anna.peeters@example.com"),
    ("mailto:anna@example.org?subject=coupon", ("email",), "anna@example.org"),
    ("anna@example.org.", ("email",), "anna@example.org"),
    ("'lotte@brasserie-peeters.example.com'", ("email",), "lotte@brasserie-peeters.example.com"),
    # phone numbers: normalised for the API
    ("+32 470 12 34 56", ("phone",), "+32470123456"),
    ("+32 (0)470 12.34.56", ("phone",), "+32470123456"),
    ("0032 470 12 34 56", ("phone",), "+32470123456"),
    ("(202) 555-0143", ("phone",), "2025550143"),
    ("+1 (202) 555-0143", ("phone",), "+12025550143"),
    ("tel:+49-151-12345678", ("phone",), "+4915112345678"),
    ("0470 12 34 56", ("phone",), "0470123456"),
    ("0470/12.34.56", ("phone", "custom_code"), "0470123456"),
    ("0470123456", ("phone", "custom_code"), "0470123456"),
    ("8712345678906", ("phone", "custom_code"), "8712345678906"),
    # custom validation codes and everything else
    ("BF-2026-000123", ("custom_code",), "BF-2026-000123"),
    ("VIP8925282", ("custom_code",), "VIP8925282"),
    ("BF26-1LEC6D4G", ("custom_code",), "BF26-1LEC6D4G"),
    ("12345", ("custom_code",), "12345"),
    ("1234567890123456", ("custom_code",), "1234567890123456"),  # too long for a phone
    ("[red]CODE[/red]", ("custom_code",), "[red]CODE[/red]"),
    ("https://digicpn.com/p/wk7c0f", ("custom_code",), "https://digicpn.com/p/wk7c0f"),
    ("anna@localhost", ("custom_code",), "anna@localhost"),
    ("a@b@example.com", ("custom_code",), "a@b@example.com"),
    ("+12", ("custom_code",), "+12"),
    ("ac6s7u3g8a25ja7x9qg8", ("custom_code",), "ac6s7u3g8a25ja7x9qg8"),  # 20 characters
    ("code:\tABC\n123", ("custom_code",), "code: ABC 123"),
]


@pytest.mark.parametrize("text, candidates, value", CASES, ids=[repr(c[0])[:50] for c in CASES])
def test_classify_recognises_what_was_pasted(text, candidates, value):
    query = classify(text)
    assert query.candidates == candidates
    assert query.kind == candidates[0]
    assert query.value == value
    assert query.original == text
    assert query.ambiguous == (len(candidates) > 1)


def test_ambiguous_readings_carry_their_own_values():
    query = classify("0470/12.34.56")
    assert query.value_for("phone") == "0470123456"
    assert query.value_for("custom_code") == "0470/12.34.56"  # a code is searched as typed
    with pytest.raises(KeyError):
        query.value_for("email")


def test_a_link_keeps_its_campaign_code():
    assert classify(f"https://digicpn.com/p/wk7c0f/{CODE}").link_campaign == "wk7c0f"
    assert classify(CODE).link_campaign is None


@pytest.mark.parametrize("text, described", [
    (CODE, "session code or custom validation code"),
    ("ac6s7u", "short session code or custom validation code"),
    (f"digicpn.com/p/wk7c0f/{CODE}", "session link"),
    ("anna@example.com", "e-mail address"),
    ("+32 470 12 34 56", "phone number"),
    ("0470123456", "phone number or custom validation code"),
    ("BF-2026-000123", "custom validation code"),
])
def test_describe_names_the_kind_for_a_person(text, described):
    assert classify(text).describe() == described


def test_display_shows_a_phone_as_typed_and_the_rest_as_searched():
    assert classify(' "+32 (0)470 12.34.56" ').display == "+32 (0)470 12.34.56"
    assert classify(f"https://digicpn.com/p/wk7c0f/{CODE}?x=1").display == CODE
    assert classify("Anna <anna@example.com>").display == "anna@example.com"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", '""', "''", "\u200b\u200e", "\x1b[31m\x1b[0m",
                                  "\x00\x07", "\u201c \u201d"])
def test_nothing_to_search_for_is_a_clear_value_error(text):
    with pytest.raises(ValueError, match="Nothing to search for"):
        classify(text)


@pytest.mark.parametrize("text, candidates, value", [
    ("\x1b[31mac6s7u\x1b[0m", ("short_code", "custom_code"), "ac6s7u"),  # coloured terminal paste
    (f"\u202e{CODE}\u200b", ("session_code", "custom_code"), CODE),
    ("\x1b]52;c;ZXZpbA==\x07VIP8925282", ("custom_code",), "VIP8925282"),
    ("\x1b]2;pwned\x07anna@example.com", ("email",), "anna@example.com"),
    ("Csi\x9b31mRed", ("short_code", "custom_code"), "CsiRed"),  # the C1 CSI is dropped
    ("Multi\nline\r\n[link=https://evil.example]click[/link]", ("custom_code",),
     "Multi line [link=https://evil.example]click[/link]"),
])
def test_hostile_text_is_cleaned_never_raises(text, candidates, value):
    query = classify(text)
    assert (query.candidates, query.value) == (candidates, value)
    assert "\x1b" not in query.display and "\x9b" not in query.display


@pytest.mark.parametrize("text", [
    "x" * 200_000, "hello " + "a.bc" * 50_000, "a-" * 100_000 + ".com/p/x/" + CODE,
    "a@" + "a-" * 100_000, "a/b " * 50_000, "+" + "1 " * 100_000,
], ids=["long-word", "dotted", "long-host", "long-domain", "many-slashes", "long-phone"])
def test_huge_input_is_classified_quickly_and_shown_shortened(text):
    started = time.perf_counter()
    query = classify(text)
    assert time.perf_counter() - started < 2.0  # linear work, no regex backtracking blow-up
    assert query.candidates == ("custom_code",)
    assert len(query.display) <= 60


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_classify_never_raises_anything_but_value_error(text):
    try:
        query = classify(text)
    except ValueError as exc:
        assert "Nothing to search for" in str(exc)
        return
    assert query.candidates and query.value
    assert all(kind in KIND_LABELS for kind in query.candidates)
    assert not any(ch in query.value for ch in "\x1b\x00\n\r\t\x9b")


def test_classify_refuses_non_text():
    with pytest.raises(TypeError):
        classify(None)  # type: ignore[arg-type]


def test_finder_loads_neither_httpx_nor_textual_nor_the_models():
    root = Path(__file__).resolve().parents[2]
    script = ("import ctconsole.api.finder, sys, json\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
              "('httpx', 'textual') or m.startswith('ctconsole.api.models'))))")
    out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                         text=True, check=True, timeout=60)
    assert json.loads(out.stdout) == []


def found(text: str, *hits: tuple[str, str]) -> FindResult:
    """A result for `text` whose matches were found by its first reading,
    each hit a (session code, the session's own value of the matched field)."""
    query = classify(text)
    kind = query.kind
    return FindResult(query, tuple(
        Match(code, "cam_1", kind, own, "", "", "", "", None) for code, own in hits), ())


CODE = "AbCdEfGhIjKlMnOpQrStU"


@pytest.mark.parametrize("text, own, certain", [
    ("Anna.Peeters@Example.com", "anna.peeters@example.com", True),  # case aside, the same
    ("anna@example.com", "joanna@example.com", False),  # a near miss the search answered
    ("+32 470 12 34 56", "+32470123456", True),
    ("+32 470 12 34 56", "+32470123457", False),
    ("summer10", "SUMMER10", True),
    ("summer10", "SUMMER100", False),
    (CODE, CODE, True),  # looked up by its code: exactly that session
])
def test_a_single_match_is_certain_only_when_it_is_what_was_searched(text, own, certain):
    result = found(text, (CODE, own))
    assert (result.certain is result.single) is certain


def test_several_matches_are_never_certain():
    assert found("anna@example.com", (CODE, "anna@example.com"),
                 ("ZyXwVuTsRqPoNmLkJiHgF", "anna@example.com")).certain is None


# --- find_sessions against the sandbox ----------------------------------------------------


@pytest.fixture
def app():
    return make_sandbox_app(big_sessions=300)


@pytest.fixture
async def client(app):
    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://sandbox",
                      transport=httpx.ASGITransport(app=app), retry=RetryPolicy.never()) as c:
        yield c


def calls(app) -> list[tuple[str, dict]]:
    """(operation, body without credentials) of every request the sandbox got."""
    return [(r.operation, r.body) for r in app.requests]


def main_sessions(app) -> list[dict]:
    """Every stored session of the main account's campaigns, as the sandbox holds it."""
    s = app.state
    return [s.sessions.records[code] for camp in s.campaigns_of("main")
            for code in s.sessions.order.get(camp["ID"], ())]


def first(app, campaign: str, **want: str) -> dict:
    """The first stored session of `campaign` whose fields equal `want`."""
    records = (app.state.sessions.records[code] for code in app.state.sessions.order[campaign])
    return next(rec for rec in records if all(rec[k] == v for k, v in want.items()))


async def test_full_session_code(app, client):
    rec = first(app, "cam_1001", claimed="1")
    result = await find_sessions(client, f"  {rec['session']} ")
    assert calls(app) == [("session.info", {"couponsession": rec["session"]})]
    match = result.single
    assert match is not None and match.kind == "session_code"
    assert (match.session, match.campaign) == (rec["session"], "cam_1001")
    assert match.who == f"{rec['firstname']} {rec['lastname']}"
    assert (match.email, match.matched) == (rec["email"], rec["session"])
    assert result.summary() == f"1 session found for session code {rec['session']} (looked up by code)."


async def test_short_code_finds_the_full_session(app, client):
    rec = first(app, "cam_1002")
    short = rec["session"][:6]
    result = await find_sessions(client, short)
    assert calls(app) == [("session.info", {"couponsession": short})]  # found: no search after
    assert [(m.session, m.kind, m.short_code) for m in result.matches] == [
        (rec["session"], "short_code", short)]


@pytest.mark.parametrize("shape", [
    "{url}", "{url}/", "{url}?utm_source=sms", "  <{url}>  ", "Here is my link: {url} thanks",
])
async def test_session_link_in_several_shapes(app, client, shape):
    rec = first(app, "cam_1001", claimed="1")
    assert rec["session_url"].startswith("https://digicpn.com/p/wk7c0f/")
    result = await find_sessions(client, shape.format(url=rec["session_url"]))
    assert calls(app) == [("session.info", {"couponsession": rec["session"]})]
    assert [(m.session, m.kind) for m in result.matches] == [(rec["session"], "session_url")]


async def test_white_label_link_without_scheme(app, client):
    rec = first(app, "cam_2101")  # a subaccount's session: invisible to the main account
    own = first(app, "cam_1004")
    result = await find_sessions(client, f"coupons.example-brand.be/p/whl7pz/{own['session']}")
    assert [m.session for m in result.matches] == [own["session"]]
    app.requests.clear()
    result = await find_sessions(client, rec["session_url"].replace("https://", "http://"))
    assert calls(app) == [("session.info", {"couponsession": rec["session"]})]
    assert not result.found
    assert result.summary() == f"No session found for session link {rec['session']} (looked up by code)."


async def test_single_use_link_is_reported_as_such(app, client):
    rec = first(app, "cam_1005")
    assert rec["single_use_url"]
    result = await find_sessions(client, rec["single_use_url"])
    assert [(m.session, m.kind, m.customvalcode) for m in result.matches] == [
        (rec["session"], "single_use_url", rec["customvalcode"])]
    assert result.summary().startswith("1 session found for session link ")


async def test_custom_validation_code(app, client):
    rec = first(app, "cam_1005")
    code = rec["customvalcode"]
    result = await find_sessions(client, code)
    assert calls(app) == [("session.search", {"customvalcode": code})]
    assert [(m.session, m.kind, m.matched) for m in result.matches] == [
        (rec["session"], "custom_code", code)]


async def test_custom_code_of_the_big_lazy_campaign(app, client):
    big = app.state.sessions.big
    rec = next(r for i in range(big.n) if (r := big.record(i))["customvalcode"])
    result = await find_sessions(client, rec["customvalcode"].lower())  # searched case-blind
    assert [(m.session, m.campaign) for m in result.matches] == [(rec["session"], "cam_1003")]


async def test_hostile_custom_code_is_searched_as_it_is(app, client):
    rec = first(app, "cam_1006", customvalcode="[red]CODE[/red]")
    result = await find_sessions(client, "[red]CODE[/red]")
    assert calls(app) == [("session.search", {"customvalcode": "[red]CODE[/red]"})]
    assert [m.session for m in result.matches] == [rec["session"]]


async def test_email_with_several_sessions_lists_them_all(app, client):
    by_email: dict[str, list[dict]] = {}
    for rec in main_sessions(app):
        if rec["email"]:
            by_email.setdefault(rec["email"], []).append(rec)
    email, recs = next((e, r) for e, r in by_email.items() if len(r) >= 2)
    result = await find_sessions(client, f"Customer <{email.upper()}>")
    assert calls(app) == [("session.search", {"email": email.upper()})]
    assert result.single is None
    assert sorted(m.session for m in result.matches) == sorted(r["session"] for r in recs)
    assert {m.kind for m in result.matches} == {"email"}
    assert {m.matched for m in result.matches} == {email}
    assert result.summary() == (f"{len(recs)} sessions found for e-mail address {email.upper()} "
                                "(searched the whole account).")


async def test_email_within_a_campaign(app, client):
    recs = [r for r in main_sessions(app) if r["email"]]
    email = next(r["email"] for r in recs if r["campaign"] == "cam_1001"
                 and any(o["email"] == r["email"] and o["campaign"] != "cam_1001" for o in recs))
    everywhere = await find_sessions(client, email)
    inside = await find_sessions(client, email, campaign="cam_1001")
    assert calls(app)[-1] == ("campaign.session_search", {"campaign": "cam_1001", "email": email})
    assert {m.campaign for m in everywhere.matches} > {"cam_1001"}
    assert sorted(m.session for m in inside.matches) == sorted(
        r["session"] for r in recs if r["email"] == email and r["campaign"] == "cam_1001")
    assert inside.attempts[0].campaign == "cam_1001"


async def test_phone_typed_in_a_local_notation(app, client):
    rec = next(r for r in main_sessions(app) if r["phone"].startswith("+32470"))
    digits = rec["phone"][6:]
    typed = f"+32 (0)470 {digits[:2]} {digits[2:4]}.{digits[4:]}"
    result = await find_sessions(client, typed)
    assert calls(app) == [("session.search", {"phone": rec["phone"]})]
    assert rec["session"] in [m.session for m in result.matches]
    assert all(m.kind == "phone" and m.phone == rec["phone"] for m in result.matches)
    assert result.query.display == typed


async def test_phone_with_international_00_prefix_within_its_campaign(app, client):
    rec = first(app, "cam_1005")
    typed = "00 " + rec["phone"][1:]
    result = await find_sessions(client, typed, campaign="cam_1005")
    assert calls(app) == [("campaign.session_search", {"campaign": "cam_1005", "phone": rec["phone"]})]
    assert [m.session for m in result.matches] == [rec["session"]]


async def test_numeric_barcode_tries_phone_then_custom_code(app, client):
    made = await client.call("singleuse.create", campaign="cam_1005", customvalcode="8712345678906")
    app.requests.clear()
    result = await find_sessions(client, "8712345678906")
    assert calls(app) == [("session.search", {"phone": "8712345678906"}),
                          ("session.search", {"customvalcode": "8712345678906"})]
    assert [(m.session, m.kind) for m in result.matches] == [
        (made.data.single_use_code, "custom_code")]
    assert [(a.kind, a.found) for a in result.attempts] == [("phone", 0), ("custom_code", 1)]
    assert result.summary() == (
        "1 session found for custom validation code 8712345678906 (searched the whole account "
        "for the phone number; searched the whole account for the custom validation code).")


async def test_short_code_that_is_a_custom_code_after_a_505(app, client):
    made = await client.call("singleuse.create", campaign="cam_1005", customvalcode="ZZ9ZZ9")
    assert app.session("ZZ9ZZ9") is None  # not a session's short form
    app.requests.clear()
    result = await find_sessions(client, "ZZ9ZZ9", campaign="cam_1005")
    assert calls(app) == [("session.info", {"couponsession": "ZZ9ZZ9"}),
                          ("campaign.session_search", {"campaign": "cam_1005", "customvalcode": "ZZ9ZZ9"})]
    assert [(m.session, m.kind) for m in result.matches] == [
        (made.data.single_use_code, "custom_code")]
    assert [a.operation for a in result.attempts] == ["session.info", "campaign.session_search"]


async def test_nothing_found_for_an_unknown_code(app, client):
    result = await find_sessions(client, CODE)
    assert calls(app) == [("session.info", {"couponsession": CODE}),
                          ("session.search", {"customvalcode": CODE})]
    assert not result.found and result.matches == () and result.single is None
    assert [(a.kind, a.operation, a.found) for a in result.attempts] == [
        ("session_code", "session.info", 0), ("custom_code", "session.search", 0)]
    assert result.summary() == (
        f"No session found for session code or custom validation code {CODE} (looked up the "
        "session code; searched the whole account for the custom validation code).")


async def test_nothing_found_for_an_email(app, client):
    result = await find_sessions(client, "nobody@example.com")
    assert not result.found
    assert result.summary() == ("No session found for e-mail address nobody@example.com "
                                "(searched the whole account).")
    result = await find_sessions(client, "nobody@example.com", campaign="cam_1002")
    assert result.summary() == ("No session found for e-mail address nobody@example.com "
                                "(searched campaign cam_1002).")


async def test_empty_input_sends_nothing(app, client):
    with pytest.raises(ValueError):
        await find_sessions(client, "  \n ")
    assert app.requests == []


async def test_other_api_errors_are_not_mistaken_for_not_found(app, client):
    app.faults.add("api_error", operation="session.info", code=300, message="Wrong value")
    with pytest.raises(ApiError) as caught:
        await find_sessions(client, CODE)
    assert caught.value.code == 300
    assert [op for op, _ in calls(app)] == ["session.info"]  # no fallback after a real failure


async def test_bad_credentials_propagate(app):
    async with Client(Credentials(DEMO_CLIENT_ID, "wrong-secret-000000000000000000"),
                      base_url="http://sandbox", transport=httpx.ASGITransport(app=app),
                      retry=RetryPolicy.never()) as bad:
        with pytest.raises(ApiError) as caught:
            await find_sessions(bad, "anna@example.com")
    assert caught.value.code == 1000


async def test_network_failure_propagates(app, client):
    app.faults.add("drop", operation="session.search")
    with pytest.raises(ConnectFailed):
        await find_sessions(client, "BF-2026-000123")


async def test_unknown_campaign_propagates_and_a_malformed_one_is_refused(app, client):
    with pytest.raises(ApiError) as caught:
        await find_sessions(client, "anna@example.com", campaign="cam_9999")
    assert caught.value.code == 502
    with pytest.raises(InvalidParams):
        await find_sessions(client, "anna@example.com", campaign="wk7c0f")
