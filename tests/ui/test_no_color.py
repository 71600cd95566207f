"""NO_COLOR: the main panes stay legible with no colour at all.

Every character drawn is resolved the way a terminal would draw it: an
unset colour is the terminal's own foreground or background, reverse
swaps them. No character may end up in the colour of its own ground, and
no colour may be sent at all; where the cursor is still shows (reverse).
"""

from __future__ import annotations

import os

import pytest
from rich.segment import Segment
from rich.style import Style

from ctconsole.ui.app import choose_theme
from ctconsole.ui.screenshots import (
    frozen_app, settle, to_campaign_sessions, to_find_matches, to_home, to_journal,
    to_session_timeline, to_validate_preview,
)
from ctconsole.writes import Journal

#: The terminal's own colours: what an unset colour is drawn in.
DEFAULT_FG, DEFAULT_BG = "terminal foreground", "terminal background"
#: Sessions of the big campaign where no count is photographed: colours are
#: the same for a hundred rows as for thousands.
SESSIONS = 100


def drawn_colours(style: Style | None) -> tuple[str, str]:
    """(foreground, background) of a cell as the terminal draws it: an unset
    colour is the terminal's own, a set one its RGB, reverse swaps them."""
    style = style or Style()

    def drawn(colour, default: str) -> str:
        if colour is None or colour.is_default:
            return default
        return "#{:02x}{:02x}{:02x}".format(*colour.get_truecolor())

    fg, bg = drawn(style.color, DEFAULT_FG), drawn(style.bgcolor, DEFAULT_BG)
    return (bg, fg) if style.reverse else (fg, bg)


def screen_cells(app) -> list[tuple[int, Segment]]:
    """Every segment on screen with its line number, after the line filters."""
    cells = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            if not segment.control:
                cells.append((y, segment))
    return cells


def check_legible(app, pane: str) -> None:
    cells = screen_cells(app)
    assert any(segment.text.strip() for _, segment in cells), f"{pane}: nothing drawn"
    for y, segment in cells:
        if not segment.text.strip():
            continue
        style = segment.style or Style()
        fg, bg = drawn_colours(style)
        assert fg != bg, f"{pane}, line {y}: {segment.text!r} drawn {fg} on {bg}"
        assert style.color is None or style.color.is_default, \
            f"{pane}, line {y}: {segment.text!r} has colour {style.color}"
        assert style.bgcolor is None or style.bgcolor.is_default, \
            f"{pane}, line {y}: {segment.text!r} has ground {style.bgcolor}"


def reversed_text(app) -> str:
    return "".join(segment.text for _, segment in screen_cells(app)
                   if segment.style is not None and segment.style.reverse)


async def to_help(pilot) -> None:
    await to_campaign_sessions(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def to_date_range(pilot) -> None:
    await to_campaign_sessions(pilot)
    await pilot.press("d")
    await settle(pilot)


async def to_export(pilot) -> None:
    await to_campaign_sessions(pilot)
    await pilot.press("e")
    await settle(pilot)


PANES = {
    "home": to_home,
    "campaign": to_campaign_sessions,
    "session": to_session_timeline,
    "help": to_help,
    "find": to_find_matches,
    "preview": to_validate_preview,
    "journal": to_journal,
    "date range": to_date_range,
    "export": to_export,
}


@pytest.mark.parametrize(("pane", "theme"), [
    *((pane, None) for pane in PANES),
    # A truecolour theme chosen in the config, NO_COLOR set all the same.
    *((pane, "textual-dark") for pane in ("home", "campaign", "preview")),
])
async def test_no_color_panes_are_legible_and_colourless(pane, theme, monkeypatch, tmp_path):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    app = frozen_app(big_sessions=SESSIONS)
    if theme is None:  # the theme NO_COLOR picks by itself
        app.theme = choose_theme(None, set(app.available_themes), os.environ)
    app.journal = _journal(tmp_path) if pane == "journal" else None
    async with app.run_test(size=(80, 24)) as pilot:
        await PANES[pane](pilot)
        check_legible(app, pane)


def _journal(directory):
    return Journal(directory / "journal.jsonl")


@pytest.mark.parametrize("to_pane", [to_home, to_campaign_sessions, to_find_matches])
async def test_no_color_shows_the_cursor_in_reverse_video(to_pane, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = frozen_app(big_sessions=SESSIONS)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_pane(pilot)
        shown = reversed_text(app)
        assert shown.strip(), "the cursor does not show"


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_no_color_campaign_snapshot(size, snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = frozen_app()
    app.theme = choose_theme(None, set(app.available_themes), os.environ)
    assert snap_compare(app, terminal_size=size, run_before=to_campaign_sessions)
