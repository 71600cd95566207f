"""In a real terminal (tmux): hostile text on screen retitles nothing and
writes no clipboard.

The sandbox's hostile campaign holds customer "names" that are terminal
attacks: `ESC ]2;pwned BEL` (set the window title) and `ESC ]52;c;… BEL`
(write the clipboard). The test runs `ctconsole --demo` in a private tmux
server with `set-clipboard on`, so an OSC 52 reaching the terminal WOULD land
in a tmux paste buffer, and an OSC 2 WOULD change `#{pane_title}`. A control
pane first prints the raw sequences to prove both detectors fire; then the
console walks to the hostile campaign and sessions, and neither may change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed: the real-terminal test needs it")

CTCONSOLE = Path(sys.executable).with_name("ctconsole")


class Tmux:
    """A private tmux server (its own socket), killed at the end."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"ct-hardening-{uuid.uuid4().hex[:8]}"
        self.env = env

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, "-f", os.devnull, *args],
                              env=self.env, capture_output=True, text=True, check=check,
                              timeout=20)

    def out(self, *args: str) -> str:
        return self(*args).stdout

    def screen(self, target: str) -> str:
        return self.out("capture-pane", "-p", "-t", target)

    def wait_for(self, target: str, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen(target)
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")
            time.sleep(0.1)

    def title(self, target: str) -> str:
        return self.out("display-message", "-p", "-t", target, "#{pane_title}").strip()

    def buffers(self) -> str:
        return self.out("list-buffers")

    def kill(self) -> None:
        self("kill-server", check=False)


def terminal_env(tmp_path: Path, term: str = "xterm-256color") -> dict[str, str]:
    """A tmux server's whole environment: a home of its own under `tmp_path`
    (config, cache, journal), a UTF-8 locale and `term`; nothing else leaks in."""
    home = tmp_path / "home"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "TERM": term,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(terminal_env(tmp_path))
    server("new-session", "-d", "-s", "ct", "-x", "160", "-y", "45", "sleep 600")
    server("set-option", "-s", "set-clipboard", "on")
    yield server
    server.kill()


def prove_the_detectors_fire(tmux) -> None:
    """The control: the same bytes printed raw on this server DO retitle and
    DO fill a paste buffer (then the buffer is emptied again)."""
    assert tmux.buffers() == ""
    tmux("new-window", "-t", "ct:1",
         r"printf '\033]2;pwned-control\007\033]52;c;Y29udHJvbA==\007'; sleep 30")
    deadline = time.monotonic() + 10
    while tmux.title("ct:1") != "pwned-control" or "control" not in tmux.buffers():
        assert time.monotonic() < deadline, (tmux.title("ct:1"), tmux.buffers())
        time.sleep(0.1)
    assert tmux.out("show-buffer").strip() == "control"
    tmux("delete-buffer")
    tmux("kill-window", "-t", "ct:1")
    assert tmux.buffers() == ""


def test_hostile_text_in_the_console_changes_neither_title_nor_clipboard(tmux):
    assert CTCONSOLE.exists(), CTCONSOLE
    prove_the_detectors_fire(tmux)
    tmux("new-window", "-t", "ct:2",
         f"{CTCONSOLE} --demo; echo \"console exited with $?\"; sleep 60")
    target = "ct:2"
    tmux.wait_for(target, "sub_2001")
    title = tmux.title(target)
    assert "pwned" not in title

    tmux("send-keys", "-t", target, "c")
    tmux.wait_for(target, "cam_1006")
    for _ in range(5):  # the sixth campaign: cam_1006
        tmux("send-keys", "-t", target, "Down")
    tmux("send-keys", "-t", target, "Enter")
    shown = tmux.wait_for(target, "clear-screen")  # the sessions are listed
    assert "Summer [50% off] [/]" in shown
    assert "␛]2;pwned␇" in shown and "Clip ␛]52;c;" in shown

    tmux("send-keys", "-t", target, "Down")  # the ESC ]2;pwned BEL session
    tmux("send-keys", "-t", target, "Enter")
    shown = tmux.wait_for(target, "state: opened")
    assert "␛]2;pwned␇ Title" in shown
    tmux("send-keys", "-t", target, "Escape")
    tmux.wait_for(target, "clear-screen")
    tmux("send-keys", "-t", target, "Down")  # the ESC ]52 (clipboard) session
    tmux("send-keys", "-t", target, "Enter")
    shown = tmux.wait_for(target, "state: played")
    assert "Clip ␛]52;c;ZXZpbA==␇" in shown
    tmux("send-keys", "-t", target, "j")  # the raw JSON view, too
    tmux.wait_for(target, '"firstname"')

    assert tmux.title(target) == title
    assert "pwned" not in tmux.title(target)
    assert tmux.buffers() == ""
    assert tmux("show-buffer", check=False).returncode != 0

    tmux("send-keys", "-t", target, "q")
    # The shell around the console prints its exit status once it has quit.
    tmux.wait_for(target, "console exited with 0", timeout=30)
    assert tmux.buffers() == ""
