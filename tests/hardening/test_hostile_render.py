"""Customer-typed text on screen: shown literally, never interpreted.

The sandbox's hostile campaign (cam_1006) has a session for each kind of
attack text (console markup, OSC 2 retitling, OSC 52 clipboard writes, C1
CSI, bidi overrides, clear-screen, very long and multi-line names), and
loyalty card loy_3001 has a hostile holder. These tests walk the panes a
person would, and check two things on every screen:

* what a person reads: the text as typed, with control characters shown as
  visible stand-ins (`␛]2;pwned␇`, `\\x9b`, `\\u202e`) and brackets kept;
* what the terminal receives (`terminal_output`): no ESC, BEL, C1, bidi or
  other invisible control that Textual did not emit itself.
"""

from __future__ import annotations

import csv
import io

from textual.widgets import Input

from ctconsole.sandbox import HOSTILE_CAMPAIGN
from ctconsole.sandbox.fixtures import HOSTILE_TEXT
from ctconsole.ui.screens.campaign import CampaignScreen
from ctconsole.ui.screens.account_lists import CampaignListScreen
from ctconsole.ui.widgets.export_dialog import ExportDialog
from ctconsole.ui.screens.find import FindScreen
from ctconsole.ui.screens.session import open_find
from ctconsole.ui.screens.help import HelpScreen
from ctconsole.ui.screens.loyalty import LoyaltyUsersScreen
from ctconsole.ui.screens.session import SessionScreen
from ctconsole.ui.text import visible

from .conftest import foreign_controls, screen_text, settle, terminal_output, wait_for

#: A campaign name with every kind of trouble at once.
EVIL_TITLE = ("[bold]Sale[/] \x1b]2;owned\x07 \x1b]52;c;aGk=\x07 \x9b1mC1 \u202eedoc "
              "\x1b[2J [link=https://evil.example]x[/link] [/]")


def assert_clean(app) -> str:
    """The screen holds no terminal-active character; returns its text."""
    assert foreign_controls(terminal_output(app)) == []
    return screen_text(app)


async def open_hostile_campaign(pilot) -> CampaignScreen:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CampaignListScreen)
    grid = pilot.app.screen.grid
    while grid.cursor_row_key != HOSTILE_CAMPAIGN:
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CampaignScreen) and screen.campaign_id == HOSTILE_CAMPAIGN
    return screen


async def test_the_hostile_campaign_and_its_sessions_are_shown_literally(make_app):
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_hostile_campaign(pilot)
        text = assert_clean(app)
        # Markup stays text, in the crumbs, the summary and the grid.
        assert "cam_1006 Summer [50% off] [/]" in text
        assert "title        Summer [50% off] [/]" in text
        assert "␛]2;pwned␇ Title" in text
        assert "ord-␛[31m7␛[0m" in text
        assert "Csi\\x9b31mRed" in text
        assert "\\u202eevil.exe" in text
        assert "␛[2J␛[H clear-screen" in text
        assert "Multi␊line" in text
        assert len(screen.grid.model) == len(HOSTILE_TEXT)


async def test_every_hostile_session_pane_shows_the_name_escaped(make_app, sandbox):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_hostile_campaign(pilot)
        codes = screen.grid.model.view_keys()
        assert len(codes) == len(HOSTILE_TEXT)
        for position, code in enumerate(codes):
            while screen.grid.cursor_row_key != code:
                await pilot.press("down")
            await pilot.press("enter")
            await settle(pilot)
            pane = app.screen
            assert isinstance(pane, SessionScreen)
            text = assert_clean(app)
            record = sandbox.session(code)
            first, last = record["firstname"], record["lastname"]
            facts = pane.query_one("#facts").text
            assert f"name                    {visible(first)} {visible(last)}"[:100] in facts
            assert visible(first)[:40] in text
            await pilot.press("j")  # the raw JSON view: escaped too
            await pilot.pause()
            raw = assert_clean(app)
            assert '"firstname"' in raw
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen
        first_record = sandbox.session(codes[0])
        assert first_record["customvalcode"] == "[red]CODE[/red]"


async def test_an_injected_campaign_title_is_literal_everywhere(make_app, sandbox):
    sandbox.state.campaigns[HOSTILE_CAMPAIGN]["name"] = EVIL_TITLE
    sandbox.state.campaigns[HOSTILE_CAMPAIGN]["title"] = EVIL_TITLE
    shown = visible(EVIL_TITLE)
    assert "␛]2;owned␇" in shown and "\\x9b1mC1" in shown and "\\u202eedoc" in shown
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await open_hostile_campaign(pilot)
        text = assert_clean(app)
        assert f"cam_1006 {shown}" in text  # breadcrumbs
        assert f"name         {shown}" in text
        assert f"title        {shown}" in text
        await pilot.press("question_mark")  # the help screen over it
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert_clean(app)
        await pilot.press("escape")
        await pilot.pause()
        # Nothing was restyled: the word in "[bold]" is not bold on screen.
        crumbs = app.screen.query_one("#crumbs")
        rendered = crumbs.render()
        assert "[bold]Sale[/]" in rendered.plain
        assert all("bold" not in str(span.style) for span in rendered.spans)


