"""Issue 7 benchmark: the session table with 200,000 rows.

Run: `python benchmarks/table_200k.py [rows]`.  Not a test: it prints the
median / min / max of each measurement next to its issue-7 target, on whatever
machine runs it (the targets were set for the shared 2-core box).

What is measured:
* append: `GridModel.append` per page of 5000 rows (what arrives per API page);
* sort: a numeric, a date and a text column, both directions;
* filter: typing "anna" one key at a time (and deleting it again);
* frames: in a headless 80x24 app, rendering every visible line after a cursor
  move and after a page move, and the wall time of a Pilot key press;
* freeze: the longest event-loop stall while pages are appended to the live
  widget, as pages would arrive from the API;
* memory: the process's peak RSS after all of the above.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import random
import resource
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App, ComposeResult  # noqa: E402

from ctconsole.ui.widgets.grid import DataGrid  # noqa: E402
from ctconsole.ui.widgets.grid_model import Column, GridModel, date_key, numeric_key  # noqa: E402

PAGE = 5000
FIRST = ["Anna", "Joanna", "Hannah", "Bram", "Lotte", "Pieter", "Sofie", "Zoë", "Jean-Luc", "Mohammed", "Li", "Annelies"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois"]
CLAIMS = ["", "", "", "email", "sms", "wallet", "print", "direct"]

COLUMNS = [
    Column("session", "Session", width=21),
    Column("sequenceid", "Seq", align="right", sort_key=numeric_key),
    Column("name", "Name", max_width=24),
    Column("email", "E-mail", max_width=30),
    Column("phone", "Phone"),
    Column("created_date_utc", "Created (UTC)", sort_key=date_key),
    Column("claimtype", "Claimed"),
    Column("validated", "Validated", format=lambda v: "yes" if v == "1" else "no"),
]


def session_pages(count: int, seed: int = 1):
    """Pages of rows shaped like campaign.sessions items (strings, as the API
    sends them), made one page at a time so that, as in the app, only the grid
    keeps them."""
    for start in range(0, count, PAGE):
        yield session_rows(start, min(PAGE, count - start), seed)


def session_rows(start: int, count: int, seed: int = 1) -> list[dict[str, str]]:
    rnd = random.Random(seed * 1_000_003 + start)
    alphabet = string.ascii_letters + string.digits
    rows = []
    for i in range(start, start + count):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        rows.append(
            {
                "session": "".join(rnd.choices(alphabet, k=21)),
                "sequenceid": str(i + 1),
                "name": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower().replace(' ', '')}{rnd.randint(1, 999)}@example.com",
                "phone": f"+324{rnd.randint(10_000_000, 99_999_999)}",
                "created_date_utc": f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d} "
                f"{rnd.randint(0, 23):02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}",
                "claimtype": rnd.choice(CLAIMS),
                "validated": rnd.choice("0001"),
            }
        )
    return rows


def report(label: str, samples_ms: list[float], target: str) -> None:
    print(
        f"{label:<34} median {statistics.median(samples_ms):7.1f} ms"
        f"  min {min(samples_ms):7.1f}  max {max(samples_ms):7.1f}   target {target}"
    )


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def bench_model(count: int) -> GridModel:
    model = GridModel(COLUMNS)
    appends = [timed(model.append, page) for page in session_pages(count)]
    report(f"append page of {PAGE} ({len(appends)} pages)", appends, "< 100 ms (no freeze)")

    for column in ("sequenceid", "created_date_utc", "name", "session"):
        first = timed(model.sort, column, False)
        flip = timed(model.sort, column, True)
        again = [timed(model.sort, column, reverse) for reverse in (False, True)]
        report(f"sort by {column}", [first], "< 100 ms")
        report("  then reversed", [flip], "< 100 ms")
        report("  again (order cached)", again, "< 100 ms")
    model.sort(None)

    typing = ["a", "an", "ann", "anna"]
    deleting = ["ann", "an", "a", ""]
    keys_typed, keys_deleted = [], []
    for sort in (None, "created_date_utc"):
        for _ in range(3):
            model.sort(sort)  # also forgets the filter results cached so far
            keys_typed += [timed(model.filter, text) for text in typing]
            keys_deleted += [timed(model.filter, text) for text in deleting]
    report("filter keystroke typing 'anna'", keys_typed, "< 100 ms")
    report("filter keystroke deleting it", keys_deleted, "< 100 ms")
    model.filter("")
    model.sort(None)
    return model


class BenchApp(App):
    def compose(self) -> ComposeResult:
        yield DataGrid(COLUMNS)


async def small_grid_presses() -> list[float]:
    """The same key press on a 50-row grid: what Pilot and the compositor cost."""
    app = BenchApp()
    samples = []
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        grid.focus()
        grid.append_rows(next(session_pages(50)))
        await pilot.pause()
        for _ in range(30):
            start = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            samples.append((time.perf_counter() - start) * 1000)
    return samples


async def bench_widget(count: int) -> None:
    app = BenchApp()
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.query_one(DataGrid)
        grid.focus()

        # Appending pages while the loop keeps serving: measure the worst stall.
        # Making the fake page (the benchmark's stand-in for the network and
        # parsing) also runs on the loop, so stalls overlapping it are dropped;
        # a pause between making and appending keeps the append's own stall.
        beats: list[tuple[float, float]] = []
        making: list[tuple[float, float]] = []
        loading = True

        async def heartbeat() -> None:
            while loading:
                start = time.perf_counter()
                await asyncio.sleep(0.005)
                beats.append((start, time.perf_counter()))

        beat = asyncio.create_task(heartbeat())
        pages = session_pages(count)
        for number in itertools.count():
            start = time.perf_counter()
            page = next(pages, None)
            making.append((start, time.perf_counter()))
            if page is None:
                break
            await asyncio.sleep(0.012)  # let a heartbeat start after the making
            grid.append_rows(page)
            grid.loading_progress = (len(grid.model), count)
            await asyncio.sleep(0.01)  # the next page is still on the wire
            if number == 2:
                await pilot.press("down", "down")  # the user is already moving
        loading = False
        await beat
        grid.loading_progress = None
        await pilot.pause()
        stalls = [
            (end - start) * 1000 - 5
            for start, end in beats
            if not any(start < made_end and made_start < end for made_start, made_end in making)
        ]
        report("event-loop stall while appending", stalls, "< 100 ms")

        height = grid.scrollable_content_region.height

        def frame() -> None:
            for y in range(height):
                grid.render_line(y)

        def after(action) -> float:
            start = time.perf_counter()
            action()
            frame()
            return (time.perf_counter() - start) * 1000

        report("cursor move + render frame", [after(grid.action_cursor_down) for _ in range(200)], "< 5 ms")
        report("page move + render frame", [after(grid.action_page_down) for _ in range(200)], "< 25 ms median, 50 max")

        # Pilot's own cost per key (waiting for idle and for the repaint) is
        # measured with a key nothing is bound to, to read the figures below.
        presses = []
        for key in ["f12"] * 30 + ["down"] * 30 + ["pagedown"] * 30:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            presses.append((time.perf_counter() - start) * 1000)
        small = await small_grid_presses()
        report("Pilot press+pause, unbound key", presses[:30], "(Pilot's own overhead)")
        report("Pilot press+pause, down, 50 rows", small, "(same cost at any size)")
        report("Pilot press+pause, down", presses[30:60], "overhead + < 5 ms")
        report("Pilot press+pause, pagedown", presses[60:], "overhead + < 25 ms")

        sorts = []
        for column in range(4):
            grid.cursor_column = column
            for _ in range(2):  # ascending, then descending
                sorts.append(after(grid.action_sort))
        report("sort key (s) + render frame", sorts, "< 100 ms")
        grid.sort(None)
        keys = [after(lambda: grid.set_filter(text)) for text in ["a", "an", "ann", "anna", "ann", "an", "a", ""]]
        report("set_filter + render frame", keys, "< 100 ms")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    print(f"{count:,} session rows, {len(COLUMNS)} columns, pages of {PAGE}")
    model = bench_model(count)
    del model
    gc.collect()
    asyncio.run(bench_widget(count))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{'peak RSS of the process':<34} {rss:7.0f} MB  target < 400 MB")


if __name__ == "__main__":
    main()
