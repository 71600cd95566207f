"""Progress of a long run (resolving or applying): done of total, rate, ETA.

Plain numbers and a monotonic clock; the UI redraws a bar from them and the
CLI prints a line on stderr. Nothing here sleeps or schedules.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Progress:
    total: int
    done: int = 0
    #: Finished items by outcome ("found", "not_found", "ok", "failed", …).
    counts: Counter = field(default_factory=Counter)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    started: float = -1.0
    finished: float | None = None

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def add(self, outcome: str, n: int = 1) -> None:
        self.done += n
        self.counts[outcome] += n
        if self.done >= self.total and self.finished is None:
            self.finished = self.clock()

    @property
    def elapsed(self) -> float:
        return (self.finished if self.finished is not None else self.clock()) - self.started

    @property
    def rate(self) -> float:
        """Items per second so far (0 before the first is done)."""
        elapsed = self.elapsed
        return self.done / elapsed if elapsed > 0 and self.done else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the rate so far (None until there is a rate)."""
        rate = self.rate
        return (self.total - self.done) / rate if rate else None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    def text(self) -> str:
        """"1,234/10,000 · 85.2/s · ETA 1m43s" (no ETA once done)."""
        parts = [f"{self.done:,}/{self.total:,}"]
        if self.rate:
            parts.append(f"{self.rate:,.1f}/s")
        eta = self.eta
        if eta is not None and self.done < self.total:
            parts.append(f"ETA {duration(eta)}")
        elif self.done >= self.total:
            parts.append(f"in {duration(self.elapsed)}")
        return " · ".join(parts)


def duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