async def test_an_api_error_message_with_markup_and_escapes_is_shown_literally(make_app, sandbox):
    message = "[bold red]Boom[/] \x1b]2;pwned\x07 [@click=app.quit]quit[/] \x9b2J \u202etxt"
    sandbox.faults.add("api_error", operation="campaign.list", code=300, message=message,
                       times=None)
    app = make_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        panel = app.screen.error_panel
        assert panel.shown
        text = assert_clean(app)
        # Markup as typed; the client already dropped the control characters
        # from the API's message (`errors.clean_text`), the rest is verbatim.
        assert "[bold red]Boom[/] ]2;pwned [@click=app.quit]quit[/] 2J txt" in text
        await pilot.click(panel)  # a click on the "link" does nothing
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CampaignListScreen)


async def test_copy_notification_of_a_hostile_cell_is_literal(make_app):
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_hostile_campaign(pilot)
        await pilot.press("down")  # the "\x1b]2;pwned\x07 Title" session
        for _ in range(5):
            await pilot.press("right")
        assert screen.grid.model.columns[screen.grid.cursor_column].key == "name"
        await pilot.press("y")
        await settle(pilot)
        assert_clean(app)
        # The notice shows what went on the clipboard: the text minus the controls.
        assert any("Name of" in n.message and n.message.endswith(": ]2;pwned Title")
                   for n in app._notifications)


async def test_find_summaries_show_what_was_typed_escaped(make_app):
    typed = "nobody\x1b]2;x\x07[b]@example.com"
    app = make_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        open_find(app, text=typed)
        await settle(pilot)
        assert isinstance(app.screen, FindScreen)
        text = assert_clean(app)
        # The prompt holds what is searched: the escape sequence removed as a
        # whole, in place, markup kept.
        assert app.screen.query_one("#find-input", Input).value == "nobody[b]@example.com"
        assert "No session found for e-mail address nobody[b]@example.com" in text


async def test_text_pasted_into_the_filter_bar_loses_its_controls(make_app):
    from textual import events

    app = make_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        bar = app.screen.filter_bar
        bar.input.post_message(events.Paste("gar\x1b]52;c;aGk=\x07cia\u202e"))
        await pilot.pause()
        await pilot.pause()
        assert bar.input.value == "garcia"
        assert bar.input.cursor_position == len("garcia")
        assert_clean(app)


async def test_the_guard_catches_a_control_no_widget_escaped(make_app):
    """Defence in depth: a raw ESC handed straight to a widget (as a pane
    that forgot `ui.text` would) still never reaches the terminal, and the
    line keeps its width."""
    from textual.widgets import Static

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        static = Static("before \x1b]2;pwned\x07 \x9b31m after", markup=False)
        await app.screen.mount(static, before=app.screen.query_one("#body"))
        await pilot.pause()
        assert foreign_controls(terminal_output(app)) == []
        text = screen_text(app)
        assert "before ␛]2;pwned" in text and "\\x9b31m after" in text


async def test_the_hostile_loyalty_holder_is_shown_literally(make_app, sandbox):
    hostile = next(uid for uid, user in sandbox.state.loyalty["loy_3001"]["users"].items()
                   if "pwned" in user["lastname"])
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        while app.screen.grid.cursor_row_key != "loy_3001":
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LoyaltyUsersScreen)
        screen.grid.set_filter(hostile)
        await pilot.pause()
        assert screen.grid.model.view_keys() == [hostile]
        text = assert_clean(app)
        assert "[bold red]x[/] ␛]2;" in text


async def test_a_formula_typed_as_a_name_is_exported_as_text(make_app, sandbox, tmp_path):
    code = sandbox.state.sessions.order[HOSTILE_CAMPAIGN][0]
    sandbox.state.sessions.records[code]["firstname"] = '=HYPERLINK("http://evil.example","x")'
    target = tmp_path / "hostile.csv"
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await open_hostile_campaign(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, target.exists, what="the export file")
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    names = {row[0]: row[5] for row in rows[1:]}
    assert names[code].startswith("'=HYPERLINK(")
    # A `cat` of the export must not act on the terminal: controls removed,
    # the rest of what the customer typed kept.
    assert any("]2;pwned" in name for name in names.values())
    assert not any(ch in target.read_text(encoding="utf-8-sig") for ch in "\x1b\x07\x9b\u202e")
