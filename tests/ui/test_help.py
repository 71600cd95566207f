"""Pilot tests: `?` lists the live keys of the pane underneath, with their ids."""

from __future__ import annotations

from ctconsole.ui.screens.help import HelpScreen, key_groups
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screenshots import settle


def rows_by_id(help_screen: HelpScreen) -> dict[str, tuple[str, list[str]]]:
    """binding id -> (group title, keys shown)."""
    return {row.binding_id: (group.title, row.keys)
            for group in help_screen.groups for row in group.rows if row.binding_id}


async def test_help_lists_the_home_panes_real_bindings(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.underneath is home
        rows = rows_by_id(help_screen)
        # Exactly what the bindings map holds: every binding the pane defines...
        for binding in HomeScreen.BINDINGS:
            assert rows[binding.id] == ("This pane", [binding.key]), binding.id
        # Home cannot go back, so "back" is not live there and not listed.
        assert "back" not in rows and rows["refresh"] == ("This pane", ["r"])
        # ...the focused table's, and the app's, with keys as displayed.
        assert rows["grid.sort"] == ("Table", ["s"])
        assert rows["grid.first"] == ("Table", ["home", "^home", "g"])
        assert rows["quit"] == ("Everywhere", ["q"])
        assert rows["help"] == ("Everywhere", ["?"])
        assert rows["palette"] == ("Everywhere", ["^p"])
        assert rows["home.categories"] == ("This pane", ["t"])
        text = help_screen.text
        assert "home.campaigns" in text and "Campaigns" in text
        titles = [g.title for g in help_screen.groups]
        assert titles.index("This pane") < titles.index("Table") < titles.index("Everywhere")

        await pilot.press("escape")
        assert app.screen is home
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert app.screen is home


async def test_help_follows_the_screen_underneath(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = rows_by_id(app.screen)
        assert rows["campaign.view_claims"] == ("This pane", ["3"])
        assert "home.campaigns" not in rows
        # Home's categories key is disabled away from home, so not listed.
        assert "home.categories" not in rows


async def test_help_shows_the_users_keymap(make_app):
    app = make_app(keymap={"home.campaigns": "k", "refresh": "f5"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = rows_by_id(app.screen)
        assert rows["home.campaigns"][1] == ["k"]
        assert rows["refresh"][1] == ["f5"]
        assert "k" in app.screen.text


async def test_a_shadowed_key_is_listed_once_for_the_closest_binding(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        groups = key_groups(app.screen)
        keys = [k for g in groups for r in g.rows for k in r.keys]
        assert len(keys) == len(set(keys))


def screen_lines(app) -> list[str]:
    """The screen as the user sees it, one string per line."""
    return ["".join(segment.text for segment in strip)
            for strip in app.screen._compositor.render_strips()]


async def open_campaign_help(app, pilot) -> HelpScreen:
    await settle(pilot)
    await pilot.press("c", "enter")
    await settle(pilot)
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    return app.screen


async def test_paging_through_the_help_at_80x24_shows_every_row_and_id_whole(app):
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await open_campaign_help(app, pilot)
        seen: list[str] = []
        for _ in range(20):
            lines = screen_lines(app)
            # The box fits the terminal: its footer stays on screen.
            assert any("Escape or ? closes" in line for line in lines)
            assert all(len(line) <= 80 for line in lines)
            seen.extend(lines)
            await pilot.press("pagedown")
            await pilot.pause()
        shown = "\n".join(seen)
        for group in help_screen.groups:
            for row in group.rows:
                assert row.description in shown, row.description
                # Whole, between word boundaries (not cut at the right edge).
                if row.binding_id:
                    assert f" {row.binding_id} " in shown.replace("\n", " \n") + " ", \
                        row.binding_id
        assert "New single-use URLs (many)" in shown
        assert "campaign.view_validations" in shown
        assert "[keys]" in shown and "[keymap]" not in shown


async def test_q_quits_from_the_help_as_listed(app):
    async with app.run_test(size=(80, 24)) as pilot:
        help_screen = await open_campaign_help(app, pilot)
        assert rows_by_id(help_screen)["quit"] == ("Everywhere", ["q"])
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_help_names_groups_for_people_not_widget_classes(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")
        await settle(pilot)
        await pilot.press("enter")  # a session: its details scroll
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        titles = [group.title for group in app.screen.groups]
        assert "Scrolling" in titles
        assert not any(title.isidentifier() and title[0].isupper() and
                       any(c.isupper() for c in title[1:]) for title in titles), titles
