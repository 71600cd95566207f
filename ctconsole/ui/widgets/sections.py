"""Detail text in titled sections: how the subaccount and directory panes read.

A flat list of thirty `key  value` lines is hard to scan; grouped under a few
headings (account, usage, API, permissions…) the same fields answer "can this
customer add campaigns?" at a glance. Values are customer data, so every
piece goes through `ui.text` (sanitised `Content`, never markup). Keys stay
the API's own field names so what a user reads maps onto the API docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from ctconsole.ui.formats import yes_no
from ctconsole.ui.text import content, plain

#: How a permission flag shows; the symbol carries the meaning without colour.
ON, OFF, UNKNOWN = "✓", "✗", "?"


@dataclass
class Section:
    """A heading and its `(key, value)` rows; a value may be ready `Content`."""

    title: str
    rows: list[tuple[str, Any]] = field(default_factory=list)


def value_content(value: Any) -> Content:
    """One field's value as safe text (booleans read yes/no, blanks a dash)."""
    if isinstance(value, Content):
        return value
    word = yes_no(value)
    return Content(word) if word is not None else content(value)


def flag_state(value: Any) -> bool | None:
    """A permission flag's truth: JSON booleans, or "1"/"0" if an API version
    sends strings; None when absent or unreadable."""
    if isinstance(value, bool):
        return value
    text = plain(value).strip().lower()
    if text in ("1", "true", "yes"):
        return True
    if text in ("0", "false", "no", ""):
        return False if value is not None else None
    return None


def flags_content(flags: Sequence[tuple[str, Any]]) -> Content:
    """`✓ add  ✗ update …`: a group of flags on one line, "off" ones dimmed."""
    parts = []
    for label, value in flags:
        state = flag_state(value)
        mark = UNKNOWN if state is None else ON if state else OFF
        piece = Content(f"{mark} {label}")
        parts.append(piece if state else piece.stylize("dim"))
    return Content("  ").join(parts)


def render_sections(sections: Iterable[Section], *, width: int | None = None,
                    max_key: int = 24) -> Content:
    """Sections as text: bold headings, indented `key  value` rows, keys
    aligned within each section. Given a `width`, long values wrap under
    their own column (a hanging indent) instead of back to the left edge."""
    sections = [s for s in sections if s.rows]
    lines: list[Content] = []
    for index, section in enumerate(sections):
        if index:
            lines.append(Content(""))
        lines.append(content(section.title).stylize("bold underline"))
        key_width = min(max((len(k) for k, _ in section.rows), default=0), max_key)
        indent = 2 + key_width + 2
        for key, value in section.rows:
            value_text = value_content(value)
            if width is not None and width - indent >= 12:
                pieces = value_text.wrap(width - indent) or [Content("")]
            else:
                pieces = [value_text]
            lines.append(Content.assemble("  ", content(key.ljust(key_width)).stylize("bold"),
                                          "  ", pieces[0]))
            lines.extend(Content.assemble(" " * indent, piece) for piece in pieces[1:])
    return Content("\n").join(lines)


class SectionList(Static):
    """A read-only block of titled sections (re-wrapped when resized)."""

    DEFAULT_CSS = """
    SectionList {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.sections: list[Section] = []
        #: What is on screen, as plain text (for tests and copy).
        self.text = ""

    def show(self, sections: Iterable[Section]) -> None:
        self.sections = list(sections)
        self.text = render_sections(self.sections).plain
        self._render_sections()

    def on_resize(self) -> None:
        self._render_sections()

    def _render_sections(self) -> None:
        width = self.content_region.width or None
        self.update(render_sections(self.sections, width=width))


def split_sections(sections: Sequence[Section], columns: int) -> list[list[Section]]:
    """Whole sections dealt into `columns` runs of about equal height, in order."""
    sections = [s for s in sections if s.rows]
    if columns <= 1 or len(sections) < 2:
        return [list(sections)]
    heights = [len(s.rows) + 2 for s in sections]  # heading + blank line
    target = sum(heights) / columns
    runs: list[list[Section]] = [[]]
    filled = 0
    for section, height in zip(sections, heights):
        if runs[-1] and filled + height / 2 > target and len(runs) < columns:
            runs.append([])
            filled = 0
        runs[-1].append(section)
        filled += height
    return runs


class SectionColumns(Horizontal):
    """Sections in one column, or two side by side when the pane is wide
    (`wide_at` cells): a detail that needs scrolling at 80 columns fits at a
    glance at 120."""

    DEFAULT_CSS = """
    SectionColumns { height: auto; }
    SectionColumns > SectionList { width: 1fr; }
    SectionColumns > SectionList.-left { width: auto; max-width: 45%; }
    SectionColumns > .-unused { display: none; }
    """

    def __init__(self, *, id: str | None = None, wide_at: int = 100) -> None:
        super().__init__(id=id)
        self.wide_at = wide_at
        self.sections: list[Section] = []
        #: Every section as plain text, in order, whatever the layout.
        self.text = ""

    def compose(self) -> ComposeResult:
        yield SectionList(classes="column")
        yield SectionList(classes="column -unused")

    def _set_wide(self, wide: bool) -> None:
        first = self.query(SectionList).first()
        first.set_class(wide, "-left")

    def show(self, sections: Iterable[Section]) -> None:
        self.sections = list(sections)
        self.text = render_sections(self.sections).plain
        self._lay_out()

    def on_resize(self) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        columns = 2 if self.size.width >= self.wide_at else 1
        runs = split_sections(self.sections, columns)
        self._set_wide(len(runs) > 1)
        for index, widget in enumerate(self.query(SectionList)):
            run = runs[index] if index < len(runs) else []
            widget.set_class(not run and index > 0, "-unused")
            widget.show(run)
