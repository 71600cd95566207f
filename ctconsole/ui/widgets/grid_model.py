"""The data behind `DataGrid`: rows, sort order, filter, marks (no Textual here).

Why a separate pure model: everything that must be fast for 200,000 rows
(append, sort, filter-as-you-type, marks) is plain list work that can be unit
tested and benchmarked without a terminal, and the widget only ever renders the
twenty-odd rows that are on screen.

How it stays fast:

* Rows are stored column-wise: the original values (for sorting and export),
  the sanitised display text (computed once, at append time), and one
  case-folded "haystack" string per row for filtering.
* The current view is a list of row indices.  Sorting sorts indices with a key
  array that is computed once per column and extended on append; `list.sort`
  is stable and adaptive, so merging a sorted page into a sorted view is cheap.
* Filtering tests a substring against the haystacks.  When the new filter text
  extends the previous one (the usual case while typing) only the previous
  result is scanned, and results for texts already seen are cached until the
  rows or the order change (so Backspace is instant).
* Marks are a set of row keys, so they survive sort, filter and append.

Customer text is untrusted: `visible()` turns every character that could act on
a terminal (C0/C1 controls, DEL, bidi overrides, zero-width and other format
characters, line separators, lone surrogates) into a visible stand-in.  The
app shell reuses it for any other customer text it displays.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.cells import cell_len, set_cell_size

__all__ = ["Column", "GridModel", "visible", "fit", "numeric_key", "text_key"]

Align = Literal["left", "right", "center"]

_SEPARATOR = "\x00"  # between columns in a haystack; typed filter text never has it
_AUTO_SAMPLE = 1000  # rows looked at to choose an automatic column width


def _escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC -> "␛", TAB -> "␉"
    if code == 0x7F:
        return "\u2421"  # "␡"
    category = unicodedata.category(char)
    if category in ("Zs", "Co", "Cn"):
        # Odd spaces, private-use glyphs and code points newer than this Python's
        # Unicode tables are inert on a terminal: keep them.
        return char
    # C1 controls, format characters (bidi overrides, zero-width, BOM, soft
    # hyphen), line/paragraph separators and lone surrogates.
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str) -> str:
    """Return `text` with every terminal-active or invisible character made visible.

    Ordinary text (including accents, CJK and emoji) comes back unchanged and,
    when nothing needed escaping, as the very same object (no extra memory).
    """
    if text.isprintable():  # C fast path: false for every character we escape
        return text
    shown = "".join(char if char.isprintable() else _escape_char(char) for char in text)
    return text if shown == text else shown


def fit(text: str, width: int, align: Align = "left") -> str:
    """Pad or truncate (with "…") sanitised `text` to exactly `width` cells."""
    if width <= 0:
        return ""
    if text.isascii():  # after visible(), ASCII is one cell per character
        length = len(text)
    else:
        length = cell_len(text)
    if length > width:
        if width == 1:
            return "…"
        if text.isascii():
            return text[: width - 1] + "…"
        return set_cell_size(text, width - 1) + "…"
    pad = width - length
    if not pad:
        return text
    if align == "right":
        return " " * pad + text
    if align == "center":
        left = pad // 2
        return " " * left + text + " " * (pad - left)
    return text + " " * pad


def numeric_key(value: Any) -> float:
    """Sort key for counters that arrive as strings ("5"); blanks sort first."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("-inf")


def text_key(value: Any) -> str:
    """Case-insensitive sort key; None sorts with the blanks."""
    return "" if value is None else str(value).casefold()


