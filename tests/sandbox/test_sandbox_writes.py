"""Writes change what later reads return."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx

from ctconsole.sandbox import make_sandbox_app

from .conftest import errors, ok, post


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 21, 9, 30, 5, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def _unclaimed(app, cid="cam_1001"):
    store = app.state.sessions
    return next(c for c in store.order[cid] if store.records[c]["claimed"] == "0"
                and store.records[c]["opened"] == "1")


async def test_validating_sets_timestamp_and_implies_claimed():
    clock = Clock()
    app = make_sandbox_app(big_sessions=100, now=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as http:
        code = _unclaimed(app)
        body = ok(await post(http, "session.update", couponsession=code[:6], validated=True,
                             validation_value="12.50"))
        assert body == {"status": {"status": "OK"}, "campaign": "cam_1001",
                        "action": "couponsession_updated", "session": code}
        status = ok(await post(http, "session.info", couponsession=code))["data"]["status"]
        assert status["validated"] == "1" and status["validation_date_utc"] == "2026-11-21 09:30:05"
        assert status["claimed"] == "1" and status["claim_date_utc"] == "2026-11-21 09:30:05"
        assert status["validation_value"] == "12.50"
        # the validation fired a webhook event that verifies
        evt = [e for e in app.state.webhooks.values() if e["session"] == code]
        assert len(evt) == 1
        check = ok(await post(http, "webhook.verify", webhook=evt[0]["webhook"], session=code))
        assert check["type"] == "coupon_validated" and check["date"] == "2026-11-21 09:30:05"


async def test_void_then_unvoid_lock_and_customid(app, http):
    code = _unclaimed(app, "cam_1002")
    ok(await post(http, "session.update", couponsession=code, voided=True, locked=True,
                  customid="crm-42"))
    info = ok(await post(http, "session.info", couponsession=code))
    assert info["customid"] == "crm-42"
    assert info["data"]["status"]["voided"] == "1" and info["data"]["status"]["locked"] == "1"
    assert info["data"]["status"]["voided_date_utc"] == "2026-11-20 12:00:00"
    ok(await post(http, "session.update", couponsession=code, voided=False, locked=False))
    status = ok(await post(http, "session.info", couponsession=code))["data"]["status"]
    assert (status["voided"], status["voided_date_utc"], status["locked"]) == ("0", "", "0")


async def test_big_campaign_write_is_an_overlay_seen_by_every_read(app, http):
    page = ok(await post(http, "campaign.sessions", campaign="cam_1003", page=2))["data"]
    row = next(r for r in page if r["validated"] == "0" and r["voided"] == "0")
    before = ok(await post(http, "campaign.info", campaign="cam_1003",
                           show_usage_stats=True))["usage_stats"]
    ok(await post(http, "session.update", couponsession=row["session"], validated=True))
    assert len(app.state.sessions.overlay) == 1
    again = ok(await post(http, "campaign.sessions", campaign="cam_1003", page=2))["data"]
    changed = next(r for r in again if r["session"] == row["session"])
    assert changed["validated"] == "1" and changed["validation_date_utc"] == "2026-11-20 12:00:00"
    after = ok(await post(http, "campaign.info", campaign="cam_1003",
                          show_usage_stats=True))["usage_stats"]
    assert int(after["validated"]) == int(before["validated"]) + 1
    validations = ok(await post(http, "campaign.sessions", view="validations",
                                campaign="cam_1003", page=1, start_date=row["created_date_utc"][:10],
                                end_date=row["created_date_utc"][:10]))
    assert row["session"] in [r["session"] for r in validations["data"]]


async def test_update_many_changes_every_session(app, http):
    codes = app.state.sessions.order["cam_1004"][:4]
    body = ok(await post(http, "session.update_many", couponsessions=[c[:6] for c in codes],
                         claimed=True))
    assert body["amount_updated"] == "4" and body["sessions"] == codes
    rows = ok(await post(http, "campaign.sessions", campaign="cam_1004"))["data"]
    assert all(r["claimed"] == "1" for r in rows if r["session"] in codes)


async def test_loyalty_deltas_and_void(app, http):
    user = dict(app.state.loyalty["loy_3002"]["users"]["lus_30021"])
    body = ok(await post(http, "loyalty.user_update", loyaltycard="loy_3002", user="lus_30021",
                         points=250, voided=True))
    assert body["points"] == str(int(user["points"]) + 250) and body["voided"] == "1"
    users = ok(await post(http, "loyalty.users", loyaltycard="loy_3002"))["users"]
    mine = next(u for u in users if u["ID"] == "lus_30021")
    assert mine["points"] == body["points"] and mine["voided"] == "1"
    assert mine["last_activity_utc"] == "2026-11-20 12:00:00"


async def test_directory_payment_status(app, http):
    unpaid = next(u for u in app.state.directories["dir_5002"]["users"]
                  if u["payment_status"] == "unpaid")
    body = ok(await post(http, "directory.user_payment", directory="dir_5002", user=unpaid["ID"],
                         payment_status="paid", expiry_date="2027-11-30"))
    assert body["payment_status"] == "paid" and body["expiry_date"] == "2027-11-30"
    pages = [ok(await post(http, "directory.users", directory="dir_5002"))["users"]]
    mine = next(u for p in pages for u in p if u["ID"] == unpaid["ID"])
    assert (mine["payment_status"], mine["payment_expiry_date"]) == ("paid", "2027-11-30")


async def test_subaccount_create_update_reset_and_sso(app, http):
    made = ok(await post(http, "subaccount.create", email="marta.lopez@example.com",
                         company_name="López Tapas", expiry_date="2027-05-31"))
    sid = made["subaccount"]["ID"]
    assert sid == "sub_2006"
    listed = {s["ID"]: s for s in ok(await post(http, "subaccount.list"))["subaccount"]}
    assert listed[sid]["company_name"] == "López Tapas" and listed[sid]["expiry_date"] == "2027-05-31"
    assert errors(await post(http, "subaccount.create", email="MARTA.LOPEZ@example.com")) == [
        (304, "Email already exists")]
    # its fresh credentials work at once, for its (empty) own scope
    creds = (listed[sid]["api_key"], listed[sid]["api_secret"])
    assert ok(await post(http, "campaign.list", creds))["coupon_info"] == []
    ok(await post(http, "subaccount.update", subaccount=sid, company_name="López Tapas SL"))
    info = ok(await post(http, "subaccount.info", subaccount=sid))["subaccount"]
    assert info["company_name"] == "López Tapas SL"
    reset = ok(await post(http, "subaccount.reset_url", subaccount=sid))
    assert reset["subaccount"] == sid and reset["url"].startswith("https://")
    sso = ok(await post(http, "subaccount.sso", subaccount="sub_2001", page="campaigns"))
    assert len(sso["subaccount"]["token"]) == 49 and sso["subaccount"]["ID"] == "sub_2001"
    assert sso["subaccount"]["token"] in sso["subaccount"]["url"]


async def test_single_use_create_find_and_remove(app, http):
    made = ok(await post(http, "singleuse.create", campaign="cam_1005", firstname="Zoé",
                         email="zoe.martin@example.com", customvalcode="VIP-ZOE-1"))
    code = made["single_use_code"]
    assert len(code) == 21 and made["widget_validation_code"] == code[:6]
    assert made["single_use_url"] == f"https://digicpn.com/p/vip9ev/{code}"
    assert isinstance(made["sequence_id"], int)
    again = ok(await post(http, "singleuse.create", campaign="cam_1005", duplicate_check=True,
                          email="zoe.martin@example.com"))
    assert again["single_use_code"] == code
    found = ok(await post(http, "campaign.session_search", campaign="cam_1005",
                          customvalcode="VIP-ZOE-1"))
    assert [s["session"] for s in found["sessions"]] == [code]
    info = ok(await post(http, "session.info", couponsession=code))
    assert info["data"]["user"]["firstname"] == "Zoé" and info["single_use_url"]
    removed = ok(await post(http, "singleuse.remove", campaign="cam_1005", couponsession=code[:6]))
    assert removed["couponsession"] == code
    assert errors(await post(http, "session.info", couponsession=code)) == [
        (505, "Couponsession not found.")]


async def test_create_many_automated_codes_and_status(app, http):
    before = int(ok(await post(http, "campaign.info", campaign="cam_1003"))["coupon_info"]
                 ["amount_of_sessions"])
    made = ok(await post(http, "singleuse.create_many", campaign="cam_1003", amount=25,
                         status="voided", automated_codes=True, code_prefix="BF-",
                         code_length=12, code_type="numeric"))["data"]
    assert len(made) == 25 and len({m["single_use_code"] for m in made}) == 25
    assert all(m["customvalcode"].startswith("BF-") and m["customvalcode"][3:].isdigit()
               and len(m["customvalcode"]) == 15 for m in made)
    after = ok(await post(http, "campaign.info", campaign="cam_1003"))["coupon_info"]
    assert int(after["amount_of_sessions"]) == before + 25
    last = ok(await post(http, "campaign.sessions", campaign="cam_1003", page=3))
    assert [r["session"] for r in last["data"][-25:]] == [m["single_use_code"] for m in made]
    assert all(r["voided"] == "1" for r in last["data"][-25:])


async def test_removing_a_big_session_drops_it_from_pages_and_counts(app, http):
    row = ok(await post(http, "campaign.sessions", campaign="cam_1003"))["data"][7]
    ok(await post(http, "singleuse.remove", campaign="cam_1003", couponsession=row["session"]))
    page = ok(await post(http, "campaign.sessions", campaign="cam_1003"))
    assert page["amount_of_sessions"] == "11999"
    assert row["session"] not in [r["session"] for r in page["data"]]
    assert errors(await post(http, "session.info", couponsession=row["session"][:6]))[0][0] == 505


async def test_push_all_counts_wallet_holders(app, http):
    body = ok(await post(http, "campaign.push_all", campaign="cam_1001", message="hi"))
    expected = sum(1 for c in app.state.sessions.order["cam_1001"]
                   if app.state.sessions.records[c]["saved_to_passbook"] == "1"
                   and app.state.sessions.records[c]["voided"] == "0")
    assert body["amount_of_recipients"] == str(expected) and expected > 0
    ok(await post(http, "loyalty.push", loyaltycard="loy_3001", user="lus_30011", message="x"))


async def test_reset_returns_to_the_seed(app, http):
    code = _unclaimed(app)
    ok(await post(http, "session.update", couponsession=code, claimed=True))
    assert app.session(code)["claimed"] == "1"
    app.reset()
    assert app.session(code)["claimed"] == "0"
    assert app.requests == []
