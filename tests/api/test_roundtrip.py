"""Every catalogue operation, end to end through the client against the sandbox:
in-process (httpx.ASGITransport) and over a real loopback HTTP server.

For each operation the table gives the parameters a person would type (CLI
strings included), the exact JSON body that must go on the wire, and what the
parsed answer must hold. IDs come from the sandbox dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import httpx
import pytest

from ctconsole.api import CATALOGUE, Client, Credentials
from ctconsole.api.retry import RetryPolicy
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.sandbox.server import running

MAIN = Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)


@dataclass
class Case:
    params: dict[str, Any]
    body: dict[str, Any]
    check: Callable[[Any, Any], None]
    path: str | None = None  # when the path is not the operation's default


def _dataset(app) -> dict[str, str]:
    """IDs and values from the sandbox's seeded data."""
    s = app.state
    codes = s.sessions.order["cam_1001"]
    person = next(rec for c in codes if (rec := s.sessions.read(c))["email"])
    return {
        "code": codes[-1],
        "code2": codes[0],
        "code3": codes[1],
        "email": person["email"],
        "person": person["session"],
        "lus": next(iter(s.loyalty["loy_3001"]["users"])),
        "reg": s.directories["dir_5001"]["users"][0]["ID"],
        "webhook": next(iter(s.webhooks)),
        "vip": s.sessions.order["cam_1005"][0],
    }


