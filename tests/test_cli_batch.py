"""`ctconsole batch` as a script sees it: JSON lines on stdout, sentences on
stderr, the exit status, and the sandbox's state as proof of what was sent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from ctconsole.cli import main
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.sandbox.server import running
from ctconsole.writes import Journal
from ctconsole.writes.batch import batch_status


def demo_journal() -> Journal:
    """`--demo` writes are journaled apart from a real account's."""
    from ctconsole import paths
    from ctconsole.writes.journal import DEMO_JOURNAL_FILENAME

    return Journal(paths.data_dir() / DEMO_JOURNAL_FILENAME)


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=50)


def codes(app, campaign="cam_1001", n=3, **flags):
    found = [c for c in app.state.sessions.order[campaign]
             if all(app.state.sessions.records[c][k] == v for k, v in flags.items())]
    assert len(found) >= n
    return found[:n]


def updates(app) -> int:
    return sum(1 for r in app.requests
               if r.operation in ("session.update_many", "session.update"))


def batch(capsys, app, tmp_path, text, *argv):
    path = tmp_path / "codes.txt"
    path.write_text(text)
    code = main(["--demo", "batch", str(path), *argv], sandbox_app=app)
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    return code, lines, err


FRESH = dict(claimed="1", validated="0", voided="0", locked="0")


def loopback_env(base_url: str, home) -> dict[str, str]:
    """A child process's environment: the sandbox at `base_url` with the demo
    credentials, and a home of its own (config, cache, journal)."""
    return {**os.environ, "CTCONSOLE_BASE_URL": base_url,
            "CTCONSOLE_CLIENT_ID": DEMO_CLIENT_ID, "CTCONSOLE_CLIENT_SECRET": DEMO_CLIENT_SECRET,
            "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"), "HOME": str(home)}


def test_dry_run_prints_the_preview_as_json_lines_and_sends_nothing(capsys, sandbox, tmp_path):
    todo = codes(sandbox, **FRESH)
    done = codes(sandbox, validated="1", n=1)
    code, lines, err = batch(capsys, sandbox, tmp_path, "\n".join([*todo, *done, "zzzzzz"]),
                             "--action", "validate", "--dry-run")
    assert code == 0, err
    rows = [line for line in lines if "row" in line]
    assert [r["outcome"] for r in rows] == ["change", "change", "change", "refused", "not_found"]
    assert rows[0]["changes"] == [{"field": "validated", "now": False, "after": True}]
    assert "already validated" in rows[3]["reasons"][0]["message"]
    ops = [line for line in lines if "request" in line]
    assert [o["request"]["operation"] for o in ops] == ["session.update_many"]
    assert ops[0]["request"]["body"]["couponsessions"] == todo
    assert "dry run: nothing was sent" in err
    assert updates(sandbox) == 0


def test_yes_applies_and_prints_each_rows_result(capsys, sandbox, tmp_path):
    todo = codes(sandbox, **FRESH)
    code, lines, err = batch(capsys, sandbox, tmp_path, ", ".join(todo), "--action", "validate",
                             "--yes", "--reason", "INC-9", "--json")
    assert code == 0, err
    assert [(r["input"], r["result"]) for r in lines[:-1]] == [(c, "ok") for c in todo]
    assert lines[-1]["exit"] == 0 and lines[-1]["results"] == {"ok": 3}
    assert all(sandbox.session(c)["validated"] == "1" for c in todo)
    entries = demo_journal().entries(batch=lines[-1]["batch"])
    assert [(e.operation, e.reason, e.outcome) for e in entries] == [
        ("session.update_many", "INC-9", "ok")]
    assert "3 ok" in err


def test_without_a_terminal_and_without_yes_it_refuses(capsys, sandbox, tmp_path):
    code, lines, err = batch(capsys, sandbox, tmp_path, codes(sandbox, n=1)[0],
                             "--action", "void")
    assert code == 2
    assert "no terminal to type the count on" in err
    assert not sandbox.requests


def test_rows_not_applied_make_the_exit_status_1(capsys, sandbox, tmp_path):
    todo = codes(sandbox, voided="0", n=2)
    code, lines, err = batch(capsys, sandbox, tmp_path, "\n".join([*todo, "nobody@example.org"]),
                             "--action", "void", "--yes")
    assert code == 1
    assert [r["outcome"] for r in lines] == ["not_found", "change", "change"]
    assert all(sandbox.session(c)["voided"] == "1" for c in todo)


