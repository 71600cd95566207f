"""The support-case merchant, the 500-subaccount account and simulated latency."""

from __future__ import annotations

import time

import httpx
import pytest

from ctconsole.sandbox import make_sandbox_app
from ctconsole.sandbox.cases import CASES, NEEDLE_EMAIL

from .conftest import errors, ok, post


@pytest.fixture
def app():
    return make_sandbox_app(big_sessions=0, cases=True)


async def test_the_default_dataset_has_no_case_merchant(http):
    body = ok(await post(http, "subaccount.list"))
    assert body["subaccount"][-1]["ID"] == "sub_2006"
    default = make_sandbox_app(big_sessions=0)
    assert list(default.state.subaccounts) == [f"sub_200{i}" for i in range(1, 6)]
    assert default.state.cases == {}


async def test_case_sessions_live_in_the_subaccount_only(app, http):
    code = app.state.cases["validated"]["session"]
    failure = await post(http, "session.info", couponsession=code)
    assert errors(failure) == [(505, "Couponsession not found.")]
    sub = app.state.credentials("sub_2006")
    body = ok(await post(http, "session.info", sub, couponsession=code))
    assert body["data"]["status"]["validated"] == "1"
    found = ok(await post(http, "session.search", sub, email=CASES["validated"][2]))
    assert [s["session"] for s in found["sessions"]] == [code]


async def test_every_case_has_its_state(app, http):
    sub = app.state.credentials("sub_2006")
    cases = app.state.cases

    async def status(name):
        body = ok(await post(http, "session.info", sub, couponsession=cases[name]["session"]))
        return body["data"]["status"]

    assert (await status("voided"))["voided"] == "1"
    assert (await status("locked"))["locked"] == "1"
    assert (await status("never_claimed"))["claimed"] == "0"
    assert (await status("nothing_wrong"))["claimed"] == "1"
    camps = {c["ID"]: c for c in ok(await post(http, "campaign.list", sub))["coupon_info"]}
    assert camps[cases["ended"]["campaign"]]["end_date"] == "2026-09-30"
    assert camps[cases["not_started"]["campaign"]]["start_date"] == "2026-12-01"
    assert camps[cases["inactive"]["campaign"]]["status"] == "inactive"


async def test_the_removed_single_use_link_no_longer_answers(app, http):
    sub = app.state.credentials("sub_2006")
    case = app.state.cases["removed_link"]
    assert case["url"].endswith("/" + case["session"])
    assert errors(await post(http, "session.info", sub, couponsession=case["session"])) == [
        (505, "Couponsession not found.")]
    info = ok(await post(http, "campaign.info", sub, campaign=case["campaign"]))
    assert info["coupon_info"]["single_use"] == "1"


async def test_loyalty_cases(app, http):
    sub = app.state.credentials("sub_2006")
    users = {u["ID"]: u for u in ok(await post(http, "loyalty.users", sub,
                                                loyaltycard="loy_3601"))["users"]}
    assert users[app.state.cases["loyalty_voided"]["user"]]["voided"] == "1"
    assert users[app.state.cases["loyalty_out_of_stamps"]["user"]]["stamps"] == "0"


async def test_a_new_subaccount_does_not_take_the_case_merchants_id(http):
    body = ok(await post(http, "subaccount.create", username="newshop", password="Secret123!x",
                         email="new@shop.example.com"))
    assert body["subaccount"]["ID"] == "sub_2007"


async def test_an_account_of_500_subaccounts_with_one_needle():
    app = make_sandbox_app(big_sessions=0, subaccounts=500)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://sandbox") as http:
        subs = ok(await post(http, "subaccount.list"))["subaccount"]
        assert len(subs) == 500
        needle = app.state.cases["needle"]
        holders = [s["ID"] for s in subs
                   if ok(await post(http, "session.search", (s["api_key"], s["api_secret"]),
                                    email=NEEDLE_EMAIL))["sessions"]]
        assert holders == [needle["subaccount"]]


async def test_latency_delays_every_answer():
    app = make_sandbox_app(big_sessions=0, latency=0.05)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://sandbox") as http:
        started = time.perf_counter()
        ok(await post(http, "auth.check"))
        assert time.perf_counter() - started >= 0.05
