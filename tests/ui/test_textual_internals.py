"""Textual's private names the console relies on (`ui.textual_internals`)
still exist and still mean what the console takes them to mean. When one of
these fails after a Textual upgrade, fix `ctconsole/ui/textual_internals.py`
(the only module that touches them) before anything else."""

from __future__ import annotations

import importlib

import pytest
from textual.app import App
from textual.filter import LineFilter
from textual.screen import Screen

from ctconsole.ui import textual_internals as internals


class _Probe(App[None]):
    pass


async def test_the_private_app_and_screen_flags_exist_with_their_types():
    app = _Probe()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app._batch_count, int)
        assert isinstance(app._filters, list)
        screen = app.screen
        assert isinstance(screen, Screen)
        assert isinstance(screen._layout_required, bool)
        assert isinstance(screen._repaint_required, bool)
        assert isinstance(screen._dirty_widgets, set)
        assert internals.paint_pending(screen) in (True, False)
        for owner, names in (("App", internals.PRIVATE_NAMES["App"]),
                             ("Screen", internals.PRIVATE_NAMES["Screen"])):
            target = app if owner == "App" else screen
            assert all(hasattr(target, name) for name in names), owner


async def test_paint_pending_sees_a_batch_and_then_none():
    app = _Probe()
    async with app.run_test() as pilot:
        await pilot.pause()
        with app.batch_update():
            assert internals.paint_pending(app.screen)
        await pilot.pause()
        assert not internals.paint_pending(app.screen)


async def test_swap_line_filter_replaces_by_type():
    class Old(LineFilter):
        def apply(self, segments, background):
            return segments

    new = Old()
    app = _Probe()
    async with app.run_test():
        app._filters.append(Old())
        internals.swap_line_filter(app, (Old,), new)
        assert app._filters[-1] is new


def test_the_parser_keeps_its_escape_state_where_the_console_reads_it():
    parser = internals.XTermParser()
    names = internals.PRIVATE_NAMES["XTermParser()"]
    assert all(hasattr(parser, name) for name in names)
    assert list(internals.end_pending_escape(parser)) == []  # not waiting: nothing
    assert list(parser.feed("\x1b")) == []  # a lone ESC: the parser waits for what follows
    assert parser._timeout_time is not None
    assert [type(t).__name__ for t in internals.end_pending_escape(parser)] == ["Key"]


@pytest.mark.parametrize("module, name", [
    ("textual._xterm_parser", "XTermParser"),
    ("textual._parser", "ParseTimeout"),
    ("textual.widgets._footer", "FooterKey"),
    ("textual.drivers.linux_driver", "XTermParser"),
])
def test_the_terminal_parser_is_where_the_console_swaps_it(module, name):
    pytest.importorskip("termios")
    assert isinstance(getattr(importlib.import_module(module), name), type)
    assert name in internals.PRIVATE_NAMES[module]


async def test_load_screen_css_loads_a_screens_css_file_once(tmp_path):
    css = tmp_path / "probe.tcss"
    css.write_text("ProbeScreen { background: red; }")

    class ProbeScreen(Screen):
        CSS_PATH = str(css)

    app = _Probe()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.stylesheet.has_source(str(css), "")
        internals.load_screen_css(app, ProbeScreen())
        assert app.stylesheet.has_source(str(css), "")
        rules = len(app.stylesheet.rules)
        internals.load_screen_css(app, ProbeScreen())  # loaded: nothing more
        assert len(app.stylesheet.rules) == rules
