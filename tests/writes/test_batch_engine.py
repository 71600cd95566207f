"""The batch engine against the sandbox: resolve, preview, apply, pause,
partial failure, retry, resume from the journal, undo, refusals."""

from __future__ import annotations

import asyncio

import pytest

from ctconsole.sandbox.people import FIXED_NOW
from ctconsole.writes import Journal, WriteContext
from ctconsole.writes.batch import (Accounts, Resolver, action_named, apply_batch, batch_status,
                                    parse_text, plan_batch, plan_resume, plan_retry,
                                    plan_undo_batch, resolve, rows_for)
from ctconsole.writes.batch import plan as plan_module

from .conftest import sent


def codes_where(app, campaign="cam_1001", n=3, **flags):
    found = [c for c in app.state.sessions.order[campaign]
             if all(app.state.sessions.records[c][k] == v for k, v in flags.items())]
    assert len(found) >= n
    return found[:n]


async def preview(client, text, action="validate", fields=None, *, everywhere=False):
    act = action_named(action)
    accounts = Accounts(client, everywhere=everywhere)
    rows = await resolve(rows_for(parse_text(text).items), Resolver(accounts, act.target), pool=4)
    return plan_batch(act, rows, act.fields(fields or {}), reason="INC-7",
                      now=FIXED_NOW), accounts


def flag(app, code, name):
    return app.session(code)[name]


async def test_rows_resolve_to_found_not_found_ambiguous_and_duplicate(app, client):
    code = codes_where(app, n=1)[0]
    shared = "daan.vandijk@example.com"  # four sessions carry it
    plan, _ = await preview(client, f"{code}\n{code[:6]}\nzzzzzz\n{shared}\n")
    outcomes = [(r.number, r.outcome) for r in plan.rows]
    assert outcomes[0][1] in ("change", "warn", "refused")
    assert outcomes[1:] == [(2, "duplicate"), (3, "not_found"), (4, "ambiguous")]
    assert "same session as identifier 1" in plan.rows[1].note
    assert plan.rows[3].note.startswith("4 matches")


async def test_the_preview_shows_now_and_after_per_row_and_the_guards_refusals(app, client):
    fresh = codes_where(app, claimed="1", validated="0", voided="0", locked="0", n=2)
    done = codes_where(app, validated="1", n=1)
    voided = codes_where(app, voided="1", validated="0", n=1)
    plan, _ = await preview(client, "\n".join([*fresh, *done, *voided]))
    by = {r.target.key: r for r in plan.rows}
    assert by[fresh[0]].outcome == "change"
    assert by[fresh[0]].changes() == [("validated", False, True)]
    assert by[done[0]].outcome == "refused"
    assert "is already validated" in by[done[0]].reasons[0].message
    assert by[voided[0]].outcome == "refused"
    assert "is voided" in by[voided[0]].reasons[0].message
    assert plan.summary() == "2 will change, 2 refused"
    assert plan.confirmation == "2"
    # one bulk operation for the two rows to write, none for the refused
    assert [(s.operation, s.params["couponsessions"]) for s in plan.steps] == [
        ("session.update_many", fresh)]


async def test_bulk_writes_are_grouped_per_campaign_and_per_account(app, client):
    main_a = codes_where(app, "cam_1001", voided="0", n=2)
    main_b = codes_where(app, "cam_1002", voided="0", n=2)
    sub = codes_where(app, "cam_2101", voided="0", n=2)
    plan, _ = await preview(client, "\n".join([*main_a, *sub, *main_b]), "void", everywhere=True)
    steps = sorted((s.credentials, s.scope, len(s.rows), s.operation) for s in plan.steps)
    assert steps == [("main account", "cam_1001", 2, "session.update_many"),
                     ("main account", "cam_1002", 2, "session.update_many"),
                     ("subaccount sub_2001", "cam_2101", 2, "session.update_many")]


async def test_without_everywhere_a_subaccounts_session_is_not_found(app, client):
    sub = codes_where(app, "cam_2101", n=1)
    plan, _ = await preview(client, sub[0], "void")
    assert plan.rows[0].outcome == "not_found"


async def test_apply_sends_each_operation_once_journaled_under_one_batch_id(
        app, client, journal, context):
    codes = codes_where(app, claimed="1", validated="0", voided="0", locked="0", n=3)
    plan, accounts = await preview(client, "\n".join(codes))
    report = await apply_batch(plan, accounts, journal=journal, context=context,
                               confirm=plan.confirmation)
    assert report.status == "done"
    assert [flag(app, c, "validated") for c in codes] == ["1", "1", "1"]
    assert sent(app, "session.update_many") == 1
    entries = journal.entries(batch=plan.id)
    assert [e.outcome for e in entries] == ["ok"]
    assert entries[0].reason == "INC-7"
    assert batch_status(journal, plan.id).summary() == "3 applied"


