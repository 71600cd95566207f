"""`ctconsole journal`: table and JSON output, filters, and the hook into the
real command line."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from ctconsole import cli, commands
from ctconsole.commands.journal import (JOURNAL_HELP, add_journal_arguments, add_journal_parser,
                                        journal_command, run_journal)
from ctconsole.writes import apply_write, plan_write

from .conftest import loyalty_user_where, session_where

HOSTILE = "\x1b[31mTICKET-9\x1b[0m\u202e"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ctconsole")
    add_journal_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["journal", *argv])


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_journal(parse(*argv), None, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
async def history(app, client, journal, context):
    """Three writes: a void (ok), stamps (ok, hostile reason), stamps (failed)."""
    code = session_where(app, voided="0")
    uid = loyalty_user_where(app, voided="0")
    done = []
    for params, reason, fault in (
        (("session.update", {"couponsession": code, "voided": True}), "INC-1", False),
        (("loyalty.user_update", {"loyaltycard": "loy_3001", "user": uid, "stamps": 2}), HOSTILE,
         False),
        (("loyalty.user_update", {"loyaltycard": "loy_3001", "user": uid, "points": 9}), None,
         True),
    ):
        plan = await plan_write(client, *params, reason=reason)
        if fault:
            app.faults.add("api_error", params[0])
        done.append(await apply_write(client, plan, journal=journal, context=context))
    return {"code": code, "user": uid, "outcomes": done}


async def test_table_lists_every_write_with_clean_text(history):
    status, out, err = run()
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["TIME", "(UTC)", "ID", "OUTCOME", "OPERATION", "OBJECT", "BY",
                                "REASON"]
    assert len(lines) == 4
    assert [o.entry_id in line for o, line in zip(history["outcomes"], lines[1:])] == [True] * 3
    assert "session.update" in lines[1] and "INC-1" in lines[1] and " ok " in lines[1]
    assert "failed" in lines[3]
    assert "\x1b" not in out and "\u202e" not in out and "[31mTICKET-9[0m" in lines[2]


async def test_json_output_and_filters(history):
    status, out, _ = run("--json")
    entries = json.loads(out)
    assert status == 0 and [e["id"] for e in entries] == [o.entry_id for o in history["outcomes"]]
    assert entries[1]["reason"] == HOSTILE  # the same text, escaped in the JSON
    assert "\x1b" not in out and "\\u001b" in out and "\\u202e" in out
    assert entries[0]["before"]["voided"] is False and entries[0]["after"]["voided"] is True

    def ids(*argv):
        return [e["id"] for e in json.loads(run("--json", *argv)[1])]

    o = [x.entry_id for x in history["outcomes"]]
    assert ids("--object", history["code"][:6]) == [o[0]]
    assert ids("--object", history["user"]) == o[1:]
    assert ids("--operation", "loyalty") == o[1:]
    assert ids("--operation", "session.update") == [o[0]]
    assert ids("--outcome", "failed") == [o[2]]
    assert ids("--since", "2000-01-01", "--until", "2999-12-31") == o
    assert ids("--until", "2000-01-01") == []
    assert ids("--since", "2999-01-01T10:00") == []


async def test_unknown_outcomes_get_a_hint(app, client, journal, context):
    code = session_where(app, voided="0")
    plan = await plan_write(client, "session.update", {"couponsession": code, "voided": True})
    app.faults.add("drop", "session.update")
    await apply_write(client, plan, journal=journal, context=context)
    _, out, _ = run("--outcome", "unknown")
    assert "unknown" in out.splitlines()[1]
    assert out.splitlines()[-1] == ("1 write with unknown outcome: check the object before "
                                    "trying again.")


def test_bad_date_is_a_usage_error():
    status, out, err = run("--since", "last tuesday")
    assert status == 2 and out == ""
    assert err == ("ctconsole: journal: not a date: 'last tuesday' (use yyyy-MM-dd or "
                   "yyyy-MM-ddTHH:MM, UTC)\n")


def test_empty_journal_and_damaged_lines(journal):
    assert run()[1] == "No journaled writes match.\n"
    journal.path.parent.mkdir(parents=True)
    journal.path.write_text("{broken\n")
    status, out, err = run()
    assert status == 0 and "line 1 is damaged" in err


async def test_hooked_into_the_real_command_line(history, monkeypatch):
    monkeypatch.setitem(commands.COMMANDS, "journal",
                        commands.Command("journal", JOURNAL_HELP, journal_command,
                                         add_journal_arguments))
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(["journal", "--json", "--outcome", "ok"], stdout=out, stderr=err)
    assert status == 0, err.getvalue()
    assert len(json.loads(out.getvalue())) == 2
    out = io.StringIO()
    assert cli.main(["--profile", "other", "journal"], stdout=out, stderr=err) == 0
    assert out.getvalue() == "No journaled writes match.\n"  # only profile "demo" wrote
