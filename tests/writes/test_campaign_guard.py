"""Validating or claiming a session of a campaign that is not running (inactive,
not started, ended) warns with the campaign's name, status and run dates, and
still lets the write go ahead; the campaign is part of the state before, so
the journal keeps it too."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ctconsole.sandbox.people import FIXED_NOW
from ctconsole.writes import apply_write, plan_write

from .conftest import sent, session_where


def campaign_warnings(plan) -> list[str]:
    return [w.message for w in plan.warnings if w.rule == "campaign_not_running"]


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("flag", ["validated", "claimed"])
async def test_validating_a_session_of_an_inactive_ended_campaign_warns(app, client, journal,
                                                                       context, flag):
    camp = app.state.campaigns["cam_1002"]
    assert camp["status"] == "inactive" and day(camp["end_date"]) < FIXED_NOW
    code = session_where(app, "cam_1002", claimed="0", validated="0", voided="0", locked="0")
    p = await plan_write(client, "session.update", {"couponsession": code, flag: True},
                         now=FIXED_NOW)
    assert p.refusals == []
    assert campaign_warnings(p) == [
        f"Session {code} belongs to campaign cam_1002 ({camp['name']}), which is inactive and "
        f"ended on {camp['end_date']} (status inactive, runs {camp['start_date']} to "
        f"{camp['end_date']}); check that the merchant still honours its coupons"]
    # The preview's "now" column and the journal's "Before" show the campaign.
    assert {k: p.before[k] for k in ("campaign_name", "campaign_status", "campaign_start",
                                     "campaign_end")} == {
        "campaign_name": camp["name"], "campaign_status": "inactive",
        "campaign_start": camp["start_date"], "campaign_end": camp["end_date"]}
    outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.ok and app.session(code)[flag] == "1"
    assert journal.get(outcome.entry_id).before["campaign_status"] == "inactive"


async def test_an_active_campaign_warns_only_outside_its_run(app, client):
    camp = app.state.campaigns["cam_1001"]
    assert camp["status"] == "active"
    code = session_where(app, "cam_1001", claimed="1", validated="0", voided="0", locked="0")
    params = {"couponsession": code, "validated": True}
    running = await plan_write(client, "session.update", params, now=FIXED_NOW)
    assert campaign_warnings(running) == []
    after_end = day(camp["end_date"]) + timedelta(days=2)
    ended = await plan_write(client, "session.update", params, now=after_end)
    assert campaign_warnings(ended) == [
        f"Session {code} belongs to campaign cam_1001 ({camp['name']}), which ended on "
        f"{camp['end_date']} (status active, runs {camp['start_date']} to {camp['end_date']}); "
        "check that the merchant still honours its coupons"]
    before_start = day(camp["start_date"]) - timedelta(days=1)
    early = await plan_write(client, "session.update", params, now=before_start)
    assert f"which has not started (starts on {camp['start_date']})" in campaign_warnings(early)[0]


async def test_other_session_writes_of_an_inactive_campaign_do_not_warn(app, client):
    code = session_where(app, "cam_1002", voided="0", locked="0")
    p = await plan_write(client, "session.update", {"couponsession": code, "voided": True},
                         now=FIXED_NOW)
    assert campaign_warnings(p) == [] and p.before["campaign_status"] == "inactive"


async def test_update_many_warns_per_session_and_reads_the_campaign_once(app, client):
    codes = [session_where(app, "cam_1002", claimed="0", validated="0", voided="0", skip=i)
             for i in range(3)]
    before = sent(app, "campaign.info")
    p = await plan_write(client, "session.update_many",
                         {"couponsessions": codes, "validated": True}, now=FIXED_NOW)
    assert sent(app, "campaign.info") - before == 1
    assert [m.split(" ", 2)[1] for m in campaign_warnings(p)] == codes


async def test_a_long_campaign_name_is_cut_so_status_and_dates_stay_in_the_message(app, client):
    camp = app.state.campaigns["cam_1002"]
    camp["name"] = "Spring sale " + "with a very long internal name " * 8
    code = session_where(app, "cam_1002", claimed="1", validated="0", voided="0", locked="0")
    p = await plan_write(client, "session.update", {"couponsession": code, "validated": True},
                         now=FIXED_NOW)
    [message] = campaign_warnings(p)
    shown = message.split("cam_1002 (", 1)[1].split("), which", 1)[0]
    assert shown.startswith("Spring sale with a very long") and shown.endswith("…")
    assert len(shown) <= 40
    assert f"runs {camp['start_date']} to {camp['end_date']}" in message
    assert len(message) < 300  # the CLI's one-line limit for a warning
