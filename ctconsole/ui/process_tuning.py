"""The console's own process, tuned so that a key press gets its frame fast.

Two process-wide settings, applied only when the console runs as its own
program (`run_app`), never to an app run inside tests or other programs.

**Frames leave at once** (`latency_tuned`). Textual hands each frame to a
writer thread. Python lets another thread take the interpreter lock only
every `sys.getswitchinterval()` (5 ms by default) while the main thread keeps
working - and after drawing a frame it usually does (the footer, the next
message) - so a finished frame would wait up to that long before reaching
the terminal, a visible share of opening a cached pane. The console uses
`SWITCH_INTERVAL`.

**Garbage is collected on the console's schedule** (`CollectionSchedule`).
Python collects reference cycles when enough objects have
been allocated since the last collection - that is, exactly while a pane is
being built or a big list is loading. A full collection walks every object
the process holds (modules, classes, Textual's widgets and stylesheets,
pydantic's validators: a few hundred thousand), and one can take as long
as a frame, landing inside the frame of a pane being opened: an occasional
pane opening takes twice as long as the others.

So the console, once start-up is over:

* freezes what start-up made (`gc.freeze()`): those objects live as long
  as the process and are never walked again;
* turns allocation-triggered collection off and collects on a timer
  instead: the young generations every `YOUNG_EVERY` seconds (well under a
  millisecond: most new objects are freed by reference counting anyway),
  and everything once `FULL_EVERY` seconds have passed *and* no key has been
  pressed for `QUIET` seconds, so a full collection does not land between a
  key and its frame. Closed panes are cyclic garbage (a widget knows its
  parent and its children) that only a full collection frees; if keys keep
  coming it runs anyway after `FULL_AT_MOST` seconds, so garbage is bounded.
* holds full collections back while a long job streams rows into a pane
  (`hold`, e.g. a batch resolving 10,000 identifiers, whose rows are just
  what a full collection walks): the user is watching rows arrive and may
  press a key at any moment. The job is bounded, so is its garbage; the
  collection runs at the first quiet moment after it.

`CtConsoleApp(scheduled_gc=True)` (set by `run_app`) runs the schedule;
stopping the app puts automatic collection back.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from time import monotonic
from typing import Any, Callable, Iterator

#: Seconds a thread may hold the interpreter lock while another waits.
SWITCH_INTERVAL = 0.001

#: Seconds after the app starts when start-up's objects are frozen: home is
#: on screen and its models parsed by then.
SETTLE_AFTER = 1.0
#: Seconds between collections of the young generations (0 and 1).
YOUNG_EVERY = 0.5
#: Seconds between full collections, at least...
FULL_EVERY = 5.0
#: ...and at most, however busy the keyboard.
FULL_AT_MOST = 30.0
#: Seconds without a key press that count as "the user is reading".
QUIET = 1.0


class CollectionSchedule:
    """Puts the process's collector on the app's timers (see the module docstring).

    Args:
        set_timer, set_interval: the app's (``App.set_timer`` and ``App.set_interval``).
        clock: seconds, monotonic; collector: the `gc` module (tests pass
            their own of each, so as not to retune the test process).
    """

    def __init__(self, set_timer: Callable[..., Any], set_interval: Callable[..., Any],
                 clock: Callable[[], float] = monotonic, collector: Any = gc) -> None:
        self._set_timer = set_timer
        self._set_interval = set_interval
        self._clock = clock
        self._gc = collector
        self.active = False
        self.last_key = float("-inf")
        self.last_full = clock()
        #: How many full collections ran (for tests and curiosity).
        self.full_runs = 0
        #: Long jobs running that hold full collections back (`hold`).
        self.holds = 0

    def start(self) -> None:
        """Take over once start-up is over (`stop` hands back)."""
        self._set_timer(SETTLE_AFTER, self._settle)

    def _settle(self) -> None:
        self._gc.freeze()
        self._gc.disable()
        self.active = True
        self.last_full = self._clock()
        self._set_interval(YOUNG_EVERY, self.tick)

    def key_pressed(self) -> None:
        """The user pressed a key: a full collection waits for a quiet moment."""
        self.last_key = self._clock()

    @contextmanager
    def hold(self) -> Iterator[None]:
        """No full collection while the block runs (young ones go on)."""
        self.holds += 1
        try:
            yield
        finally:
            self.holds -= 1

    def tick(self) -> None:
        """The young generations; everything, when it is due and quiet."""
        if not self.active:
            return
        now = self._clock()
        since_full = now - self.last_full
        if not self.holds and (since_full >= FULL_AT_MOST or (
                since_full >= FULL_EVERY and now - self.last_key >= QUIET)):
            self._gc.collect()
            self.last_full = now
            self.full_runs += 1
        else:
            self._gc.collect(1)

    def stop(self) -> None:
        """Automatic collection back on (the frozen objects stay frozen: they
        live as long as the process anyway)."""
        if self.active:
            self.active = False
            self._gc.enable()


@contextmanager
def latency_tuned() -> Iterator[None]:
    """While the console runs: the shorter switch interval (see above)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(before)
