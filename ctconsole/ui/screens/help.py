"""`?`: the keys that work right now, on the pane underneath, with their ids.

The list is read from the pane's *active* bindings map (what Textual itself
dispatches with: the focused widget's keys, the pane's, then the app's, a
key shadowed by a closer one dropped, the user's keymap applied), never from
a hand-written table, so it cannot drift from the code or from a user's
remapping. Each row shows the binding id too: that is the name to use in the
config's keymap to move a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ctconsole.ui.text import content

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

#: Group titles for widgets whose keys appear in the help.
WIDGET_GROUPS = {"DataGrid": "Table", "FilterBar": "Filter", "Input": "Text input"}


@dataclass
class KeyRow:
    keys: list[str]
    description: str
    binding_id: str
    enabled: bool = True


@dataclass
class KeyGroup:
    title: str
    rows: list[KeyRow] = field(default_factory=list)


def _group_title(node: DOMNode, screen: Screen, app: App) -> str:
    if node is app:
        return "Everywhere"
    if node is screen:
        return "This pane"
    name = type(node).__name__
    return WIDGET_GROUPS.get(name, name)


def key_groups(screen: Screen) -> list[KeyGroup]:
    """The live bindings of `screen`, grouped by where they are defined:
    the pane's own first (what is special here), then the focused widget's,
    then the app's.

    Several keys of one binding (`home`, `g`) share a row; bindings without
    a description (internal ones) are left out.
    """
    app = screen.app
    groups: dict[int, KeyGroup] = {}
    order: list[int] = []
    rows: dict[tuple[int, str, str], KeyRow] = {}
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not binding.description:
            continue
        node = active.node
        if id(node) not in groups:
            groups[id(node)] = KeyGroup(_group_title(node, screen, app))
            order.append(id(node))
        row_key = (id(node), binding.action, binding.id or "")
        display = app.get_key_display(binding)
        if row_key in rows:
            if display not in rows[row_key].keys:
                rows[row_key].keys.append(display)
            continue
        row = KeyRow([display], binding.description, binding.id or "", active.enabled)
        rows[row_key] = row
        groups[id(node)].rows.append(row)

    def rank(node_id: int) -> int:
        title = groups[node_id].title
        return 2 if title == "Everywhere" else 0 if title == "This pane" else 1

    result = [groups[i] for i in sorted(order, key=rank)]
    for group in result:  # remappable (ours) first, Textual's generic ones after
        group.rows.sort(key=lambda row: not row.binding_id)
    return result


def help_content(groups: list[KeyGroup]) -> Content:
    key_width = max((len(" / ".join(r.keys)) for g in groups for r in g.rows), default=3)
    key_width = min(max(key_width, 3), 18)
    desc_width = min(max((len(r.description) for g in groups for r in g.rows), default=4), 30)
    lines: list[Content] = []
    for group in groups:
        if lines:
            lines.append(Content(""))
        lines.append(content(group.title).stylize("bold underline"))
        for row in group.rows:
            keys = " / ".join(row.keys)
            line = Content.assemble(
                "  ", content(keys.ljust(key_width)).stylize("bold"), "  ",
                content(row.description.ljust(desc_width)), "  ",
                content(row.binding_id or "—").stylize("dim"),
            )
            lines.append(line if row.enabled else line.stylize("dim"))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """The key list of the pane underneath; Escape or `?` closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("question_mark", "close", "Close", key_display="?", show=False),
    ]

    def __init__(self, underneath: Screen) -> None:
        super().__init__()
        self.underneath = underneath
        self.groups = key_groups(underneath)

    @property
    def text(self) -> str:
        """The key list as plain text (for tests)."""
        return help_content(self.groups).plain

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(Content.assemble(("Keys", "bold"), "  ",
                                          Content("key · what it does · id to remap in [keymap]")
                                          .stylize("dim")), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(self.groups), id="help-keys", markup=False)
            yield Static(Content("Escape or ? closes · ↑↓ scroll").stylize("dim"),
                         id="help-footer")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss()
