"""What every benchmark script shares: statistics lines, verdicts, a pty runner.

Each script prints its own figures as it goes, and one ``@@verdict`` line per
issue-7 target (JSON) that ``python -m benchmarks`` collects into its summary
table. A verdict is a comparison against a target, never an assertion: these
are measurements on whatever machine runs them, not tests.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VERDICT_PREFIX = "@@verdict "

#: CSI / OSC / other escape sequences, removed before looking for a marker so
#: that a marker split by a colour change is still found.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def stats_line(label: str, samples: Sequence[float], unit: str = "ms", extra: str = "") -> str:
    """``label  median … min … max … (n=…)``, as every script prints it."""
    return (f"  {label:<40} median {statistics.median(samples):8.1f} {unit}"
            f"  min {min(samples):8.1f}  max {max(samples):8.1f}  (n={len(samples)}){extra}")


def verdict(target: str, measured: str, ok: bool | None, note: str = "") -> None:
    """One line of the summary table; `ok` None means "context, not a target"."""
    print(VERDICT_PREFIX + json.dumps({"target": target, "measured": measured, "ok": ok,
                                       "note": note}), flush=True)


def rss_mb() -> tuple[float, float]:
    """(current VmRSS, peak VmHWM) of this process in MB, from /proc."""
    now = peak = float("nan")
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    return now, peak


@dataclass
class PtyRun:
    """One program run under a pseudo-terminal."""

    seconds_to_marker: float | None
    output: bytes


class Pty:
    """A child process on a fresh pty of a fixed size, as a terminal runs it.

    `wait_for(marker)` reads the child's output (escape sequences stripped)
    until `marker` shows up; `write()` types bytes as a key press would.
    """

    def __init__(self, argv: Sequence[str], *, size: tuple[int, int] = (80, 24),
                 env: dict[str, str] | None = None) -> None:
        columns, rows = size
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns),
                    "LINES": str(rows), **(env or {})}
        full_env.pop("NO_COLOR", None)
        full_env.pop("TEXTUAL", None)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=ROOT,
            start_new_session=True, close_fds=True)
        os.close(slave)
        self.raw = bytearray()
        self._plain = bytearray()
        self._tail = b""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not chunk:
            return False
        self.raw += chunk
        # Keep an unfinished escape sequence for the next chunk.
        data = self._tail + chunk
        cut = data.rfind(b"\x1b")
        if cut != -1 and cut > len(data) - 64 and not _ESCAPES.match(data, cut):
            data, self._tail = data[:cut], data[cut:]
        else:
            self._tail = b""
        self._plain += _ESCAPES.sub(b"", data)
        return True

    def wait_for(self, marker: bytes, timeout: float = 20.0, *, since: int = 0) -> float | None:
        """Seconds from spawn until `marker` appears in the output after
        offset `since` of the plain text; None on timeout or exit."""
        deadline = time.perf_counter() + timeout
        while marker not in self._plain[since:]:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            if not self._read(min(left, 0.5)) and self.process.poll() is not None:
                return None
        return time.perf_counter() - self.started

    def cpu_seconds(self) -> float | None:
        """CPU time the child has used so far, all its threads (Linux
        scheduler statistics, nanoseconds); None where /proc has none. On a
        shared machine this is the steadier figure: waiting for a core does
        not count."""
        total = 0
        try:
            for task in Path(f"/proc/{self.process.pid}/task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return total / 1e9

    @property
    def seen(self) -> int:
        """How much plain text has been read so far (for `wait_for(since=…)`)."""
        return len(self._plain)

    def drain(self, quiet: float = 0.3, limit: float = 5.0) -> None:
        """Read until the child has been silent for `quiet` seconds."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self._read(quiet):
            pass

    def write(self, data: bytes) -> float:
        os.write(self.master, data)
        return time.perf_counter()

    def close(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(5)
        os.close(self.master)

    def __enter__(self) -> "Pty":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def ctconsole_argv(*args: str) -> list[str]:
    """The installed console script if there is one, else ``python -m``."""
    script = Path(PYTHON).with_name("ctconsole")
    if script.exists():
        return [str(script), *args]
    return [PYTHON, "-m", "ctconsole", *args]


@contextlib.contextmanager
def sandbox_process(sessions: int, timeout: float = 20.0, *,
                    extra: Sequence[str] = ()) -> Iterator[str]:
    """``ctconsole sandbox`` in its own process on a free loopback port; its
    base URL. A separate process, so the server's work (making and encoding
    pages) runs on the other core instead of sharing this process's GIL with
    the client being measured - as the real API would."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        ctconsole_argv("sandbox", "--port", str(port), "--sessions", str(sessions), *extra),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox server did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
