"""Undo from a journal entry: the inverse goes through the same plan,
guards and confirmation, and sets the object back."""

from __future__ import annotations

import pytest

from ctconsole.api.errors import CtError
from ctconsole.writes import apply_write, inverse_of, plan_undo, plan_write, reason_no_inverse

from .conftest import directory_user_where, loyalty_user_where, session_where


async def run(client, journal, context, operation, params):
    plan = await plan_write(client, operation, params)
    outcome = await apply_write(client, plan, journal=journal, context=context,
                                confirm=plan.confirmation)
    assert outcome.ok, outcome.note
    return journal.get(outcome.entry_id)


async def undo(client, journal, context, entry):
    plan = await plan_undo(client, entry)
    assert plan.undo_of == entry.id and plan.reason == f"undo of {entry.id}"
    outcome = await apply_write(client, plan, journal=journal, context=context,
                                confirm=plan.confirmation)
    assert outcome.ok, (outcome.status, outcome.note)
    assert journal.get(outcome.entry_id).undo_of == entry.id
    return plan, outcome


async def test_stamps_plus_three_then_undo(app, client, journal, context):
    uid = loyalty_user_where(app, voided="0")
    user = app.state.loyalty["loy_3001"]["users"][uid]
    start = int(user["stamps"])
    entry = await run(client, journal, context, "loyalty.user_update",
                      {"loyaltycard": "loy_3001", "user": uid, "stamps": 3})
    assert int(user["stamps"]) == start + 3
    op, params = inverse_of(entry)  # unpacks as (operation, params)
    assert (op, params) == ("loyalty.user_update",
                            {"loyaltycard": "loy_3001", "user": uid, "stamps": -3})
    plan, outcome = await undo(client, journal, context, entry)
    assert plan.diff() == [("stamps", start + 3, start)]
    assert int(user["stamps"]) == start and outcome.state["stamps"] == start


async def test_undo_of_spent_stamps_is_refused_by_the_guard(app, client, journal, context):
    uid = loyalty_user_where(app, stamps="0", voided="0")
    entry = await run(client, journal, context, "loyalty.user_update",
                      {"loyaltycard": "loy_3001", "user": uid, "stamps": 3})
    await run(client, journal, context, "loyalty.user_update",
              {"loyaltycard": "loy_3001", "user": uid, "stamps": -2})  # spent meanwhile
    plan = await plan_undo(client, entry)
    assert [r.rule for r in plan.refusals] == ["stamps_below_zero"]
    assert "has 1 stamp; removing 3 would leave -2" in plan.refusals[0].message


async def test_loyalty_void_then_unvoid(app, client, journal, context):
    uid = loyalty_user_where(app, voided="0")
    entry = await run(client, journal, context, "loyalty.user_update",
                      {"loyaltycard": "loy_3001", "user": uid, "voided": True})
    await undo(client, journal, context, entry)
    assert app.state.loyalty["loy_3001"]["users"][uid]["voided"] == "0"


async def test_session_void_then_unvoid(app, client, journal, context):
    code = session_where(app, voided="0")
    entry = await run(client, journal, context, "session.update",
                      {"couponsession": code, "voided": True})
    assert app.session(code)["voided"] == "1"
    plan, _ = await undo(client, journal, context, entry)
    assert plan.params == {"couponsession": code, "voided": False} and plan.note == ""
    assert app.session(code)["voided"] == "0"


async def test_update_many_void_then_unvoid(app, client, journal, context):
    codes = [session_where(app, voided="0", skip=i) for i in range(3)]
    entry = await run(client, journal, context, "session.update_many",
                      {"couponsessions": codes, "voided": True})
    plan, _ = await undo(client, journal, context, entry)
    assert plan.confirmation == "3"  # the same typed confirmation as the original
    assert all(app.session(c)["voided"] == "0" for c in codes)


