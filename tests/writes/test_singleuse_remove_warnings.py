"""Removing a single-use URL is for good: the preview says so, says when a
customer may already hold the coupon, and predicts every field removed (not
"as it was")."""

from __future__ import annotations

from ctconsole.writes import plan_write

from .conftest import session_where


def messages(reasons) -> list[str]:
    return [r.message for r in reasons]


async def test_removing_an_untouched_session_warns_only_that_it_is_for_good(app, client):
    code = session_where(app, claimed="0", validated="0")
    p = await plan_write(client, "singleuse.remove", {"campaign": "cam_1001",
                                                      "couponsession": code})
    assert not p.blocked
    assert messages(p.warnings) == [
        f"Session {code} and its single-use URL will be removed for good: it cannot be undone "
        "or restored (a new one gets a new URL and code)"]


async def test_removing_a_validated_session_warns_a_customer_may_hold_it(app, client):
    code = session_where(app, validated="1")
    record = app.session(code)
    p = await plan_write(client, "singleuse.remove", {"campaign": "cam_1001",
                                                      "couponsession": code})
    assert [w.rule for w in p.warnings] == ["remove_held", "remove_for_good"]
    held = p.warnings[0].message
    assert held.startswith(f"Session {code} was already validated (on "
                           f"{record['validation_date_utc']} UTC)")
    assert held.endswith("a customer may hold this coupon, and removing it stops its URL and "
                         "code working")
    assert not p.blocked  # a warning: removing it may be exactly what is meant


async def test_removing_a_claimed_session_names_how_it_was_claimed(app, client):
    code = session_where(app, claimed="1", validated="0")
    p = await plan_write(client, "singleuse.remove", {"campaign": "cam_1001",
                                                      "couponsession": code})
    [held] = [w for w in p.warnings if w.rule == "remove_held"]
    assert f"was already claimed via {p.before['claimtype']}" in held.message


async def test_the_predicted_after_has_nothing_left_of_the_session(app, client):
    code = session_where(app, claimed="1", validated="0")
    p = await plan_write(client, "singleuse.remove", {"campaign": "cam_1001",
                                                      "couponsession": code})
    assert p.before["exists"] is True and p.before["claimed"] is True
    assert p.after["exists"] is False
    assert {name: p.after[name] for name in ("claimed", "customid", "campaign")} == {
        "claimed": "(removed)", "customid": "(removed)", "campaign": "(removed)"}
    assert set(p.after) == set(p.before)
