"""Free-text parameters over their limits, as a script running ``ctconsole call``
sees it: exit 2, the reason on stderr, nothing sent."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ctconsole.cli import main

SANDBOX = pytest.importorskip("ctconsole.sandbox")
CODE21 = "ac6s7u3g8a25ja7x9qg87"


@pytest.mark.parametrize("value, reason", [
    ("x" * 100_000, "customid: must be at most 255 characters long (got 100000)"),
    ("line one\nline two", "customid: must be one line of text without control characters (found LF)"),
    ("a\tb", "customid: must be one line of text without control characters (found TAB)"),
    ("a\x1b]2;PWNED\x07", "customid: must be one line of text without control characters (found ESC)"),
])
def test_call_refuses_free_text_over_its_rules_and_sends_nothing(capsys, value, reason):
    sandbox = SANDBOX.make_sandbox_app()
    code = main(["--demo", "call", "session.update", f"couponsession={CODE21}",
                 f"customid={value}"], sandbox_app=sandbox)
    err = capsys.readouterr().err
    assert code == 2
    assert reason in err
    assert "\x1b" not in err
    assert len(sandbox.requests) == 0


def test_the_console_script_exits_2_for_a_customid_with_a_line_break(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTCONSOLE_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    done = subprocess.run([sys.executable, "-m", "ctconsole", "--demo", "call", "session.update",
                           f"couponsession={CODE21}", "customid=a\nb"], capture_output=True,
                          text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "customid: must be one line of text without control characters (found LF)" in done.stderr
    assert done.stdout == ""
