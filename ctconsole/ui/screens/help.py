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

from textual import events
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

#: Group titles for widgets whose keys appear in the help; any other widget
#: is "This area" (a class name means nothing to the person reading).
WIDGET_GROUPS = {"DataGrid": "Table", "FilterBar": "Filter", "Input": "Text input",
                 "VerticalScroll": "Scrolling", "ScrollableContainer": "Scrolling",
                 "Select": "Choice", "Switch": "Switch", "Button": "Button"}


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
    return WIDGET_GROUPS.get(type(node).__name__, "This area")


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


#: Widest key and description columns; longer ones push the id along.
KEY_WIDTH, DESCRIPTION_WIDTH = 18, 30


def help_content(groups: list[KeyGroup], width: int | None = None) -> Content:
    """The key list; no line wider than `width`.

    Ids are what a user copies into `[keys]`, so they are never cut: a row
    whose id does not fit beside its description gets it on the next line,
    under the id column (or under the description when even that is too
    narrow)."""
    key_width = max((len(" / ".join(r.keys)) for g in groups for r in g.rows), default=3)
    key_width = min(max(key_width, 3), KEY_WIDTH)
    desc_width = min(max((len(r.description) for g in groups for r in g.rows), default=4),
                     DESCRIPTION_WIDTH)
    id_column = 2 + key_width + 2 + desc_width + 2
    lines: list[Content] = []
    for group in groups:
        if lines:
            lines.append(Content(""))
        lines.append(content(group.title).stylize("bold underline"))
        for row in group.rows:
            keys = " / ".join(row.keys)
            lead = Content.assemble(
                "  ", content(keys.ljust(key_width)).stylize("bold"), "  ",
                content(row.description.ljust(desc_width)),
            )
            binding_id = content(row.binding_id or "—").stylize("dim")
            row_lines = [Content.assemble(lead, "  ", binding_id)]
            if width is not None and row_lines[0].cell_length > width:
                indent = id_column if id_column + len(binding_id) <= width else 4 + key_width
                row_lines = [lead.rstrip(), Content.assemble(" " * indent, binding_id)]
            lines.extend(line if row.enabled else line.stylize("dim") for line in row_lines)
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """The key list of the pane underneath; Escape or `?` closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("question_mark", "close", "Close", key_display="?", show=False),
        # A modal screen cuts the app's keys off; quitting is listed under
        # "Everywhere", so it works here too (same id: a remap moves it).
        Binding("q", "app.quit", "Quit", id="quit", show=False),
    ]
    #: Cells the box takes around the key list: border and padding across,
    #: border, title and footer down; the scrollbar beside the list.
    CHROME_WIDTH, CHROME_HEIGHT, SCROLLBAR = 4, 4, 2

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
                                          Content("key · what it does · id to remap in [keys]")
                                          .stylize("dim")), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(self.groups), id="help-keys", markup=False)
            yield Static(Content("Escape or ? closes · ↑↓ PgUp PgDn scroll · q quits").stylize("dim"),
                         id="help-footer")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the box to the terminal: the list scrolls inside it (so a page
        down moves by exactly what is shown, and the footer stays on screen)
        and its lines wrap instead of being cut at the right edge."""
        width, height = event.size
        scroll = self.query_one("#help-scroll", VerticalScroll)
        scroll.styles.max_height = max(height - self.CHROME_HEIGHT, 1)
        self.query_one("#help-keys", Static).update(
            help_content(self.groups, max(width - self.CHROME_WIDTH - self.SCROLLBAR, 20)))

    def action_close(self) -> None:
        self.dismiss()
