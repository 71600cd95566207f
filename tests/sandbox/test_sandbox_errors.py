"""Every error code path, auth failures and subaccount scoping, on the wire."""

from __future__ import annotations

import pytest

from .conftest import errors, headers, ok, post


async def test_bad_credentials_get_shape_a_code_1000(http):
    for creds in (("ct_demo_main", "wrong"), ("nobody", "x" * 30)):
        body = await post(http, "campaign.list", creds)
        assert body == {"status": {"status": "failed", "errors": {
            "error_code": 1000,
            "error_message": "HTTP/1.0 401 Unauthorized. Client ID or Secret not correct."}}}
    response = await http.post("/v3/coupon/list", json={})  # no credentials at all
    assert response.json()["status"]["errors"]["error_code"] == 1000


@pytest.mark.parametrize(("name", "params", "expected"), [
    ("campaign.info", {}, (200, "Missing parameter: campaign")),
    ("campaign.info", {"campaign": "12345"}, (301, "Invalid character in parameter: campaign")),
    ("campaign.info", {"campaign": "cam_99999"}, (502, "Campaign ID not found")),
    ("loyalty.list", {"sorting": "sideways"}, (302, "Invalid value in parameter: sorting")),
    ("campaign.list", {"only_active": "maybe"}, (302, "Invalid value in parameter: only_active")),
    ("subaccount.create", {"email": "x@example.com", "expiry_date": "31/12/2027"},
     (303, "Invalid format in parameter: expiry_date. Required format: yyyy-MM-dd")),
    ("campaign.sessions", {"campaign": "cam_1001", "start_date": "yesterday"},
     (303, "Invalid format in parameter: start_date. Required format: yyyy-MM-dd hh-mm")),
    ("subaccount.create", {"email": "lotte@brasserie-peeters.example.com"},
     (304, "Email already exists")),
    ("subaccount.create", {"email": "not-an-address"}, (305, "Email address is not valid")),
    ("session.info", {"couponsession": "zzzzzzzzzzzzzzzzzzzzz"}, (505, "Couponsession not found.")),
    ("session.info", {"couponsession": "abc"}, (301, "Invalid character in parameter: couponsession")),
    ("directory.info", {"directory": "dir_4040"}, (507, "Directory ID not found")),
    ("webhook.verify", {"webhook": "evt_" + "A" * 20}, (509, "Webhook not found.")),
    ("webhook.verify", {"webhook": "evt_short"}, (301, "Invalid character in parameter: webhook")),
    ("subaccount.info", {"subaccount": "sub_9999"}, (510, "Subaccount ID not correct.")),
    ("loyalty.users", {"loyaltycard": "loy_404"}, (511, "Loyalty card ID not found")),
    ("loyalty.user_update", {"loyaltycard": "loy_3001", "user": "lus_1", "stamps": 1},
     (512, "User ID not found")),
    ("directory.user_payment", {"directory": "dir_5002", "user": "reg_1", "payment_status": "paid"},
     (512, "User ID not found")),
    ("singleuse.create_many", {"campaign": "cam_1005", "amount": 100001},
     (300, "Wrong value in parameter: amount")),
    ("singleuse.create", {"campaign": "cam_1005", "expiry_date": "2027-01-01"},
     (303, "Invalid format in parameter: expiry_date. Required format: yyyy-MM-dd:HH:mm:ss")),
    ("subaccount.sso", {"subaccount": "sub_2001", "page": "update_campaign"},
     (200, "Missing parameter: campaign")),
    ("subaccount.sso", {"subaccount": "sub_2001", "page": "update_campaign",
                        "campaign": "cam_1001"}, (502, "Campaign ID not found")),
    ("singleuse.create_many", {"campaign": "cam_1005", "automated_codes": True},
     (200, "Missing parameter: code_prefix")),
])
async def test_error_codes_and_messages(http, name, params, expected):
    assert expected in errors(await post(http, name, **params))


async def test_every_problem_is_reported_at_once(http):
    problems = errors(await post(http, "directory.user_payment", directory="5002",
                                 payment_status="free"))
    assert problems == [(301, "Invalid character in parameter: directory"),
                        (200, "Missing parameter: user"),
                        (302, "Invalid value in parameter: payment_status")]


async def test_stamps_and_points_cannot_go_below_zero(app, http):
    user = app.state.loyalty["loy_3001"]["users"]["lus_30010"]
    before = user["stamps"]
    body = await post(http, "loyalty.user_update", loyaltycard="loy_3001", user="lus_30010",
                      stamps=-(int(before) + 1))
    assert errors(body) == [(300, "Stamps cannot go below zero")]
    body = await post(http, "loyalty.user_update", loyaltycard="loy_3002", user="lus_30020",
                      points=-10**6)
    assert errors(body) == [(300, "Points cannot go below zero")]
    assert user["stamps"] == before  # nothing changed