def _default_format(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: `width=None` means "choose from the first rows" (capped)."""

    key: str
    label: str
    width: int | None = None
    align: Align = "left"
    sort_key: Callable[[Any], Any] | None = None
    format: Callable[[Any], str] | None = None
    max_width: int = 40


class GridModel:
    """Rows, view order, filter and marks for a `DataGrid` (pure Python).

    Args:
        columns: the columns, in display order.
        key: the column whose value identifies a row (e.g. the session code);
            the first column when omitted. Rows with a key already present are
            skipped (pages can overlap when data shifts between fetches).
    """

    def __init__(self, columns: Sequence[Column], key: str | None = None) -> None:
        if not columns:
            raise ValueError("a grid needs at least one column")
        self.columns: tuple[Column, ...] = tuple(columns)
        self._column_index = {column.key: i for i, column in enumerate(self.columns)}
        self.key_column = self._column_index[key if key is not None else columns[0].key]
        self._widths: list[int | None] = [column.width for column in self.columns]
        self.clear()

    # ----------------------------------------------------------------- rows
    def clear(self) -> None:
        """Forget every row, the order, the filter and the marks."""
        count = len(self.columns)
        self._values: list[list[Any]] = [[] for _ in range(count)]
        self._texts: list[list[str]] = [[] for _ in range(count)]
        self._keys: list[str] = []
        self._key_row: dict[str, int] = {}
        self._haystacks: list[str] = []
        self._sort_keys: dict[int, list[Any]] = {}
        self._sort: tuple[int, bool] | None = None
        self._order: list[int] | None = None  # full order under _sort; None = recompute
        self._filter_text = ""
        self._filter_terms: tuple[str, ...] = ()
        self._filter_cache: dict[str, list[int]] = {}
        self._view: list[int] = []
        self.marks: set[str] = set()
        self.anchor: str | None = None
        self.skipped_duplicates = 0
        self._widths = [column.width for column in self.columns]

    def __len__(self) -> int:
        return len(self._keys)

    def append(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> int:
        """Add rows (mappings by column key, or sequences in column order).

        Returns how many rows were added.  The view keeps its sort and filter.
        """
        columns = self.columns
        formats = [column.format or _default_format for column in columns]
        keys_of = [column.key for column in columns]
        key_column = self.key_column
        first = len(self._keys)
        for row in rows:
            if isinstance(row, Mapping):
                values = [row.get(key) for key in keys_of]
            else:
                values = list(row)
                values.extend([None] * (len(columns) - len(values)))
            row_key = _default_format(values[key_column])
            if row_key in self._key_row:
                self.skipped_duplicates += 1
                continue
            texts = [visible(fmt(value)) for fmt, value in zip(formats, values)]
            self._key_row[row_key] = len(self._keys)
            self._keys.append(row_key)
            for index, value in enumerate(values[: len(columns)]):
                self._values[index].append(value)
                self._texts[index].append(texts[index])
            self._haystacks.append(_SEPARATOR.join(texts).casefold())
        new = range(first, len(self._keys))
        if not new:
            return 0
        if any(width is None for width in self._widths):
            self._choose_widths()
        for column, keys in self._sort_keys.items():
            keys.extend(self._make_keys(column, new))
        self._filter_cache.clear()
        self._merge_new(list(new))
        return len(new)

    def _merge_new(self, new: list[int]) -> None:
        if self._filter_terms:
            matches = self._matching(new, self._filter_terms)
        else:
            matches = new
        if self._sort is None:
            self._view.extend(matches)
            return
        column, reverse = self._sort
        keys = self._sort_keys[column].__getitem__
        if self._order is not None:
            self._order.extend(new)
            self._order.sort(key=keys, reverse=reverse)  # adaptive: merges two runs
        if self._filter_terms or self._order is None:
            self._view.extend(matches)
            self._view.sort(key=keys, reverse=reverse)
        else:
            self._view = self._order

    def _choose_widths(self) -> None:
        sample = range(min(len(self._keys), _AUTO_SAMPLE))
        for index, column in enumerate(self.columns):
            if column.width is not None:
                continue
            texts = self._texts[index]
            widest = max((cell_len(texts[row]) for row in sample), default=0)
            label = cell_len(column.label) + 2  # room for the sort arrow
            self._widths[index] = max(1, min(max(widest, label), max(column.max_width, label)))

    @property
    def widths(self) -> list[int]:
        """Cell width of each column (automatic ones settle on the first page)."""
        return [cell_len(c.label) + 2 if w is None else w for c, w in zip(self.columns, self._widths)]

    # ----------------------------------------------------------------- access
    @property
    def view(self) -> Sequence[int]:
        """Row indices in display order (read-only by convention)."""
        return self._view

    def key_at(self, position: int) -> str:
        return self._keys[self._view[position]]

    def text(self, row: int, column: int) -> str:
        return self._texts[column][row]

    def value(self, row_key: str, column_key: str) -> Any:
        return self._values[self._column_index[column_key]][self._key_row[row_key]]

    def row_of(self, row_key: str) -> int | None:
        return self._key_row.get(row_key)

    def is_marked(self, row: int) -> bool:
        return bool(self.marks) and self._keys[row] in self.marks

    def position_of(self, row_key: str) -> int | None:
        """Where the row with this key is in the view, or None if filtered out."""
        row = self._key_row.get(row_key)
        if row is None:
            return None
        try:
            return self._view.index(row)
        except ValueError:
            return None

    # ------------------------------------------------------------------ sort
    @property
    def sort_state(self) -> tuple[str, bool] | None:
        """(column key, reverse) of the current sort, or None for arrival order."""
        if self._sort is None:
            return None
        return self.columns[self._sort[0]].key, self._sort[1]

    def _make_keys(self, column: int, rows: Iterable[int]) -> list[Any]:
        sort_key = self.columns[column].sort_key
        values = self._values[column]
        if sort_key is not None:
            return [sort_key(values[row]) for row in rows]
        texts = self._texts[column]
        return [texts[row].casefold() for row in rows]

    def sort(self, column_key: str | None, reverse: bool = False) -> None:
        """Stable sort of the view by a column (None: back to arrival order)."""
        if column_key is None:
            self._sort = None
            self._order = None
            self._filter_cache.clear()
            self._view = self._filtered(range(len(self._keys)), self._filter_terms)
            return
        column = self._column_index[column_key]
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = self._make_keys(column, range(len(self._keys)))
        self._sort = (column, reverse)
        self._filter_cache.clear()
        if self._filter_terms:
            # Sort only the filtered rows; ties must stay in arrival order, as a
            # full sort would leave them, so start from index order.
            self._order = None
            self._view = sorted(sorted(self._view), key=keys.__getitem__, reverse=reverse)
        else:
            self._order = sorted(range(len(keys)), key=keys.__getitem__, reverse=reverse)
            self._view = self._order

    def _full_order(self) -> Sequence[int]:
        if self._sort is None:
            return range(len(self._keys))
        if self._order is None:
            column, reverse = self._sort
            keys = self._sort_keys[column]
            self._order = sorted(range(len(keys)), key=keys.__getitem__, reverse=reverse)
        return self._order

    # ---------------------------------------------------------------- filter
    @property
    def filter_text(self) -> str:
        return self._filter_text

    def _matching(self, rows: Iterable[int], terms: tuple[str, ...]) -> list[int]:
        haystacks = self._haystacks
        result = rows
        for term in terms:
            result = [row for row in result if term in haystacks[row]]
        return result if isinstance(result, list) else list(result)

    def _filtered(self, rows: Sequence[int], terms: tuple[str, ...]) -> list[int]:
        if not terms:
            return rows if isinstance(rows, list) else list(rows)
        return self._matching(rows, terms)

    def filter(self, text: str) -> None:
        """Keep rows whose displayed text contains every word of `text` (any case).

        One word is a plain substring test over all columns; several words must
        each appear somewhere in the row ("anna gmail").
        """
        terms = tuple(text.casefold().split())
        normal = " ".join(terms)
        previous = " ".join(self._filter_terms)
        self._filter_text = text
        if terms == self._filter_terms:
            return
        self._filter_terms = terms
        if not terms:
            self._view = self._filtered(self._full_order(), ())
        elif normal in self._filter_cache:
            self._view = self._filter_cache[normal]
        elif previous and normal.startswith(previous):
            self._view = self._matching(self._view, terms)  # narrower: scan what's left
        else:
            self._view = self._matching(self._full_order(), terms)
        if terms:
            self._filter_cache[normal] = self._view

    # ----------------------------------------------------------------- marks
    def toggle_mark(self, row_key: str) -> bool:
        """Flip the mark on one row; it becomes the anchor for `mark_range`."""
        self.anchor = row_key
        if row_key in self.marks:
            self.marks.discard(row_key)
            return False
        self.marks.add(row_key)
        return True

    def mark_range(self, row_key: str) -> int:
        """Mark the visible rows from the anchor to `row_key` inclusive.

        Rows hidden by the filter are not marked.  With no visible anchor only
        `row_key` is marked.  Returns how many rows were newly marked.
        """
        end = self.position_of(row_key)
        if end is None:
            return 0
        start = self.position_of(self.anchor) if self.anchor is not None else None
        if start is None:
            start = end
        low, high = min(start, end), max(start, end)
        before = len(self.marks)
        keys = self._keys
        self.marks.update(keys[row] for row in self._view[low : high + 1])
        self.anchor = row_key
        return len(self.marks) - before

    def mark_all_visible(self) -> int:
        """Mark every row the filter lets through; returns how many were new."""
        before = len(self.marks)
        keys = self._keys
        self.marks.update(keys[row] for row in self._view)
        return len(self.marks) - before

    def clear_marks(self) -> None:
        self.marks.clear()
        self.anchor = None

    # ---------------------------------------------------------------- export
    def view_keys(self) -> list[str]:
        keys = self._keys
        return [keys[row] for row in self._view]

    def export_rows(self) -> list[tuple[Any, ...]]:
        """The filtered view, in view order, as tuples of original values."""
        columns = self._values
        return [tuple(values[row] for values in columns) for row in self._view]

    def view_records(self) -> list[dict[str, Any]]:
        """The filtered view, in view order, as dicts of original values."""
        names = [column.key for column in self.columns]
        return [dict(zip(names, row)) for row in self.export_rows()]

    def records(self, row_keys: Iterable[str]) -> list[dict[str, Any]]:
        """Original values of the given rows (e.g. the marked ones), in view order."""
        wanted = {self._key_row[key] for key in row_keys if key in self._key_row}
        names = [column.key for column in self.columns]
        ordered = [row for row in self._full_order() if row in wanted]
        return [{name: self._values[i][row] for i, name in enumerate(names)} for row in ordered]
