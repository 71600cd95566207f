"""The journal file: private, append-only, readable after a crash, filterable,
and free of secrets."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta, timezone

from ctconsole import paths
from ctconsole.sandbox import DEMO_CLIENT_SECRET
from ctconsole.writes import Journal, apply_write, plan_write
from ctconsole.writes.journal import default_path

from .conftest import loyalty_user_where, session_where

PASSWORD = "correct-horse-battery-staple-42"


async def apply(client, journal, context, operation, params, **kw):
    plan = await plan_write(client, operation, params, **kw)
    outcome = await apply_write(client, plan, journal=journal, context=context,
                                confirm=plan.confirmation)
    assert outcome.ok, (outcome.status, outcome.note)
    return outcome


async def test_file_is_private_in_a_private_directory(app, client, journal, context):
    assert journal.path == default_path() == paths.data_dir() / "journal.jsonl"
    assert not journal.path.parent.exists()  # nothing made until the first write
    code = session_where(app, voided="0")
    await apply(client, journal, context, "session.update", {"couponsession": code, "voided": True})
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700


def test_a_widened_file_mode_is_tightened_on_append(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.finish("x", "ok")  # any record; unknown ids are skipped on read
    os.chmod(journal.path, 0o644)
    journal.finish("y", "ok")
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


async def test_no_secret_reaches_the_journal(app, client, journal, context):
    subs = app.subaccount_credentials()
    await apply(client, journal, context, "subaccount.sso", {"subaccount": "sub_2001"})
    sso = await apply(client, journal, context, "subaccount.sso",
                      {"subaccount": "sub_2002", "page": "statistics"})
    reset = await apply(client, journal, context, "subaccount.reset_url", {"subaccount": "sub_2003"})
    created = await apply(client, journal, context, "subaccount.create",
                          {"email": "fresh@example.com", "password": PASSWORD})
    await apply(client, journal, context, "subaccount.update",
                {"subaccount": "sub_2001", "password": PASSWORD + "!", "first_name": "Ann"})
    new_id = created.result.data.subaccount.id
    new_key, new_secret = app.subaccount_credentials()[new_id]
    token = sso.result.raw["subaccount"]["token"]
    secrets = [DEMO_CLIENT_SECRET, PASSWORD, token, sso.result.raw["subaccount"]["url"],
               sso.result.raw["subaccount"]["url_whitelabel"], reset.result.raw["url"],
               new_key, new_secret, *(v for pair in subs.values() for v in pair)]
    text = journal.path.read_bytes().decode("utf-8")
    for secret in secrets:
        assert secret not in text
    # The reset link's token part is not in the file in any form either.
    assert reset.result.raw["url"].rsplit("/", 1)[1] not in text
    entry = journal.entries(operation="subaccount.sso")[-1]
    assert entry.result["subaccount"] == {"ID": "sub_2002", "token": "…", "url": "…",
                                          "url_whitelabel": "…"}
    assert journal.entries(operation="subaccount.create")[0].params == {
        "email": "fresh@example.com", "password": "…"}
    # The console still has the link to show (and copy) from the result itself.
    assert sso.result.data.subaccount.url.get_secret_value().startswith("https://")


def test_damaged_lines_are_skipped_with_a_warning_and_appends_start_fresh(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    good = {"v": 1, "record": "begin", "id": "a", "time": "2026-11-20T10:00:00+00:00",
            "operation": "loyalty.user_update"}
    damaged = [
        "journal line 2 is damaged (cut short by a crash?) and was skipped",
        "journal line 3 is not a journal record and was skipped",
        "journal line 4 is damaged (cut short by a crash?) and was skipped",
    ]
    journal.path.write_text(json.dumps(good) + "\nnot json\n[1, 2]\n"
                            + '{"v": 1, "record": "begin", "id": "b", "ti')  # cut by a crash
    entries = journal.entries()
    assert [e.id for e in entries] == ["a"]
    assert journal.warnings == damaged
    journal.finish("a", "ok", result={"stamps": "4"})
    (entry,) = journal.entries()
    assert entry.outcome == "ok" and entry.result == {"stamps": "4"}
    assert journal.warnings == damaged  # the new record went on a line of its own


def test_records_for_unknown_entries_are_skipped(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.finish("ghost", "failed", error={"title": "x"})
    assert journal.entries() == []
    assert journal.warnings == ["journal record for unknown entry ghost was skipped"]


def test_missing_journal_reads_as_empty(tmp_path):
    journal = Journal(tmp_path / "none" / "j.jsonl")
    assert journal.entries() == [] and journal.warnings == []


async def test_filters(app, client, journal, context):
    code = session_where(app, voided="0")
    uid = loyalty_user_where(app, voided="0")
    await apply(client, journal, context, "session.update", {"couponsession": code, "voided": True})
    await apply(client, journal, context, "loyalty.user_update",
                {"loyaltycard": "loy_3001", "user": uid, "stamps": 1})
    made = await apply(client, journal, context, "singleuse.create", {"campaign": "cam_1002"})
    app.faults.add("api_error", "loyalty.user_update")
    plan = await plan_write(client, "loyalty.user_update",
                            {"loyaltycard": "loy_3001", "user": uid, "points": 5})
    await apply_write(client, plan, journal=journal, context=context)

    ops = lambda entries: [e.operation for e in entries]  # noqa: E731
    assert ops(journal.entries(object=code)) == ["session.update"]
    assert ops(journal.entries(object=code[:6])) == ["session.update"]
    assert ops(journal.entries(object=uid)) == ["loyalty.user_update"] * 2
    assert ops(journal.entries(object="loy_3001")) == ["loyalty.user_update"] * 2
    new_code = made.result.data.single_use_code
    assert ops(journal.entries(object=new_code)) == ["singleuse.create"]
    assert ops(journal.entries(operation="loyalty")) == ["loyalty.user_update"] * 2
    assert ops(journal.entries(operation="singleuse.create")) == ["singleuse.create"]
    assert ops(journal.entries(outcome="failed")) == ["loyalty.user_update"]
    now = datetime.now(timezone.utc)
    assert len(journal.entries(since=now - timedelta(minutes=5))) == 4
    assert journal.entries(until=now - timedelta(minutes=5)) == []
    assert journal.entries(since=now + timedelta(minutes=5)) == []
    first = journal.entries()[0]
    assert journal.get(first.id) == first and journal.get(first.id[:-2]) in (first, None)
    assert journal.get("nope") is None


async def test_a_create_many_journals_a_sample_not_every_code(app, client, journal, context):
    outcome = await apply(client, journal, context, "singleuse.create_many",
                          {"campaign": "cam_1005", "amount": 1500})
    assert len(outcome.result.data.items) == 1500  # the user still gets every code
    entry = journal.entries(operation="singleuse.create_many")[0]
    items = entry.result["data"]
    assert len(items) == 101 and items[-1] == {"not_journaled": "1400 more items"}
    assert items[0]["single_use_code"] == outcome.result.data.items[0].single_use_code
    assert max(len(line) for line in journal.path.read_bytes().splitlines()) < 100_000
