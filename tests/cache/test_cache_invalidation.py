"""Invalidation after every write in the catalogue.

A cache is filled with realistic entries for every read. For each write,
the table below says, as a person who knows the API would, which of those
entries the write MUST make stale and which it MAY (the catalogue is free to
be coarser or finer there); every other entry must stay fresh.
"""

from __future__ import annotations

import pytest

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.cache import account_fingerprint, invalidate_after_write, stale_targets
from tests.cache.conftest import OTHER_SESSION, SESSION_LONG, SESSION_SHORT

THIRD_SESSION = "Qq1Ww2Ee3Rr4Tt5Yy6Uu7"

#: label -> (read operation, params). SESSION_LONG and OTHER_SESSION belong
#: to cam_1003, THIRD_SESSION (cached under its short code) to cam_1004.
ENTRIES = {
    "subaccounts": ("subaccount.list", {}),
    "sub_1001": ("subaccount.info", {"subaccount": "sub_1001"}),
    "sub_1002": ("subaccount.info", {"subaccount": "sub_1002"}),
    "campaigns": ("campaign.list", {}),
    "campaigns_active": ("campaign.list", {"only_active": True}),
    "info_1003": ("campaign.info", {"campaign": "cam_1003", "show_usage_stats": True}),
    "info_1004": ("campaign.info", {"campaign": "cam_1004"}),
    "sessions_1003": ("campaign.sessions", {"campaign": "cam_1003"}),
    "claims_1003_p2": ("campaign.sessions", {"campaign": "cam_1003", "view": "claims", "page": 2}),
    "sessions_1004": ("campaign.sessions", {"campaign": "cam_1004"}),
    "session_1": ("session.info", {"couponsession": SESSION_LONG}),
    "session_2": ("session.info", {"couponsession": OTHER_SESSION}),
    "session_3_short": ("session.info", {"couponsession": THIRD_SESSION[:6]}),
    "search_email": ("session.search", {"email": "ana@example.com"}),
    "search_1003": ("campaign.session_search", {"campaign": "cam_1003", "phone": "+3212345678"}),
    "search_1004": ("campaign.session_search", {"campaign": "cam_1004", "customvalcode": "VAL-77"}),
    "cards": ("loyalty.list", {}),
    "users_loy_1": ("loyalty.users", {"loyaltycard": "loy_1"}),
    "users_loy_2": ("loyalty.users", {"loyaltycard": "loy_2"}),
    "directories": ("directory.list", {}),
    "dir_1": ("directory.info", {"directory": "dir_1"}),
    "dir_2": ("directory.info", {"directory": "dir_2"}),
    "dir_1_campaigns": ("directory.campaigns", {"directory": "dir_1"}),
    "dir_1_users": ("directory.users", {"directory": "dir_1"}),
    "dir_1_users_p2": ("directory.users", {"directory": "dir_1", "page": 2}),
    "dir_2_users": ("directory.users", {"directory": "dir_2"}),
    "categories": ("category.list", {}),
    "categories_l3": ("category.level3", {}),
    "webhook": ("webhook.verify", {"webhook": "evt_1", "session": SESSION_LONG}),
    "auth": ("auth.check", {}),
}

CAM_1003_VIEWS = {"info_1003", "sessions_1003", "claims_1003_p2", "search_1003", "search_email"}
# The catalogue may stale other campaigns' views (a session write does not
# say which campaign it is in), and campaign.list's session counts.
CAM_1004_VIEWS = {"info_1004", "sessions_1004", "search_1004", "campaigns", "campaigns_active"}

#: write -> (its params, must become stale, may become stale)
EXPECTED = {
    "subaccount.create": ({"email": "new@example.com", "first_name": "Nel", "status": "trial"},
                          {"subaccounts"}, set()),
    "subaccount.update": ({"subaccount": "sub_1001", "company_name": "Acme"},
                          {"subaccounts", "sub_1001"}, set()),
    "subaccount.reset_url": ({"subaccount": "sub_1001"}, set(), set()),
    "subaccount.sso": ({"subaccount": "sub_1001", "page": "campaigns"}, set(), set()),
    "session.update": ({"couponsession": SESSION_SHORT, "validated": True},
                       {"session_1"} | CAM_1003_VIEWS, CAM_1004_VIEWS),
    "session.update_many": ({"couponsessions": [SESSION_LONG, OTHER_SESSION], "voided": True},
                            {"session_1", "session_2"} | CAM_1003_VIEWS,
                            CAM_1004_VIEWS | {"session_3_short"}),
    "campaign.push": ({"campaign": "cam_1003", "couponsession": SESSION_LONG, "message": "Hi"},
                      set(), set()),
    "campaign.push_all": ({"campaign": "cam_1003", "message": "Hi all"}, set(), set()),
    "loyalty.user_update": ({"loyaltycard": "loy_1", "user": "lus_9", "stamps": 1},
                            {"users_loy_1", "cards"}, set()),
    "loyalty.push": ({"loyaltycard": "loy_1", "user": "lus_9", "message": "Hi"}, set(), set()),
    "loyalty.push_all": ({"loyaltycard": "loy_1", "message": "Hi all"}, set(), set()),
    "directory.user_payment": ({"directory": "dir_1", "user": "reg_5", "payment_status": "paid"},
                               {"dir_1_users", "dir_1_users_p2", "dir_1"}, set()),
    "singleuse.create": ({"campaign": "cam_1003", "email": "ana@example.com"},
                         CAM_1003_VIEWS, CAM_1004_VIEWS),
    "singleuse.create_many": ({"campaign": "cam_1003", "amount": 25}, CAM_1003_VIEWS, CAM_1004_VIEWS),
    "singleuse.remove": ({"campaign": "cam_1003", "couponsession": SESSION_LONG},
                         {"session_1"} | CAM_1003_VIEWS, CAM_1004_VIEWS),
}


