"""Every catalogue operation answers OK with the payload DESIGN.md documents."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ctconsole.api.catalogue import CATALOGUE, Catalogue
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, SandboxApp

from .conftest import MAIN, headers, ok, post

# Top-level payload keys per operation (DESIGN.md, "Wire format").
PAYLOAD = {
    "subaccount.list": {"amount_of_campaigns", "subaccount"},
    "subaccount.info": {"subaccount"},
    "subaccount.create": {"subaccount"},
    "subaccount.update": {"subaccount"},
    "subaccount.reset_url": {"subaccount", "url"},
    "subaccount.sso": {"subaccount"},
    "campaign.list": {"amount_of_campaigns", "coupon_info"},
    "campaign.info": {"coupon_info", "usage_stats"},
    "campaign.sessions": {"campaign", "action", "page", "amount_of_sessions", "data"},
    "session.info": {"campaign", "action", "session", "session_url", "sequenceid", "customid",
                     "customvalcode", "single_use_url", "data"},
    "session.update": {"campaign", "action", "session"},
    "session.update_many": {"action", "amount_updated", "sessions"},
    "session.search": {"amount_of_sessions", "sessions"},
    "campaign.session_search": {"amount_of_sessions", "sessions"},
    "campaign.push": set(),
    "campaign.push_all": {"amount_of_recipients"},
    "loyalty.list": {"amount_of_loyaltycards", "loyaltycard"},
    "loyalty.users": {"loyaltycard", "amount_of_users", "users"},
    "loyalty.user_update": {"loyaltycard", "user", "stamps", "points", "voided"},
    "loyalty.push": set(),
    "loyalty.push_all": {"amount_of_recipients"},
    "directory.list": {"amount_of_directories", "directory"},
    "directory.info": {"directory"},
    "directory.campaigns": {"directory", "amount_of_campaigns", "campaigns"},
    "directory.users": {"directory", "page", "amount_of_users", "users"},
    "directory.user_payment": {"directory", "user", "payment_status", "expiry_date"},
    "category.list": {"amount_of_categories", "category"},
    "category.level3": {"amount_of_categories", "category"},
    "singleuse.create": {"campaign", "action", "single_use_code", "sequence_id", "single_use_url",
                         "widget_validation_code", "customvalcode"},
    "singleuse.create_many": {"campaign", "action", "data"},
    "singleuse.remove": {"campaign", "action", "couponsession"},
    "webhook.verify": {"result", "webhook", "date", "campaign", "session", "type"},
    "auth.check": set(),
}

# Keys of list items / nested objects.
SUB_ITEM = {"ID", "username", "company_name", "first_name", "last_name", "email", "package",
            "language", "lastlogin", "amountlogin", "currency", "max_campaigns", "expiry_date",
            "api_key", "api_secret", "has_campaigns", "campaigns"}
PERMS = {"access_dashboard", "access_directory", "access_validation_widget", "access_settings",
         "access_validation_app", "access_support", "access_contactpage", "access_stats",
         "access_stats_export", "email_report", "show_amount_campaigns", "access_addcampaign",
         "access_updatecampaign", "access_removecampaign", "access_loyaltycards",
         "access_addloyalty", "access_updateloyalty", "access_removeloyalty", "enable_webhooks",
         "enable_review_manager"}
CAMPAIGN_ITEM = {"ID", "code", "name", "title", "type", "status", "url", "folder", "tags",
                 "category", "created_date", "start_date", "end_date", "amount_of_sessions"}
SESSION_ROW = {"session", "session_url", "sequenceid", "customid", "created_date_utc", "opened",
               "open_date_utc", "played", "played_date_utc", "claimed", "claim_date_utc",
               "claimtype", "saved_to_passbook", "validated", "validation_date_utc", "voided",
               "voided_date_utc", "firstname", "lastname", "email", "phone", "customvalcode"}
SESSION_STATUS = {"created_date_utc", "opened", "open_date_utc", "played", "played_date_utc",
                  "claimed", "claim_date_utc", "claimtype", "saved_to_passbook", "validated",
                  "validation_date_utc", "validation_value", "voided", "voided_date_utc", "locked"}
FOUND = {"session", "campaign", "session_url", "sequenceid", "customid", "customvalcode",
         "firstname", "lastname", "email", "phone", "created_date_utc"}
CARD = {"ID", "name", "type", "code", "url", "status", "created_date", "stamps_required",
        "amount_of_users"}
LUSER = {"ID", "firstname", "lastname", "email", "phone", "stamps", "points", "voided",
         "saved_to_wallet", "created_date_utc", "last_activity_utc"}
DIRECTORY = {"ID", "name", "url", "status", "login_required", "payment_required", "created_date"}
DUSER = {"ID", "firstname", "lastname", "email", "phone", "registration_date_utc",
         "payment_status", "payment_expiry_date", "blocked"}
CREATED = {"single_use_code", "sequence_id", "single_use_url", "widget_validation_code",
           "customvalcode"}

# Where the API sends real JSON numbers / booleans; everything else is a string.
NUMBERS = {"subaccount.list": {"amount_of_campaigns", "amountlogin", "max_campaigns",
                               "has_campaigns"},
           "singleuse.create": {"sequence_id"}, "singleuse.create_many": {"sequence_id"}}


def valid_params(app) -> dict[str, dict]:
    state = app.state
    cam_1001 = state.sessions.order["cam_1001"]
    validated = next(c for c in cam_1001 if state.sessions.records[c]["validated"] == "1")
    evt = next(iter(state.webhooks.values()))
    claimed = state.sessions.records[cam_1001[3]]
    return {
        "subaccount.info": {"subaccount": "sub_2001"},
        "subaccount.create": {"email": "new.client@example.com", "expiry_date": "2027-12-31",
                              "status": "trial", "country": "BE"},
        "subaccount.update": {"subaccount": "sub_2002", "company_name": "Garcia Bakery Inc."},
        "subaccount.reset_url": {"subaccount": "sub_2001"},
        "subaccount.sso": {"subaccount": "sub_2001", "page": "update_campaign",
                           "campaign": "cam_2101"},
        "campaign.list": {"only_active": True},
        "campaign.info": {"campaign": "cam_1001", "show_usage_stats": True},
        "campaign.sessions": {"campaign": "cam_1001"},
        "session.info": {"couponsession": cam_1001[0]},
        "session.update": {"couponsession": cam_1001[1], "claimed": True},
        "session.update_many": {"couponsessions": cam_1001[:3], "locked": True},
        "session.search": {"email": claimed["email"]},
        "campaign.session_search": {"campaign": "cam_1001", "email": claimed["email"]},
        "campaign.push": {"campaign": "cam_1001", "couponsession": validated, "message": "Hi!"},
        "campaign.push_all": {"campaign": "cam_1001", "message": "Last day!"},
        "loyalty.users": {"loyaltycard": "loy_3001"},
        "loyalty.user_update": {"loyaltycard": "loy_3001", "user": "lus_30010", "stamps": 1},
        "loyalty.push": {"loyaltycard": "loy_3001", "user": "lus_30010", "message": "1 more!"},
        "loyalty.push_all": {"loyaltycard": "loy_3002", "message": "Double points today"},
        "directory.info": {"directory": "dir_5001"},
        "directory.campaigns": {"directory": "dir_5001"},
        "directory.users": {"directory": "dir_5001"},
        "directory.user_payment": {"directory": "dir_5002", "user": state.directories["dir_5002"]
                                   ["users"][0]["ID"], "payment_status": "paid",
                                   "expiry_date": "2027-06-30"},
        "singleuse.create": {"campaign": "cam_1005", "email": "zoe.martin@example.com"},
        "singleuse.create_many": {"campaign": "cam_1005", "amount": 3},
        "singleuse.remove": {"campaign": "cam_1005",
                             "couponsession": state.sessions.order["cam_1005"][-1]},
        "webhook.verify": {"webhook": evt["webhook"], "session": evt["session"]},
    }


def _walk(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    else:
        yield key, value


@pytest.mark.parametrize("name", [op.name for op in CATALOGUE])
async def test_every_operation_answers_ok_with_documented_payload(app, http, name):
    body = ok(await post(http, name, **valid_params(app).get(name, {})))
    assert set(body) - {"status"} == PAYLOAD[name]
    for key, value in _walk({k: v for k, v in body.items() if k != "status"}):
        if key in NUMBERS.get(name, ()):
            assert type(value) is int, (key, value)
        elif name == "subaccount.info" and key in PERMS:
            assert type(value) is bool, (key, value)
        else:
            assert isinstance(value, str), (key, value)


async def test_list_items_carry_documented_keys(app, http):
    listing = ok(await post(http, "subaccount.list"))
    subs = listing["subaccount"]
    assert listing["amount_of_campaigns"] == len(subs) == 5  # the API's name for the count
    assert all(set(s) == SUB_ITEM for s in subs)
    assert all(set(c) == {"ID", "code", "url", "status"} for s in subs for c in s["campaigns"])
    info = ok(await post(http, "subaccount.info", subaccount="sub_2001"))["subaccount"]
    assert set(info) == SUB_ITEM | PERMS | {"webhook_endpoint", "available_campaigns",
                                            "shown_templates", "buildertype", "webhook_type",
                                            "integrations"}
    assert info["has_campaigns"] == "3" and info["available_campaigns"] == "2"
    camps = ok(await post(http, "campaign.list"))["coupon_info"]
    assert all(set(c) == CAMPAIGN_ITEM for c in camps)
    page = ok(await post(http, "campaign.sessions", campaign="cam_1001"))["data"]
    assert all(set(r) == SESSION_ROW for r in page)
    code = page[0]["session"]
    info = ok(await post(http, "session.info", couponsession=code))
    assert set(info["data"]["status"]) == SESSION_STATUS
    assert set(info["data"]["user"]) == {"firstname", "lastname", "email", "phone"}
    cards = ok(await post(http, "loyalty.list"))["loyaltycard"]
    assert all(set(c) == CARD for c in cards)
    users = ok(await post(http, "loyalty.users", loyaltycard="loy_3002"))["users"]
    assert all(set(u) == LUSER for u in users) and users
    dirs = ok(await post(http, "directory.list"))["directory"]
    assert all(set(d) == DIRECTORY for d in dirs)
    dinfo = ok(await post(http, "directory.info", directory="dir_5002"))["directory"]
    assert set(dinfo) == DIRECTORY | {"description", "amount_of_users", "amount_of_campaigns",
                                      "amount_of_loyaltycards", "category"}
    dusers = ok(await post(http, "directory.users", directory="dir_5002"))["users"]
    assert all(set(u) == DUSER for u in dusers)
    assert {u["payment_status"] for u in dusers} == {"paid", "unpaid"}
    cats = ok(await post(http, "category.level3"))["category"]
    assert all(set(c) == {"ID", "name", "parent"} and c["parent"].startswith("cat_") for c in cats)
    batch = ok(await post(http, "singleuse.create_many", campaign="cam_1005", amount=2))
    assert batch["action"] == " multiple_single_use_codes_created"
    assert all(set(d) == CREATED for d in batch["data"])
    found = ok(await post(http, "session.search", email=info["data"]["user"]["email"] or
                          "anna.peeters@example.com"))
    assert all(set(s) == FOUND for s in found["sessions"])


async def test_flags_dates_and_codes_follow_the_wire_conventions(http):
    rows = ok(await post(http, "campaign.sessions", campaign="cam_1001"))["data"]
    date = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
    for row in rows:
        assert re.fullmatch(r"[A-Za-z0-9]{21}", row["session"])
        assert row["session_url"] == f"https://digicpn.com/p/wk7c0f/{row['session']}"
        for flag, when in (("opened", "open_date_utc"), ("played", "played_date_utc"),
                           ("claimed", "claim_date_utc"), ("validated", "validation_date_utc"),
                           ("voided", "voided_date_utc")):
            assert row[flag] in ("0", "1")
            assert (row[when] == "") == (row[flag] == "0"), row
            assert row[when] == "" or date.fullmatch(row[when])
        assert row["claimtype"] in ("", "email", "sms", "wallet", "print", "direct")
        assert row["created_date_utc"] <= "2026-11-20 12:00:00"


async def test_every_lifecycle_state_is_present(app, http):
    rows = ok(await post(http, "campaign.sessions", campaign="cam_1001"))["data"]
    info = [ok(await post(http, "session.info", couponsession=r["session"]))["data"]["status"]
            for r in rows]
    assert any(r["opened"] == "0" for r in rows)  # created only
    assert any(r["opened"] == "1" and r["played"] == "0" for r in rows)
    assert any(r["played"] == "1" and r["claimed"] == "0" for r in rows)
    assert {r["claimtype"] for r in rows} >= {"email", "sms", "wallet", "print", "direct"}
    assert any(r["validated"] == "1" for r in rows) and any(r["voided"] == "1" for r in rows)
    assert any(s["locked"] == "1" for s in info)
    assert any(r["saved_to_passbook"] == "1" for r in rows)
    assert any(r["claimed"] == "1" and r["saved_to_passbook"] == "0" for r in rows)
    assert any(r["customid"] for r in rows)
    vip = ok(await post(http, "campaign.sessions", campaign="cam_1005"))["data"]
    assert all(r["customvalcode"] and r["customid"] for r in vip)
    one = ok(await post(http, "session.info", couponsession=vip[0]["session"]))
    assert one["single_use_url"] == vip[0]["session_url"]


async def test_hostile_text_is_served_verbatim_only_where_planted(http):
    rows = ok(await post(http, "campaign.sessions", campaign="cam_1006"))["data"]
    names = " ".join(r["firstname"] + r["lastname"] for r in rows)
    for planted in ("[bold red]x[/]", "\x1b]2;pwned\x07", "\x1b]52;c;ZXZpbA==\x07", "\x9b",
                    "\u202e"):
        assert planted in names
    assert max(len(r["lastname"]) for r in rows) > 2000
    users = ok(await post(http, "loyalty.users", loyaltycard="loy_3001"))["users"]
    assert sum("\x1b" in u["lastname"] for u in users) == 1
    clean = ok(await post(http, "campaign.sessions", campaign="cam_1001"))["data"]
    assert not any(ch in r["firstname"] + r["lastname"] for r in clean for ch in "\x1b[\u202e")


async def test_no_params_body_may_be_empty_array_or_empty(http):
    for content in (b"[]", b"", b"{}"):
        response = await http.post("/v3/category/list", content=content, headers=headers())
        assert ok(response.json())["amount_of_categories"] == "9"


async def test_credentials_in_body_fields_and_form_encoding(http):
    body = {"client_id": MAIN[0], "client_secret": MAIN[1]}
    assert ok((await http.post("/v3/authentication", json=body)).json())
    form = await http.post("/v3/coupon/info", data={**body, "campaign": "cam_1002"})
    assert ok(form.json())["coupon_info"]["name"] == "Spring sale 2026 — 15% off"


async def test_c3_variant_paths_filter_the_view(http):
    counts = {}
    for view in ("all", "opens", "claims", "validations"):
        page = ok(await post(http, "campaign.sessions", view=view, campaign="cam_1001"))
        counts[view] = int(page["amount_of_sessions"])
        flag = {"opens": "opened", "claims": "claimed", "validations": "validated"}.get(view)
        assert flag is None or all(r[flag] == "1" for r in page["data"])
    assert counts["all"] > counts["opens"] > counts["claims"] > counts["validations"] > 0


async def test_unknown_path_is_404_json_and_get_is_405(http):
    response = await http.post("/v3/nothing/here", json={}, headers=headers())
    assert response.status_code == 404
    assert response.json()["status"]["status"] == "failed"
    response = await http.get("/v3/coupon/list", headers=headers())
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["status"]["status"] == "failed"


def test_demo_credentials_and_handler_coverage():
    assert DEMO_CLIENT_ID == "ct_demo_main" and len(DEMO_CLIENT_SECRET) == 30
    extra = Catalogue((*CATALOGUE.operations,
                       replace(CATALOGUE.get("auth.check"), name="auth.extra", path="/v3/x")))
    with pytest.raises(RuntimeError, match="no handler for: auth.extra"):
        SandboxApp(catalogue=extra)
