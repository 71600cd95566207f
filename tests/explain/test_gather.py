"""Investigations end to end on the sandbox's support cases."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ctconsole.demo import demo_client
from ctconsole.explain.gather import investigate

NOW = datetime(2026, 11, 20, 12, 5, tzinfo=timezone.utc)


@pytest.fixture
async def client():
    client = demo_client(big_sessions=0, cases=True)
    yield client
    await client.aclose()


@pytest.mark.parametrize("case, rule", [
    ("nothing_wrong", "nothing_wrong"), ("validated", "validated"), ("voided", "voided"),
    ("locked", "locked"), ("never_claimed", "never_claimed"), ("outside_run", "outside_run"),
    ("not_started", "campaign_not_started"), ("ended", "campaign_ended"),
    ("inactive", "campaign_inactive"),
])
async def test_each_case_gets_its_verdict_from_the_subaccount(client, case, rule):
    code = client.sandbox.state.cases[case]["session"]
    result = await investigate(client, code, now=NOW)
    assert result.explanation.verdict.rule == rule
    assert result.target.id == "sub_2006"
    assert result.facts.searched == "the main account and 6 subaccounts"


async def test_an_email_finds_the_session_and_its_campaign(client):
    case = client.sandbox.state.cases["ended"]
    result = await investigate(client, case["email"], now=NOW)
    v = result.explanation.verdict
    assert v.verdict == "Campaign ended on 2026-09-30" and v.fix is None
    assert result.facts.campaign.name == "Summer rides — free bottle"


async def test_a_removed_single_use_link(client):
    case = client.sandbox.state.cases["removed_link"]
    result = await investigate(client, case["url"], now=NOW)
    v = result.explanation.verdict
    assert v.rule == "link_removed"
    assert v.fix.operation == "singleuse.create" and v.fix.params == {"campaign": "cam_2604"}
    assert result.target.id == "sub_2006"


async def test_a_session_of_another_merchant_than_named(client):
    code = client.sandbox.state.cases["nothing_wrong"]["session"]
    result = await investigate(client, code, named="sub_2001", now=NOW)
    v = result.explanation.verdict
    assert v.verdict == "Belongs to Velo Bakker (sub_2006), not Brasserie Peeters (sub_2001)"


async def test_without_everywhere_only_the_main_account_is_asked(client):
    code = client.sandbox.state.cases["voided"]["session"]
    result = await investigate(client, code, everywhere=False, now=NOW)
    assert result.explanation.verdict.rule == "not_found"
    assert result.facts.searched == "the main account"
    assert not any(r.operation == "subaccount.list" for r in client.sandbox.requests)


async def test_this_machines_writes_are_evidence_and_in_the_note(client, tmp_path):
    from ctconsole.api.fanout import accounts
    from ctconsole.explain.note import render
    from ctconsole.writes import Journal, WriteContext, apply_write, plan_write

    code = client.sandbox.state.cases["nothing_wrong"]["session"]
    sub = next(t for t in await accounts(client) if t.id == "sub_2006")
    journal = Journal(tmp_path / "journal.jsonl")
    plan = await plan_write(sub.client, "session.update", {"couponsession": code, "voided": True},
                            reason="TICKET-7")
    await apply_write(sub.client, plan, journal=journal,
                      context=WriteContext(profile="demo", user="anna", host="desk"))
    result = await investigate(client, code, journal=journal, now=NOW)
    v = result.explanation.verdict
    assert v.rule == "voided"
    assert any(line.startswith("This machine's journal: session.update ok") and "by anna (TICKET-7)"
               in line for line in v.evidence)
    note = render(result.explanation)
    assert f"session.update couponsession={code} voided=true → ok by anna (TICKET-7)" in note


async def test_a_main_account_session_is_the_answer_and_the_subaccounts_search_stops():
    import asyncio

    client = demo_client(big_sessions=0, cases=True, subaccounts=60, latency=0.02)
    try:
        sandbox = client.sandbox
        code = sandbox.state.sessions.order["cam_1001"][0]
        events: list = []
        result = await investigate(client, code, now=NOW, on_event=events.append)
        assert result.target.id == "main" and result.match.session == code
        assert result.facts.searched == "the main account"
        assert events == []  # the subaccounts' search never reported
        main_id = client.credentials.client_id

        def subaccounts_asked() -> int:
            return sum(r.headers.get("x-client-id") != main_id for r in sandbox.requests)

        sent = subaccounts_asked()
        await asyncio.sleep(0.2)
        assert subaccounts_asked() == sent  # nothing more is sent to them
        assert sent <= 16  # at most what was out when the main account answered
        # The subaccount list was read alongside the main account's search.
        assert sum(r.operation == "subaccount.list" for r in sandbox.requests) == 1
    finally:
        await client.aclose()
