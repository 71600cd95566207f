"""`session.update_many` as a batch uses it: the big campaign's computed
sessions, several campaigns in one call, another account's session, and the
catalogue's limit of 1,000 codes."""

from __future__ import annotations

from .conftest import post


def state(body: dict) -> str:
    return body["status"]["status"]


async def test_computed_sessions_of_the_big_campaign_are_updated_and_listed(app, http):
    big = app.state.sessions.big
    codes = [big.code(i) for i in range(0, 300, 3)]
    body = await post(http, "session.update_many", couponsessions=codes, locked=True)
    assert state(body) == "OK"
    assert body["action"] == "couponsessions_updated"
    assert body["amount_updated"] == "100" and body["sessions"] == codes
    assert all(app.session(c)["locked"] == "1" for c in codes)


async def test_sessions_of_two_campaigns_go_in_one_call(app, http):
    codes = [app.state.sessions.order["cam_1001"][0], app.state.sessions.order["cam_1002"][0]]
    body = await post(http, "session.update_many", couponsessions=codes, voided=True)
    assert body["sessions"] == codes
    assert [app.session(c)["voided"] for c in codes] == ["1", "1"]


async def test_a_subaccounts_session_fails_the_whole_call_under_main_credentials(app, http):
    mine = app.state.sessions.order["cam_1001"][0]
    theirs = app.state.sessions.order["cam_2101"][0]
    before = app.session(mine)["voided"]
    body = await post(http, "session.update_many", couponsessions=[mine, theirs], voided=True)
    assert state(body) == "failed"
    assert body["status"]["errors"]["error_code"] == [505]
    assert app.session(mine)["voided"] == before


async def test_more_than_a_thousand_codes_are_refused(app, http):
    big = app.state.sessions.big
    codes = [big.code(i) for i in range(1001)]
    before = [app.session(c)["locked"] for c in codes[:50]]
    body = await post(http, "session.update_many", couponsessions=codes, locked=True)
    assert state(body) == "failed"
    assert [app.session(c)["locked"] for c in codes[:50]] == before
    assert "0" in before