async def test_push_failures_use_shape_c(app, http):
    body = await post(http, "campaign.push", campaign="cam_1001",
                      couponsession="zzzzzzzzzzzzzzzzzzzzz", message="hi")
    assert body == {"status": {"status": "failed"}, "errors": {
        "error_message": "HTTP/1.0 422 Unprocessable entity.",
        "error_message_description": ["Couponsession not found."], "error_code": [505]}}
    body = await post(http, "loyalty.push_all", loyaltycard="loy_3001")
    assert body["errors"]["error_code"] == [200] and "errors" not in body["status"]


async def test_push_to_a_session_without_wallet_pass_is_accepted(app, http):
    store = app.state.sessions
    code = next(c for c in store.order["cam_1001"] if store.records[c]["saved_to_passbook"] == "0")
    ok(await post(http, "campaign.push", campaign="cam_1001", couponsession=code[:6],
                  message="Still valid today"))


async def test_body_that_is_not_an_object_is_a_300_failure(http):
    for content in (b"[1, 2]", b'"text"', b"{not json"):
        response = await http.post("/v3/coupon/list", content=content, headers=headers())
        assert errors(response.json())[0][0] == 300
    response = await http.post("/v3/coupon/pushnotification/all", content=b"42", headers=headers())
    assert response.json()["errors"]["error_code"] == [300]


async def test_update_many_with_one_unknown_code_changes_nothing(app, http):
    codes = app.state.sessions.order["cam_1002"][:2]
    body = await post(http, "session.update_many", couponsessions=[*codes, "zzzzzz"],
                      voided=True)
    assert errors(body) == [(505, "Couponsession not found.")]
    assert all(app.session(c)["voided"] == "0" for c in codes)


# -- subaccounts -------------------------------------------------------------------

def _sub(app, sid):
    return app.subaccount_credentials()[sid]


@pytest.mark.parametrize("name", ["subaccount.list", "subaccount.info", "subaccount.create",
                                  "subaccount.update", "subaccount.reset_url", "subaccount.sso"])
async def test_subaccount_credentials_on_subaccount_management_get_102(app, http, name):
    body = await post(http, name, _sub(app, "sub_2001"), subaccount="sub_2001",
                      email="x@example.com")
    assert errors(body) == [(102, "Subaccounts do not have subaccounts.")]


async def test_subaccount_credentials_come_from_the_list_and_see_only_their_own(app, http):
    subs = ok(await post(http, "subaccount.list"))["subaccount"]
    creds = {s["ID"]: (s["api_key"], s["api_secret"]) for s in subs}
    assert len(set(creds.values())) == 5 and all(len(s) == 30 for _, s in creds.values())
    camps = ok(await post(http, "campaign.list", creds["sub_2001"]))["coupon_info"]
    assert [c["ID"] for c in camps] == ["cam_2101", "cam_2102", "cam_2103"]
    assert ok(await post(http, "campaign.list", creds["sub_2004"]))["amount_of_campaigns"] == "0"
    # the main account's entities are invisible to a subaccount, and the other way round
    assert errors(await post(http, "campaign.info", creds["sub_2001"], campaign="cam_1001")) == [
        (502, "Campaign ID not found")]
    assert errors(await post(http, "campaign.info", campaign="cam_2101")) == [
        (502, "Campaign ID not found")]
    main_code = app.state.sessions.order["cam_1001"][0]
    sub_code = app.state.sessions.order["cam_2101"][0]
    assert errors(await post(http, "session.info", creds["sub_2001"], couponsession=main_code))[0][0] == 505
    assert ok(await post(http, "session.info", creds["sub_2001"], couponsession=sub_code))
    cards = ok(await post(http, "loyalty.list", creds["sub_2001"]))["loyaltycard"]
    assert [c["ID"] for c in cards] == ["loy_3101"]
    assert errors(await post(http, "loyalty.users", creds["sub_2001"], loyaltycard="loy_3001"))[0][0] == 511
    dirs = ok(await post(http, "directory.list", creds["sub_2005"]))["directory"]
    assert [d["ID"] for d in dirs] == ["dir_5101"]
    assert errors(await post(http, "directory.info", creds["sub_2005"], directory="dir_5001"))[0][0] == 507
    found = ok(await post(http, "session.search", creds["sub_2002"], email="anna.peeters@example.com"))
    assert all(s["campaign"] == "cam_2201" for s in found["sessions"])


async def test_expired_and_empty_subaccounts_are_in_the_list(http):
    subs = {s["ID"]: s for s in ok(await post(http, "subaccount.list"))["subaccount"]}
    assert subs["sub_2003"]["expiry_date"] < "2026-11-20"
    assert subs["sub_2004"]["has_campaigns"] == 0 and subs["sub_2004"]["campaigns"] == []
    assert sorted(s["has_campaigns"] for s in subs.values()) == [0, 1, 2, 3, 4]
