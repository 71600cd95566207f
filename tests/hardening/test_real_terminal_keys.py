"""In a real terminal (tmux): Escape and the next key sent together (as an
SSH connection delivers them) are both acted on."""

from __future__ import annotations

import pytest

from tests.hardening.test_real_terminal import (CTCONSOLE, Tmux, pytestmark,  # noqa: F401
                                                terminal_env)


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(terminal_env(tmp_path))
    server("new-session", "-d", "-s", "ct", "-x", "80", "-y", "24",
           f"{CTCONSOLE} --demo; echo \"console exited with $?\"; sleep 60")
    yield server
    server.kill()


def test_escape_then_a_key_in_one_write_does_both(tmux):
    target = "ct:0"
    tmux.wait_for(target, "sub_2001")
    tmux("send-keys", "-t", target, "l")  # the loyalty cards
    shown = tmux.wait_for(target, "loy_")  # the pane's rows: it is loaded and has the keys
    assert "cam_1001" not in shown
    # One write to the terminal: ESC then "c" (back to home, then campaigns).
    tmux("send-keys", "-t", target, "Escape", "c")
    shown = tmux.wait_for(target, "cam_1001")
    assert "Campaigns" in shown
    tmux("send-keys", "-t", target, "Escape", "q")  # back home, then quit
    tmux.wait_for(target, "console exited with 0", timeout=30)


def mouse_flags(tmux, target: str) -> str:
    return tmux.out("display-message", "-p", "-t", target,
                    "#{mouse_any_flag}#{mouse_all_flag}").strip()


def test_over_ssh_the_console_asks_for_no_mouse_reports(tmux):
    """tmux knows whether the program in a pane switched mouse tracking on
    (#{mouse_any_flag}, and #{mouse_all_flag} for every motion, mode 1003)."""
    target = "ct:0"
    tmux.wait_for(target, "sub_2001")
    assert mouse_flags(tmux, target) == "11"  # local: Textual's default, all motion
    tmux("new-window", "-t", "ct:1",
         f"env SSH_CONNECTION='192.0.2.1 50000 192.0.2.2 22' {CTCONSOLE} --demo; sleep 60")
    tmux.wait_for("ct:1", "sub_2001")
    assert mouse_flags(tmux, "ct:1") == "00"
