"""`ctconsole call` writes go through the write engine: planned with the
console's guard rails, journaled before sending and after, sent once; a
dry run shows the exact request and sends nothing; an unknown outcome says
the one sentence and exits 1. Concurrent `call` processes leave one whole
journal line per record."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.api.errors import OUTCOME_UNKNOWN
from ctconsole.cli import main
from ctconsole.writes import Journal


def demo_journal() -> Journal:
    """`--demo` writes are journaled apart from a real account's."""
    from ctconsole import paths
    from ctconsole.writes.journal import DEMO_JOURNAL_FILENAME

    return Journal(paths.data_dir() / DEMO_JOURNAL_FILENAME)

SANDBOX = pytest.importorskip("ctconsole.sandbox")


@pytest.fixture
def sandbox():
    return SANDBOX.make_sandbox_app(big_sessions=0)


def demo(capsys, sandbox, *argv: str) -> tuple[int, str, str]:
    code = main(["--demo", *argv], sandbox_app=sandbox)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def session_where(sandbox, campaign: str = "cam_1001", **flags: str) -> str:
    return next(code for code in sandbox.state.sessions.order[campaign]
                if all(sandbox.state.sessions.records[code][k] == v for k, v in flags.items()))


def sent(sandbox, operation: str) -> int:
    return sum(1 for r in sandbox.requests if r.operation == operation)


# --- journaled like the console's writes ----------------------------------------------


def test_a_call_write_is_journaled_with_its_reason(capsys, sandbox):
    code = session_where(sandbox, voided="0")
    status, out, err = demo(capsys, sandbox, "call", "session.update", f"couponsession={code}",
                            "customid=CRM-7", "--reason", "TICKET-42 customer asked")
    assert status == 0, err
    assert json.loads(out)  # the result on stdout, as for any call
    assert sent(sandbox, "session.update") == 1
    assert sandbox.session(code)["customid"] == "CRM-7"
    [entry] = demo_journal().entries()
    assert (entry.operation, entry.outcome) == ("session.update", "ok")
    assert entry.reason == "TICKET-42 customer asked"
    assert entry.params == {"couponsession": code, "customid": "CRM-7"}
    assert entry.profile == "demo" and entry.credentials == "main account"
    assert entry.after["customid"] == "CRM-7"  # read again after the write
    assert f"journal entry {entry.id}" in err


def test_dry_run_prints_the_exact_request_and_sends_nothing(capsys, sandbox):
    status, out, err = demo(capsys, sandbox, "call", "subaccount.update", "subaccount=sub_2001",
                            "password=correct-horse-battery-9", "first_name=Ann", "--dry-run",
                            "--reason", "TICKET-9")
    assert status == 0, err
    shown = json.loads(out)
    assert shown["dry_run"] is True and shown["sent"] is False
    assert shown["method"] == "POST"
    assert shown["path"] == CATALOGUE.get("subaccount.update").path_for({})
    assert shown["body"] == {"subaccount": "sub_2001", "password": "…", "first_name": "Ann"}
    assert shown["credentials"] == "main account of profile 'demo'"
    assert shown["reason"] == "TICKET-9" and shown["refused"] == []
    assert "correct-horse-battery-9" not in out + err
    assert sandbox.requests == [] and demo_journal().entries() == []


def test_dry_run_says_a_read_only_profile_would_refuse(capsys, sandbox):
    status, out, _ = demo(capsys, sandbox, "--read-only", "call", "campaign.push_all",
                          "campaign=cam_1001", "message=hi", "--dry-run")
    assert status == 0
    assert "read-only" in json.loads(out)["refused"][0]
    assert sandbox.requests == []


# --- guard rails, confirmation ----------------------------------------------------------


def test_a_guard_refusal_exits_2_with_the_reason_and_sends_no_write(capsys, sandbox):
    code = session_where(sandbox, voided="1", validated="0")
    status, out, err = demo(capsys, sandbox, "call", "session.update", f"couponsession={code}",
                            "validated=true")
    assert status == 2 and out == ""
    assert "is voided; validating a voided coupon is refused" in err
    assert "nothing was sent" in err
    assert sent(sandbox, "session.update") == 0 and demo_journal().entries() == []


