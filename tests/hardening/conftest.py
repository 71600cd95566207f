"""Shared helpers for the hardening tests: what the terminal would receive,
what a person would read, and an app over a fresh sandbox.

`terminal_output(app)` renders the current screen exactly as the app's driver
would write it to the terminal (styles and cursor moves included), so a test
can prove that no byte a customer typed acts on the terminal: after removing
the CSI sequences Textual itself emits (SGR colours, cursor moves), nothing
escape-like may remain.
"""

from __future__ import annotations

import asyncio
import io
import re

import pytest
from rich.console import Console

from ctconsole.demo import demo_client_for
from ctconsole.sandbox import make_sandbox_app
from ctconsole.ui.app import CtConsoleApp
from ctconsole.ui.screenshots import FROZEN_LOCAL, FROZEN_NOW, settle  # noqa: F401

#: The control sequences Textual's own renderer writes: CSI … final byte.
_OWN_CSI = re.compile(r"\x1b\[[0-9;:?<=>]*[ -/]*[@-~]")
#: Bidi controls and other invisible format characters that reorder or hide text.
_INVISIBLE = set("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                 "\u2060\u2066\u2067\u2068\u2069\ufeff\u00ad\u2028\u2029")


def _render(app, console: Console):
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def terminal_output(app) -> str:
    """The characters the driver would write for a full repaint of the screen."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False, safe_box=False)
    return _render(app, console).render_segments(console)


def screen_text(app) -> str:
    """What a person reads on the screen (plain text, every layer)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      color_system=None, legacy_windows=False, safe_box=False)
    console.print(_render(app, console))
    return console.export_text()


def foreign_controls(output: str) -> list[str]:
    """Characters in terminal output that Textual did not put there itself:
    ESC/BEL/other C0 (outside its own CSI sequences), DEL, C1, bidi and
    invisible format characters. Must be empty."""
    rest = _OWN_CSI.sub("", output)
    found = []
    for char in rest:
        code = ord(char)
        if (code < 0x20 and char not in "\n\r") or 0x7F <= code <= 0x9F or char in _INVISIBLE:
            found.append(f"U+{code:04X}")
    return sorted(set(found))


async def wait_for(pilot, condition, timeout: float = 10.0, what: str = "condition") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, f"{what} not reached within {timeout} s"
        await pilot.pause(0.02)


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=100)


@pytest.fixture
def make_app(sandbox):
    def make(**options):
        client_kwargs = options.pop("client_kwargs", {})
        options.setdefault("local_tz", FROZEN_LOCAL)
        return CtConsoleApp(demo_client_for(sandbox, **client_kwargs), **options)

    return make
