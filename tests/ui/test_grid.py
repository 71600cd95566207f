"""DataGrid and GridModel: what a user sees and gets from the session table."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding

from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column, GridModel, date_key, fit, numeric_key, visible

# --------------------------------------------------------------------- data

COLUMNS = [
    Column("code", "Code", width=8),
    Column("name", "Name", width=12),
    Column("count", "Count", width=7, align="right", sort_key=numeric_key),
    Column("date", "Created", width=10, sort_key=lambda v: v or ""),
    Column("status", "Status", width=8),
]

NAMES = ["Anna", "Joanna", "Bob", "Hanna", "Carl", "Zoë", "Åsa", "Annabel"]


def sample_rows(count: int, start: int = 0, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed + start)
    return [
        {
            "code": f"c{i:05d}",
            "name": rnd.choice(NAMES),
            "count": str(rnd.randint(0, 30)),
            # shown as day/month/year, sorted by the ISO original
            "date": f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "status": rnd.choice(["claimed", "opened", "new"]),
        }
        for i in range(start, start + count)
    ]


def model(rows: list[dict] | None = None) -> GridModel:
    grid = GridModel(COLUMNS)
    grid.append(rows if rows is not None else sample_rows(200))
    return grid


# ------------------------------------------------------------------ visible()


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("\x1b[31mred", "␛[31mred"),
        ("\x1b]52;c;ZXZpbA==\x07", "␛]52;c;ZXZpbA==␇"),  # OSC 52 clipboard write
        ("a\x9b31mb", "a\\x9b31mb"),  # C1 CSI
        ("\x85next", "\\x85next"),  # C1 NEL
        ("x\x7fy", "x␡y"),
        ("line\nbreak\ttab\r", "line␊break␉tab␍"),
        ("evil\u202egnp.exe", "evil\\u202egnp.exe"),  # bidi override
        ("\u2066iso\u2069", "\\u2066iso\\u2069"),
        ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
        ("sep\u2028arator", "sep\\u2028arator"),
        ("lone\ud800", "lone\\ud800"),
    ],
)
def test_visible_makes_terminal_active_characters_visible(hostile, shown):
    assert visible(hostile) == shown


@pytest.mark.parametrize("normal", ["Zoë Ångström", "漢字かな", "😀 party", "e\u0301", "plain ascii", "a\u00a0b", ""])
def test_visible_leaves_normal_unicode_alone(normal):
    assert visible(normal) is normal


def test_fit_pads_truncates_and_counts_wide_characters():
    assert fit("abc", 5) == "abc  "
    assert fit("abc", 5, "right") == "  abc"
    assert fit("abcdef", 4) == "abc…"
    wide = fit("漢字漢字", 5)
    assert cell_len(wide) == 5 and wide.endswith("…")
    assert cell_len(fit("漢字", 6, "center")) == 6


# --------------------------------------------------------------------- sort


def test_sort_is_numeric_when_the_column_says_so_and_stable_both_ways():
    grid = model()
    grid.sort("count")
    counts = [int(r["count"]) for r in grid.view_records()]
    assert counts == sorted(counts)
    # ties keep arrival order (codes ascend within a count)...
    by_count: dict[int, list[str]] = {}
    for record in grid.view_records():
        by_count.setdefault(int(record["count"]), []).append(record["code"])
    assert all(codes == sorted(codes) for codes in by_count.values())
    # ...and also when reversed
    grid.sort("count", reverse=True)
    records = grid.view_records()
    assert [int(r["count"]) for r in records] == sorted(counts, reverse=True)
    ties = [r["code"] for r in records if r["count"] == records[0]["count"]]
    assert ties == sorted(ties)


def test_sort_uses_original_values_not_display_text():
    columns = [Column("code", "Code"), Column("date", "Day", format=lambda iso: f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}", sort_key=str)]
    grid = GridModel(columns)
    grid.append([("a", "2024-02-01"), ("b", "2023-12-31"), ("c", "2024-01-15")])
    grid.sort("date")
    assert grid.view_keys() == ["b", "c", "a"]  # by display text it would be a, c, b
    assert grid.text(grid.view[0], 1) == "31/12/2023"
    grid.sort(None)
    assert grid.view_keys() == ["a", "b", "c"]


def test_date_and_numeric_keys_order_api_strings_and_put_blanks_first():
    dates = ["2024-03-01 10:00:00", "", "2023-12-31 23:59:59", "2024-03-01", "2024-03-01 09:59:59", "garbage"]
    assert sorted(dates, key=date_key) == ["", "garbage", "2023-12-31 23:59:59", "2024-03-01", "2024-03-01 09:59:59", "2024-03-01 10:00:00"]
    assert sorted(["10", "9", "", "100", None], key=numeric_key) == ["", None, "9", "10", "100"]


def test_appending_into_a_sorted_view_equals_sorting_everything():
    grid = model(sample_rows(300))
    grid.sort("count", reverse=True)
    grid.append(sample_rows(300, start=300))
    fresh = model(sample_rows(300) + sample_rows(300, start=300))
    fresh.sort("count", reverse=True)
    assert grid.view_keys() == fresh.view_keys()


# ------------------------------------------------------------------- filter


def test_filter_is_case_insensitive_over_every_column():
    grid = model()
    grid.filter("ANNA")
    names = {r["name"] for r in grid.view_records()}
    assert names == {"Anna", "Joanna", "Hanna", "Annabel"}
    grid.filter("claimed")
    assert {r["status"] for r in grid.view_records()} == {"claimed"}
    grid.filter("c0001")
    assert grid.view_keys() == [f"c{i:05d}" for i in range(10, 20)]


def test_typing_and_deleting_gives_the_same_result_as_filtering_from_scratch():
    grid = model()
    grid.sort("date")
    typed = ["a", "an", "ann", "anna", "anna ", "anna c", "anna cl", "anna c", "ann", "", "j", "jo"]
    for text in typed:
        grid.filter(text)
        fresh = model()
        fresh.sort("date")
        fresh.filter(text)
        assert grid.view_keys() == fresh.view_keys(), text
    assert grid.view_keys() and all("jo" in r["name"].lower() for r in grid.view_records())


def test_rows_appended_while_filtered_and_sorted_land_in_place():
    grid = model(sample_rows(150))
    grid.filter("ann")
    grid.sort("count")
    grid.append(sample_rows(150, start=150))
    fresh = model(sample_rows(150) + sample_rows(150, start=150))
    fresh.sort("count")
    fresh.filter("ann")
    assert grid.view_keys() == fresh.view_keys()
    grid.filter("")
    assert len(grid.view) == 300


def test_duplicate_keys_from_overlapping_pages_are_skipped():
    grid = model(sample_rows(10))
    assert grid.append(sample_rows(5, start=8)) == 3
    assert len(grid) == 13 and grid.skipped_duplicates == 2


# -------------------------------------------------------------------- marks


def test_marks_survive_sort_and_filter():
    grid = model()
    grid.toggle_mark("c00003")
    grid.toggle_mark("c00150")
    grid.sort("name")
    grid.filter("zzz-no-match")
    grid.filter("")
    assert grid.marks == {"c00003", "c00150"}
    assert grid.is_marked(grid.row_of("c00150"))
    assert grid.toggle_mark("c00003") is False
    assert grid.marks == {"c00150"}


def test_mark_range_and_mark_all_respect_the_filter():
    grid = model()
    grid.filter("claimed")
    shown = grid.view_keys()
    grid.toggle_mark(shown[2])
    assert grid.mark_range(shown[6]) == 4
    assert grid.marks == set(shown[2:7])
    assert all(grid.value(key, "status") == "claimed" for key in grid.marks)
    grid.clear_marks()
    grid.mark_all_visible()
    assert grid.marks == set(shown) and len(shown) < len(grid)


def test_export_gives_the_filtered_view_in_view_order():
    grid = model()
    grid.filter("anna")
    grid.sort("count", reverse=True)
    records = grid.view_records()
    assert [r["code"] for r in records] == grid.view_keys()
    assert all("anna" in r["name"].lower() for r in records)
    assert [int(r["count"]) for r in records] == sorted((int(r["count"]) for r in records), reverse=True)
    assert grid.export_rows()[0] == tuple(records[0][c.key] for c in COLUMNS)
    assert [r["code"] for r in grid.records(["c00001", records[0]["code"]])][0] == records[0]["code"]


# ----------------------------------------------------------- the widget


class GridApp(App):
    """A tiny host: records the grid's messages and owns Escape, like the real app."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, rows: list, columns=COLUMNS, **grid_options) -> None:
        super().__init__()
        self.rows, self.columns, self.grid_options = rows, columns, grid_options
        self.selected: list[str] = []
        self.moved: list[str | None] = []
        self.marks: list[int] = []
        self.backs = 0

    def compose(self) -> ComposeResult:
        yield DataGrid(self.columns, **self.grid_options)

    def on_mount(self) -> None:
        grid = self.query_one(DataGrid)
        grid.append_rows(self.rows)
        grid.focus()

    def on_data_grid_row_selected(self, message: DataGrid.RowSelected) -> None:
        self.selected.append(message.row_key)

    def on_data_grid_cursor_moved(self, message: DataGrid.CursorMoved) -> None:
        self.moved.append(message.row_key)

    def on_data_grid_marks_changed(self, message: DataGrid.MarksChanged) -> None:
        self.marks.append(message.count)

    def action_back(self) -> None:
        self.backs += 1


