"""In a real terminal (tmux): NO_COLOR under TERM=xterm is legible.

`ctconsole --demo` runs with NO_COLOR=1 and TERM=xterm (8 colours, where
Textual's own monochrome filter collapses greys into `30;40`, black on
black). What tmux holds on
screen is read back with its SGR attributes (`capture-pane -e`) and every
visible character is resolved as the terminal draws it: no character may
be in the colour of its own ground, no colour may be sent at all, and the
cursor row must still show (reverse video).
"""

from __future__ import annotations

import re

import pytest

from tests.hardening.test_real_terminal import (CTCONSOLE, Tmux, pytestmark,  # noqa: F401
                                                terminal_env)

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
FG, BG = "terminal foreground", "terminal background"


def cells(line: str):
    """(character, foreground, background, reversed, colours_set) per cell."""
    fg, bg, reverse, coloured = FG, BG, False, False
    position = 0
    for match in SGR.finditer(line + "\x1b[m"):
        for char in line[position:match.start()]:
            shown_fg, shown_bg = (bg, fg) if reverse else (fg, bg)
            yield char, shown_fg, shown_bg, reverse, coloured
        position = match.end()
        codes = [int(c) if c else 0 for c in re.split("[;:]", match.group(1))]
        i = 0
        while i < len(codes):
            code = codes[i]
            if code == 0:
                fg, bg, reverse, coloured = FG, BG, False, False
            elif code == 7:
                reverse = True
            elif code == 27:
                reverse = False
            elif code == 39:
                fg = FG
            elif code == 49:
                bg = BG
            elif 30 <= code <= 37 or 90 <= code <= 97:
                fg, coloured = f"ansi {code % 10 + (8 if code >= 90 else 0)}", True
            elif 40 <= code <= 47 or 100 <= code <= 107:
                bg, coloured = f"ansi {code % 10 + (8 if code >= 100 else 0)}", True
            elif code in (38, 48):
                kind = codes[i + 1] if i + 1 < len(codes) else None
                width = 3 if kind == 5 else 5
                value = " ".join(map(str, codes[i + 1:i + width]))
                if kind == 5 and len(codes) > i + 2:
                    value = f"ansi {codes[i + 2]}"
                if code == 38:
                    fg = value
                else:
                    bg = value
                coloured = True
                i += width - 1
            i += 1


def check_screen(shown: str, where: str) -> str:
    """Assert legibility; the text drawn in reverse video."""
    reversed_text = []
    for y, line in enumerate(shown.splitlines()):
        for char, fg, bg, reverse, coloured in cells(line):
            if char.isspace():
                continue
            assert fg != bg, f"{where}, line {y}: {char!r} drawn {fg} on {bg}:\n{line!r}"
            assert not coloured, f"{where}, line {y}: colour sent under NO_COLOR:\n{line!r}"
            if reverse:
                reversed_text.append(char)
    return "".join(reversed_text)


@pytest.fixture
def tmux(tmp_path):
    server = Tmux(terminal_env(tmp_path, term="xterm"))
    server("new-session", "-d", "-s", "ct", "-x", "80", "-y", "24",
           f"env TERM=xterm NO_COLOR=1 {CTCONSOLE} --demo; echo \"console exited with $?\"; "
           "sleep 60")
    yield server
    server.kill()


def coloured_screen(tmux, target: str) -> str:
    return tmux.out("capture-pane", "-p", "-e", "-t", target)


def test_no_color_under_term_xterm_is_legible_in_a_real_terminal(tmux):
    target = "ct:0"
    tmux.wait_for(target, "sub_2001")
    assert "sub_2001" in check_screen(coloured_screen(tmux, target), "home")

    tmux("send-keys", "-t", target, "c")
    tmux.wait_for(target, "cam_1001")
    tmux("send-keys", "-t", target, "Enter")
    tmux.wait_for(target, "row 1 of 46")
    assert check_screen(coloured_screen(tmux, target), "campaign").strip()

    tmux("send-keys", "-t", target, "Enter")
    tmux.wait_for(target, "state:")
    check_screen(coloured_screen(tmux, target), "session")

    tmux("send-keys", "-t", target, "?")
    tmux.wait_for(target, "id to remap")
    check_screen(coloured_screen(tmux, target), "help")

    tmux("send-keys", "-t", target, "q")
    tmux.wait_for(target, "console exited with 0", timeout=30)
