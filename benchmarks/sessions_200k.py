"""Issue 7, target 3: a campaign with 200,000 sessions, through the real stack.

Run: ``python -m benchmarks.sessions_200k [--sessions N] [--quick]``.

The sandbox serves the campaign over real loopback HTTP from its own process
(``ctconsole sandbox --sessions N``, like a remote API: its work does not
share this process's GIL); the app is the real `CtConsoleApp` with a real
`Client` (pages fetched concurrently within its limit), run headless with
``run_test`` at 120x36 and tuned as `ctconsole` runs it (`ui.process_tuning`:
the campaign is opened once start-up is over), and the real `CampaignScreen`
is opened on it.

Measured, in this process:

* first rows: from opening the pane until the grid renders a frame's line
  with rows in it (the grid's `render_line`, watched; not ``pilot.pause()``,
  which waits for the whole process to go idle - up to a second while the
  other pages are still arriving - and so overstated this by up to 1 s);
* fully loaded: until the pane says every page has arrived;
* UI freeze: the longest lateness of a 5 ms ticker on the app's event loop
  while loading (what a key press would wait at worst);
* cursor move, page move (median / worst), sort, filter per keystroke: the
  grid action plus rendering every visible line of the next frame;
* memory: the process's VmRSS and peak RSS after all of it.

``benchmarks/table_200k.py`` measures the grid alone with synthetic rows;
this one adds the client, the network, the models and the pane.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import time

from benchmarks.common import rss_mb, sandbox_process, stats_line, verdict

TICK = 0.005


async def run(base_url: str, sessions: int, moves: int) -> dict:
    from ctconsole.api import Client, Credentials
    from ctconsole.sandbox import BIG_CAMPAIGN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from ctconsole.ui.app import CtConsoleApp
    from ctconsole.ui.screens.campaign import CampaignScreen

    client = Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url)
    # As `ctconsole` runs it: the collector on the console's schedule.
    app = CtConsoleApp(client, scheduled_gc=True)
    out: dict = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        while not app.gc_schedule.active:  # start-up is over (about a second)
            await asyncio.sleep(0.05)
        lateness: list[float] = []
        loading = True

        async def ticker() -> None:
            while loading:
                start = time.perf_counter()
                await asyncio.sleep(TICK)
                lateness.append((time.perf_counter() - start - TICK) * 1000)

        screen = CampaignScreen(client, BIG_CAMPAIGN, ("Account", BIG_CAMPAIGN))
        beat = asyncio.create_task(ticker())
        opened = time.perf_counter()
        await app.push_screen(screen)
        grid = screen.grid
        first = None
        render_line = grid.render_line

        def watched_render_line(y: int):
            nonlocal first
            # A body line (not the header, not the status line) with a row in it.
            if (first is None and 0 < y <= len(grid.model.view)
                    and y < grid.scrollable_content_region.height - 1):
                first = time.perf_counter() - opened
            return render_line(y)

        grid.render_line = watched_render_line  # type: ignore[method-assign]
        while screen.sessions_state in ("idle", "loading"):
            await asyncio.sleep(0.002)
        del grid.render_line
        loaded = time.perf_counter() - opened
        loading = False
        await beat
        await pilot.pause()
        out["state"] = screen.sessions_state
        out["rows"] = len(grid.model)
        out["first rows (s)"] = first
        out["fully loaded (s)"] = loaded
        out["stall"] = lateness

        height = grid.scrollable_content_region.height

        def frame_after(action) -> float:
            start = time.perf_counter()
            action()
            for y in range(height):
                grid.render_line(y)
            return (time.perf_counter() - start) * 1000

        grid.focus()
        out["cursor move"] = [frame_after(grid.action_cursor_down) for _ in range(moves)]
        out["page move"] = [frame_after(grid.action_page_down) for _ in range(moves)]
        sorts = []
        for column in range(min(4, len(grid.model.columns))):
            grid.cursor_column = column
            sorts += [frame_after(grid.action_sort) for _ in range(2)]  # up, then down
        out["sort"] = sorts
        grid.sort(None)
        out["filter keystroke"] = [frame_after(lambda t=text: grid.set_filter(t))
                                   for text in ["a", "an", "ann", "anna", "ann", "an", "a", ""]]
    await client.aclose()
    return out


def main(argv: list[str] | None = None) -> int:
    from ctconsole.ui.process_tuning import latency_tuned

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="fewer cursor/page moves")
    args = parser.parse_args(argv)
    moves = 50 if args.quick else 200

    with sandbox_process(args.sessions) as url, latency_tuned():
        out = asyncio.run(run(url, args.sessions, moves))
    now, peak = rss_mb()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.sessions:,} sessions from the loopback sandbox into the campaign pane "
          f"(120x36, headless): {out['rows']:,} rows, state {out['state']}")
    first, loaded, stall = out["first rows (s)"], out["fully loaded (s)"], max(out["stall"])
    print(f"  first rows on screen                     {first * 1000:8.0f} ms   target < 1000 ms")
    print(f"  fully loaded                             {loaded * 1000:8.0f} ms   target < 5000 ms")
    print(stats_line("event-loop lateness while loading", out["stall"],
                     extra="   target: worst < 100 ms"))
    print(stats_line("cursor move + frame", out["cursor move"], extra="   target < 5 ms"))
    print(stats_line("page move + frame", out["page move"],
                     extra="   target median < 25, worst < 50 ms"))
    print(stats_line("sort + frame", out["sort"], extra="   target < 100 ms"))
    print(stats_line("filter keystroke + frame", out["filter keystroke"],
                     extra="   target < 100 ms"))
    print(f"  RSS now {now:.0f} MB, peak {max(peak, maxrss):.0f} MB   target < 400 MB")

    complete = out["state"] == "done" and out["rows"] == args.sessions
    verdict("200k: first rows < 1 s", f"{first * 1000:.0f} ms" if first else "never",
            first is not None and first < 1.0)
    verdict("200k: fully loaded < 5 s", f"{loaded:.2f} s ({out['rows']:,} rows)",
            complete and loaded < 5.0)
    verdict("200k: UI never frozen > 100 ms while loading", f"worst {stall:.0f} ms", stall < 100)
    cursor = statistics.median(out["cursor move"])
    verdict("200k: cursor move < 5 ms", f"median {cursor:.1f}, worst {max(out['cursor move']):.1f} ms",
            cursor < 5)
    page, page_worst = statistics.median(out["page move"]), max(out["page move"])
    verdict("200k: page move median < 25 ms, worst < 50", f"{page:.1f} / {page_worst:.1f} ms",
            page < 25 and page_worst < 50)
    verdict("200k: sort < 100 ms", f"worst {max(out['sort']):.0f} ms", max(out["sort"]) < 100)
    verdict("200k: filter keystroke < 100 ms", f"worst {max(out['filter keystroke']):.0f} ms",
            max(out["filter keystroke"]) < 100)
    verdict("200k: RSS < 400 MB", f"peak {max(peak, maxrss):.0f} MB", max(peak, maxrss) < 400)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