def screen_lines(grid: DataGrid) -> list[str]:
    return [grid.render_line(y).text for y in range(grid.scrollable_content_region.height)]


def cursor_line(grid: DataGrid) -> str:
    return grid.render_line(1 + grid.cursor - int(grid.scroll_y)).text


async def test_keys_move_the_cursor_and_enter_selects_that_row():
    app = GridApp(sample_rows(200))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.press("down", "down")
        await pilot.press("enter")
        await pilot.pause()
        assert grid.cursor_row_key == "c00002"
        assert app.selected == ["c00002"]
        assert app.moved[-1] == "c00002"
        assert "c00002" in cursor_line(grid)
        assert grid.cursor_value("status") == grid.model.value("c00002", "status")
        await pilot.press("pagedown")
        assert grid.cursor_row_key == "c00023"  # 21 rows of body at 24 lines, minus one
        assert "c00023" in cursor_line(grid)
        await pilot.press("G")
        await pilot.pause()
        assert grid.cursor_row_key == "c00199"
        assert "c00199" in screen_lines(grid)[-2]  # last row sits above the status line
        assert "row 200 of 200" in screen_lines(grid)[-1]
        await pilot.press("g", "up")
        assert grid.cursor_row_key == "c00000"


async def test_escape_is_left_to_the_app():
    app = GridApp(sample_rows(5))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.backs == 1


