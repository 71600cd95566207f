"""A read-only list of `key  value` lines: how detail panes show a record.

Every field is shown, unknown ones included (detail views read the raw
payload, not the model), and every value is sanitised. A value wrapped in
`ui.privacy.Pii` is masked while screen share is on. Masking secrets is
the pane's job (`text.shown_payload`) before the pairs get here; a stray
`SecretStr` is still shown masked.
"""

from __future__ import annotations

from typing import Any, Iterable

from textual.content import Content
from textual.widgets import Static

from ctconsole.ui.formats import BLANK, yes_no
from ctconsole.ui.privacy import Pii, mask, screen_share_on
from ctconsole.ui.text import content, plain


def _value_text(value: Any, masked: bool = False) -> str:
    if isinstance(value, Pii):
        text = _value_text(value.value)
        return mask(value.kind, text) if masked and text != BLANK else text
    word = yes_no(value)
    return word if word is not None else plain(value)


class FieldList(Static):
    """Aligned `key  value` lines built from pairs."""

    DEFAULT_CSS = """
    FieldList {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.pairs: list[tuple[str, Any]] = []
        #: What is on screen, as plain text (for tests and copy).
        self.text = ""

    def show(self, pairs: Iterable[tuple[str, Any]]) -> None:
        self.pairs = list(pairs)
        self._render_pairs()

    def privacy_changed(self) -> None:
        """Screen share on/off: `Pii` values re-rendered masked or not."""
        if any(isinstance(value, Pii) for _, value in self.pairs):
            self._render_pairs()

    def _render_pairs(self) -> None:
        width = min(max((len(k) for k, _ in self.pairs), default=0), 32)
        masked = screen_share_on(self)
        lines: list[Content] = []
        for key, value in self.pairs:
            shown = _value_text(value, masked)
            lines.append(Content.assemble(content(key.ljust(width)).stylize("bold"), "  ", shown))
        rendered = Content("\n").join(lines)
        self.text = rendered.plain
        self.update(rendered)
