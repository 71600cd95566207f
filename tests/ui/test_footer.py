"""The key line keeps its keys while they stay the same, and shows new ones
as soon as they change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from ctconsole.ui.widgets.footer import KeyFooter


class Plain(Static, can_focus=True):
    BINDINGS = [Binding("x", "noop", "Mark")]

    def action_noop(self) -> None:
        pass


class Extra(Plain):
    BINDINGS = [Binding("z", "zoom", "Zoom")]

    def action_zoom(self) -> None:
        pass


class Keys(App):
    BINDINGS = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Plain("a", id="a")
        yield Plain("b", id="b")
        yield Extra("c", id="c")
        yield KeyFooter(compact=True)


def shown(footer: Widget) -> list[tuple[str, str]]:
    return [(key.key, key.description) for key in footer.query(FooterKey)]


def bottom_line(app: App) -> str:
    return "".join(segment.text for segment in app.screen._compositor.render_strips()[-1])


async def test_footer_keeps_its_keys_until_they_change():
    app = Keys()
    async with app.run_test(size=(80, 6)) as pilot:
        app.set_focus(app.query_one("#a"))
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        keys = list(footer.query(FooterKey))
        assert ("x", "Mark") in shown(footer) and ("q", "Quit") in shown(footer)
        assert ("z", "Zoom") not in shown(footer) and "Zoom" not in bottom_line(app)

        # Same keys on the next widget: the very same key widgets stay.
        app.set_focus(app.query_one("#b"))
        await pilot.pause()
        await pilot.pause()
        assert list(footer.query(FooterKey)) == keys

        # Another key: shown at once.
        app.set_focus(app.query_one("#c"))
        await pilot.pause()
        await pilot.pause()
        assert ("z", "Zoom") in shown(footer) and ("q", "Quit") in shown(footer)
        assert "Zoom" in bottom_line(app)
