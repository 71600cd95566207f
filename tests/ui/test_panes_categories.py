"""Pilot tests: the category lists, reached from home with `t`."""

from __future__ import annotations

from ctconsole.ui.screens.categories import (
    CategoryListScreen,
    Level3CategoryListScreen,
    depths,
)
from ctconsole.ui.screens.home import HomeScreen
from ctconsole.ui.screenshots import settle
from tests.ui.test_navigation import crumbs


async def test_t_on_home_opens_the_categories_as_a_tree(app, sandbox):
    categories = sandbox.state.categories
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CategoryListScreen)
        assert crumbs(app) == "Account › Categories"
        model = screen.grid.model
        records = {r["id"]: r for r in model.view_records()}
        assert set(records) == {c["ID"] for c in categories}
        assert records["cat_10"]["name"] == "Food & drink"
        assert records["cat_11"]["name"] == "└ Restaurants"  # a child, indented
        assert records["cat_11"]["parent"] == "cat_10"
        assert records["cat_11"]["parent_name"] == "Food & drink"
        assert "fetched" in screen.status.render().plain
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_t_is_home_only(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        before = app.screen
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is before


async def test_level3_names_its_parents_from_the_category_list(make_app, sandbox):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(Level3CategoryListScreen(app.client, ("Account", "3rd-level categories")))
        await settle(pilot)
        records = {r["id"]: r for r in app.screen.grid.model.view_records()}
        assert records["cat_111"] == {"id": "cat_111", "name": "Brunch", "parent": "cat_11",
                                      "parent_name": "Restaurants"}
        assert len(records) == 5


async def test_level3_still_lists_when_the_name_lookup_fails(make_app, sandbox):
    sandbox.faults.add("api_error", operation="category.list", code=300, message="nope")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(Level3CategoryListScreen(app.client, ("Account", "3rd-level categories")))
        await settle(pilot)
        assert not app.screen.error_panel.shown
        records = {r["id"]: r for r in app.screen.grid.model.view_records()}
        assert records["cat_111"]["parent_name"] == ""


def test_depths_follow_parents_and_survive_cycles():
    assert depths({"a": "", "b": "a", "c": "b", "x": "zz"}) == {"a": 0, "b": 1, "c": 2, "x": 0}
    loop = depths({"a": "b", "b": "a"})
    assert set(loop) == {"a", "b"} and all(d <= 1 for d in loop.values())