async def test_nothing_is_sent_without_the_count_typed_read_only_or_offline(
        app, client, journal, context):
    codes = codes_where(app, voided="0", n=2)
    plan, accounts = await preview(client, "\n".join(codes), "void")
    for ctx, confirm, words in [
            (context, "3", "type 2 exactly"),
            (WriteContext("prod", read_only=True), "2", "read-only"),
            (WriteContext("prod", offline=True), "2", "offline")]:
        report = await apply_batch(plan, accounts, journal=journal, context=ctx, confirm=confirm)
        assert report.status == "refused"
        assert words in report.note
    assert sent(app, "session.update_many") == 0
    assert journal.batch_manifests() == []


async def test_a_failed_operation_is_reported_never_retried_and_retry_replans_only_it(
        app, client, journal, context, monkeypatch):
    monkeypatch.setattr(plan_module, "CHUNK", 2)
    codes = codes_where(app, voided="0", n=4)
    plan, accounts = await preview(client, "\n".join(codes), "void")
    assert len(plan.steps) == 2
    app.faults.add("api_error", "session.update_many", code=300, message="Try later")
    report = await apply_batch(plan, accounts, journal=journal, context=context,
                               confirm=plan.confirmation, concurrency=1)
    assert report.status == "done"
    assert plan.results() == {"failed": 2, "ok": 2}
    failed = [r.target.key for r in plan.failed]
    assert all("Try later" in r.error for r in plan.failed)
    assert sent(app, "session.update_many") == 2  # not sent again by itself
    retry = await plan_retry(journal, plan, accounts)
    assert retry.id == plan.id and retry.part == 2
    assert [r.target.key for r in retry.to_write] == failed
    report = await apply_batch(retry, accounts, journal=journal, context=context, confirm="2")
    assert report.status == "done"
    assert [flag(app, c, "voided") for c in codes] == ["1"] * 4
    assert batch_status(journal, plan.id).summary() == "4 applied"


async def test_pause_lets_the_write_in_flight_finish_and_starts_no_new_one(
        app, client, journal, context, monkeypatch):
    monkeypatch.setattr(plan_module, "CHUNK", 1)
    codes = codes_where(app, voided="0", n=4)
    plan, accounts = await preview(client, "\n".join(codes), "void")
    pause = asyncio.Event()

    def on_step(step, progress):
        pause.set()  # Esc pressed while the first one was in flight

    report = await apply_batch(plan, accounts, journal=journal, context=context,
                               confirm=plan.confirmation, concurrency=1, pause=pause,
                               on_step=on_step)
    assert report.status == "paused"
    assert [flag(app, c, "voided") for c in codes] == ["1", "0", "0", "0"]
    assert "3 not started" in report.note
    pause.clear()
    report = await apply_batch(plan, accounts, journal=journal, context=context,
                               confirm=plan.confirmation)
    assert report.status == "done"
    assert [flag(app, c, "voided") for c in codes] == ["1"] * 4
    assert len(journal.batch_manifests(plan.id)) == 1


async def test_resume_after_a_write_with_no_answer_applies_nothing_twice(
        app, client, journal, context, monkeypatch):
    monkeypatch.setattr(plan_module, "CHUNK", 2)
    codes = codes_where(app, claimed="1", validated="0", voided="0", locked="0", n=6)
    plan, accounts = await preview(client, "\n".join(codes))
    # the second operation reaches the API, but its answer never arrives
    calls = 0
    original = accounts.main.call

    async def call(name, /, **params):
        nonlocal calls
        if name == "session.update_many":
            calls += 1
            if calls == 2:
                await original(name, **params)
                raise asyncio.CancelledError  # the process is killed mid-request
        return await original(name, **params)

    monkeypatch.setattr(accounts.main, "call", call)
    with pytest.raises(asyncio.CancelledError):
        await apply_batch(plan, accounts, journal=journal, context=context,
                          confirm=plan.confirmation, concurrency=1)
    monkeypatch.setattr(accounts.main, "call", original)
    status = batch_status(journal, plan.id)
    assert status.summary() == "2 applied, 2 outcome unknown, 2 not started"
    resumed, _ = await plan_resume(journal, plan.id, accounts)
    assert resumed.summary() == "2 will change, 4 already applied"
    assert [r.target.key for r in resumed.to_write] == codes[4:]
    await apply_batch(resumed, accounts, journal=journal, context=context, confirm="2")
    assert [flag(app, c, "validated") for c in codes] == ["1"] * 6
    events = [w["session"] for w in app.state.webhooks.values() if w["session"] in codes
              and w["type"] == "coupon_validated"]
    assert sorted(events) == sorted(codes)  # validated once each
    assert batch_status(journal, plan.id).complete