async def test_sort_key_reorders_the_rows_on_screen():
    app = GridApp(sample_rows(200))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.press("right", "right", "s")  # the Count column
        await pilot.pause()
        assert grid.cursor_row_key == "c00000"  # the cursor stays on its row...
        assert "c00000" in cursor_line(grid)  # ...which is scrolled into view
        await pilot.press("g")
        lines = screen_lines(grid)
        assert "Count ▲" in lines[0]
        shown = [int(line.split()[2]) for line in lines[1:-1]]
        assert shown == sorted(shown) and shown[0] == 0
        await pilot.press("s", "g")
        lines = screen_lines(grid)
        assert "Count ▼" in lines[0]
        shown = [int(line.split()[2]) for line in lines[1:-1]]
        assert shown == sorted(shown, reverse=True) and shown[0] == 30
        await pilot.press("S")
        assert screen_lines(grid)[1].split()[0] == "c00000"


async def test_marks_show_in_the_gutter_and_are_announced():
    app = GridApp(sample_rows(50))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.press("space", "down", "down", "down", "v")
        await pilot.pause()
        lines = screen_lines(grid)
        assert [line.startswith("* ") for line in lines[1:7]] == [True] * 4 + [False] * 2
        assert grid.marked_keys == {"c00000", "c00001", "c00002", "c00003"}
        assert "4 marked" in lines[-1]
        await pilot.press("ctrl+a")
        await pilot.press("u")
        await pilot.pause()
        assert app.marks == [1, 4, 50, 0]
        assert not any(line.startswith("* ") for line in screen_lines(grid)[1:-1])