def test_a_guard_warning_is_printed_and_the_write_goes_ahead(capsys, sandbox):
    code = session_where(sandbox, claimed="0", voided="0", validated="0")
    status, _, err = demo(capsys, sandbox, "call", "session.update", f"couponsession={code}",
                          "validated=true")
    assert status == 0, err
    assert "ctconsole: warning: " in err and "was never claimed" in err
    assert sent(sandbox, "session.update") == 1


def test_push_to_all_needs_the_code_typed_with_confirm(capsys, sandbox):
    campaign_code = sandbox.state.campaigns["cam_1001"]["code"]
    status, _, err = demo(capsys, sandbox, "call", "campaign.push_all", "campaign=cam_1001",
                          "message=hi")
    assert status == 2 and f"--confirm {campaign_code}" in err
    assert sent(sandbox, "campaign.push_all") == 0
    status, _, err = demo(capsys, sandbox, "call", "campaign.push_all", "campaign=cam_1001",
                          "message=hi", "--confirm", campaign_code)
    assert status == 0, err
    assert sent(sandbox, "campaign.push_all") == 1


# --- the outcome unknown ----------------------------------------------------------------


@pytest.mark.parametrize("fault", [("status", {"status": 500}), ("drop", {}),
                                   ("html", {"status": 502})], ids=lambda f: f[0])
def test_a_write_with_no_usable_answer_exits_1_with_the_one_sentence(capsys, sandbox, fault):
    kind, opts = fault
    code = session_where(sandbox, voided="0")
    sandbox.faults.add(kind, "session.update", **opts)
    status, out, err = demo(capsys, sandbox, "call", "session.update", f"couponsession={code}",
                            "customid=X-1")
    assert status == 1 and out == ""
    assert err.count(OUTCOME_UNKNOWN) == 1
    assert "try again in a moment" not in err
    assert err.startswith("ctconsole: session.update: ")
    assert sent(sandbox, "session.update") == 1
    [entry] = demo_journal().entries()
    assert entry.outcome == "unknown" and entry.outcome_note == OUTCOME_UNKNOWN
    assert f"journal entry {entry.id}" in err


def test_an_api_refusal_is_journaled_as_failed_and_exits_1(capsys, sandbox):
    code = session_where(sandbox, voided="0")
    sandbox.faults.add("api_error", "session.update", code=300, message="Session is locked")
    status, _, err = demo(capsys, sandbox, "call", "session.update", f"couponsession={code}",
                          "customid=X-2")
    assert status == 1 and "Session is locked" in err
    assert OUTCOME_UNKNOWN not in err
    assert [e.outcome for e in demo_journal().entries()] == ["failed"]


# --- many processes at once -----------------------------------------------------------