def cases(app) -> dict[str, Case]:
    d = _dataset(app)

    def ids(items):
        return [item.id for item in items]

    return {
        "subaccount.list": Case({}, {}, lambda r, a: (
            ids(r.data.subaccounts) == ["sub_2001", "sub_2002", "sub_2003", "sub_2004", "sub_2005"])),
        "subaccount.info": Case({"subaccount": "sub_2001"}, {"subaccount": "sub_2001"}, lambda r, a: (
            r.data.subaccount.id == "sub_2001" and r.raw["subaccount"]["company_name"] == "Brasserie Peeters")),
        "subaccount.create": Case(
            {"email": "new.owner@example.com", "first_name": "Ann", "status": "TRIAL",
             "expiry_date": "2027-12-31"},
            {"email": "new.owner@example.com", "status": "trial", "first_name": "Ann",
             "expiry_date": "2027-12-31"},
            lambda r, a: r.data.subaccount.id in a.state.subaccounts and r.data.subaccount.id == "sub_2006"),
        "subaccount.update": Case(
            {"subaccount": "sub_2002", "company_name": "Garcia Bakery Inc"},
            {"subaccount": "sub_2002", "company_name": "Garcia Bakery Inc"},
            lambda r, a: r.data.subaccount.id == "sub_2002"
            and a.state.subaccounts["sub_2002"]["company_name"] == "Garcia Bakery Inc"),
        "subaccount.reset_url": Case({"subaccount": "sub_2001"}, {"subaccount": "sub_2001"},
                                     lambda r, a: r.data.subaccount == "sub_2001"
                                     and r.data.url.get_secret_value().startswith("https://")),
        "subaccount.sso": Case(
            {"subaccount": "sub_2001", "page": "update_campaign", "campaign": "cam_2101"},
            {"subaccount": "sub_2001", "page": "update_campaign", "campaign": "cam_2101"},
            lambda r, a: r.data.subaccount.id == "sub_2001"
            and len(r.data.subaccount.token.get_secret_value()) == 49),
        "campaign.list": Case({"only_active": "yes"}, {"only_active": True}, lambda r, a: (
            {c.id for c in r.data.campaigns} >= {"cam_1001", "cam_1003"}
            and "cam_1002" not in ids(r.data.campaigns))),
        "campaign.info": Case({"campaign": "cam_1001", "show_usage_stats": "true"},
                              {"campaign": "cam_1001", "show_usage_stats": True},
                              lambda r, a: r.data.campaign.id == "cam_1001" and r.data.usage_stats is not None),
        "campaign.sessions": Case({"campaign": "cam_1001", "view": "claims", "page": "1"},
                                  {"campaign": "cam_1001", "page": 1},
                                  lambda r, a: r.data.sessions and all(s.claimed for s in r.data.sessions),
                                  path="/v3/campaign/claims"),
        "session.info": Case({"couponsession": d["code"]}, {"couponsession": d["code"]},
                             lambda r, a: r.data.session == d["code"] and r.data.campaign == "cam_1001"),
        "session.update": Case({"couponsession": d["code"][:6], "validated": "yes"},
                               {"couponsession": d["code"][:6], "validated": True},
                               lambda r, a: r.data.session == d["code"]
                               and a.session(d["code"])["validated"] == "1"),
        "session.update_many": Case(
            {"couponsessions": f"{d['code2']}, {d['code3']}", "locked": "1"},
            {"couponsessions": [d["code2"], d["code3"]], "locked": True},
            lambda r, a: r.data.amount_updated == 2 and sorted(r.data.sessions) == sorted([d["code2"], d["code3"]])),
        "session.search": Case({"email": d["email"]}, {"email": d["email"]},
                               lambda r, a: d["person"] in [s.session for s in r.data.sessions]),
        "campaign.session_search": Case({"campaign": "cam_1001", "email": d["email"]},
                                        {"campaign": "cam_1001", "email": d["email"]},
                                        lambda r, a: all(s.campaign == "cam_1001" for s in r.data.sessions)
                                        and d["person"] in [s.session for s in r.data.sessions]),
        "campaign.push": Case({"campaign": "cam_1001", "couponsession": d["code"], "message": "Hello!"},
                              {"campaign": "cam_1001", "couponsession": d["code"], "message": "Hello!"},
                              lambda r, a: r.raw == {"status": {"status": "OK"}}),
        "campaign.push_all": Case({"campaign": "cam_1001", "message": "Hi all"},
                                  {"campaign": "cam_1001", "message": "Hi all"},
                                  lambda r, a: r.data.amount_of_recipients > 0),
        "loyalty.list": Case({"sorting": "DESC"}, {"sorting": "desc"},
                             lambda r, a: "loy_3001" in ids(r.data.cards)),
        "loyalty.users": Case({"loyaltycard": "loy_3001"}, {"loyaltycard": "loy_3001"},
                              lambda r, a: d["lus"] in ids(r.data.users)),
        "loyalty.user_update": Case({"loyaltycard": "loy_3001", "user": d["lus"], "stamps": "2"},
                                    {"loyaltycard": "loy_3001", "user": d["lus"], "stamps": 2},
                                    lambda r, a: r.data.user == d["lus"] and r.data.stamps is not None),
        "loyalty.push": Case({"loyaltycard": "loy_3001", "user": d["lus"], "message": "A stamp!"},
                             {"loyaltycard": "loy_3001", "user": d["lus"], "message": "A stamp!"},
                             lambda r, a: r.raw == {"status": {"status": "OK"}}),
        "loyalty.push_all": Case({"loyaltycard": "loy_3002", "message": "Double points"},
                                 {"loyaltycard": "loy_3002", "message": "Double points"},
                                 lambda r, a: r.data.amount_of_recipients > 0),
        "directory.list": Case({}, {}, lambda r, a: ids(r.data.directories)[:2] == ["dir_5001", "dir_5002"]),
        "directory.info": Case({"directory": "dir_5001"}, {"directory": "dir_5001"},
                               lambda r, a: r.data.directory.id == "dir_5001"),
        "directory.campaigns": Case({"directory": "dir_5001"}, {"directory": "dir_5001"},
                                    lambda r, a: ids(r.data.campaigns) == ["cam_1001", "cam_1003", "cam_1006"]),
        "directory.users": Case({"directory": "dir_5001", "page": "3"}, {"directory": "dir_5001", "page": 3},
                                lambda r, a: r.data.page == 3 and len(r.data.users) == 63
                                and r.data.amount_of_users == 263),
        "directory.user_payment": Case(
            {"directory": "dir_5001", "user": d["reg"], "payment_status": "paid", "expiry_date": "2027-01-31"},
            {"directory": "dir_5001", "user": d["reg"], "payment_status": "paid", "expiry_date": "2027-01-31"},
            lambda r, a: r.data.payment_status == "paid" and str(r.data.expiry_date) == "2027-01-31"),
        "category.list": Case({}, {}, lambda r, a: "cat_10" in ids(r.data.categories)),
        "category.level3": Case({}, {}, lambda r, a: "cat_111" in ids(r.data.categories)),
        "singleuse.create": Case({"campaign": "cam_1005", "email": "guest@example.com", "duplicate_check": "no"},
                                 {"campaign": "cam_1005", "email": "guest@example.com", "duplicate_check": False},
                                 lambda r, a: len(r.data.single_use_code) == 21
                                 and a.session(r.data.single_use_code) is not None),
        "singleuse.create_many": Case(
            {"campaign": "cam_1005", "amount": "3", "automated_codes": "yes", "code_prefix": "VIP",
             "code_length": "12", "code_type": "alphanumeric"},
            {"campaign": "cam_1005", "amount": 3, "automated_codes": True, "code_prefix": "VIP",
             "code_length": 12, "code_type": "alphanumeric"},
            lambda r, a: len(r.data.codes) == 3 and all(c.customvalcode.startswith("VIP") for c in r.data.codes)),
        "singleuse.remove": Case({"campaign": "cam_1005", "couponsession": d["vip"]},
                                 {"campaign": "cam_1005", "couponsession": d["vip"]},
                                 lambda r, a: r.data.couponsession == d["vip"] and a.session(d["vip"]) is None),
        "webhook.verify": Case({"webhook": d["webhook"]}, {"webhook": d["webhook"]},
                               lambda r, a: r.data.result == "valid" and r.data.webhook == d["webhook"]),
        "auth.check": Case({}, {}, lambda r, a: r.raw == {"status": {"status": "OK"}}),
    }


