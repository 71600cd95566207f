"""Each guard rail warns or refuses with a reason a person understands, and a
refused write sends nothing (the sandbox's request log is the witness)."""

from __future__ import annotations

import pytest

from ctconsole.sandbox.people import FIXED_NOW
from ctconsole.writes import GuardWarning, Refusal, apply_write, guards, plan, plan_write

from .conftest import directory_user_where, loyalty_user_where, sent, session_where

BAD_CODE = "zzzzzzzzzzzzzzzzzzzzz"  # well formed, never issued


async def refused(app, client, journal, context, operation, params, **kw):
    """Plan and try to apply; assert it was refused with nothing sent or
    journaled; return the plan."""
    p = await plan_write(client, operation, params, **kw)
    assert p.blocked and p.refusals, "expected a refusal"
    outcome = await apply_write(client, p, journal=journal, context=context,
                                confirm=p.confirmation)
    assert outcome.status == "refused" and not outcome.sent
    assert outcome.refused[-len(p.refusals):] == p.refusals
    assert sent(app, operation) == 0
    assert journal.entries() == []
    return p


def messages(reasons) -> str:
    return " | ".join(r.message for r in reasons)


async def test_validating_a_validated_session_is_refused(app, client, journal, context):
    code = session_where(app, validated="1", voided="0")
    p = await refused(app, client, journal, context, "session.update",
                      {"couponsession": code, "validated": True})
    assert [r.rule for r in p.refusals] == ["validate_again"]
    date = app.session(code)["validation_date_utc"]
    assert messages(p.refusals) == (f"Session {code} is already validated (on {date} UTC); "
                                    "validating again changes nothing")


async def test_validating_a_voided_session_is_refused(app, client, journal, context):
    code = session_where(app, validated="0", voided="1")
    p = await refused(app, client, journal, context, "session.update",
                      {"couponsession": code, "validated": True})
    assert "validate_voided" in [r.rule for r in p.refusals]
    assert f"Session {code} is voided; validating a voided coupon is refused" in messages(p.refusals)


async def test_validating_an_unclaimed_session_warns_and_claims_it(app, client, journal, context):
    code = session_where(app, claimed="0", voided="0", locked="0")
    # At the sandbox's "now", while the campaign runs (else it warns about that too).
    p = await plan_write(client, "session.update", {"couponsession": code, "validated": True},
                         now=FIXED_NOW)
    assert p.refusals == []
    assert p.warnings == [GuardWarning("validate_unclaimed",
                                       f"Session {code} was never claimed; validating will also "
                                       "claim it")]
    assert ("claimed", False, True) in p.diff() and ("validated", False, True) in p.diff()
    outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.ok and app.session(code)["claimed"] == "1"


@pytest.mark.parametrize("voided", ["0", "1"])
async def test_void_no_ops_are_refused(app, client, journal, context, voided):
    code = session_where(app, voided=voided)
    p = await refused(app, client, journal, context, "session.update",
                      {"couponsession": code, "voided": voided == "1"})
    expected = ("is already voided; voiding again changes nothing" if voided == "1"
                else "is not voided; un-voiding changes nothing")
    assert messages(p.refusals) == f"Session {code} {expected}"


async def test_a_write_that_changes_nothing_is_refused(app, client, journal, context):
    code = session_where(app, claimed="1", validated="0")
    p = await refused(app, client, journal, context, "session.update",
                      {"couponsession": code, "claimed": True,
                       "customid": app.session(code)["customid"]})
    assert [r.rule for r in p.refusals] == ["no_change"]
    assert "nothing would change" in messages(p.refusals)


async def test_locked_session_warns(app, client, journal, context):
    code = session_where(app, locked="1", voided="0", validated="0")
    p = await plan_write(client, "session.update", {"couponsession": code, "voided": True})
    assert "locked" in [w.rule for w in p.warnings]
    assert f"Session {code} is locked" in messages(p.warnings)


async def test_stamps_below_zero_is_refused_with_the_numbers(app, client, journal, context):
    user = next(u for u in app.state.loyalty["loy_3001"]["users"].values()
                if u["voided"] == "0" and int(u["stamps"]) > 1)
    uid, have = user["ID"], int(user["stamps"])
    p = await refused(app, client, journal, context, "loyalty.user_update",
                      {"loyaltycard": "loy_3001", "user": uid, "stamps": -(have + 3)})
    assert messages(p.refusals) == (f"Loyalty user {uid} has {have} stamps; removing {have + 3} "
                                    "would leave -3 (stamps cannot go below zero)")


