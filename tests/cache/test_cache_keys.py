"""Cache keys: canonical, scoped by account fingerprint, never holding credentials."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.cache.keys import (
    SecretParam,
    account_fingerprint,
    cache_key,
    check_account,
    codes_match,
    is_secret_name,
    params_match,
)
from tests.cache.conftest import OTHER_SESSION, SESSION_LONG, SESSION_SHORT


def test_same_request_in_any_order_gives_one_key():
    a = cache_key("campaign.sessions", {"campaign": "cam_1003", "page": 2, "view": "claims"})
    b = cache_key("campaign.sessions", {"view": "claims", "page": 2, "campaign": "cam_1003"})
    assert a == b


def test_omitted_and_none_parameters_are_the_same_request():
    assert cache_key("campaign.info", {"campaign": "cam_1", "show_usage_stats": None}) == cache_key(
        "campaign.info", {"campaign": "cam_1"}
    )


@pytest.mark.parametrize(
    "a, b",
    [
        ({"campaign": "cam_1"}, {"campaign": "cam_2"}),
        ({"campaign": "cam_1"}, {"campaign": "cam_1", "show_usage_stats": True}),
        ({"campaign": "cam_1", "page": 1}, {"campaign": "cam_1", "page": "1"}),
    ],
)
def test_different_requests_get_different_keys(a, b):
    assert cache_key("campaign.info", a) != cache_key("campaign.info", b)


def test_operation_is_part_of_the_key():
    assert cache_key("session.info", {"couponsession": SESSION_LONG}) != cache_key(
        "session.search", {"couponsession": SESSION_LONG}
    )


@pytest.mark.parametrize(
    "name", ["client_secret", "X-Client-Secret", "api_secret", "password", "token", "client_id", "api_key"]
)
def test_credential_like_parameters_are_refused_without_echoing_the_value(name):
    with pytest.raises(SecretParam) as info:
        cache_key("campaign.list", {name: "hunter2-very-secret", "only_active": True})
    assert name in str(info.value)
    assert "hunter2" not in str(info.value)


@pytest.mark.parametrize("op", [op for op in CATALOGUE if op.is_read], ids=lambda op: op.name)
def test_every_read_in_the_catalogue_can_be_keyed_with_all_its_parameters(op):
    params = {p.name: "x" for p in op.params}
    key = cache_key(op.name, params)
    assert key.startswith(op.name + "?")
    for p in op.params:
        assert f'"{p.name}"' in key


def test_fingerprint_is_stable_per_client_and_hides_the_client_id():
    fp = account_fingerprint("449141535434874233217388236")
    assert fp == account_fingerprint("449141535434874233217388236")
    assert fp != account_fingerprint("449141535434874233217388237")
    assert len(fp) == 16 and all(c in "0123456789abcdef" for c in fp)
    assert "4491415" not in fp


def test_empty_client_id_has_no_fingerprint():
    with pytest.raises(ValueError):
        account_fingerprint("  ")


@pytest.mark.parametrize("raw", ["client-main-0001", "s3cr3t-Value", "", "ABCDEF0123456789"])
def test_only_fingerprints_are_accepted_as_accounts(raw):
    with pytest.raises(ValueError) as info:
        check_account(raw)
    assert raw == "" or raw not in str(info.value)


@pytest.mark.parametrize(
    "a, b, same",
    [
        (SESSION_LONG, SESSION_LONG, True),
        (SESSION_LONG, SESSION_SHORT, True),
        (SESSION_SHORT, SESSION_LONG, True),
        (SESSION_SHORT.lower(), SESSION_LONG, True),  # a needless refetch at worst
        (SESSION_LONG, OTHER_SESSION, False),
        (OTHER_SESSION[:6], SESSION_LONG, False),
        (SESSION_LONG[:3], SESSION_LONG, False),  # too short to be a session's short form
    ],
)
def test_short_and_long_session_codes(a, b, same):
    assert codes_match(a, b) is same


def test_params_match_uses_the_code_rule_only_for_code_parameters():
    assert params_match({"couponsession": SESSION_LONG}, {"couponsession": SESSION_SHORT})
    assert not params_match({"campaign": "cam_10031"}, {"campaign": "cam_1003"})


def test_params_match_list_means_any_of():
    entry = {"couponsession": OTHER_SESSION}
    assert params_match(entry, {"couponsession": [SESSION_LONG, OTHER_SESSION[:6]]})
    assert not params_match(entry, {"couponsession": [SESSION_LONG]})


def test_params_match_treats_a_missing_parameter_as_affected():
    assert params_match({"email": "a@example.com"}, {"campaign": "cam_1"})
    assert params_match({"campaign": "cam_1"}, None)


_names = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(lambda n: not is_secret_name(n))
_values = st.one_of(st.text(max_size=20), st.integers(-10**6, 10**6), st.booleans(),
                    st.lists(st.text("ABCdef0123", min_size=6, max_size=21), max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_names, _values, max_size=6), st.randoms())
def test_key_ignores_parameter_order(params, rnd):
    items = list(params.items())
    rnd.shuffle(items)
    assert cache_key("campaign.list", dict(items)) == cache_key("campaign.list", params)
