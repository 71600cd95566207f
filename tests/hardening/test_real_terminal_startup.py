"""In a real terminal (tmux), the console's start-up: a hanging
`client_secret_command` is shown at once and Esc leaves it for the cached
data offline; a config others can read is warned about inside the console,
and once on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from .test_real_terminal import CTCONSOLE, pytestmark, tmux  # noqa: F401  (fixture, skip)


def console(tmux, config: Path, target: str) -> None:
    tmux("new-window", "-t", target,
         f"{CTCONSOLE} --config {config}; echo \"console exited with $?\"; sleep 60")


def test_a_hanging_secret_command_is_shown_at_once_and_esc_goes_offline(tmux, tmp_path):
    config = tmp_path / "hang.toml"
    config.write_text("[profiles.main]\nclient_id = 'main-id'\nbase_url = 'http://127.0.0.1:9'\n"
                      f"client_secret_command = \"{sys.executable} -c 'import time; "
                      "time.sleep(120)'\"\n", encoding="utf-8")
    config.chmod(0o600)
    console(tmux, config, "ct:1")
    shown = tmux.wait_for("ct:1", "getting the client secret", timeout=20)
    assert "the profile's client_secret_command" in shown
    assert "Esc: stop waiting and browse the cached data offline" in shown
    tmux("send-keys", "-t", "ct:1", "Escape")
    shown = tmux.wait_for("ct:1", "you stopped the client", timeout=20)
    assert "main · offline" in shown
    tmux("send-keys", "-t", "ct:1", "q")
    tmux.wait_for("ct:1", "console exited with 0")


def test_a_readable_config_is_warned_about_inside_the_console_and_once(tmux, tmp_path):
    folder = tmp_path / "cfg"
    folder.mkdir(mode=0o700)
    config = folder / "open.toml"
    config.write_text("[profiles.main]\nclient_id = 'main-id'\nclient_secret = 'main-secret-99'\n"
                      "base_url = 'http://127.0.0.1:9'\n", encoding="utf-8")
    config.chmod(0o644)
    console(tmux, config, "ct:1")
    shown = tmux.wait_for("ct:1", "Warning", timeout=20)  # the notification's title
    assert "Account" in shown  # inside the console, over home
    # The terminal wraps long lines anywhere, even inside a word: compare without spaces.
    assert "readablebyothers" in "".join(shown.split())
    tmux("send-keys", "-t", "ct:1", "q")
    after = tmux.wait_for("ct:1", "console exited with")  # the terminal's own screen again
    assert "".join(after.split()).count("readablebyothers") == 1
    assert "main-secret-99" not in after
