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
