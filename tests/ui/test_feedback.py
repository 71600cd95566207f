"""Errors, retries, provenance and the app-level safety nets."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.filter import Monochrome, NoColor

from ctconsole.ui.app import choose_theme
from ctconsole.ui.no_colour import NO_COLOUR
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screenshots import settle
from ctconsole.ui.timefmt import duration_text, freshness_text


async def test_api_error_is_shown_in_the_pane_and_r_retries(app, sandbox):
    sandbox.faults.add("api_error", operation="subaccount.list", code=300,
                       message="Wrong value in parameter: [bold]x")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        panel = screen.error_panel
        assert panel.shown and panel.display
        shown = panel.render().plain
        assert panel.title_text in shown and "(300)" in panel.title_text
        assert "Wrong value in parameter: [bold]x" in shown  # markup shown as text
        assert "Press r to retry." in shown
        assert "failed — press r to retry" in screen.status.render().plain
        assert len(screen.grid.model) == 0

        await pilot.press("r")  # the fault was for one request only
        await settle(pilot)
        assert not panel.shown
        assert len(screen.grid.model) == 5
        assert app.is_running


async def test_http_failure_on_a_drilled_pane_keeps_the_app_working(app, sandbox):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sandbox.faults.add("status", operation="campaign.list", times=None, status=503)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.error_panel.shown
        sandbox.faults.clear()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")
        await settle(pilot)
        assert not app.screen.error_panel.shown
        assert len(app.screen.grid.model) == 6


async def test_unexpected_worker_error_becomes_a_notification(app, monkeypatch):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        async def broken(*args, **kwargs):
            raise RuntimeError("\x1b[2Jboom")

        monkeypatch.setattr(app.client, "call", broken)
        await pilot.press("r")
        await settle(pilot)
        notes = list(app._notifications)
        assert notes and notes[-1].severity == "error"
        assert len([n for n in notes if "RuntimeError" in n.message]) == 1  # once, not twice
        assert "RuntimeError" in notes[-1].message and "\x1b" not in notes[-1].message
        assert app.is_running
        # The pane stops loading and offers a retry instead of spinning forever.
        assert app.screen.error_panel.shown
        assert not app.screen.query_one("#body").loading
        monkeypatch.undo()
        await pilot.press("c")
        await settle(pilot)
        assert len(app.screen.grid.model) == 6


def test_freshness_text_says_fetched_or_cached_with_age():
    at = datetime(2026, 11, 20, 12, 3, 4, tzinfo=timezone.utc)
    assert freshness_text(at, at, from_cache=False, stale=False) == "fetched 12:03:04 UTC"
    later = at + timedelta(minutes=4, seconds=30)
    assert freshness_text(at, later, from_cache=True, stale=False) == "cached · 4 min ago"
    assert freshness_text(at, later, from_cache=True, stale=True) == "cached · 4 min ago · stale"


def test_duration_text_is_compact_and_keeps_negative_gaps_visible():
    assert duration_text(timedelta(seconds=40)) == "40s"
    assert duration_text(timedelta(minutes=1, seconds=3)) == "1m 03s"
    assert duration_text(timedelta(hours=4, minutes=30)) == "4h 30m"
    assert duration_text(timedelta(days=2, hours=5)) == "2d 5h"
    assert duration_text(timedelta(seconds=-90)) == "-1m 30s"


def test_no_color_selects_the_ansi_theme_unless_one_is_chosen():
    themes = {"textual-dark", "ansi-dark", "nord"}
    assert choose_theme(None, themes, {}) == "textual-dark"
    assert choose_theme(None, themes, {"NO_COLOR": "1"}) == "ansi-dark"
    assert choose_theme("nord", themes, {"NO_COLOR": "1"}) == "nord"
    assert choose_theme("ansi", themes, {}) == "ansi-dark"
    assert choose_theme("no-such-theme", themes, {}) == "textual-dark"


async def test_app_under_no_color_runs_with_the_ansi_theme(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-dark"
        # ctconsole's colourless filter, not Textual's greys (black on black).
        filters = app.get_line_filters()
        assert NO_COLOUR in filters
        assert not any(isinstance(f, (Monochrome, NoColor)) for f in filters)
        assert len(app.screen.grid.model) == 5


async def test_not_found_says_what_would_help_instead_of_retry(app):
    from ctconsole.ui.screens.campaign import CampaignScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(CampaignScreen(app.client, "cam_9999", ("Account", "cam_9999")))
        await settle(pilot)
        screen = app.screen
        panel = screen.error_panel
        assert panel.shown and "(502)" in panel.title_text
        shown = panel.render().plain
        assert "Press r to retry" not in shown and "Check the ID" in shown
        assert screen.status.render().plain == "failed — not found"


async def test_a_server_error_still_offers_retry(app, sandbox):
    sandbox.faults.add("status", operation="subaccount.list", times=None, status=503)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = app.screen.error_panel.render().plain
        assert "Press r to retry." in shown
        assert app.screen.status.render().plain.startswith("failed — press r to retry")
