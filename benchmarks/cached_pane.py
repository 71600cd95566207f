"""Issue 7, target 2: key press -> frame, for a pane whose data is cached.

Run: ``python -m benchmarks.cached_pane [--runs N] [--quick]``.

The pane is the campaign pane of the big demo campaign sized to 1,000
sessions (its details from ``campaign.info`` and one page of 1,000 session
rows), opened with Enter from the campaign list. The sandbox runs as its own
process on loopback; the client has a response cache in a temporary
directory. The pane is opened once to fill the cache, then, each run: Escape
back to the list, and Enter again, timed.

* pty: the real ``ctconsole`` (profile from the environment, cache and config
  directories in a temporary directory) in a 120x36 pseudo-terminal; from the
  Enter byte written to the pane's "1000 sessions" line appearing in the
  output (drawn in the same frame as the rows).
* headless: the same app and keys under ``run_test``; from the press to the
  grid holding the 1,000 rows and a frame drawn with them. Pilot's own cost
  per key is shown next to it (an unbound key).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time

from benchmarks.common import Pty, ctconsole_argv, sandbox_process, stats_line, verdict

ROWS = 1000
TARGET_MS = 50
DOWN, ENTER, ESCAPE = b"\x1b[B", b"\r", b"\x1b"
MARKER = f"{ROWS} sessions".encode()


def pty_runs(base_url: str, runs: int) -> list[float]:
    from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    with tempfile.TemporaryDirectory() as home:
        env = {f"XDG_{kind}_HOME": os.path.join(home, kind.lower())
               for kind in ("CONFIG", "CACHE", "DATA", "STATE")}
        env.update(CTCONSOLE_BASE_URL=base_url, CTCONSOLE_CLIENT_ID=DEMO_CLIENT_ID,
                   CTCONSOLE_CLIENT_SECRET=DEMO_CLIENT_SECRET)
        with Pty(ctconsole_argv(), size=(120, 36), env=env) as pty:
            def expect(marker: bytes, since: int, what: str) -> float:
                if pty.wait_for(marker, 20, since=since) is None:
                    tail = bytes(pty.raw[-400:]).decode("utf-8", "replace")
                    raise RuntimeError(f"{what}: {marker!r} never appeared; output ends {tail!r}")
                return time.perf_counter()

            expect(b"sub_2001", 0, "home")
            mark = pty.seen
            pty.write(b"c")
            expect(b"cam_1003", mark, "campaign list")
            pty.drain(0.3)
            pty.write(DOWN + DOWN)
            pty.drain(0.3)
            mark = pty.seen
            pty.write(ENTER)
            expect(MARKER, mark, "first visit (fills the cache)")
            samples = []
            for _ in range(runs):
                pty.drain(0.2)
                mark = pty.seen
                pty.write(ESCAPE)
                expect(b"cam_1001", mark, "back to the list")
                pty.drain(0.3)
                mark = pty.seen
                sent = pty.write(ENTER)
                samples.append((expect(MARKER, mark, "cached visit") - sent) * 1000)
        return samples


async def headless_runs(base_url: str, runs: int) -> tuple[list[float], list[float], bool]:
    from ctconsole.api import Client, Credentials
    from ctconsole.cache import ResponseCache
    from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from ctconsole.ui.app import CtConsoleApp

    with tempfile.TemporaryDirectory() as tmp:
        cache = ResponseCache(os.path.join(tmp, "cache.sqlite3"))
        client = Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url,
                        cache=cache)
        app = CtConsoleApp(client)
        samples, idle = [], []
        from_cache = True
        async with app.run_test(size=(120, 36)) as pilot:
            async def until(condition) -> None:
                deadline = time.perf_counter() + 20
                while not condition():
                    if time.perf_counter() > deadline:
                        raise RuntimeError("timed out")
                    await asyncio.sleep(0.001)

            def pane_done() -> bool:
                screen = app.screen
                return (getattr(screen, "sessions_state", None) == "done"
                        and len(screen.grid.model) == ROWS)

            await until(lambda: type(app.screen).__name__ == "HomeScreen" and app.screen.result)
            await pilot.press("c")
            await until(lambda: type(app.screen).__name__ == "CampaignListScreen"
                        and app.screen.result)
            await pilot.press("down", "down", "enter")
            await until(pane_done)
            for _ in range(runs):
                await pilot.press("escape")
                await until(lambda: type(app.screen).__name__ == "CampaignListScreen")
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("enter")
                await until(pane_done)
                await pilot.pause()  # the frame with the rows
                samples.append((time.perf_counter() - start) * 1000)
                from_cache = from_cache and bool(app.screen.result.from_cache)
            for _ in range(runs):
                start = time.perf_counter()
                await pilot.press("f12")
                await pilot.pause()
                idle.append((time.perf_counter() - start) * 1000)
        cache.close()
    return samples, idle, from_cache


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="5 runs")
    args = parser.parse_args(argv)
    runs = 5 if args.quick else args.runs
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

    with sandbox_process(ROWS) as url:
        headless, idle, from_cache = asyncio.run(headless_runs(url, runs))
        pty = pty_runs(url, runs)
    print(f"Cached pane: Enter on a campaign of {ROWS} sessions whose pane is cached "
          f"({runs} runs; cache hit: {from_cache})")
    print(stats_line("pty: Enter byte -> rows in output", pty, extra=f"   target < {TARGET_MS} ms"))
    print(stats_line("headless: press -> rows + frame", headless))
    print(stats_line("headless: Pilot press, unbound key", idle, extra="   (Pilot's own cost)"))
    ours = statistics.median(pty)
    verdict(f"cached pane ({ROWS} rows): key -> frame < {TARGET_MS} ms (pty)",
            f"median {ours:.0f}, max {max(pty):.0f} ms", ours < TARGET_MS,
            "" if from_cache else "pane data was not served from the cache")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