async def test_undo_sets_every_applied_row_back_through_the_same_preview(
        app, client, journal, context):
    codes = codes_where(app, voided="0", n=3)
    plan, accounts = await preview(client, "\n".join(codes), "void")
    await apply_batch(plan, accounts, journal=journal, context=context, confirm="3")
    undo = await plan_undo_batch(journal, plan.id, accounts)
    assert undo.undo_of == plan.id and undo.id != plan.id
    assert undo.summary() == "3 will change"
    assert undo.rows[0].changes() == [("voided", True, False)]
    assert (await apply_batch(undo, accounts, journal=journal, context=context,
                              confirm="2")).status == "refused"
    await apply_batch(undo, accounts, journal=journal, context=context, confirm="3")
    assert [flag(app, c, "voided") for c in codes] == ["0"] * 3


async def test_loyalty_stamps_are_guarded_per_user_and_undone_by_the_inverse(
        app, client, journal, context):
    rich = next(uid for uid, u in app.state.loyalty["loy_3001"]["users"].items()
                if int(u["stamps"]) >= 2 and u["voided"] == "0")
    poor = next(uid for uid, u in app.state.loyalty["loy_3001"]["users"].items()
                if int(u["stamps"]) < 2 and u["voided"] == "0")
    stamps = {u: int(app.state.loyalty["loy_3001"]["users"][u]["stamps"]) for u in (rich, poor)}
    plan, accounts = await preview(client, f"{rich}\n{poor}", "stamps", {"stamps": "-2"})
    by = {r.target.ident: r for r in plan.rows}
    assert by[rich].outcome == "change"
    assert by[rich].changes() == [("stamps", stamps[rich], stamps[rich] - 2)]
    assert by[poor].outcome == "refused"
    assert "cannot go below zero" in by[poor].reasons[0].message
    plan, accounts = await preview(client, f"{rich}\n{poor}", "stamps", {"stamps": "3"})
    assert [s.operation for s in plan.steps] == ["loyalty.user_update"] * 2
    await apply_batch(plan, accounts, journal=journal, context=context, confirm="2")
    users = app.state.loyalty["loy_3001"]["users"]
    assert [int(users[u]["stamps"]) for u in (rich, poor)] == [stamps[rich] + 3, stamps[poor] + 3]
    undo = await plan_undo_batch(journal, plan.id, accounts)
    await apply_batch(undo, accounts, journal=journal, context=context, confirm="2")
    assert [int(users[u]["stamps"]) for u in (rich, poor)] == [stamps[rich], stamps[poor]]


async def test_bad_fields_for_an_action_are_refused_before_anything_is_read():
    from ctconsole.api.errors import InvalidParams

    with pytest.raises(InvalidParams, match="required by action push"):
        action_named("push").fields({})
    with pytest.raises(InvalidParams, match="not a field of action validate"):
        action_named("validate").fields({"stamps": 3})
    with pytest.raises(InvalidParams, match="no such action"):
        action_named("explode")
    assert action_named("stamps").fields({"stamps": "5"}) == {"stamps": 5}


async def test_lookups_go_through_a_lean_pool_of_their_own_which_closes_with_the_batch():
    from ctconsole.api import Client, Credentials

    client = Client(Credentials("id", "secret"), base_url="http://127.0.0.1:9")
    accounts = Accounts(client, pool=16)
    clients = {id((await accounts.searched(n))[0][1]) for n in range(8)}
    assert len(clients) == 1
    lookup = (await accounts.searched(0))[0][1]
    assert lookup.is_lean and not accounts.main.is_lean  # writes stay on httpx
    await accounts.aclose()
    assert lookup._lean.is_closed
    assert not client._http.is_closed
    await client.aclose()


async def test_on_a_given_transport_lookups_spread_over_httpx_pools(client):
    accounts = Accounts(client, pool=16)
    clients = {id((await accounts.searched(n))[0][1]) for n in range(8)}
    assert len(clients) == 4
    assert not any(c.is_lean for c in accounts._mains)
    await accounts.aclose()
    assert accounts._mains == [accounts.main]