def test_the_table_covers_every_catalogue_operation():
    assert set(cases(make_sandbox_app(big_sessions=0))) == {op.name for op in CATALOGUE}


NAMES = [op.name for op in CATALOGUE]


@pytest.fixture(scope="module")
def served():
    """One loopback server for the module; each test resets its dataset."""
    app = make_sandbox_app(big_sessions=0)
    with running(app) as base_url:
        yield app, base_url


async def _round_trip(app, client: Client, name: str) -> None:
    case = cases(app)[name]
    op = CATALOGUE.get(name)
    result = await client.call(name, **case.params)
    (record,) = app.requests
    assert record.method == "POST"
    assert record.path == (case.path or op.path)
    assert record.headers["x-client-id"] == DEMO_CLIENT_ID
    assert record.headers["x-client-secret"] == DEMO_CLIENT_SECRET
    assert record.headers["content-type"] == "application/json"
    assert record.body == case.body
    assert type(result.data).__name__ == op.model
    assert result.raw["status"] == {"status": "OK"}
    assert result.operation is op
    assert case.check(result, app), f"{name}: unexpected answer {result.raw!r}"[:2000]


@pytest.mark.parametrize("name", NAMES)
async def test_round_trip_in_process(name):
    app = make_sandbox_app(big_sessions=0)
    async with Client(MAIN, base_url="http://sandbox", transport=httpx.ASGITransport(app=app)) as client:
        await _round_trip(app, client, name)


@pytest.mark.parametrize("name", NAMES)
async def test_round_trip_over_loopback(served, name):
    app, base_url = served
    app.reset()
    async with Client(MAIN, base_url=base_url, retry=RetryPolicy.never()) as client:
        await _round_trip(app, client, name)
