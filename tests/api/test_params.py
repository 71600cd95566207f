"""params.validate against the catalogue: coercion of CLI strings, and every
kind of problem reported at once, before anything is sent."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.api.errors import InvalidParams
from ctconsole.api.params import body_of, validate

CODE21 = "ac6s7u3g8a25ja7x9qg87"


def ok(op: str, **raw):
    return validate(CATALOGUE.get(op), raw)


def problems(op: str, **raw) -> list[str]:
    with pytest.raises(InvalidParams) as info:
        validate(CATALOGUE.get(op), raw)
    assert info.value.message == "\n".join(info.value.problems)
    return info.value.problems


# --- coercion -------------------------------------------------------------------

@pytest.mark.parametrize("given, expected", [
    ("true", True), ("TRUE", True), ("yes", True), ("1", True), ("on", True), (True, True), (1, True),
    ("false", False), ("no", False), ("0", False), ("Off", False), (False, False), (0, False),
])
def test_bool_coercion(given, expected):
    assert ok("campaign.info", campaign="cam_1", show_usage_stats=given)["show_usage_stats"] is expected


def test_int_coercion_from_cli_strings():
    assert ok("singleuse.create_many", campaign="cam_1", amount="5")["amount"] == 5
    assert ok("singleuse.create_many", campaign="cam_1", amount=" 7 ")["amount"] == 7
    assert ok("singleuse.create_many", campaign="cam_1", amount=12.0)["amount"] == 12


def test_codes_accept_a_list_or_comma_separated_text():
    other = "8yx7hpxuu69k0zga93nix"
    assert ok("session.update_many", couponsessions=f"{CODE21}, {other},", voided="yes") == {
        "couponsessions": [CODE21, other], "voided": True}
    assert ok("session.update_many", couponsessions=[CODE21, "ac6s7u", CODE21])["couponsessions"] == [
        CODE21, "ac6s7u"]


def test_enum_is_matched_without_case_and_sent_canonical():
    assert ok("loyalty.list", sorting="DESC") == {"sorting": "desc"}


def test_dates_and_datetimes():
    assert ok("subaccount.create", email="a@b.co", expiry_date=date(2025, 2, 28))["expiry_date"] == "2025-02-28"
    got = ok("campaign.sessions", campaign="cam_1", start_date="2024-05-01 13:30",
             end_date=datetime(2024, 5, 2, 8, 5))
    assert got["start_date"] == "2024-05-01 13-30"
    assert got["end_date"] == "2024-05-02 08-05"
    assert ok("campaign.sessions", campaign="cam_1", start_date="2024-05-01")["start_date"] == "2024-05-01"


def test_result_is_in_catalogue_order_and_drops_absent_values():
    got = ok("singleuse.create", email="x@example.com", campaign="cam_12", firstname=None, phone="")
    assert list(got) == ["campaign", "email"]


def test_free_text_is_kept_exactly():
    got = ok("campaign.push", campaign="cam_1", couponsession="ac6s7u", message="  Hi there \n2 lines ")
    assert got["message"] == "  Hi there \n2 lines "


def test_unsent_view_stays_in_params_but_not_in_the_body():
    op = CATALOGUE.get("campaign.sessions")
    params = validate(op, {"campaign": "cam_1", "view": "claims", "page": "2"})
    assert params == {"campaign": "cam_1", "view": "claims", "page": 2}
    assert body_of(op, params) == {"campaign": "cam_1", "page": 2}
    assert op.path_for(params) == "/v3/campaign/claims"


# --- problems -------------------------------------------------------------------

@pytest.mark.parametrize("op, raw, expected", [
    ("campaign.info", {}, "campaign: required (Campaign ID (cam_…))"),
    ("singleuse.create_many", {"campaign": "cam_1", "amount": 0},
     "amount: must be between 1 and 100000 (got 0)"),
    ("singleuse.create_many", {"campaign": "cam_1", "amount": "100001"},
     "amount: must be between 1 and 100000 (got 100001)"),
    ("singleuse.create_many", {"campaign": "cam_1", "amount": "five"},
     "amount: must be a whole number (got 'five')"),
    ("singleuse.create_many", {"campaign": "cam_1", "amount": 2.5},
     "amount: must be a whole number (got 2.5)"),
    ("singleuse.create_many", {"campaign": "cam_1", "amount": True},
     "amount: must be a whole number (got True)"),
    ("singleuse.create_many", {"campaign": "cam_1", "automated_codes": "yes", "code_prefix": "X",
                               "code_type": "numeric", "code_length": 9},
     "code_length: must be between 10 and 25 (got 9)"),
    ("singleuse.create_many", {"campaign": "cam_1", "status": "deleted"},
     "status: must be one of normal, voided, activated (got 'deleted')"),
    ("campaign.info", {"campaign": "cam_1", "show_usage_stats": "maybe"},
     "show_usage_stats: must be true or false (yes/no, 1/0) (got 'maybe')"),
    ("campaign.info", {"campaign": "1001"}, "campaign: must be an ID like cam_12345 (got '1001')"),
    ("campaign.info", {"campaign": "dir_1001"}, "campaign: must be an ID like cam_12345 (got 'dir_1001')"),
    ("campaign.info", {"campaign": "cam_12a"}, "campaign: must be an ID like cam_12345 (got 'cam_12a')"),
    ("webhook.verify", {"webhook": "evt_bad-id"}, "webhook: must be an ID like evt_abc123 (got 'evt_bad-id')"),
    ("loyalty.users", {"loyaltycard": "loy 1"},
     "loyaltycard: must be an ID of letters, digits, '_' or '-' (got 'loy 1')"),
    ("session.info", {"couponsession": "abc12"},
     "couponsession: must be a session code of 21 letters and digits, or its first 6 (got 'abc12')"),
    ("session.info", {"couponsession": CODE21 + "x"},
     f"couponsession: must be a session code of 21 letters and digits, or its first 6 (got '{CODE21}x')"),
    ("session.info", {"couponsession": "ac6s7u3g8a25ja7x9qg8!"},
     "couponsession: must be a session code of 21 letters and digits, or its first 6 (got 'ac6s7u3g8a25ja7x9qg8!')"),
    ("subaccount.create", {"email": "a@b.co", "expiry_date": "2025-02-30"},
     "expiry_date: is not a real date (got '2025-02-30')"),
    ("subaccount.create", {"email": "a@b.co", "expiry_date": "30-01-2025"},
     "expiry_date: must be a date as yyyy-MM-dd (got '30-01-2025')"),
    ("campaign.sessions", {"campaign": "cam_1", "start_date": "2024-05-01 25-00"},
     "start_date: is not a real date and time (got '2024-05-01 25-00')"),
    ("campaign.sessions", {"campaign": "cam_1", "end_date": "May 1st"},
     "end_date: must be 'yyyy-MM-dd hh-mm' or 'yyyy-MM-dd' (got 'May 1st')"),
    ("subaccount.create", {"email": "not-an-email"},
     "email: must be an e-mail address like name@example.com (got 'not-an-email')"),
    ("subaccount.create", {"email": "a@b.co", "country": "USA"},
     "country: must be exactly 2 characters long (got 3)"),
    ("session.search", {"phone": "12ab"},
     "phone: must be a phone number of 6 to 15 digits, optionally with +, spaces, dashes or brackets (got '12ab')"),
    ("campaign.push", {"campaign": "cam_1", "couponsession": "ac6s7u", "message": ""},
     "message: must be 1 to 1000 characters long (got 0)"),
    ("session.search", {}, "customvalcode / email / phone: give at least one of them"),
    ("loyalty.user_update", {"loyaltycard": "loy_1", "user": "lus_1"},
     "stamps / points / voided: give at least one of them"),
    ("subaccount.sso", {"subaccount": "sub_1", "page": "update_campaign"},
     "campaign: required when page is update_campaign"),
    ("campaign.info", {"campaign": "cam_1", "show_usage": True},
     "show_usage: unknown parameter (did you mean show_usage_stats? campaign.info takes campaign, show_usage_stats)"),
    ("auth.check", {"x": 1}, "x: unknown parameter (auth.check takes none)"),
    ("session.update_many", {"couponsessions": " , "}, "couponsessions: needs at least one session code"),
])
def test_each_problem_is_worded_for_a_person(op, raw, expected):
    assert problems(op, **raw) == [expected]


def test_required_if_lists_each_missing_name():
    got = problems("singleuse.create_many", campaign="cam_1", automated_codes="true")
    assert got == ["code_prefix: required when automated_codes is true",
                   "code_length: required when automated_codes is true",
                   "code_type: required when automated_codes is true"]


def test_required_if_does_not_apply_when_false():
    assert ok("singleuse.create_many", campaign="cam_1", automated_codes="no") == {
        "campaign": "cam_1", "automated_codes": False}


def test_all_problems_are_reported_together():
    got = problems("singleuse.create_many", campaign="1", amount=0, code_length=30, colour="red")
    assert len(got) == 4
    assert got[0].startswith("colour: unknown parameter")
    assert {g.split(":")[0] for g in got} == {"colour", "campaign", "amount", "code_length"}


def test_a_bad_value_in_a_one_of_group_is_not_also_called_missing():
    assert problems("session.search", email="nope") == [
        "email: must be an e-mail address like name@example.com (got 'nope')"]


def test_secret_values_are_never_echoed():
    got = problems("subaccount.create", email="a@b.co", password=["hunter2-very-secret"])
    assert got == ["password: must be text, not list"]
    with pytest.raises(InvalidParams) as info:
        validate(CATALOGUE.get("subaccount.create"), {"email": "a@b.co", "password": "bad\x00pw-secret"})
    assert "pw-secret" not in str(info.value)


def test_too_many_codes():
    codes = [f"{i:06d}" for i in range(1001)]
    assert problems("session.update_many", couponsessions=codes, voided=True) == [
        "couponsessions: at most 1000 session codes at a time (got 1001)"]


def test_bad_codes_are_listed_shortly():
    got = problems("session.update_many", couponsessions="a,b,c,d,e", voided=True)
    assert got == ["couponsessions: each must be a session code of 21 letters and digits, "
                   "or its first 6 (got 'a', 'b', 'c' and 2 more)"]


def test_long_values_are_shortened_in_messages():
    (got,) = problems("campaign.info", campaign="cam_" + "x" * 500)
    assert len(got) < 120


@pytest.mark.parametrize("email", ["a@b.co", "first.last+tag@sub.example.org", "x_y@domain-name.io"])
def test_plausible_emails_pass(email):
    assert ok("session.search", email=email) == {"email": email}


@pytest.mark.parametrize("email", ["a@b", "a b@c.com", "@c.com", "a@@c.com", "a@c..com", "a@-c.com"])
def test_implausible_emails_fail(email):
    assert problems("session.search", email=email)[0].startswith("email: must be an e-mail")


@pytest.mark.parametrize("phone", ["+32 470 12 34 56", "(555) 123-4567", "0470123456"])
def test_plausible_phones_pass(phone):
    assert ok("session.search", phone=phone) == {"phone": phone}


# --- nothing escapes the tree ----------------------------------------------------

values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.lists(st.text(max_size=8), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(["cam_1", "ac6s7u", "2024-01-01", "true", "5", "a@b.co", "+32 470 12 34 56"]))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([op.name for op in CATALOGUE]), st.data())
def test_any_input_is_either_valid_or_invalid_params(name, data):
    op = CATALOGUE.get(name)
    keys = [p.name for p in op.params] + ["bogus"]
    raw = data.draw(st.dictionaries(st.sampled_from(keys), values, max_size=4))
    try:
        out = validate(op, raw)
    except InvalidParams as exc:
        assert exc.problems and all(": " in p for p in exc.problems)
        return
    assert set(out) <= {p.name for p in op.params}
    assert all(p.name in out for p in op.params if p.required)


# --- free text: a length and a character rule for every parameter ---------------------------

def test_every_free_text_parameter_has_a_maximum_and_a_character_rule():
    from ctconsole.safetext import CHARS
    loose = [f"{op.name}.{p.name}" for op in CATALOGUE for p in op.params
             if p.type == "str" and (p.max is None or p.chars not in CHARS)]
    assert loose == []


def test_a_pasted_file_as_customid_is_refused_by_length():
    assert problems("session.update", couponsession=CODE21, customid="x" * 100_000) == [
        "customid: must be at most 255 characters long (got 100000)"]


@pytest.mark.parametrize("value, found", [
    ("a\nb", "LF"), ("a\tb", "TAB"), ("a\x1b[31mb", "ESC"), ("a\u202eb", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("a\x9bb", "U+009B"), ("a\u200bb", "U+200B ZERO WIDTH SPACE")])
def test_control_characters_in_one_line_text_are_refused_with_their_name(value, found):
    assert problems("session.update", couponsession=CODE21, customid=value) == [
        f"customid: must be one line of text without control characters (found {found})"]


def test_a_push_message_may_have_line_breaks_but_no_escapes():
    assert ok("campaign.push_all", campaign="cam_1", message="Hello\nSee you")["message"] == "Hello\nSee you"
    assert problems("campaign.push_all", campaign="cam_1", message="Hi\x1b]2;x\x07") == [
        "message: must be text without control characters (line breaks allowed) (found ESC)"]


def test_a_secret_with_a_control_character_is_refused_without_echoing_it():
    found = problems("subaccount.update", subaccount="sub_1", password="hunter2\x1b")
    assert found == ["password: must be one line without control characters (found ESC)"]
    assert "hunter2" not in found[0]


def test_token_parameters_take_no_spaces():
    assert problems("singleuse.create_many", campaign="cam_1", code_prefix="AB 1") == [
        "code_prefix: must be letters, digits and . _ - : / only, no spaces (found ' ')"]


def test_an_escape_in_an_email_is_refused():
    assert problems("session.search", email="\x1b]2;x\x07a@example.com")[0].startswith(
        "email: must be an e-mail address")
