"""`DataGrid`: a virtual table for up to a few hundred thousand rows.

Why our own widget: Textual's `DataTable` builds per-row objects and measures
every cell as rows are added (seconds for 100k rows, and for each sort), which
is far from the README's targets.  `textual-fastdatatable` would meet them but pulls in
pyarrow (a large native dependency) for what is, here, list work.  So this is a
line-API widget (`ScrollView.render_line` returning `Strip`s) over a pure
`GridModel`: only the rows on screen are ever formatted, sorting and filtering
are index-list operations, and appending a page costs only that page.

Layout of the widget's lines: line 0 is the header (it never scrolls
vertically), then the rows, then one status line (row count, marks, loading
progress) pinned to the bottom.  The first column can be pinned so that IDs stay
visible when the other columns scroll sideways.  Colours come only from the
component classes below, so every theme (including ANSI ones) applies.

Keys (each binding has an id, so users can remap them through the keymap):
up/down, pageup/pagedown, home/g, end/G move the row cursor; left/right move
the column cursor (scrolling sideways); `s` sorts by the cursor column and
pressing it again reverses; `S` returns to arrival order; space marks, `v`
marks from the last mark to the cursor, ctrl+a marks every visible row, `u`
clears marks; enter selects.  Escape is deliberately not handled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ctconsole.ui.privacy import screen_share_on

from .grid_model import Column, GridModel, fit

__all__ = ["DataGrid"]

_MARK = "* "  # the gutter shows marks without relying on colour
_NO_MARK = "  "
_ROW_CACHE_SIZE = 512


class DataGrid(ScrollView, can_focus=True):
    """A fast, virtualised, sortable and filterable table of untrusted text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="grid.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="grid.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="grid.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="grid.page_down"),
        Binding("home,ctrl+home,g", "first", "First row", show=False, id="grid.first"),
        Binding("end,ctrl+end,G", "last", "Last row", show=False, id="grid.last"),
        Binding("left", "column_left", "Column left", show=False, id="grid.column_left"),
        Binding("right", "column_right", "Column right", show=False, id="grid.column_right"),
        Binding("s", "sort", "Sort (again: reverse)", show=False, id="grid.sort"),
        Binding("S", "unsort", "Arrival order", show=False, id="grid.unsort"),
        Binding("space", "toggle_mark", "Mark", show=False, id="grid.toggle_mark"),
        Binding("v", "mark_range", "Mark from last mark to here", show=False, id="grid.mark_range"),
        Binding("ctrl+a", "mark_all", "Mark all shown", show=False, id="grid.mark_all"),
        Binding("u", "clear_marks", "Unmark all", show=False, id="grid.clear_marks"),
        Binding("enter", "select", "Open", show=False, id="grid.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datagrid--header",
        "datagrid--header-cursor",
        "datagrid--even-row",
        "datagrid--odd-row",
        "datagrid--pinned",
        "datagrid--cursor",
        "datagrid--marked",
        "datagrid--status",
    }

    DEFAULT_CSS = """
    DataGrid {
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .datagrid--header { text-style: bold; background: $panel; color: $foreground; }
        & > .datagrid--header-cursor { text-style: bold underline; background: $accent 40%; }
        & > .datagrid--even-row { }
        & > .datagrid--odd-row { background: $surface-lighten-1 40%; }
        & > .datagrid--pinned { color: $text-primary; }
        & > .datagrid--marked { background: $accent 25%; color: $text-accent; }
        & > .datagrid--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .datagrid--status { background: $panel; color: $text-muted; }
        &:focus > .datagrid--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:ansi > .datagrid--header { background: ansi_bright_blue; color: ansi_default; }
        &:ansi > .datagrid--odd-row { background: ansi_default; }
        &:ansi > .datagrid--marked { background: ansi_default; color: ansi_default; text-style: bold underline; }
        &:ansi > .datagrid--status { background: ansi_default; color: ansi_default; }
    }
    """

    class _GridMessage(Message):
        def __init__(self, grid: DataGrid, row_key: str | None) -> None:
            super().__init__()
            self.grid = grid
            self.row_key = row_key

        @property
        def control(self) -> DataGrid:
            return self.grid

    class RowSelected(_GridMessage):
        """Enter was pressed on a row (`row_key` is never None here)."""

    class CursorMoved(_GridMessage):
        """The cursor now sits on another row (None when the view is empty)."""

    class MarksChanged(Message):
        """The set of marked rows changed; `count` is how many are marked."""

        def __init__(self, grid: DataGrid, count: int) -> None:
            super().__init__()
            self.grid = grid
            self.count = count

        @property
        def control(self) -> DataGrid:
            return self.grid

    loading_progress: reactive[tuple[int, int | None] | None] = reactive(None, layout=False)
    """(rows so far, expected total or None) while pages arrive; None when done."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        key: str | None = None,
        pin_first: bool = True,
        show_status: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.model = GridModel(columns, key=key)
        self.pin_first = pin_first
        self.show_status = show_status
        self.cursor = 0  # position in the view
        self.cursor_column = 0
        self._cursor_key: str | None = None
        self._row_cache: dict[int, tuple[str, str]] = {}  # cleared when widths change
        self._layout()

    # ------------------------------------------------------------ public API
    @property
    def cursor_row_key(self) -> str | None:
        view = self.model.view
        return self.model.key_at(self.cursor) if 0 <= self.cursor < len(view) else None

    def cursor_value(self, column_key: str) -> Any:
        """The original value in `column_key` of the row under the cursor."""
        row_key = self.cursor_row_key
        return None if row_key is None else self.model.value(row_key, column_key)

    def move_cursor_to(self, row_key: str) -> bool:
        """Put the cursor on the row `row_key` (scrolled into view), as the
        arrow keys would; False, and the cursor left alone, when the view
        does not show that row (not loaded, filtered out, gone)."""
        position = self.model.position_of(row_key)
        if position is None:
            return False
        self._move_cursor(position)
        return True

    @property
    def marked_keys(self) -> frozenset[str]:
        return frozenset(self.model.marks)

    def append_rows(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> int:
        """Add rows; the cursor stays on its row and the rows on screen stay put."""
        before_key = self.cursor_row_key
        on_screen = self.cursor - round(self.scroll_y)
        added = self.model.append(rows)
        if not added:
            return 0
        if self._column_widths() != self._widths:
            self._layout()
        self._after_reorder(before_key, on_screen)
        return added

    def set_filter(self, text: str) -> None:
        """Show only rows containing every word of `text` (case-insensitive)."""
        before_key = self.cursor_row_key
        self.model.filter(text)
        self._after_reorder(before_key, None)

    def sort(self, column_key: str | None, reverse: bool = False) -> None:
        """Sort by a column (None: arrival order); the cursor follows its row."""
        before_key = self.cursor_row_key
        self.model.sort(column_key, reverse)
        self._after_reorder(before_key, None, follow=True)

    def replace_rows(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> int:
        """Put `rows` in place of every row (a list fetched again): the sort,
        the filter and the marks of rows still there are kept, and the cursor
        stays on its row, at the same height on screen (on the first row if
        that row is gone)."""
        model = self.model
        before_key = self.cursor_row_key
        on_screen = self.cursor - round(self.scroll_y)
        sort, text, marks = model.sort_state, model.filter_text, set(model.marks)
        model.clear()
        added = model.append(rows)
        if sort is not None:
            model.sort(*sort)
        model.filter(text)
        model.marks = {key for key in marks if model.row_of(key) is not None}
        self._layout()
        self._after_reorder(before_key, on_screen)
        if model.marks != marks:
            self.post_message(self.MarksChanged(self, len(model.marks)))
        return added

    def clear(self) -> None:
        """Remove every row (and the filter, sort and marks)."""
        self.model.clear()
        self.cursor = 0
        self._layout()
        self._after_reorder(None, None)
        self.post_message(self.MarksChanged(self, 0))

    # ------------------------------------------------------- cursor upkeep
    @property
    def _body_height(self) -> int:
        height = self.scrollable_content_region.height
        return max(1, height - 1 - int(self.show_status))

    def _after_reorder(self, before_key: str | None, on_screen: int | None, follow: bool = False) -> None:
        model = self.model
        count = len(model.view)
        position = None
        if before_key is not None:
            if 0 <= self.cursor < count and model.key_at(self.cursor) == before_key:
                position = self.cursor  # fast path: appended below, nothing moved
            else:
                position = model.position_of(before_key)
        self._update_virtual_size()
        if position is None:
            self.cursor = 0
            self._scroll_rows(0)
        else:
            moved = position != self.cursor
            self.cursor = position
            if on_screen is not None and moved:
                self._scroll_rows(max(0, position - on_screen))
            elif follow or moved:
                self._scroll_cursor_into_view(center=follow)
        self.refresh()
        self._announce_cursor()

    def _update_virtual_size(self) -> None:
        height = len(self.model.view) + 1 + int(self.show_status)
        size = Size(self._total_width, height)
        before = self.virtual_size
        if size == before:
            return
        if (size.width == before.width and height > before.height
                and self.show_vertical_scrollbar):
            # Only taller, the scrollbar already there: nothing else on the
            # screen moves, so the scrollbar is updated without a layout of
            # the whole screen (rows streaming in would otherwise cost a full
            # repaint each time they arrive).
            self.set_reactive(DataGrid.virtual_size, size)
            self._scroll_update(size)
            self.refresh()
            return
        self.virtual_size = size

    def _announce_cursor(self) -> None:
        key = self.cursor_row_key
        if key != self._cursor_key:
            self._cursor_key = key
            self.post_message(self.CursorMoved(self, key))

    def _scroll_rows(self, y: int) -> None:
        """Scroll to row `y` now, not after the next repaint (Textual's
        default): the next cursor move reads `scroll_y`, and a pane behind a
        write's screens is not repainted, so a deferred scroll to the top
        (its refresh clearing the rows) would land after the cursor was
        brought back to its row and scroll that row out of sight. `force`:
        rows that arrived since the last layout have no scrollbar yet, which
        Textual would take as "cannot scroll" (`max_scroll_y` still clamps)."""
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        top = round(self.scroll_y)
        body = self._body_height
        if center and not (top <= self.cursor < top + body):
            self._scroll_rows(max(0, self.cursor - body // 2))
        elif self.cursor < top:
            self._scroll_rows(self.cursor)
        elif self.cursor >= top + body:
            self._scroll_rows(self.cursor - body + 1)

    def _move_cursor(self, position: int) -> None:
        count = len(self.model.view)
        position = max(0, min(position, count - 1))
        if count == 0 or position == self.cursor:
            return
        old = self.cursor
        self.cursor = position
        top = round(self.scroll_y)
        self._scroll_cursor_into_view()
        if round(self.scroll_y) == top:  # no scroll: repaint just the two rows
            self._refresh_body_line(old)
            self._refresh_body_line(position)
            self._refresh_status()
        self._announce_cursor()

    def _refresh_body_line(self, position: int) -> None:
        y = 1 + position - round(self.scroll_y)
        self._refresh_screen_line(y)

    def _refresh_screen_line(self, y: int) -> None:
        self.refresh(Region(0, y, self.size.width, 1))

    def _refresh_status(self) -> None:
        if self.show_status:
            self._refresh_screen_line(self.scrollable_content_region.height - 1)

    def watch_loading_progress(self) -> None:
        self._refresh_status()

    # --------------------------------------------------------------- actions
    def action_cursor_up(self) -> None:
        self._move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self.cursor + 1)

    def action_page_up(self) -> None:
        self._move_cursor(self.cursor - (self._body_height - 1))

    def action_page_down(self) -> None:
        self._move_cursor(self.cursor + (self._body_height - 1))

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(len(self.model.view) - 1)

    def action_column_left(self) -> None:
        self._set_column(self.cursor_column - 1)

    def action_column_right(self) -> None:
        self._set_column(self.cursor_column + 1)

    def action_sort(self) -> None:
        column = self.model.columns[self.cursor_column].key
        state = self.model.sort_state
        reverse = state is not None and state[0] == column and not state[1]
        self.sort(column, reverse)

    def action_unsort(self) -> None:
        self.sort(None)

    def action_toggle_mark(self) -> None:
        key = self.cursor_row_key
        if key is not None:
            self.model.toggle_mark(key)
            self._marks_changed()

    def action_mark_range(self) -> None:
        key = self.cursor_row_key
        if key is not None:
            self.model.mark_range(key)
            self._marks_changed()

    def action_mark_all(self) -> None:
        self.model.mark_all_visible()
        self._marks_changed()

    def action_clear_marks(self) -> None:
        self.model.clear_marks()
        self._marks_changed()

    def action_select(self) -> None:
        key = self.cursor_row_key
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    def _marks_changed(self) -> None:
        self.refresh()
        self.post_message(self.MarksChanged(self, len(self.model.marks)))

    def _set_column(self, column: int) -> None:
        column = max(0, min(column, len(self.model.columns) - 1))
        if column == self.cursor_column:
            return
        self.cursor_column = column
        if column >= self._first_scrolling:
            start = self._offsets[column] - self._pinned_width
            end = start + self._widths[column] + 1
            view_width = self.scrollable_content_region.width - self._pinned_width
            if start < self.scroll_x:
                self.scroll_to(x=start, animate=False)
            elif end > self.scroll_x + view_width:
                self.scroll_to(x=end - view_width, animate=False)
        self.refresh()

    # ---------------------------------------------------------------- mouse
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                self._set_column(column)
                self.action_sort()
        elif offset.y <= self._body_height:
            self._move_cursor(round(self.scroll_y) + offset.y - 1)
            if event.chain == 2:
                self.action_select()

    def _column_at(self, x: int) -> int | None:
        if x >= self._pinned_width:
            x += round(self.scroll_x)
        for index, start in enumerate(self._offsets):
            if start <= x < start + self._widths[index] + 1:
                return index
        return None

    # -------------------------------------------------------------- drawing
    def _column_widths(self) -> list[int]:
        """Each column's width; `grow` columns take the room the widget has
        to spare (the vertical scrollbar's room is kept, so rows arriving
        later never make the grid scroll sideways)."""
        room = self.size.width - self.styles.scrollbar_size_vertical - len(_MARK)
        return self.model.widths_within(room)

    def _layout(self) -> None:
        """Work out column offsets: [gutter][pinned column][scrolling columns]."""
        self._widths = self._column_widths()
        self._first_scrolling = 1 if self.pin_first and len(self._widths) > 1 else 0
        offsets, x = [], len(_MARK)
        for width in self._widths:
            offsets.append(x)
            x += width + 1
        self._offsets = offsets
        self._total_width = x
        self._pinned_width = offsets[self._first_scrolling]
        self._row_cache.clear()
        self._update_virtual_size()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def on_mount(self) -> None:
        self.privacy_changed()

    def on_resize(self) -> None:
        """A wider or narrower terminal: the `grow` columns take the new room."""
        if self._column_widths() != self._widths:
            self._layout()
            self.refresh()

    def privacy_changed(self) -> None:
        """Screen share turned on or off (`ui.privacy`): mask or show the
        columns marked `pii`."""
        masked = screen_share_on(self)
        if masked != self.model.masked:
            self.model.masked = masked
            self._row_cache.clear()
            self.refresh()

    def _row_text(self, row: int) -> tuple[str, str]:
        """(pinned text, scrolling text) of a row, cut to the column widths."""
        cached = self._row_cache.get(row)
        if cached is not None:
            return cached
        model = self.model
        cells = [
            fit(model.text(row, index), width, column.align)
            for index, (column, width) in enumerate(zip(model.columns, self._widths))
        ]
        split = self._first_scrolling
        result = (" ".join(cells[:split]) + " " if split else "", " ".join(cells[split:]) + " ")
        if len(self._row_cache) >= _ROW_CACHE_SIZE:
            self._row_cache.clear()
        self._row_cache[row] = result
        return result

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        height = self.scrollable_content_region.height
        base = self.rich_style
        if y == 0:
            return self._render_header(width, base)
        if self.show_status and y == height - 1:
            return self._render_status(width, base)
        position = round(self.scroll_y) + y - 1
        view = self.model.view
        if y >= height or position >= len(view):
            return Strip.blank(width, base)
        row = view[position]
        style_of = self.get_component_rich_style
        style = base + style_of("datagrid--odd-row" if position % 2 else "datagrid--even-row")
        # The pinned column only changes the text colour, and before the mark
        # and cursor styles so that those win there too.
        pinned_style = style + Style(color=style_of("datagrid--pinned").color)
        marked = self.model.is_marked(row)
        for name, applies in (("datagrid--marked", marked), ("datagrid--cursor", position == self.cursor)):
            if applies:
                overlay = style_of(name)
                style += overlay
                pinned_style += overlay
        pinned, scrolling = self._row_text(row)
        gutter = Segment(_MARK if marked else _NO_MARK, style)
        return self._join_line(width, style, [gutter, Segment(pinned, pinned_style)], [Segment(scrolling, style)])

    def _join_line(self, width: int, style: Style, pinned: list[Segment], scrolling: list[Segment]) -> Strip:
        left = self._pinned_width
        scroll_x = round(self.scroll_x)
        moving = Strip(scrolling).crop(scroll_x, scroll_x + max(0, width - left))
        return Strip([*pinned, *moving]).adjust_cell_length(width, style)

    def _render_header(self, width: int, base: Style) -> Strip:
        style_of = self.get_component_rich_style
        header = base + style_of("datagrid--header")
        current = base + style_of("datagrid--header", "datagrid--header-cursor")
        sort_state = self.model.sort_state
        segments = []
        for index, (column, cell_width) in enumerate(zip(self.model.columns, self._widths)):
            label = column.label
            if sort_state is not None and sort_state[0] == column.key:
                if cell_len(label) + 2 > cell_width:  # shorten the label, keep the arrow
                    label = fit(label, max(0, cell_width - 2))
                label = f"{label} {'▼' if sort_state[1] else '▲'}"
            text = fit(label, cell_width, column.align)
            segments.append(Segment(text, current if index == self.cursor_column else header))
            segments.append(Segment(" ", header))
        split = 2 * self._first_scrolling
        pinned = [Segment(_NO_MARK, header), *segments[:split]]
        return self._join_line(width, header, pinned, segments[split:])

    def _render_status(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("datagrid--status")
        model = self.model
        shown, total = len(model.view), len(model)
        parts = [f"row {self.cursor + 1 if shown else 0:,} of {shown:,}"]
        if model.filter_text.strip():
            parts[0] += f" matching ({total:,} loaded)"
        if model.marks:
            parts.append(f"{len(model.marks):,} marked")
        progress = self.loading_progress
        if progress is not None:
            done, expected = progress
            parts.append(f"{done:,} / {expected:,} loading…" if expected else f"{done:,} loading…")
        text = fit(" " + " · ".join(parts), width)
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)
