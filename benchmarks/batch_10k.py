"""Batch: 10,000 identifiers resolved and previewed in the console's batch pane.

The sandbox runs in its own process (``ctconsole sandbox --latency-ms 50``:
every answer 50 ms late, as a distant API). The console runs headless in
this process: the codes are pasted into the batch pane (`B`), ctrl+r
resolves them at the default pool, then `p` builds the preview of a
"validate" of all of them. Measured: the time to resolve all, the longest
the event loop was held (a 10 ms timer's worst lateness, i.e. how long a
key press could wait), the preview's time from the key to its rows in the
table, and the process's peak memory.

Run: ``python -m benchmarks.batch_10k [--quick]`` (``--quick``: 2,000 codes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from benchmarks.common import rss_mb, sandbox_process, verdict

LATENCY_MS = 50
TARGET_RESOLVE_S = 60.0
TARGET_STALL_MS = 100.0
TARGET_MEMORY_MB = 300.0
TARGET_PREVIEW_S = 1.0


def big_codes(count: int) -> list[str]:
    """Codes of the sandbox's big campaign (seed 1, as `ctconsole sandbox` builds it)."""
    from ctconsole.sandbox.sessions import LazyCampaign
    from ctconsole.sandbox import make_sandbox_app

    big: LazyCampaign = make_sandbox_app(big_sessions=count).state.sessions.big
    return [big.code(i) for i in range(count)]


async def measure(url: str, codes: list[str], journal_dir: str) -> dict[str, float]:
    from textual.widgets import TextArea

    from ctconsole.api import Client, Credentials
    from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from ctconsole.ui.app import CtConsoleApp
    from ctconsole.writes import Journal

    client = Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=url)
    app = CtConsoleApp(client, journal=Journal(Path(journal_dir) / "journal.jsonl"),
                       scheduled_gc=True)
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        await pilot.press("B")
        screen = app.screen
        screen.query_one("#batch-paste", TextArea).text = "\n".join(codes)
        await pilot.pause()
        worst = 0.0
        worst_at = 0
        last = time.perf_counter()

        def probe() -> None:
            nonlocal worst, last, worst_at
            now = time.perf_counter()
            if now - last - 0.01 > worst:
                worst, worst_at = now - last - 0.01, screen.progress.done
            last = now

        start, cpu = time.perf_counter(), time.process_time()
        await pilot.press("ctrl+r")
        last = time.perf_counter()
        timer = app.set_interval(0.01, probe)
        while screen.phase != "resolved":
            await asyncio.sleep(0.05)
        figures["resolve_s"] = time.perf_counter() - start
        figures["resolve_cpu_s"] = time.process_time() - cpu
        timer.stop()
        figures["stall_ms"] = worst * 1000
        figures["stall_at"] = worst_at
        figures["found"] = sum(1 for r in screen.rows if r.status == "found")
        start, cpu = time.perf_counter(), time.process_time()
        await pilot.press("p")
        figures["preview_s"] = time.perf_counter() - start
        figures["preview_cpu_s"] = time.process_time() - cpu
        figures["preview_rows"] = len(screen.grid.model)
    figures["rss_peak_mb"] = rss_mb()[1]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 codes instead of 10,000")
    args = parser.parse_args(argv)
    count = 2_000 if args.quick else 10_000
    from ctconsole.ui.process_tuning import latency_tuned

    codes = big_codes(count)
    with tempfile.TemporaryDirectory() as tmp, latency_tuned(), \
            sandbox_process(20_000, extra=("--latency-ms", str(LATENCY_MS))) as url:
        figures = asyncio.run(measure(url, codes, tmp))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cores = os.cpu_count() or 1
    print(f"Batch of {count:,} session codes, sandbox {LATENCY_MS} ms latency, default pool:")
    print(f"  resolved {figures['found']:,.0f} found in {figures['resolve_s']:.1f} s "
          f"({count / figures['resolve_s']:.0f}/s); worst event-loop stall "
          f"{figures['stall_ms']:.0f} ms (at {figures['stall_at']:,.0f} resolved); this process's "
          f"CPU {figures['resolve_cpu_s']:.1f} s ({figures['resolve_cpu_s'] / count * 1000:.1f} ms "
          "a lookup)")
    print(f"  preview of {figures['preview_rows']:,.0f} rows in {figures['preview_s'] * 1000:.0f} ms;"
          f" CPU {figures['preview_cpu_s'] * 1000:.0f} ms; peak memory {figures['rss_peak_mb']:.0f} MB")
    print(f"  machine: load average {load:.1f} on {cores} cores when it ended")
    scale = 10_000 / count
    note = ("" if count == 10_000 else f"{count:,} codes (--quick); time scaled to 10,000; ") \
        + f"load {load:.1f} on {cores} cores"
    resolve_10k = figures["resolve_s"] * scale
    verdict(f"batch: 10,000 resolved < {TARGET_RESOLVE_S:.0f} s (50 ms API)",
            f"{resolve_10k:.1f} s", resolve_10k < TARGET_RESOLVE_S, note)
    verdict(f"batch: UI stall while resolving < {TARGET_STALL_MS:.0f} ms",
            f"{figures['stall_ms']:.0f} ms", figures["stall_ms"] < TARGET_STALL_MS)
    verdict(f"batch: preview of 10,000 rows < {TARGET_PREVIEW_S:.0f} s",
            f"{figures['preview_s'] * 1000:.0f} ms", figures["preview_s"] < TARGET_PREVIEW_S,
            note.split(";")[0] if note else "")
    verdict(f"batch: peak memory < {TARGET_MEMORY_MB:.0f} MB",
            f"{figures['rss_peak_mb']:.0f} MB", figures["rss_peak_mb"] < TARGET_MEMORY_MB)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