async def test_hostile_text_is_shown_escaped_and_markup_literally():
    rows = [
        {"code": "evil1", "name": "[bold]x[/]", "count": "1", "date": "", "status": "\x1b[2J\x1b]0;pwn\x07"},
        {"code": "evil2", "name": "[@click=app.quit]y", "count": "2", "date": "", "status": "\u202eabc"},
    ]
    columns = [COLUMNS[0], Column("name", "Name", width=20), *COLUMNS[2:4], Column("status", "Status", width=20)]
    app = GridApp(rows, columns=columns)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.pause()
        first, second = (grid.render_line(y) for y in (1, 2))
        assert "[bold]x[/]" in first.text and "␛[2J␛]0;pwn␇" in first.text
        assert "[@click=app.quit]y" in second.text and "\\u202eabc" in second.text
        for strip in (first, second):
            assert all(not seg.style or not seg.style.meta for seg in strip)  # no @click
            assert not any(ch in strip.text for ch in "\x1b\x07\u202e")


async def test_appending_while_the_cursor_sits_on_a_row_keeps_it_there():
    app = GridApp(sample_rows(100))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.press("right", "right", "s")
        for _ in range(30):
            await pilot.press("down")
        await pilot.pause()
        key, on_screen = grid.cursor_row_key, grid.cursor - int(grid.scroll_y)
        grid.append_rows(sample_rows(400, start=100))  # many rows sort in above it
        await pilot.pause()
        assert grid.cursor_row_key == key
        assert grid.cursor > 30
        assert grid.cursor - int(grid.scroll_y) == on_screen
        assert key in cursor_line(grid)
        assert f"row {grid.cursor + 1} of 500" in screen_lines(grid)[-1]


async def test_rows_streaming_in_lengthen_the_scrollbar_and_the_end_reaches_the_last():
    app = GridApp(sample_rows(100))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.pause()
        assert grid.show_vertical_scrollbar
        for start in range(100, 400, 50):  # pages arriving while the user watches
            grid.append_rows(sample_rows(50, start=start))
            await pilot.pause()
        assert grid.vertical_scrollbar.window_virtual_size == grid.virtual_size.height
        assert grid.virtual_size.height >= 400
        await pilot.press("G")
        await pilot.pause()
        assert grid.cursor_row_key == "c00399"
        assert "c00399" in screen_lines(grid)[-2]
        assert "row 400 of 400" in screen_lines(grid)[-1]


async def test_filter_and_loading_progress_show_in_the_status_line():
    app = GridApp(sample_rows(200))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        grid.loading_progress = (5000, 200_000)
        grid.set_filter("hanna")
        await pilot.pause()
        lines = screen_lines(grid)
        rows = [line for line in lines[1:-1] if line.strip()]
        assert rows and all("Hanna" in line for line in rows)
        assert f"row 1 of {len(grid.model.view)} matching (200 loaded)" in lines[-1]
        assert "5,000 / 200,000 loading…" in lines[-1]
        grid.loading_progress = None
        grid.set_filter("")
        await pilot.pause()
        assert "loading" not in screen_lines(grid)[-1]


