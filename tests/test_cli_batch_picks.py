"""`ctconsole batch` with ambiguous identifiers: the dry run lists each
ambiguous row's candidates, `--pick ROW=ID` / `--picks FILE` settle them,
unpicked rows are left out and named, and a pick that does not fit refuses
the batch before anything is sent. Checked against the sandbox's state."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ctconsole.cli import main
from ctconsole.sandbox import make_sandbox_app
from ctconsole.sandbox.server import running
from tests.test_cli_batch import loopback_env

#: Four sessions of the sandbox carry this e-mail address.
SHARED = "daan.vandijk@example.com"


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=50)


def shared_sessions(app) -> list[str]:
    found = [c for c, r in app.state.sessions.records.items() if r.get("email") == SHARED]
    assert len(found) == 4
    return found


def unlocked(app, n=1) -> list[str]:
    found = [c for c in app.state.sessions.order["cam_1002"]
             if app.state.sessions.records[c]["locked"] == "0"
             and app.state.sessions.records[c].get("email") != SHARED]
    return found[:n]


def updates(app) -> int:
    return sum(1 for r in app.requests if r.operation in ("session.update_many", "session.update"))


def batch(capsys, app, tmp_path, lines, *argv):
    path = tmp_path / "ids.txt"
    path.write_text("\n".join(lines) + "\n")
    code = main(["--demo", "batch", str(path), *argv], sandbox_app=app)
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def locked(app, code: str) -> bool:
    return app.session(code)["locked"] == "1"


def test_the_dry_run_lists_an_ambiguous_rows_candidates_with_their_ids(capsys, sandbox,
                                                                         tmp_path):
    (code_1,) = unlocked(sandbox)
    code, lines, err = batch(capsys, sandbox, tmp_path, [code_1, SHARED],
                             "--action", "lock", "--dry-run")
    assert code == 0, err
    row = next(line for line in lines if line.get("row") == 2)
    assert row["outcome"] == "ambiguous" and row["target"] is None
    assert sorted(c["id"] for c in row["candidates"]) == sorted(shared_sessions(sandbox))
    first = row["candidates"][0]
    assert first["kind"] == "session" and first["scope"].startswith("cam_")
    assert first["state"]["locked"] is False
    assert "candidates" not in lines[0]
    assert "1 ambiguous identifier not picked, left out: row 2 (4 matches)" in err
    assert "--pick ROW=ID" in err
    assert updates(sandbox) == 0


def test_a_pick_applies_that_candidate_only(capsys, sandbox, tmp_path):
    (code_1,) = unlocked(sandbox)
    chosen, *others = shared_sessions(sandbox)
    code, lines, err = batch(capsys, sandbox, tmp_path, [code_1, SHARED],
                             "--action", "lock", "--pick", f"2={chosen}", "--yes")
    assert code == 0, err
    assert locked(sandbox, code_1) and locked(sandbox, chosen)
    assert not any(locked(sandbox, c) for c in others)
    row = next(line for line in lines if line["row"] == 2)
    assert row["target"]["key"] == chosen and row["result"] == "ok"
    assert "picked" in row["note"]
    assert "not picked" not in err


def test_the_short_code_picks_too_and_skip_leaves_a_row_out_with_exit_0(capsys, sandbox,
                                                                         tmp_path):
    chosen = shared_sessions(sandbox)[1]
    path = tmp_path / "picks.txt"
    path.write_text(f"# INC-7, checked with the merchant\n1 = {chosen[:6]}\n2=skip\n")
    code, lines, err = batch(capsys, sandbox, tmp_path, [SHARED, "lucas.peeters@example.com"],
                             "--action", "lock", "--picks", str(path), "--yes")
    assert code == 0, err
    assert [c for c in shared_sessions(sandbox) if locked(sandbox, c)] == [chosen]
    assert {line["row"]: line["outcome"] for line in lines} == {1: "change", 2: "skipped"}


def test_without_picks_the_ambiguous_row_is_left_out_and_the_exit_status_is_1(capsys, sandbox,
                                                                               tmp_path):
    (code_1,) = unlocked(sandbox)
    code, lines, err = batch(capsys, sandbox, tmp_path, [code_1, SHARED],
                             "--action", "lock", "--yes")
    assert code == 1
    assert locked(sandbox, code_1)
    assert not any(locked(sandbox, c) for c in shared_sessions(sandbox))
    assert "row 2 (4 matches)" in err


@pytest.mark.parametrize("pick, words", [
    ("2=zzzzzzzzzzzzzzzzzzzzz", "is not one of its matches now"),
    ("1=zzzzzz", "there is nothing to pick"),  # row 1 is not found
    ("2", "expected ROW=ID"),
    ("x=abc", "expected ROW=ID"),
    ("7=skip", "the input has rows 1-2"),
])
def test_a_pick_that_does_not_fit_refuses_the_batch_before_anything_is_sent(
        capsys, sandbox, tmp_path, pick, words):
    code, lines, err = batch(capsys, sandbox, tmp_path, ["nobody@example.org", SHARED],
                             "--action", "lock", "--pick", pick, "--yes")
    assert code == 2
    assert words in err
    assert updates(sandbox) == 0 and lines == []


def test_a_pick_naming_an_object_another_row_writes_is_written_once(capsys, sandbox, tmp_path):
    chosen = shared_sessions(sandbox)[0]
    code, lines, err = batch(capsys, sandbox, tmp_path, [chosen, SHARED],
                             "--action", "lock", "--pick", f"2={chosen}", "--yes")
    assert code == 0, err
    by_row = {line["row"]: line for line in lines}
    assert {n: line["outcome"] for n, line in by_row.items()} == {1: "change", 2: "duplicate"}
    assert by_row[2]["note"] == "same session as identifier 1"
    assert updates(sandbox) == 1


def test_picks_go_with_a_file_only(capsys, sandbox):
    code = main(["--demo", "batch", "--resume", "batch-x", "--pick", "1=abc"], sandbox_app=sandbox)
    assert code == 2
    assert "go with FILE" in capsys.readouterr().err


def test_as_a_script_dry_run_then_pick(tmp_path):
    """Two real processes against the sandbox on a port: a script reads the
    dry run's candidates and passes the one it wants with --pick."""
    app = make_sandbox_app(big_sessions=50)
    wanted = shared_sessions(app)[2]
    path = tmp_path / "ids.txt"
    path.write_text(f"{SHARED}\n")
    home = tmp_path / "home"
    with running(app) as base_url:
        env = loopback_env(base_url, home)
        argv = [sys.executable, "-m", "ctconsole", "batch", str(path), "--action", "lock"]
        dry = subprocess.run([*argv, "--dry-run"], env=env, capture_output=True, text=True,
                             timeout=60)
        assert dry.returncode == 0, dry.stderr
        (row,) = [json.loads(line) for line in dry.stdout.splitlines() if '"row"' in line]
        ids = [c["id"] for c in row["candidates"]]
        assert wanted in ids and updates(app) == 0
        done = subprocess.run([*argv, "--pick", f"{row['row']}={wanted}", "--yes", "--json"],
                              env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["results"] == {"ok": 1}
    assert [c for c in shared_sessions(app) if locked(app, c)] == [wanted]
