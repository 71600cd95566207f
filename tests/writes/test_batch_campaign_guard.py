"""A batch that validates sessions of a campaign that is not running warns on
each of those rows, as a single write does, and reads each campaign once per
batch, not once per row."""

from __future__ import annotations

from datetime import datetime, timezone

from ctconsole.sandbox.people import FIXED_NOW
from ctconsole.writes.batch import (Accounts, Resolver, action_named, apply_batch, parse_text,
                                    plan_batch, plan_retry, resolve, rows_for)

from .conftest import sent


def codes_where(app, campaign, n, **flags):
    found = [c for c in app.state.sessions.order[campaign]
             if all(app.state.sessions.records[c][k] == v for k, v in flags.items())]
    assert len(found) >= n, f"{campaign} has {len(found)} sessions with {flags}"
    return found[:n]


def campaign_warnings(row) -> list[str]:
    return [r.message for r in row.reasons if r.rule == "campaign_not_running"]


async def preview(client, codes, now, action="validate"):
    act = action_named(action)
    accounts = Accounts(client)
    rows = await resolve(rows_for(parse_text("\n".join(codes)).items),
                         Resolver(accounts, act.target), pool=4)
    return plan_batch(act, rows, act.fields({}), reason="INC-7", now=now), accounts


OPEN = dict(claimed="1", validated="0", voided="0", locked="0")


async def test_rows_of_an_ended_inactive_campaign_warn_and_each_campaign_is_read_once(app, client):
    ended = app.state.campaigns["cam_1002"]
    assert ended["status"] == "inactive" and ended["end_date"] < FIXED_NOW.date().isoformat()
    assert app.state.campaigns["cam_1001"]["status"] == "active"
    off = codes_where(app, "cam_1002", 5, **OPEN)
    running = codes_where(app, "cam_1001", 5, **OPEN)
    plan, accounts = await preview(client, off + running, FIXED_NOW)
    await accounts.aclose()
    assert sent(app, "campaign.info") == 2  # one per campaign, not one per row
    by = {r.target.key: r for r in plan.rows}
    for code in off:
        assert by[code].outcome == "warn"
        assert campaign_warnings(by[code]) == [
            f"Session {code[:6]} belongs to campaign cam_1002 ({ended['name']}), which is "
            f"inactive and ended on {ended['end_date']} (status inactive, runs "
            f"{ended['start_date']} to {ended['end_date']}); check that the merchant still "
            "honours its coupons"]
    assert [by[c].outcome for c in running] == ["change"] * 5
    assert all(by[c].reasons == [] for c in running)
    assert plan.summary() == "5 will change, 5 will change, with a warning"
    # A warning does not hold the row back: all ten are written.
    assert plan.confirmation == "10"


async def test_the_batchs_now_decides_whether_an_active_campaign_has_ended(app, client):
    camp = app.state.campaigns["cam_1005"]
    assert camp["status"] == "active"
    codes = codes_where(app, "cam_1005", 2, **OPEN)
    running, _ = await preview(client, codes, FIXED_NOW)
    assert running.summary() == "2 will change"
    later = datetime.fromisoformat(camp["end_date"]).replace(day=28, tzinfo=timezone.utc)
    ended, _ = await preview(client, codes, later)
    assert [f"which ended on {camp['end_date']}" in campaign_warnings(r)[0]
            for r in ended.rows] == [True, True]


async def test_voiding_sessions_of_an_inactive_campaign_does_not_warn(app, client):
    codes = codes_where(app, "cam_1002", 2, voided="0", locked="0")
    plan, _ = await preview(client, codes, FIXED_NOW, action="void")
    assert [campaign_warnings(r) for r in plan.rows] == [[], []]
    assert plan.rows[0].before["campaign_status"] == "inactive"  # read, and journaled


async def test_retrying_the_failed_rows_warns_again(app, client, journal, context):
    codes = codes_where(app, "cam_1002", 3, **OPEN)
    plan, accounts = await preview(client, codes, FIXED_NOW)
    app.faults.add("api_error", "session.update_many", code=300, message="Try later")
    await apply_batch(plan, accounts, journal=journal, context=context,
                      confirm=plan.confirmation)
    assert plan.results() == {"failed": 3}
    read = sent(app, "campaign.info")
    retry = await plan_retry(journal, plan, accounts, now=FIXED_NOW)
    assert sent(app, "campaign.info") - read == 1
    assert [r.outcome for r in retry.rows] == ["warn"] * 3
    assert all("which is inactive and ended on" in campaign_warnings(r)[0] for r in retry.rows)