@pytest.mark.parametrize("argv, words", [
    (["--action", "explode"], "no such action"),
    (["--action", "stamps"], "stamps: required by action stamps"),
    (["--action", "validate", "stamps=3"], "not a field of action validate"),
    (["--action", "push", "message"], "expected field=value"),
    ([], "--action NAME is needed"),
    (["--action", "void", "--yes", "--resume", "batch-x"], "exactly one of FILE"),
])
def test_usage_errors_exit_2_and_send_nothing(capsys, sandbox, tmp_path, argv, words):
    code, _, err = batch(capsys, sandbox, tmp_path, "abc123\n", *argv)
    assert code == 2
    assert words in err
    assert not sandbox.requests


def test_read_only_and_offline_refuse_before_anything_is_sent(capsys, sandbox, tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text(codes(sandbox, n=1)[0])
    for flag, words in (("--read-only", "read-only"), ("--offline", "offline")):
        code = main(["--demo", flag, "batch", str(path), "--action", "void", "--yes"],
                    sandbox_app=sandbox)
        err = capsys.readouterr().err
        assert code == 2 and words in err and "nothing was sent" in err
    assert not sandbox.requests


def test_a_csv_column_from_stdin(capsys, sandbox, monkeypatch):
    import io

    todo = codes(sandbox, voided="0", n=2)
    monkeypatch.setattr(sys, "stdin", io.StringIO(
        "name;Coupon\n" + "".join(f"x;{c}\n" for c in todo)))
    code = main(["--demo", "batch", "-", "--column", "coupon", "--action", "void", "--yes"],
                sandbox_app=sandbox)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "2 identifiers" in err
    assert all(sandbox.session(c)["voided"] == "1" for c in todo)


def test_undo_sets_the_batch_back(capsys, sandbox, tmp_path):
    todo = codes(sandbox, voided="0", n=2)
    _, lines, _ = batch(capsys, sandbox, tmp_path, "\n".join(todo), "--action", "void", "--yes",
                        "--json")
    code = main(["--demo", "batch", "--undo", lines[-1]["batch"], "--yes"], sandbox_app=sandbox)
    err = capsys.readouterr().err
    assert code == 0, err
    assert all(sandbox.session(c)["voided"] == "0" for c in todo)


def test_no_answer_from_the_network_exits_3(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CTCONSOLE_CLIENT_ID", DEMO_CLIENT_ID)
    monkeypatch.setenv("CTCONSOLE_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    path = tmp_path / "codes.txt"
    path.write_text("abcdefghijklmnopqrstu\n")
    code = main(["--base-url", "http://127.0.0.1:9", "batch", str(path), "--action", "void",
                 "--yes"])
    err = capsys.readouterr().err
    assert code == 3, err


# --- killed mid-batch, then resumed ------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_mid_batch_then_resumed_applies_everything_exactly_once(tmp_path):
    app = make_sandbox_app(big_sessions=50)
    todo = [c for cam in ("cam_1001", "cam_1002", "cam_1004", "cam_1005", "cam_1006")
            for c in codes(app, cam, n=1, **FRESH)]
    path = tmp_path / "codes.txt"
    path.write_text("\n".join(todo))
    home = tmp_path / "home"
    # each bulk write is held long enough to kill the batch while some are in flight
    app.faults.add("latency", "session.update_many", times=None, seconds=1.0)
    app.faults.add("latency", "session.update", times=None, seconds=1.0)
    with running(app) as base_url:
        env = loopback_env(base_url, home)
        argv = [sys.executable, "-m", "ctconsole", "batch"]
        child = subprocess.Popen([*argv, str(path), "--action", "validate", "--yes"],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while updates(app) < 1:
                if child.poll() is not None:
                    pytest.fail(f"batch ended early: {child.stderr.read().decode()[-2000:]}")
                assert time.monotonic() < deadline, "no write reached the sandbox"
                time.sleep(0.01)
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
        finally:
            if child.poll() is None:
                child.kill()
        journal = Journal(home / "data" / "ctconsole" / "journal.jsonl")
        (manifest,) = journal.batch_manifests()
        status = batch_status(journal, manifest["id"])
        assert status.count("unknown") >= 1 and status.count("not_started") >= 1
        assert status.count("applied") == 0
        time.sleep(1.5)  # the writes held in flight reach the sandbox's state
        app.faults.clear()
        done = subprocess.run([*argv, "--resume", manifest["id"], "--yes", "--json"], env=env,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["part"] == 2
    assert all(app.session(c)["validated"] == "1" for c in todo)
    validated = [w["session"] for w in app.state.webhooks.values()
                 if w["type"] == "coupon_validated" and w["session"] in todo]
    assert sorted(validated) == sorted(todo)  # each validated exactly once
    assert batch_status(journal, manifest["id"]).complete


# --- the typed count on a terminal -----------------------------------------------------


def _on_a_terminal(tmp_path, typed: str) -> tuple[int, str, str]:
    """`ctconsole --demo batch` with stdin and stderr on a pseudo-terminal:
    wait for the question, type `typed`, return (exit, stdout, terminal text)."""
    import pty
    import select

    app = make_sandbox_app(big_sessions=50)
    todo = codes(app, voided="0", n=2)  # the demo sandbox is seeded alike
    path = tmp_path / "codes.txt"
    path.write_text("\n".join(todo))
    master, slave = pty.openpty()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    child = subprocess.Popen([sys.executable, "-m", "ctconsole", "--demo", "batch", str(path),
                              "--action", "void"], stdin=slave, stdout=subprocess.PIPE,
                             stderr=slave, env=env)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    try:
        while b"Type 2 to apply" not in seen:
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                seen += os.read(master, 4096)
        os.write(master, typed.encode() + b"\r")
        out, _ = child.communicate(timeout=60)
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
    return child.returncode, out.decode(), seen.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_the_count_must_be_typed(tmp_path):
    code, out, shown = _on_a_terminal(tmp_path, "2")
    assert code == 0, shown
    assert [json.loads(line)["result"] for line in out.splitlines()] == ["ok", "ok"]
    code, out, shown = _on_a_terminal(tmp_path, "3")
    assert code == 2
    assert "not confirmed; nothing was sent" in shown
    assert out == ""


@pytest.mark.slow
def test_ctrl_c_while_applying_pauses_and_resume_goes_on(tmp_path):
    app = make_sandbox_app(big_sessions=50)
    todo = [c for cam in ("cam_1001", "cam_1002", "cam_1004", "cam_1005", "cam_1006")
            for c in codes(app, cam, n=1, voided="0")]
    path = tmp_path / "codes.txt"
    path.write_text("\n".join(todo))
    app.faults.add("latency", "session.update", times=None, seconds=1.0)
    home = tmp_path / "home"
    with running(app) as base_url:
        env = loopback_env(base_url, home)
        argv = [sys.executable, "-m", "ctconsole", "batch"]
        child = subprocess.Popen([*argv, str(path), "--action", "void", "--yes", "--json"],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while updates(app) < 1:
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        assert child.returncode == 1, err
        assert "pausing: the writes in flight finish" in err and "--resume" in err
        voided = [c for c in todo if app.session(c)["voided"] == "1"]
        assert 1 <= len(voided) < len(todo)  # those in flight finished, the rest did not start
        batch_id = json.loads(out.splitlines()[-1])["batch"]
        app.faults.clear()
        done = subprocess.run([*argv, "--resume", batch_id, "--yes"], env=env,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert all(app.session(c)["voided"] == "1" for c in todo)
    assert sum(1 for r in app.requests if r.operation == "session.update") == len(todo)


def test_everywhere_finds_a_subaccounts_sessions_and_writes_with_its_credentials(
        capsys, sandbox, tmp_path):
    theirs = codes(sandbox, "cam_2101", n=2, voided="0")
    code, lines, err = batch(capsys, sandbox, tmp_path, "\n".join(theirs), "--action", "void",
                             "--yes")
    assert code == 1 and [r["outcome"] for r in lines] == ["not_found", "not_found"]
    code, lines, err = batch(capsys, sandbox, tmp_path, "\n".join(theirs), "--action", "void",
                             "--yes", "--everywhere")
    assert code == 0, err
    assert [r["target"]["subaccount"] for r in lines] == ["sub_2001", "sub_2001"]
    assert all(sandbox.session(c)["voided"] == "1" for c in theirs)
    key, _ = sandbox.state.credentials("sub_2001")
    writes = [r for r in sandbox.requests if r.operation == "session.update_many"]
    assert [r.headers["x-client-id"] for r in writes] == [key]


def test_the_journal_lists_a_batchs_writes(capsys, sandbox, tmp_path):
    todo = codes(sandbox, voided="0", n=2)
    _, lines, _ = batch(capsys, sandbox, tmp_path, "\n".join(todo), "--action", "void", "--yes",
                        "--json")
    batch(capsys, sandbox, tmp_path, codes(sandbox, "cam_1002", n=1, voided="0")[0],
          "--action", "void", "--yes")
    code = main(["--demo", "journal", "--batch", lines[-1]["batch"], "--json"])
    entries = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(e["operation"], e["params"]["couponsessions"]) for e in entries] == [
        ("session.update_many", todo)]