async def test_wide_tables_scroll_sideways_with_the_id_pinned():
    columns = [Column("code", "Code", width=8)] + [Column(f"f{i}", f"Field {i}", width=14) for i in range(8)]
    rows = [[f"id{r:03d}"] + [f"r{r}-f{i}" for i in range(8)] for r in range(30)]
    app = GridApp(rows, columns=columns)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        assert "Field 7" not in screen_lines(grid)[0]
        for _ in range(8):
            await pilot.press("right")
        await pilot.pause()
        header, first = screen_lines(grid)[:2]
        assert header.startswith("  Code") and "Field 7" in header
        assert first.startswith("  id000") and "r0-f7" in first
        assert "r0-f0" not in first


async def test_wide_characters_keep_the_columns_aligned():
    rows = [("a1", "漢字漢字漢字漢字", "1", "", "x"), ("a2", "plain", "2", "", "y")]
    app = GridApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.pause()
        first, second = (grid.render_line(y).text for y in (1, 2))
        assert "…" in first
        assert cell_len(first[: first.index("x")]) == cell_len(second[: second.index("y")])


def test_large_model_matches_a_plain_python_reference():
    """Enough rows to cross the model's storage chunks (4096) in uneven pages."""
    rows = sample_rows(9500, seed=3)
    grid = GridModel(COLUMNS)
    for start in range(0, len(rows), 1700):
        grid.append(rows[start : start + 1700])
    assert grid.view_records() == rows
    for index in (0, 4095, 4096, 4097, 8191, 8192, 9499):
        assert grid.text(index, 1) == rows[index]["name"]
        assert grid.value(rows[index]["code"], "count") == rows[index]["count"]
    grid.sort("count", reverse=True)
    grid.filter("hanna new")
    expected = sorted(
        (r for r in rows if "hanna" in r["name"].lower() and "new" in r["status"]),
        key=lambda r: int(r["count"]),
        reverse=True,
    )
    assert grid.view_records() == expected
    assert grid.position_of(expected[-1]["code"]) == len(expected) - 1


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark", "ansi-light", "monokai"])
async def test_cursor_marks_and_header_stand_out_in_every_theme(theme):
    app = GridApp(sample_rows(10))
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        grid = app.query_one(DataGrid)
        await pilot.press("down", "down", "space", "down")  # cursor on row 3, row 2 marked
        await pilot.pause()

        def style(y: int):
            return list(grid.render_line(y).crop(4, 8))[0].style  # inside the Code cell

        # rows at positions 2 (marked) and 4 (plain) share the zebra stripe
        header, marked, cursor, plain = style(0), style(3), style(4), style(5)
        assert grid.cursor == 3 and grid.marked_keys == {"c00002"}
        assert len({header, marked, cursor, plain}) == 4, theme


async def test_clicks_move_the_cursor_and_sort_by_the_clicked_header():
    app = GridApp(sample_rows(40))
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.click(DataGrid, offset=(5, 6))  # the sixth row
        assert grid.cursor_row_key == "c00005"
        count_x = screen_lines(grid)[0].index("Count")
        await pilot.click(DataGrid, offset=(count_x, 0))
        await pilot.pause()
        assert grid.model.sort_state == ("count", False)
        assert "Count ▲" in screen_lines(grid)[0]
        assert grid.cursor_row_key == "c00005"


async def test_a_single_column_grid_without_pinning_still_works():
    app = GridApp([("only-1",), ("only-2",)], columns=[Column("code", "Code")], pin_first=False)
    async with app.run_test(size=(40, 10)) as pilot:
        grid = app.query_one(DataGrid)
        await pilot.press("down", "s")
        await pilot.pause()
        assert grid.cursor_row_key == "only-2"
        assert screen_lines(grid)[2].startswith("  only-2")
