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
* Nothing big is visible to Python's cyclic garbage collector, which walks every
  item of every live list on each full collection (with 200k rows kept in
  plain lists, enough to freeze the UI now and then).  Per-row data is
  kept in tuples of 4096 items, which the collector stops tracking once it sees
  they hold only strings and numbers, and row orders are `array`s of ints.

Customer text is untrusted: every cell is shown through `visible()`, the
display mode of `ctconsole.safetext` (a visible stand-in for every character
that could act on a terminal).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, Literal

from rich.cells import cell_len, set_cell_size

from ctconsole.safetext import display as visible
from ctconsole.ui.privacy import mask

__all__ = ["Column", "GridModel", "visible", "fit", "numeric_key", "date_key", "text_key"]

Align = Literal["left", "right", "center"]

_SEPARATOR = "\x00"  # between columns in a haystack; typed filter text never has it
_AUTO_SAMPLE = 1000  # rows looked at to choose an automatic column width
#: The widest a `grow` column gets, however long its longest text.
GROW_LIMIT = 64
_SHIFT = 12
_CHUNK = 1 << _SHIFT  # rows per storage tuple
_MASK = _CHUNK - 1


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


def date_key(value: Any) -> int:
    """Sort key for the API's "YYYY-MM-DD HH:MM:SS" (or "YYYY-MM-DD") strings.

    An int, because 200k ints sort faster than 200k strings that all start
    "2024-"; blanks and anything unparseable sort first.
    """
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    digits = (text[0:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[17:19]).ljust(14, "0")
    return int(digits) if digits.isdigit() and digits.isascii() else 0


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
    #: Personal data ("email", "phone" or "name"): masked while screen share
    #: is on (`GridModel.masked`, `ctconsole.ui.privacy`).
    pii: str | None = None
    #: May widen past `max_width` into room the other columns leave free (a
    #: wide terminal), up to its widest text or `GROW_LIMIT`: long values
    #: such as e-mail addresses are then shown whole instead of cut.
    grow: bool = False


class _Chunked:
    """An append-only sequence kept as full tuples of `_CHUNK` items plus an open list.

    Reading an item is two indexings; `flat()` gives a throw-away list for the
    hot loops (sorting, filtering), cheap next to the work they do.
    """

    __slots__ = ("_full", "_tail")

    def __init__(self) -> None:
        self._full: list[tuple[Any, ...]] = []
        self._tail: list[Any] = []

    def extend(self, items: Iterable[Any]) -> None:
        tail = self._tail
        tail.extend(items)
        if len(tail) >= _CHUNK:
            cut = len(tail) - len(tail) % _CHUNK
            self._full.extend(tuple(tail[start : start + _CHUNK]) for start in range(0, cut, _CHUNK))
            self._tail = tail[cut:]

    def __getitem__(self, index: int) -> Any:
        chunk = index >> _SHIFT
        full = self._full
        if chunk < len(full):
            return full[chunk][index & _MASK]
        return self._tail[index - len(full) * _CHUNK]

    def __len__(self) -> int:
        return len(self._full) * _CHUNK + len(self._tail)

    def flat(self) -> list[Any]:
        return list(chain(chain.from_iterable(self._full), self._tail))


def _rows(items: Iterable[int]) -> array:
    return array("i", items)


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
        #: Screen share: `text()` masks the columns marked `pii` (kept over `clear()`).
        self.masked = False
        self.clear()

    # ----------------------------------------------------------------- rows
    def clear(self) -> None:
        """Forget every row, the order, the filter and the marks."""
        count = len(self.columns)
        self._values = [_Chunked() for _ in range(count)]  # as given, for sort/export
        self._texts = [_Chunked() for _ in range(count)]  # sanitised display text
        self._sort_keys = [_Chunked() for _ in range(count)]
        self._keys = _Chunked()  # row key per row
        self._haystacks = _Chunked()  # case-folded text of the whole row
        self._key_row: dict[str, int] = {}
        self._sort: tuple[int, bool] | None = None
        self._order: array | None = None  # full order under _sort; None = recompute
        self._orders: dict[tuple[int, bool], array] = {}  # full orders already sorted
        self._filter_text = ""
        self._filter_terms: tuple[str, ...] = ()
        self._filter_cache: dict[str, array] = {}
        self._view: array = _rows(())
        self.marks: set[str] = set()
        self.anchor: str | None = None
        self.skipped_duplicates = 0
        self._widths: list[int | None] = [column.width for column in self.columns]
        #: Widest text (and label) of each automatic column, uncapped.
        self._widest: list[int] = [0] * len(self.columns)

    def __len__(self) -> int:
        return len(self._keys)

    def append(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> int:
        """Add rows (mappings by column key, or sequences in column order).

        Returns how many rows were added.  The view keeps its sort and filter.
        The work is done column by column over the whole page (comprehensions
        rather than a Python loop per cell), which keeps a page of 5000 rows
        well inside a frame budget.
        """
        page = self._unique(self._as_value_rows(rows))
        if not page:
            return 0
        first = len(self._keys)
        columns = list(zip(*page))  # column-wise values of the page
        texts_by_column = []
        for index, column in enumerate(self.columns):
            values = columns[index]
            fmt = column.format
            if fmt is None:
                texts = [
                    value if value.__class__ is str and value.isprintable() else visible(_default_format(value))
                    for value in values
                ]
            else:
                texts = [visible(fmt(value)) for value in values]
            self._values[index].extend(values)
            self._texts[index].extend(texts)
            # Sort keys are made now, a page at a time, so that a sort costs only
            # the sort itself; text keys share the display string when folding
            # changes nothing.
            sort_key = column.sort_key
            if sort_key is not None:
                self._sort_keys[index].extend([sort_key(value) for value in values])
            else:
                self._sort_keys[index].extend([t if (f := t.casefold()) == t else f for t in texts])
            texts_by_column.append(texts)
        page_keys = [_default_format(value) for value in columns[self.key_column]]
        self._key_row.update(zip(page_keys, range(first, first + len(page))))
        self._keys.extend(page_keys)
        join = _SEPARATOR.join
        self._haystacks.extend([join(texts).casefold() for texts in zip(*texts_by_column)])
        if any(width is None for width in self._widths):
            self._choose_widths()
        self._filter_cache.clear()
        self._orders.clear()
        self._merge_new(range(first, first + len(page)))
        return len(page)

    def _as_value_rows(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> list[tuple[Any, ...]]:
        names = [column.key for column in self.columns]
        width = len(names)
        result = []
        for row in rows:
            if isinstance(row, Mapping):
                get = row.get
                result.append(tuple([get(name) for name in names]))
            elif len(row) == width:
                result.append(tuple(row))
            else:
                result.append((tuple(row) + (None,) * width)[:width])
        return result

    def _unique(self, page: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Drop rows whose key is already known (or repeats within the page)."""
        index = self.key_column
        keys = [_default_format(row[index]) for row in page]
        if len(set(keys)) == len(keys) and self._key_row.keys().isdisjoint(keys):
            return page
        seen = set(self._key_row)
        kept = []
        for key, row in zip(keys, page):
            if key not in seen:
                seen.add(key)
                kept.append(row)
        self.skipped_duplicates += len(page) - len(kept)
        return kept

    def _merge_new(self, new: range) -> None:
        terms = self._filter_terms
        matches = self._matching(new, terms) if terms else _rows(new)
        if self._sort is None:
            self._view = self._view + matches
            return
        column, reverse = self._sort
        key = self._sort_keys[column].flat().__getitem__
        if self._order is not None:
            order = self._order.tolist()
            order.extend(new)
            order.sort(key=key, reverse=reverse)  # adaptive: merges the two runs
            self._order = self._orders[self._sort] = _rows(order)
        if terms or self._order is None:
            view = self._view.tolist()
            view.extend(matches)
            view.sort(key=key, reverse=reverse)
            self._view = _rows(view)
        else:
            self._view = self._order

    def _choose_widths(self) -> None:
        sample = range(min(len(self._keys), _AUTO_SAMPLE))
        for index, column in enumerate(self.columns):
            if column.width is not None:
                continue
            texts = self._texts[index]
            # ASCII text (nearly all of it) is one cell a character: `len` is
            # ~10x cheaper than `cell_len`, and this runs on the first page.
            widest = max((len(t) if (t := texts[row]).isascii() else cell_len(t)
                          for row in sample), default=0)
            label = cell_len(column.label) + 2  # room for the sort arrow
            self._widest[index] = max(widest, label)
            self._widths[index] = max(1, min(max(widest, label), max(column.max_width, label)))

    @property
    def widths(self) -> list[int]:
        """Cell width of each column (automatic ones settle on the first page)."""
        return [cell_len(c.label) + 2 if w is None else w for c, w in zip(self.columns, self._widths)]

    def widths_within(self, room: int) -> list[int]:
        """`widths`, with the `grow` columns widened (left to right) into what
        is left of `room` cells after every column and its separator, each up
        to its widest text (at most `GROW_LIMIT`)."""
        widths = self.widths
        spare = room - sum(width + 1 for width in widths)
        for index, column in enumerate(self.columns):
            if spare <= 0:
                break
            if column.grow:
                extra = min(spare, min(self._widest[index], GROW_LIMIT) - widths[index])
                if extra > 0:
                    widths[index] += extra
                    spare -= extra
        return widths

    # ----------------------------------------------------------------- access
    @property
    def view(self) -> Sequence[int]:
        """Row indices in display order."""
        return self._view

    def __contains__(self, row_key: object) -> bool:
        """Whether a row with this key is loaded (filtered out or not)."""
        return row_key in self._key_row

    def key_at(self, position: int) -> str:
        return self._keys[self._view[position]]

    def text(self, row: int, column: int) -> str:
        """The display text of a cell (masked if personal and `masked`)."""
        text = self._texts[column][row]
        if self.masked:
            kind = self.columns[column].pii
            if kind is not None:
                return mask(kind, text)
        return text

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

    def sort(self, column_key: str | None, reverse: bool = False) -> None:
        """Stable sort of the view by a column (None: back to arrival order)."""
        self._filter_cache.clear()
        if column_key is None:
            self._sort = None
            self._order = None
            self._view = self._filtered(self._full_order(), self._filter_terms)
            return
        column = self._column_index[column_key]
        self._sort = (column, reverse)
        self._order = self._orders.get(self._sort)
        if self._filter_terms and self._order is None:
            # Sort only the filtered rows; ties must stay in arrival order, as a
            # full sort would leave them, so start from index order.
            keys = self._sort_keys[column].flat()
            self._view = _rows(sorted(sorted(self._view), key=keys.__getitem__, reverse=reverse))
        else:
            self._view = self._filtered(self._full_order(), self._filter_terms)

    def _full_order(self) -> array:
        if self._sort is None:
            return _rows(range(len(self._keys)))
        if self._order is None:
            column, reverse = self._sort
            keys = self._sort_keys[column].flat()
            # The opposite direction, when known, is a far better start: the sort
            # becomes one reversal where keys are unique.  Ties stay in arrival
            # order either way, because both orders keep them so and the sort is
            # stable.
            start = self._orders.get((column, not reverse)) or range(len(keys))
            self._order = _rows(sorted(start, key=keys.__getitem__, reverse=reverse))
            if len(self._orders) >= 4:  # a few orders are worth keeping, not all
                self._orders.pop(next(iter(self._orders)))
            self._orders[self._sort] = self._order
        return self._order

    # ---------------------------------------------------------------- filter
    @property
    def filter_text(self) -> str:
        return self._filter_text

    def _matching(self, rows: Iterable[int], terms: tuple[str, ...]) -> array:
        haystacks = self._haystacks.flat()
        result: Iterable[int] = rows
        for term in terms:
            result = [row for row in result if term in haystacks[row]]
        return _rows(result)

    def _filtered(self, rows: array, terms: tuple[str, ...]) -> array:
        return self._matching(rows, terms) if terms else rows

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
            self._view = self._full_order()
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
        self.marks.update(self.view_keys())
        return len(self.marks) - before

    def clear_marks(self) -> None:
        self.marks.clear()
        self.anchor = None

    # ---------------------------------------------------------------- export
    def view_keys(self) -> list[str]:
        return list(map(self._keys.flat().__getitem__, self._view))

    def export_rows(self) -> list[tuple[Any, ...]]:
        """The filtered view, in view order, as tuples of original values."""
        columns = [values.flat() for values in self._values]
        return list(zip(*(map(column.__getitem__, self._view) for column in columns)))

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