async def test_payment_status_goes_back_with_its_expiry(app, client, journal, context):
    user = directory_user_where(app, test=lambda u: u["payment_status"] == "paid"
                                and u["payment_expiry_date"])
    old = user["payment_expiry_date"]
    entry = await run(client, journal, context, "directory.user_payment",
                      {"directory": "dir_5002", "user": user["ID"], "payment_status": "unpaid"})
    assert user["payment_status"] == "unpaid" and user["payment_expiry_date"] == ""
    plan, outcome = await undo(client, journal, context, entry)
    assert plan.params["expiry_date"] == old
    assert (user["payment_status"], user["payment_expiry_date"]) == ("paid", old)
    assert outcome.state["payment_expiry_date"] == old


async def test_validation_undo_is_best_effort(app, client, journal, context):
    code = session_where(app, claimed="0", voided="0", locked="0")
    entry = await run(client, journal, context, "session.update",
                      {"couponsession": code, "validated": True})
    inverse = inverse_of(entry)
    assert inverse.best_effort
    assert inverse.params == {"couponsession": code, "validated": False, "claimed": False}
    assert "un-validating is best effort" in inverse.note
    plan, _ = await undo(client, journal, context, entry)
    assert plan.note == inverse.note
    assert (app.session(code)["claimed"], app.session(code)["validated"]) == ("0", "0")


async def test_single_use_create_is_undone_by_removing_it(app, client, journal, context):
    entry = await run(client, journal, context, "singleuse.create", {"campaign": "cam_1002"})
    code = entry.result["single_use_code"]
    assert inverse_of(entry).operation == "singleuse.remove"
    _, outcome = await undo(client, journal, context, entry)
    assert app.session(code) is None and outcome.state == {"exists": False}


async def test_subaccount_update_is_set_back_except_the_password(app, client, journal, context):
    sub = app.state.subaccounts["sub_2001"]
    old = sub["company_name"]
    entry = await run(client, journal, context, "subaccount.update",
                      {"subaccount": "sub_2001", "company_name": "Oops Ltd", "password": "x" * 20})
    inverse = inverse_of(entry)
    assert inverse.params == {"subaccount": "sub_2001", "company_name": old}
    assert inverse.best_effort and inverse.note == "cannot be set back: password"
    await undo(client, journal, context, entry)
    assert sub["company_name"] == old


@pytest.mark.parametrize("operation,params,why", [
    ("campaign.push_all", {"campaign": "cam_1001", "message": "Hi"}, "cannot be recalled"),
    ("subaccount.sso", {"subaccount": "sub_2001"}, "cannot be revoked"),
    ("subaccount.create", {"email": "x@example.com"}, "no call to delete a subaccount"),
    ("singleuse.create_many", {"campaign": "cam_1002", "amount": 2}, "removed one by one"),
])
async def test_writes_without_inverse_say_why(app, client, journal, context, operation, params,
                                              why):
    entry = await run(client, journal, context, operation, params)
    assert inverse_of(entry) is None
    assert why in reason_no_inverse(entry)
    with pytest.raises(CtError) as err:
        await plan_undo(client, entry)
    assert err.value.title == "Cannot undo" and why in err.value.message


async def test_failed_and_unknown_writes_are_not_undone(app, client, journal, context):
    uid = loyalty_user_where(app, voided="0")
    plan = await plan_write(client, "loyalty.user_update",
                            {"loyaltycard": "loy_3001", "user": uid, "stamps": 1})
    app.faults.add("api_error", "loyalty.user_update")
    failed = await apply_write(client, plan, journal=journal, context=context)
    app.faults.add("drop", "loyalty.user_update")
    unknown = await apply_write(client, plan, journal=journal, context=context)
    assert reason_no_inverse(journal.get(failed.entry_id)) == \
        "the write failed, so there is nothing to undo"
    assert "outcome is unknown" in reason_no_inverse(journal.get(unknown.entry_id))
