"""The hard case: the process dies while the write is in flight. Its journal
entry must read "outcome unknown", because nobody can know whether the API
applied it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from ctconsole.sandbox import make_sandbox_app
from ctconsole.sandbox.server import running
from ctconsole.writes import Journal
from ctconsole.writes.journal import NO_ANSWER

from .conftest import sent, session_where

CHILD = """
import asyncio, sys
from ctconsole.api import Client, Credentials
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from ctconsole.writes import Journal, WriteContext, apply_write, plan_write

async def main(base_url, path, code):
    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url) as client:
        plan = await plan_write(client, "session.update", {"couponsession": code, "validated": True},
                                reason="INC-1")
        await apply_write(client, plan, journal=Journal(path), context=WriteContext("demo"))
        print("finished", flush=True)

asyncio.run(main(*sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_while_the_request_is_in_flight_reads_outcome_unknown(tmp_path):
    app = make_sandbox_app(big_sessions=50)
    code = session_where(app, claimed="1", validated="0", voided="0", locked="0")
    path = tmp_path / "data" / "journal.jsonl"
    # Long enough to kill the child mid-request, short enough that the server
    # finishes the held request quickly when it shuts down.
    app.faults.add("latency", "session.update", seconds=2)
    with running(app) as base_url:
        child = subprocess.Popen([sys.executable, "-c", CHILD, base_url, str(path), code],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while not sent(app, "session.update"):
                if child.poll() is not None:
                    pytest.fail(f"child ended early: {child.stderr.read().decode()[-2000:]}")
                assert time.monotonic() < deadline, "the write never reached the sandbox"
                time.sleep(0.01)
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(10)
    assert child.returncode == -signal.SIGKILL
    assert b"finished" not in child.stdout.read()
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["record"] for r in records] == ["begin"]
    journal = Journal(path)
    (entry,) = journal.entries()
    assert entry.operation == "session.update" and entry.reason == "INC-1"
    assert entry.outcome == "unknown" and entry.outcome_note == NO_ANSWER
    assert entry.finished is None and journal.warnings == []
    assert journal.entries(outcome="unknown") == [entry]
