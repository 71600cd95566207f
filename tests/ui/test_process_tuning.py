"""The console's own process: frames leave without waiting for the
interpreter lock, and garbage is collected on a schedule that keeps full
collections away from key presses (`ui.process_tuning`).

The schedule is driven here with a hand-moved clock, recorded timers and a
recording stand-in for the `gc` module, so the test process's own collector
is never retuned."""

from __future__ import annotations

import gc
import sys

from ctconsole.demo import demo_client_for
from ctconsole.ui import process_tuning as tuning
from ctconsole.ui.app import CtConsoleApp, run_app
from ctconsole.ui.process_tuning import CollectionSchedule, latency_tuned
from ctconsole.ui.screenshots import settle


class Recorder:
    """Stands in for the `gc` module and the app's timers."""

    def __init__(self) -> None:
        self.now = 100.0
        self.calls: list[tuple] = []
        self.timers: list[tuple] = []

    def clock(self) -> float:
        return self.now

    def set_timer(self, delay, callback):
        self.timers.append(("once", delay, callback))

    def set_interval(self, period, callback):
        self.timers.append(("every", period, callback))

    def freeze(self):
        self.calls.append(("freeze",))

    def disable(self):
        self.calls.append(("disable",))

    def enable(self):
        self.calls.append(("enable",))

    def collect(self, generation=2):
        self.calls.append(("collect", generation))


def settled() -> tuple[CollectionSchedule, Recorder]:
    r = Recorder()
    schedule = CollectionSchedule(r.set_timer, r.set_interval, clock=r.clock, collector=r)
    schedule.start()
    (kind, delay, settle_now), = r.timers
    assert (kind, delay) == ("once", tuning.SETTLE_AFTER) and r.calls == []
    settle_now()
    return schedule, r


def test_after_start_up_the_collector_is_frozen_off_and_put_on_a_timer():
    schedule, r = settled()
    assert r.calls == [("freeze",), ("disable",)]
    assert r.timers[-1][:2] == ("every", tuning.YOUNG_EVERY)
    assert schedule.active


def test_ticks_collect_the_young_and_everything_once_due_and_quiet():
    schedule, r = settled()
    r.calls.clear()
    r.now += tuning.YOUNG_EVERY
    schedule.tick()
    assert r.calls == [("collect", 1)]
    r.now += tuning.FULL_EVERY  # due, and no key pressed at all
    schedule.tick()
    assert r.calls[-1] == ("collect", 2) and schedule.full_runs == 1
    r.now += tuning.YOUNG_EVERY
    schedule.tick()
    assert r.calls[-1] == ("collect", 1)  # the next full one is FULL_EVERY away


def test_a_full_collection_waits_while_keys_are_being_pressed():
    schedule, r = settled()
    start = r.now
    while r.now - start < tuning.FULL_AT_MOST - tuning.YOUNG_EVERY:
        r.now += tuning.YOUNG_EVERY
        schedule.key_pressed()  # someone typing, all the time
        schedule.tick()
    assert schedule.full_runs == 0
    assert set(r.calls[2:]) == {("collect", 1)}
    r.now += tuning.QUIET  # a pause in the typing: the due collection runs
    schedule.tick()
    assert schedule.full_runs == 1 and r.calls[-1] == ("collect", 2)


def test_a_full_collection_runs_anyway_after_the_longest_wait():
    schedule, r = settled()
    r.now += tuning.FULL_AT_MOST
    schedule.key_pressed()
    schedule.tick()
    assert schedule.full_runs == 1


def test_no_full_collection_while_a_long_job_holds_it_then_the_first_quiet_tick():
    schedule, r = settled()
    with schedule.hold():
        start = r.now
        while r.now - start < 2 * tuning.FULL_AT_MOST:  # a long batch, nobody typing
            r.now += tuning.YOUNG_EVERY
            schedule.tick()
        assert schedule.full_runs == 0
        assert set(r.calls[2:]) == {("collect", 1)}
    r.now += tuning.YOUNG_EVERY
    schedule.tick()
    assert schedule.full_runs == 1 and r.calls[-1] == ("collect", 2)


def test_stopping_hands_collection_back():
    schedule, r = settled()
    schedule.stop()
    assert r.calls[-1] == ("enable",) and not schedule.active
    r.calls.clear()
    schedule.tick()  # a late tick does nothing
    schedule.stop()
    assert r.calls == []


def test_latency_tuned_shortens_the_switch_interval_and_restores_it():
    before = sys.getswitchinterval()
    with latency_tuned():
        assert sys.getswitchinterval() == tuning.SWITCH_INTERVAL < before
    assert sys.getswitchinterval() == before


def test_run_app_runs_the_console_tuned(monkeypatch, sandbox):
    seen = {}

    def fake_run(self, **run_options):
        seen.update(scheduled_gc=self.scheduled_gc, switch=sys.getswitchinterval())

    monkeypatch.setattr(CtConsoleApp, "run", fake_run)
    before = sys.getswitchinterval()
    assert run_app(demo_client_for(sandbox)) == 0
    assert seen == {"scheduled_gc": True, "switch": tuning.SWITCH_INTERVAL}
    assert sys.getswitchinterval() == before


async def test_the_app_tells_the_schedule_of_key_presses(monkeypatch, sandbox):
    monkeypatch.setattr(tuning, "SETTLE_AFTER", 3600.0)  # never takes over in this test
    app = CtConsoleApp(demo_client_for(sandbox), scheduled_gc=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        schedule = app.gc_schedule
        assert schedule.last_key == float("-inf")
        await pilot.press("c")
        assert schedule.last_key > 0
    assert gc.isenabled()


async def test_an_app_in_another_program_leaves_the_collector_alone(sandbox):
    app = CtConsoleApp(demo_client_for(sandbox))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.gc_schedule is None
    assert gc.isenabled()