def test_the_table_covers_every_write_and_every_read():
    assert set(EXPECTED) == {op.name for op in CATALOGUE if not op.is_read}
    assert {op for op, _ in ENTRIES.values()} == {op.name for op in CATALOGUE if op.is_read}
    for name, (_, must, may) in EXPECTED.items():
        assert (must | may) <= set(ENTRIES), name


def _fill(cache, account):
    for op, params in ENTRIES.values():
        assert cache.put(account, op, params, b'{"status":{"status":"OK"}}')


def _stale_labels(cache, account):
    return {label for label, (op, params) in ENTRIES.items() if cache.get(account, op, params).stale}


@pytest.mark.parametrize("write", sorted(EXPECTED))
def test_write_makes_exactly_the_affected_reads_stale(cache, account, write):
    params, must, may = EXPECTED[write]
    _fill(cache, account)
    invalidate_after_write(cache, CATALOGUE.get(write), params)
    stale = _stale_labels(cache, account)
    assert must <= stale, f"{write} left stale data looking fresh: {sorted(must - stale)}"
    assert stale <= must | may, f"{write} needlessly staled: {sorted(stale - must - may)}"


def test_a_write_through_one_account_stales_every_accounts_copy(cache, account):
    sub = account_fingerprint("subaccount-key-1536")
    for who in (account, sub):
        cache.put(who, "session.info", {"couponsession": SESSION_LONG}, b"{}")
    invalidate_after_write(cache, CATALOGUE.get("session.update"), {"couponsession": SESSION_LONG})
    assert cache.get(account, "session.info", {"couponsession": SESSION_LONG}).stale
    assert cache.get(sub, "session.info", {"couponsession": SESSION_LONG}).stale


def test_invalidation_can_be_limited_to_one_account(cache, account):
    sub = account_fingerprint("subaccount-key-1536")
    for who in (account, sub):
        cache.put(who, "loyalty.list", {}, b"{}")
    assert cache.invalidate("loyalty.list", None, account=sub) == 1
    assert not cache.get(account, "loyalty.list", {}).stale


@pytest.mark.parametrize(
    "written, cached",
    [(SESSION_SHORT, SESSION_LONG), (SESSION_LONG, SESSION_SHORT), (SESSION_LONG.upper()[:6], SESSION_LONG)],
    ids=["short-write-long-entry", "long-write-short-entry", "short-write-other-case"],
)
def test_session_codes_match_across_short_and_long_forms(cache, account, written, cached):
    cache.put(account, "session.info", {"couponsession": cached}, b"{}")
    cache.put(account, "session.info", {"couponsession": OTHER_SESSION}, b"{}")
    invalidate_after_write(cache, CATALOGUE.get("session.update"), {"couponsession": written, "claimed": True})
    assert cache.get(account, "session.info", {"couponsession": cached}).stale
    assert not cache.get(account, "session.info", {"couponsession": OTHER_SESSION}).stale


def test_stale_targets_names_reads_and_the_values_to_match():
    targets = stale_targets(CATALOGUE.get("subaccount.update"), {"subaccount": "sub_1001", "first_name": "A"})
    assert ("subaccount.info", {"subaccount": "sub_1001"}) in targets
    assert ("subaccount.list", {}) in targets


def test_a_write_missing_the_matched_parameter_stales_every_entry():
    # Defensive: validation normally guarantees the parameter; if not, be safe.
    targets = stale_targets(CATALOGUE.get("subaccount.update"), {})
    assert ("subaccount.info", {}) in targets


def test_a_read_has_nothing_to_invalidate():
    assert stale_targets(CATALOGUE.get("campaign.info"), {"campaign": "cam_1"}) == []
