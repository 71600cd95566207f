"""No credential ever reaches the database file: not the client secret, not
the client ID (only its fingerprint), not secrets inside response bodies."""

from __future__ import annotations

import json

import pytest

from ctconsole.cache import ResponseCache, SecretParam, account_fingerprint

CLIENT_ID = "449141535434874233217388236"
CLIENT_SECRET = "fudEHVUwSDQDQSud9Ndg8Cwhc2c85a"
SUB_KEY = "771200458812390045512"
SUB_SECRET = "Zq81LmNoPr44StUv0WxYz2Ab"

SUBACCOUNT_INFO = json.dumps({
    "status": {"status": "OK"},
    "subaccount": {"ID": "sub_1536", "username": "subaccount1", "email": "info@companyname.com",
                   "api_key": SUB_KEY, "api_secret": SUB_SECRET, "access_stats": True,
                   "campaigns": [{"ID": "cam_1", "code": "abc123"}]},
}).encode()


def _files_bytes(db_path):
    return b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name))


def _fill(c, account):
    c.put(account, "campaign.list", {"only_active": True}, b'{"coupon_info":[{"ID":"cam_1"}]}')
    c.put(account, "session.info", {"couponsession": "Xk3PqR7aBc9DeF1gH2iJk"}, b'{"session":"x"}')
    c.put(account, "subaccount.info", {"subaccount": "sub_1536"}, SUBACCOUNT_INFO)
    c.get(account, "campaign.list", {"only_active": True})
    c.invalidate("campaign.list")


@pytest.mark.parametrize("closed", [False, True], ids=["while-open", "after-close"])
def test_database_files_hold_no_credentials(db_path, clock, closed):
    account = account_fingerprint(CLIENT_ID)
    c = ResponseCache(db_path, clock=clock)
    _fill(c, account)
    if closed:
        c.close()
    data = _files_bytes(db_path)
    assert b"cam_1" in data  # the files were really read
    for secret in (CLIENT_SECRET, CLIENT_ID, SUB_SECRET, SUB_KEY):
        assert secret.encode() not in data, secret
    c.close()


def test_bodies_with_credentials_are_stored_blanked_and_flagged(cache, account):
    cache.put(account, "subaccount.info", {"subaccount": "sub_1536"}, SUBACCOUNT_INFO)
    entry = cache.get(account, "subaccount.info", {"subaccount": "sub_1536"})
    assert entry.redacted
    sub = entry.json()["subaccount"]
    assert sub["api_secret"] == "" and sub["api_key"] == ""
    assert sub["email"] == "info@companyname.com" and sub["access_stats"] is True
    assert sub["campaigns"] == [{"ID": "cam_1", "code": "abc123"}]


def test_a_body_naming_a_secret_that_is_not_json_is_not_stored(cache, account):
    assert not cache.put(account, "subaccount.info", {"subaccount": "s"}, b'{"api_secret": "' + SUB_SECRET.encode())
    assert cache.get(account, "subaccount.info", {"subaccount": "s"}) is None
    assert all(SUB_SECRET not in w for w in cache.warnings)


def test_a_client_secret_parameter_is_refused_and_never_written(cache, db_path, account, caplog):
    with pytest.raises(SecretParam) as info:
        cache.put(account, "campaign.list", {"client_secret": CLIENT_SECRET}, b"{}")
    assert CLIENT_SECRET not in str(info.value)
    with pytest.raises(SecretParam):
        cache.get(account, "campaign.list", {"client_secret": CLIENT_SECRET})
    assert CLIENT_SECRET.encode() not in _files_bytes(db_path)
    assert CLIENT_SECRET not in caplog.text


@pytest.mark.parametrize("raw_account", [CLIENT_SECRET, CLIENT_ID])
def test_a_raw_credential_as_account_is_refused(cache, db_path, raw_account):
    with pytest.raises(ValueError) as info:
        cache.put(raw_account, "campaign.list", {}, b"{}")
    assert raw_account not in str(info.value)
    assert raw_account.encode() not in _files_bytes(db_path)