async def test_points_below_zero_is_refused(app, client, journal, context):
    user = next(u for u in app.state.loyalty["loy_3002"]["users"].values() if u["voided"] == "0")
    have = int(user["points"])
    p = await refused(app, client, journal, context, "loyalty.user_update",
                      {"loyaltycard": "loy_3002", "user": user["ID"], "points": -(have + 1)})
    assert f"has {have} points; removing {have + 1} would leave -1" in messages(p.refusals)


async def test_acting_on_a_voided_loyalty_user_warns_except_the_unvoid(app, client, journal, context):
    uid = loyalty_user_where(app, voided="1")
    p = await plan_write(client, "loyalty.user_update",
                         {"loyaltycard": "loy_3001", "user": uid, "stamps": 1})
    assert [w.rule for w in p.warnings] == ["voided_user"]
    assert f"Loyalty user {uid} is voided" in messages(p.warnings)
    unvoid = await plan_write(client, "loyalty.user_update",
                              {"loyaltycard": "loy_3001", "user": uid, "voided": False})
    assert unvoid.warnings == [] and unvoid.refusals == []
    assert unvoid.diff() == [("voided", True, False)]


async def test_push_to_a_session_without_wallet_warns(app, client):
    code = session_where(app, saved_to_passbook="0", voided="0", claimed="1")
    p = await plan_write(client, "campaign.push",
                         {"campaign": "cam_1001", "couponsession": code, "message": "Hi"})
    assert p.warnings == [GuardWarning(
        "push_no_wallet", f"Session {code} never saved the coupon to a wallet; the push will "
                          "not reach anyone")]


async def test_push_to_a_loyalty_user_without_wallet_warns(app, client):
    uid = loyalty_user_where(app, saved_to_wallet="0", voided="0")
    p = await plan_write(client, "loyalty.push",
                         {"loyaltycard": "loy_3001", "user": uid, "message": "Hi"})
    assert [w.rule for w in p.warnings] == ["push_no_wallet"]
    assert "will not reach anyone" in messages(p.warnings)


async def test_push_to_a_session_of_another_campaign_is_refused(app, client, journal, context):
    code = session_where(app, "cam_1002")
    p = await refused(app, client, journal, context, "campaign.push",
                      {"campaign": "cam_1001", "couponsession": code, "message": "Hi"})
    assert "belongs to campaign cam_1002, not cam_1001" in messages(p.refusals)


async def test_push_all_that_reaches_nobody_warns(app, client):
    p = await plan_write(client, "loyalty.push_all",
                         {"loyaltycard": "loy_3001", "message": "Hi"}, reach=0)
    assert [w.rule for w in p.warnings] == ["push_all_nobody"]
    assert "will not reach anyone" in messages(p.warnings)


async def test_unchanged_payment_status_is_refused(app, client, journal, context):
    user = directory_user_where(app, test=lambda u: u["payment_status"] == "paid"
                                and u["payment_expiry_date"])
    p = await refused(app, client, journal, context, "directory.user_payment",
                      {"directory": "dir_5002", "user": user["ID"], "payment_status": "paid",
                       "expiry_date": user["payment_expiry_date"]})
    assert messages(p.refusals) == (f"Directory user {user['ID']} is already paid until "
                                    f"{user['payment_expiry_date']}; nothing would change")


async def test_payment_without_expiry_warns_that_the_date_is_cleared(app, client):
    user = directory_user_where(app, test=lambda u: u["payment_status"] == "paid"
                                and u["payment_expiry_date"])
    p = await plan_write(client, "directory.user_payment",
                         {"directory": "dir_5002", "user": user["ID"], "payment_status": "paid"})
    assert p.refusals == []
    assert [w.rule for w in p.warnings] == ["payment_clears_expiry"]
    assert f"until {user['payment_expiry_date']}" in messages(p.warnings)


async def test_payment_for_a_blocked_user_warns(app, client):
    user = directory_user_where(app, test=lambda u: u["blocked"] == "1")
    status = "unpaid" if user["payment_status"] == "paid" else "paid"
    p = await plan_write(client, "directory.user_payment",
                         {"directory": "dir_5002", "user": user["ID"], "payment_status": status,
                          "expiry_date": "2027-01-01"})
    assert "payment_blocked_user" in [w.rule for w in p.warnings]


