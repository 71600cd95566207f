"""Applying: refusals send nothing; failures are journaled with what is known
about the outcome, leave the plan as it was and are never retried."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from ctconsole.api import Client, Credentials
from ctconsole.cache import ResponseCache
from ctconsole.config import Profile, Settings
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from ctconsole.writes import (ConfirmationMismatch, Journal, ReadOnly, WriteContext, apply_write,
                              plan_write)
from ctconsole.writes.journal import NO_ANSWER

from .conftest import sent, session_where


async def validate_plan(app, client):
    code = session_where(app, claimed="1", validated="0", voided="0", locked="0")
    return code, await plan_write(client, "session.update",
                                  {"couponsession": code, "validated": True})


async def test_push_all_needs_the_campaign_code_typed(app, client, journal, context):
    p = await plan_write(client, "campaign.push_all", {"campaign": "cam_1001", "message": "Hi"})
    code = app.state.campaigns["cam_1001"]["code"]
    assert p.confirmation == code
    for typed in (None, "", "yes", code.upper() if code.upper() != code else code + "x"):
        outcome = await apply_write(client, p, journal=journal, context=context, confirm=typed)
        assert outcome.status == "refused"
        assert isinstance(outcome.refused[-1], ConfirmationMismatch)
        assert f"type {code!r} exactly to confirm" in outcome.refused[-1].message
    assert sent(app, "campaign.push_all") == 0 and journal.entries() == []
    outcome = await apply_write(client, p, journal=journal, context=context, confirm=f" {code} ")
    assert outcome.ok and sent(app, "campaign.push_all") == 1


async def test_update_many_needs_the_count_typed(app, client, journal, context):
    codes = [session_where(app, voided="0", skip=i) for i in range(2)]
    p = await plan_write(client, "session.update_many", {"couponsessions": codes, "locked": True})
    assert p.confirmation == "2"
    outcome = await apply_write(client, p, journal=journal, context=context, confirm="3")
    assert outcome.status == "refused" and sent(app, "session.update_many") == 0
    assert "got '3'" in outcome.refused[-1].message


async def test_create_many_needs_the_amount_typed(app, client, journal, context):
    p = await plan_write(client, "singleuse.create_many", {"campaign": "cam_1002", "amount": 25})
    assert p.confirmation == "25" and p.reach == 25
    outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.status == "refused" and sent(app, "singleuse.create_many") == 0


async def test_single_write_needs_no_typing(app, client):
    _, p = await validate_plan(app, client)
    assert p.confirmation is None


async def test_read_only_profile_sends_nothing_and_says_why(app, client, journal):
    profile = Profile.fixed("prod", "http://sandbox", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
                            read_only=True)
    context = WriteContext.from_settings(Settings(profile=profile))
    code, p = await validate_plan(app, client)
    outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.status == "refused" and not outcome.sent
    assert outcome.refused == [ReadOnly("read_only", (
        "profile 'prod' is read-only (read_only = true in the config, or --read-only); "
        "every write is disabled"))]
    assert sent(app, "session.update") == 0 and journal.entries() == []
    assert app.session(code)["validated"] == "0"


async def test_offline_and_changed_credentials_send_nothing(app, client, journal):
    _, p = await validate_plan(app, client)
    for context, rule in ((WriteContext("demo", offline=True), "offline"),
                          (WriteContext("demo", subaccount="sub_2001"), "credentials_changed")):
        outcome = await apply_write(client, p, journal=journal, context=context)
        assert [r.rule for r in outcome.refused] == [rule]
    assert sent(app, "session.update") == 0


async def test_api_failure_is_journaled_the_plan_kept_and_not_retried(app, client, journal,
                                                                      context):
    code, p = await validate_plan(app, client)
    snapshot = (dict(p.params), dict(p.before), p.diff())
    app.faults.add("api_error", "session.update", code=300, message="Session is locked")
    outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.status == "failed" and outcome.sent
    assert outcome.error.title == "Wrong value (300)"
    assert outcome.error.message == "Session is locked"
    assert sent(app, "session.update") == 1  # never retried automatically
    (entry,) = journal.entries()
    assert entry.outcome == "failed"
    assert entry.error == {"type": "ApiError", "title": "Wrong value (300)",
                           "message": "Session is locked", "codes": [300]}
    assert "refused" in entry.outcome_note
    assert (dict(p.params), dict(p.before), p.diff()) == snapshot  # the form stays filled
    again = await apply_write(client, p, journal=journal, context=context)  # the user retries
    assert again.ok and app.session(code)["validated"] == "1"
    assert [e.outcome for e in journal.entries()] == ["failed", "ok"]


async def test_dropped_connection_reads_as_outcome_unknown(app, client, journal, context):
    _, p = await validate_plan(app, client)
    app.faults.add("drop", "session.update")
    outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.status == "unknown"
    assert sent(app, "session.update") == 1
    (entry,) = journal.entries(outcome="unknown")
    assert "may or may not have been applied" in entry.outcome_note
    assert entry.error["type"] == "ConnectFailed"


async def test_server_error_reads_as_outcome_unknown(app, client, journal, context):
    _, p = await validate_plan(app, client)
    app.faults.add("status", "session.update", status=502, body="html")
    outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.status == "unknown" and journal.entries()[0].outcome == "unknown"


async def test_unreachable_api_is_a_failure_with_nothing_sent(app, client, journal, context):
    _, p = await validate_plan(app, client)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: refused
        async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
                          base_url=f"http://127.0.0.1:{port}") as dead:
            outcome = await apply_write(dead, p, journal=journal, context=context)
    assert outcome.status == "failed"
    (entry,) = journal.entries()
    assert entry.outcome == "failed" and "nothing was sent" in entry.outcome_note


async def test_cancelled_in_flight_is_journaled_as_unknown(app, client, journal, context):
    _, p = await validate_plan(app, client)
    app.faults.add("latency", "session.update", seconds=30)
    task = asyncio.ensure_future(apply_write(client, p, journal=journal, context=context))
    for _ in range(500):
        if sent(app, "session.update"):
            break
        await asyncio.sleep(0.01)
    (pending,) = journal.entries()
    assert pending.outcome == "unknown" and pending.outcome_note == NO_ANSWER
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (entry,) = journal.entries()
    assert entry.outcome == "unknown" and entry.outcome_note.startswith("interrupted")


async def test_unwritable_journal_refuses_and_sends_nothing(app, client, context, tmp_path):
    (tmp_path / "not-a-dir").write_text("")
    journal = Journal(tmp_path / "not-a-dir" / "journal.jsonl")
    _, p = await validate_plan(app, client)
    outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.status == "refused" and [r.rule for r in outcome.refused] == ["journal"]
    assert sent(app, "session.update") == 0


async def test_begin_is_on_disk_before_the_request_is_sent(app, journal, context):
    seen = {}

    async def witness(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/v3/couponsession/update":
            seen["lines"] = journal.path.read_text().splitlines()
        await app(scope, receive, send)

    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://sandbox",
                      transport=httpx.ASGITransport(app=witness)) as client:
        _, p = await validate_plan(app, client)
        outcome = await apply_write(client, p, journal=journal, context=context)
    assert outcome.ok
    assert len(seen["lines"]) == 1 and '"record":"begin"' in seen["lines"][0]


async def test_state_after_is_fresh_even_with_a_warm_cache(app, journal, context, tmp_path):
    cache = ResponseCache(tmp_path / "cache.sqlite")
    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://sandbox",
                      transport=httpx.ASGITransport(app=app), cache=cache) as client:
        code = session_where(app, claimed="1", validated="0", voided="0", locked="0")
        await client.call("session.info", couponsession=code)
        await client.call("campaign.info", campaign="cam_1001")
        p = await plan_write(client, "session.update", {"couponsession": code, "validated": True})
        assert sent(app, "session.info") == 2  # the plan read past the cache
        outcome = await apply_write(client, p, journal=journal, context=context)
        assert outcome.state["validated"] is True and sent(app, "session.info") == 3
        # A screen reading the session now gets the new state; the campaign's
        # cached info was made stale by the write and is asked for again.
        assert (await client.call("session.info", couponsession=code)).data.data.status.validated
        asked = sent(app, "campaign.info")  # the plan read it too, for the guards
        await client.call("campaign.info", campaign="cam_1001")
        assert sent(app, "campaign.info") == asked + 1
    cache.close()
