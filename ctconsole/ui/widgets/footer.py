"""The key line at the bottom of every pane: Textual's Footer, rebuilt only
when the keys it shows change.

Textual's Footer throws its keys away and composes them anew on every
"bindings updated" signal, and a screen sends one for every focus change
(two, in fact), every screen pushed or popped and every reactive that
declares bindings, whether or not any key changed. Each rebuild mounts and
styles a widget per key and redraws the line: work a user on a slow link
pays for with every arrow key that moves the focus. Here the footer first
works out what it would show (the same keys, labels, states and tooltips its
compose reads) and rebuilds only when that differs from what it shows now.

Each key Textual's Footer composes gets its "-compact" class only once
mounted (from its `compact`, bound to the footer's), which styles it a
second time; here a key is given that class as it is composed, so it is
styled once, with the same result.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer

from ctconsole.ui.textual_internals import FooterKey


class KeyFooter(Footer):
    #: What the current keys were composed from; None: nothing composed yet
    #: (Textual's Footer composes no key before the first bindings signal).
    _shown: tuple[Any, ...] | None = None

    def shown_keys(self) -> tuple[Any, ...]:
        """Everything the compose of Textual's Footer reads: each shown
        binding with its key display, state and tooltip, in order, and the
        command palette's key."""
        app = self.app
        active = self.screen.active_bindings
        keys = tuple((binding, app.get_key_display(binding), enabled, tooltip)
                     for (_, binding, enabled, tooltip) in active.values() if binding.show)
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = (found.binding, app.get_key_display(found.binding), found.enabled)
        return keys, palette

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The palette's key is not bound to the footer: it keeps its own.
                bound = not widget.has_class("-command-palette")
                widget.set_class(self.compact if bound else widget.compact, "-compact",
                                 update=False)
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self.shown_keys()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