async def test_payment_plan_uses_the_row_the_caller_has(app, client):
    """The directory user's row is passed in: no paging through the directory."""
    user = directory_user_where(app, test=lambda u: u["payment_status"] == "unpaid")
    before = {"payment_status": "unpaid", "payment_expiry_date": "", "blocked": False}
    p = await plan_write(client, "directory.user_payment",
                         {"directory": "dir_5002", "user": user["ID"], "payment_status": "paid",
                          "expiry_date": "2027-02-28"}, before=before)
    assert sent(app, "directory.users") == 0
    assert p.diff() == [("payment_status", "unpaid", "paid"),
                        ("payment_expiry_date", "", "2027-02-28")]


async def test_subaccount_management_with_subaccount_credentials_is_refused(app, client, journal):
    from ctconsole.writes import WriteContext

    key, secret = app.subaccount_credentials()["sub_2001"]
    sub_client = client.for_subaccount(key, secret)
    p = await refused(app, sub_client, journal, WriteContext("demo", subaccount="sub_2001"),
                      "subaccount.sso", {"subaccount": "sub_2002"}, subaccount="sub_2001")
    assert p.credentials == "subaccount sub_2001"
    assert "main account's credentials" in messages(p.refusals)


async def test_removing_a_missing_single_use_url_is_refused(app, client, journal, context):
    p = await refused(app, client, journal, context, "singleuse.remove",
                      {"campaign": "cam_1001", "couponsession": BAD_CODE})
    assert [r.rule for r in p.refusals] == ["remove_missing"]


async def test_update_many_checks_every_session(app, client, journal, context):
    good = session_where(app, claimed="1", validated="0", voided="0")
    done = session_where(app, validated="1", voided="0")
    p = await refused(app, client, journal, context, "session.update_many",
                      {"couponsessions": [good, done], "validated": True})
    assert [r.message for r in p.refusals] == [
        f"Session {done} is already validated (on {app.session(done)['validation_date_utc']} "
        "UTC); validating again changes nothing"]


async def test_update_many_beyond_the_read_limit_says_the_state_is_unknown(app, client, monkeypatch):
    monkeypatch.setattr(plan, "PER_OBJECT_READ_LIMIT", 2)
    codes = [session_where(app, voided="0", skip=i) for i in range(3)]
    p = await plan_write(client, "session.update_many", {"couponsessions": codes, "voided": True})
    assert sent(app, "session.info") == 0
    assert [w.rule for w in p.warnings] == ["state_unknown"]
    assert p.confirmation == "3" and p.reach == 3


def test_a_new_rule_is_one_line():
    extra = guards.RULES + (guards.rule("no_fridays", ("campaign.push_all",), "refuse",
                                        lambda f: "friday" in f.params["message"].lower(),
                                        "must not mention Friday", needs_before=False),)
    found = guards.check("campaign.push_all", {"message": "Friday deals"}, None,
                         subject="Campaign cam_1", rules=extra, reach=3)
    assert Refusal("no_fridays", "Campaign cam_1 must not mention Friday") in found


def test_field_problems_for_a_form():
    from ctconsole.writes import field_problems

    assert field_problems("loyalty.user_update",
                          {"loyaltycard": "loy_3001", "user": "lus_1", "stamps": "3"}) == {}
    problems = field_problems("loyalty.user_update",
                              {"loyaltycard": "loy_3001", "user": "", "stamps": "lots"})
    assert problems == {"user": "required (Loyalty user ID (from loyalty.users))",
                        "stamps": "must be a whole number (got 'lots')"}
    assert field_problems("singleuse.create_many", {"campaign": "cam_1", "amount": 0}) == {
        "amount": "must be between 1 and 100000 (got 0)"}
    assert field_problems("loyalty.user_update", {"loyaltycard": "loy_1", "user": "lus_1"}) == {
        "stamps / points / voided": "give at least one of them"}


async def test_only_known_writes_are_planned(app, client):
    from ctconsole.api.errors import InvalidParams

    with pytest.raises(InvalidParams) as err:
        await plan_write(client, "session.info", {"couponsession": BAD_CODE})
    assert err.value.title == "Not a write"
    with pytest.raises(InvalidParams) as err:
        await plan_write(client, "session.updat", {})
    assert err.value.title == "Unknown operation"
    with pytest.raises(InvalidParams) as err:
        await plan_write(client, "loyalty.user_update", {"loyaltycard": "loy_3001", "user": "x"})
    assert err.value.problems == ["stamps / points / voided: give at least one of them"]
    assert app.requests == []  # nothing read or sent for a bad form