@pytest.mark.slow
def test_four_processes_of_fifty_call_writes_leave_one_whole_journal_line_each(tmp_path):
    workers, writes = 4, 50
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTCONSOLE_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, "-m", "ctconsole", "sandbox", "--port", str(port),
                               "--sessions", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        server.stdout.readline()
        env.update(CTCONSOLE_BASE_URL=f"http://127.0.0.1:{port}",
                   CTCONSOLE_CLIENT_ID=SANDBOX.DEMO_CLIENT_ID,
                   CTCONSOLE_CLIENT_SECRET=SANDBOX.DEMO_CLIENT_SECRET)

        def call(*argv: str) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, "-m", "ctconsole", "call", *argv],
                                  capture_output=True, text=True, env=env, timeout=120,
                                  stdin=subprocess.DEVNULL)

        for _ in range(100):  # the banner is printed just before uvicorn binds
            listing = call("campaign.sessions", "campaign=cam_1001", "--no-cache")
            if listing.returncode != 3:
                break
        assert listing.returncode == 0, listing.stderr
        codes = [s["session"] for s in json.loads(listing.stdout)["sessions"]
                 if not s["voided"]][:workers]
        assert len(codes) == workers
        # Each worker is one process running `ctconsole call` 50 times through
        # the command's own entry point (a fresh command each time; one
        # interpreter start per worker keeps the test quick).
        script = ("import sys\nfrom ctconsole.cli import main\n"
                  "code, n = sys.argv[1], sys.argv[2]\n"
                  f"for i in range({writes}):\n"
                  "    rc = main(['call', 'session.update', f'couponsession={code}',\n"
                  "               f'customid=w{n}-{i}', '--reason', f'worker {n} write {i}'])\n"
                  "    assert rc == 0, rc\n")
        procs = [subprocess.Popen([sys.executable, "-c", script, codes[n], str(n)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  stdin=subprocess.DEVNULL) for n in range(workers)]
        failures = [err for proc in procs
                    for err in [proc.communicate(timeout=300)[1]] if proc.returncode != 0]
        assert failures == []
    finally:
        server.terminate()
        server.wait(timeout=20)
    path = tmp_path / "data" / "ctconsole" / "journal.jsonl"
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    records = [json.loads(line) for line in lines[:-1]]  # every line is whole and parses
    assert len(records) == workers * writes * 3  # begin, finish, state
    journal = Journal(path)
    entries = journal.entries()
    assert journal.warnings == []
    assert len(entries) == workers * writes
    assert {e.outcome for e in entries} == {"ok"}
    assert sorted(e.reason for e in entries) == sorted(
        f"worker {n} write {i}" for n in range(workers) for i in range(writes))


def test_dry_run_resolves_no_secret_and_reads_nothing(capsys, tmp_path):
    marker = tmp_path / "secret-command-ran"
    config = tmp_path / "config.toml"
    config.write_text("[profiles.prod]\nclient_id = 'prod-id'\nbase_url = 'http://127.0.0.1:9'\n"
                      f"client_secret_command = \"{sys.executable} -c 'open(r\\\"{marker}\\\", "
                      "\\\"w\\\").write(\\\"x\\\"); print(\\\"s\\\")'\"\n", encoding="utf-8")
    config.chmod(0o600)
    code = main(["--config", str(config), "call", "session.update",
                 "couponsession=abcdefghijklmnopqrstu", "customid=X-9", "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert json.loads(out)["credentials"] == "main account of profile 'prod'"
    assert not marker.exists()  # the password manager was not asked
    main(["--config", str(config), "call", "auth.check"])  # the control: a real call asks it
    capsys.readouterr()
    assert marker.exists()


@pytest.mark.slow
def test_a_slow_secret_command_is_announced_on_stderr(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[profiles.prod]\nclient_id = 'prod-id'\nbase_url = 'http://127.0.0.1:9'\n"
                      f"client_secret_command = \"{sys.executable} -c 'import time; "
                      "time.sleep(2); print(1)'\"\n", encoding="utf-8")
    config.chmod(0o600)
    done = subprocess.run([sys.executable, "-m", "ctconsole", "--config", str(config), "call",
                           "auth.check"], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 3  # nothing listens on port 9
    assert "ctconsole: waiting for python" in done.stderr
    assert "client_secret_command; up to 30 s, Ctrl+C stops it" in done.stderr


def test_reason_on_a_read_is_said_to_be_ignored(capsys, sandbox):
    status, out, err = demo(capsys, sandbox, "call", "campaign.info", "campaign=cam_1001",
                            "--reason", "TICKET-1")
    assert status == 0 and json.loads(out)
    assert "campaign.info is a read: --reason and --confirm are for writes" in err
    assert demo_journal().entries() == []


def test_a_call_validating_a_session_of_an_inactive_campaign_warns_on_stderr(capsys, sandbox):
    camp = sandbox.state.campaigns["cam_1002"]
    code = session_where(sandbox, "cam_1002", claimed="1", validated="0", voided="0",
                         locked="0")
    status, out, err = demo(capsys, sandbox, "call", "session.update", f"couponsession={code}",
                            "validated=true", "--reason", "TICKET-7")
    assert status == 0, err
    assert f"belongs to campaign cam_1002 ({camp['name']}), which is inactive" in err
    assert f"(status inactive, runs {camp['start_date']} to {camp['end_date']})" in err
    assert sent(sandbox, "session.update") == 1  # a warning: the write goes ahead
    assert sandbox.session(code)["validated"] == "1"
    assert "belongs to campaign" not in out
