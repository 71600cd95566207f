"""Warnings about where the client secret lives, and the secret command
that can be stopped: a secret in a directory others can read or write is
warned about like a readable file; a hanging command is stopped at once."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from ctconsole.config import ConfigError, load_settings

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

SECRET_IN_FILE = "[profiles.main]\nclient_id = 'main-id'\nclient_secret = 'main-secret-123'\n"


def config_in(folder: Path, text: str = SECRET_IN_FILE, *, mode: int = 0o600,
              folder_mode: int = 0o700) -> Path:
    folder.mkdir()
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    folder.chmod(folder_mode)
    return path


@posix
@pytest.mark.parametrize("folder_mode, others", [(0o777, "writable"), (0o775, "writable"),
                                                 (0o755, "readable")])
def test_a_secret_in_a_directory_others_can_reach_is_warned_about(tmp_path, folder_mode, others):
    path = config_in(tmp_path / "cfg", folder_mode=folder_mode)
    [warning] = load_settings(path).warnings
    assert f"is {others} by others (mode {folder_mode:03o})" in warning
    assert f"chmod 700 {path.parent}" in warning
    assert "main-secret-123" not in warning


@posix
def test_a_private_directory_or_no_secret_in_the_file_warns_of_nothing(tmp_path):
    assert load_settings(config_in(tmp_path / "private")).warnings == ()
    no_secret = "[profiles.main]\nclient_id = 'x'\nclient_secret_env = 'X'\n"
    assert load_settings(config_in(tmp_path / "open", no_secret, folder_mode=0o777)).warnings == ()


@posix
def test_a_readable_file_in_an_open_directory_gets_both_warnings(tmp_path):
    path = config_in(tmp_path / "cfg", mode=0o644, folder_mode=0o777)
    warnings = load_settings(path).warnings
    assert len(warnings) == 2
    assert "chmod 600" in warnings[0] and "chmod 700" in warnings[1]


@posix
def test_refuse_insecure_config_refuses_an_open_directory_too(tmp_path):
    path = config_in(tmp_path / "cfg", SECRET_IN_FILE + "[security]\nrefuse_insecure_config = true\n",
                     folder_mode=0o777)
    with pytest.raises(ConfigError, match="writable by others.*refuse_insecure_config"):
        load_settings(path)


# --- the secret command ----------------------------------------------------------------


def command_config(tmp_path: Path, script: str) -> Path:
    helper = tmp_path / "secret_helper.py"
    helper.write_text(script, encoding="utf-8")
    text = (f"[profiles.main]\nclient_id = 'main-id'\n"
            f"client_secret_command = '{sys.executable} {helper}'\n")
    return config_in(tmp_path / "cfg", text)


def test_a_hanging_secret_command_can_be_stopped_at_once(tmp_path):
    profile = load_settings(command_config(tmp_path, "import time\ntime.sleep(60)\n")).profile
    command = profile.secret_command()
    assert command is not None and command.timeout == 30
    failure: list[BaseException] = []

    def run() -> None:
        try:
            command.run()
        except ConfigError as exc:
            failure.append(exc)

    thread = threading.Thread(target=run)
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)
    command.cancel()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 10
    assert "was stopped before it gave the secret" in str(failure[0])


def test_a_secret_command_past_its_time_fails_and_one_that_answers_is_kept(tmp_path):
    profile = load_settings(command_config(tmp_path, "import time\ntime.sleep(60)\n")).profile
    slow = profile.secret_command()
    slow.timeout = 0.3
    with pytest.raises(ConfigError, match="did not finish within 0.3s"):
        slow.run()
    (tmp_path / "b").mkdir()
    profile = load_settings(command_config(tmp_path / "b", "print('s3cret-value')\n")).profile
    command = profile.secret_command()
    assert command.run() == "s3cret-value"
    assert profile.secret_command() is None  # resolved: nothing left to run
    assert profile.credentials() == ("main-id", "s3cret-value")
