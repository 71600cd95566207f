"""Every write in the catalogue, end to end against the sandbox: plan (the
diff), apply (the sandbox changed), journal (begin + finish ok, redacted),
and the state read again equals what the sandbox now holds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.writes import SPECS, apply_write, plan_write
from ctconsole.writes.specs import REMOVED

from .conftest import directory_user_where, loyalty_user_where, sent, session_where

NEW_PASSWORD = "Tr0ub4dor&3-horse-battery"


def _session_flags(app, code: str) -> dict[str, bool]:
    rec = app.session(code)
    return {k: rec[k] == "1" for k in ("claimed", "validated", "voided", "locked")}


@dataclass
class Case:
    #: (app, scratch) -> params; scratch carries facts from before the apply.
    params: Callable[[Any, dict], dict]
    #: (app, params, scratch) -> the diff the plan must show.
    diff: Callable[[Any, dict, dict], list]
    #: (app, params, outcome, scratch) -> asserts on the sandbox and the state read again.
    check: Callable[[Any, dict, Any, dict], None]


def _session_update_params(app, s):
    s["code"] = session_where(app, claimed="1", validated="0", voided="0", locked="0")
    return {"couponsession": s["code"], "validated": True}


def _session_update_check(app, p, out, s):
    assert app.session(s["code"])["validated"] == "1"
    assert {k: out.state[k] for k in ("claimed", "validated", "voided", "locked")} == \
        _session_flags(app, s["code"])
    assert out.state["validation_date_utc"] == app.session(s["code"])["validation_date_utc"]


def _many_params(app, s):
    s["codes"] = [session_where(app, claimed="0", voided="0", skip=i) for i in range(3)]
    return {"couponsessions": s["codes"], "voided": True}


def _many_check(app, p, out, s):
    for code in s["codes"]:
        assert app.session(code)["voided"] == "1"
        assert out.state[code]["voided"] is True
        assert out.state[code]["voided_date_utc"] == app.session(code)["voided_date_utc"]


def _push_params(app, s):
    return {"campaign": "cam_1001", "couponsession": session_where(app, saved_to_passbook="1",
                                                                   voided="0"),
            "message": "Your coupon expires Sunday"}


def _push_all_check(app, p, out, s):
    recipients = app.state.sessions.stats(p["campaign"])["recipients"]
    assert out.result.data.amount_of_recipients == recipients
    assert out.plan.reach >= recipients  # an upper bound, said as "up to"


def _loyalty_params(app, s):
    s["user"] = loyalty_user_where(app, stamps="0", voided="0")
    return {"loyaltycard": "loy_3001", "user": s["user"], "stamps": 3}


def _loyalty_check(app, p, out, s):
    user = app.state.loyalty["loy_3001"]["users"][s["user"]]
    assert user["stamps"] == "3"
    assert out.state == {"stamps": 3, "points": int(user["points"]), "voided": False,
                         "saved_to_wallet": user["saved_to_wallet"] == "1"}


def _loyalty_push_params(app, s):
    return {"loyaltycard": "loy_3001", "user": loyalty_user_where(app, saved_to_wallet="1",
                                                                  voided="0"),
            "message": "One stamp to go!"}


def _loyalty_push_all_check(app, p, out, s):
    users = app.state.loyalty["loy_3001"]["users"].values()
    holders = sum(1 for u in users if u["saved_to_wallet"] == "1" and u["voided"] == "0")
    assert out.plan.reach == holders == out.result.data.amount_of_recipients


def _payment_params(app, s):
    s["user"] = directory_user_where(app, test=lambda u: u["payment_status"] == "unpaid")["ID"]
    return {"directory": "dir_5002", "user": s["user"], "payment_status": "paid",
            "expiry_date": "2027-06-30"}


def _payment_check(app, p, out, s):
    user = directory_user_where(app, test=lambda u: u["ID"] == s["user"])
    assert (user["payment_status"], user["payment_expiry_date"]) == ("paid", "2027-06-30")
    assert out.state == {"payment_status": "paid", "payment_expiry_date": "2027-06-30",
                         "blocked": user["blocked"] == "1"}


def _create_sub_check(app, p, out, s):
    new_id = out.result.data.subaccount.id
    sub = app.state.subaccounts[new_id]
    assert sub["email"] == "new.shop@example.com" and sub["password_set"] is True
    assert out.state["company_name"] == sub["company_name"] == "New Shop"
    assert out.state["email"] == sub["email"]


def _update_sub_check(app, p, out, s):
    assert app.state.subaccounts["sub_2001"]["company_name"] == "Renamed BV"
    assert out.state["company_name"] == "Renamed BV"


def _singleuse_check(app, p, out, s):
    code = out.result.data.single_use_code
    rec = app.session(code)
    assert rec is not None and rec["firstname"] == "Ada" and rec["campaign"] == "cam_1001"
    assert out.state["session"] == code and out.state["claimed"] is False


def _create_many_params(app, s):
    s["count"] = app.state.sessions.count("cam_1002")
    return {"campaign": "cam_1002", "amount": 3}


def _create_many_check(app, p, out, s):
    assert app.state.sessions.count("cam_1002") == s["count"] + 3
    assert len(out.result.data.codes) == 3


def _remove_params(app, s):
    s["code"] = session_where(app, "cam_1002", claimed="0")
    return {"campaign": "cam_1002", "couponsession": s["code"]}


def _remove_check(app, p, out, s):
    assert app.session(s["code"]) is None
    assert out.state == {"exists": False}


def _remove_diff(app, p, s):
    """Nothing of the session is left: every field it had reads removed."""
    return [("exists", True, False)] + [(k, v, REMOVED) for k, v in s["before"].items()
                                        if k != "exists"]


def _no_state(app, p, out, s):
    assert out.state is None


CASES: dict[str, Case] = {
    "session.update": Case(_session_update_params, lambda a, p, s: [("validated", False, True)],
                           _session_update_check),
    "session.update_many": Case(_many_params,
                                lambda a, p, s: [(f"{c[:6]} voided", False, True)
                                                 for c in s["codes"]], _many_check),
    "campaign.push": Case(_push_params, lambda a, p, s: [], _no_state),
    "campaign.push_all": Case(lambda a, s: {"campaign": "cam_1001", "message": "Sale today"},
                              lambda a, p, s: [], _push_all_check),
    "loyalty.user_update": Case(_loyalty_params, lambda a, p, s: [("stamps", 0, 3)],
                                _loyalty_check),
    "loyalty.push": Case(_loyalty_push_params, lambda a, p, s: [], _no_state),
    "loyalty.push_all": Case(lambda a, s: {"loyaltycard": "loy_3001", "message": "Double stamps"},
                             lambda a, p, s: [], _loyalty_push_all_check),
    "directory.user_payment": Case(_payment_params,
                                   lambda a, p, s: [("payment_status", "unpaid", "paid"),
                                                    ("payment_expiry_date", "", "2027-06-30")],
                                   _payment_check),
    "subaccount.create": Case(
        lambda a, s: {"email": "new.shop@example.com", "password": NEW_PASSWORD,
                      "company_name": "New Shop"},
        lambda a, p, s: [("email", None, "new.shop@example.com"), ("password", None, "…"),
                         ("company_name", None, "New Shop")],
        _create_sub_check),
    "subaccount.update": Case(
        lambda a, s: {"subaccount": "sub_2001", "company_name": "Renamed BV"},
        lambda a, p, s: [("company_name", a.state.subaccounts["sub_2001"]["company_name"],
                          "Renamed BV")],
        _update_sub_check),
    "subaccount.reset_url": Case(lambda a, s: {"subaccount": "sub_2002"}, lambda a, p, s: [],
                                 _no_state),
    "subaccount.sso": Case(lambda a, s: {"subaccount": "sub_2001", "page": "statistics"},
                           lambda a, p, s: [], _no_state),
    "singleuse.create": Case(lambda a, s: {"campaign": "cam_1001", "firstname": "Ada"},
                             lambda a, p, s: [("firstname", None, "Ada")], _singleuse_check),
    "singleuse.create_many": Case(_create_many_params, lambda a, p, s: [], _create_many_check),
    "singleuse.remove": Case(_remove_params, _remove_diff, _remove_check),
}

WRITES = [op.name for op in CATALOGUE if not op.is_read]


def test_every_write_has_a_spec_and_a_case():
    assert sorted(SPECS) == sorted(WRITES), "writes.specs.SPECS must cover exactly the writes"
    assert sorted(CASES) == sorted(WRITES), "this test's CASES must cover every write"


@pytest.mark.parametrize("operation", WRITES)
async def test_write_end_to_end(operation, app, client, journal, context):
    case = CASES[operation]
    scratch: dict = {}
    params = case.params(app, scratch)
    plan = await plan_write(client, operation, params, reason="TICKET-7")
    assert plan.refusals == []
    scratch["before"] = plan.before
    assert plan.diff() == case.diff(app, params, scratch)
    request = plan.as_request()
    assert request["operation"] == operation and request["credentials"] == "main account"
    assert request["path"] == CATALOGUE.get(operation).path
    assert sent(app, operation) == 0  # planning sends nothing

    outcome = await apply_write(client, plan, journal=journal, context=context,
                                confirm=plan.confirmation)
    assert outcome.status == "ok", outcome.note
    assert sent(app, operation) == 1
    case.check(app, params, outcome, scratch)

    (entry,) = journal.entries()
    assert entry.id == outcome.entry_id and entry.operation == operation
    assert entry.outcome == "ok" and entry.reason == "TICKET-7"
    assert entry.profile == "demo" and entry.user and entry.host
    assert entry.before == plan.before
    payload = {k: v for k, v in outcome.result.raw.items() if k != "status"}
    if operation in ("subaccount.sso", "subaccount.reset_url"):
        assert entry.result != payload  # login links are masked (see test_journal_secrets)
    else:
        assert entry.result == payload
    records = [json.loads(line) for line in journal.path.read_text().splitlines()]
    kinds = [r["record"] for r in records]
    if outcome.state is not None:
        assert entry.after == json.loads(json.dumps(outcome.state))
        assert kinds == ["begin", "finish", "state"]
    else:
        assert kinds == ["begin", "finish"]
    if "password" in params:
        assert request["body"]["password"] == "…"  # the preview never shows it either
        assert entry.params["password"] == "…"
        assert NEW_PASSWORD not in journal.path.read_text()
