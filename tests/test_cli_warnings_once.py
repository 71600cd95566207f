"""Warnings are said once: a damaged journal, a damaged cache and a config
others can read each give one line on stderr, not one from the command and
another from the log."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SECRET_IN_FILE = ("[profiles.main]\nclient_id = 'main-id'\nclient_secret = 'main-secret-123'\n"
                  "base_url = 'http://127.0.0.1:9'\n")


@pytest.fixture
def env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTCONSOLE_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    return env


def ctconsole(env, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ctconsole", *argv], capture_output=True,
                          text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)


def warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "damaged" in line or "readable" in line]


def test_a_damaged_journal_line_is_warned_about_once(tmp_path, env):
    journal = tmp_path / "data" / "ctconsole" / "journal.jsonl"
    journal.parent.mkdir(parents=True)
    journal.write_text('{"v":1,"record":"begin","id":"x"\n', encoding="utf-8")  # cut short
    done = ctconsole(env, "journal")
    assert done.returncode == 0, done.stderr
    assert warning_lines(done.stderr) == [
        "ctconsole: warning: journal line 1 is damaged (cut short by a crash?) and was skipped"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_readable_config_and_a_damaged_cache_are_warned_about_once_each(tmp_path, env):
    config = tmp_path / "config.toml"
    config.write_text(SECRET_IN_FILE, encoding="utf-8")
    config.chmod(0o644)
    where = ctconsole(env, "--config", str(config), "cache", "path")
    cache_file = where.stdout.strip()
    assert cache_file, where.stderr
    os.makedirs(os.path.dirname(cache_file), exist_ok=True)
    with open(cache_file, "wb") as damaged:
        damaged.write(b"this is not an SQLite database" * 100)
    done = ctconsole(env, "--config", str(config), "call", "campaign.list")
    assert done.returncode == 3  # nothing listens on port 9
    lines = warning_lines(done.stderr)
    readable = [line for line in lines if "readable by others" in line]
    assert len(readable) == 1 and readable[0].startswith("ctconsole: warning: ")
    cache = [line for line in lines if "cache" in line.lower() and line not in readable]
    assert len(cache) == 1, done.stderr
    assert "main-secret-123" not in done.stderr
