"""Find everywhere: the fan-out over the main account and every subaccount."""

from __future__ import annotations

import asyncio

import pytest

from ctconsole.api.errors import ApiError, RateLimited
from ctconsole.api.fanout import Failed, FanOut, Found, Progress, Target
from ctconsole.api.find_everywhere import find_everywhere
from ctconsole.demo import demo_client
from ctconsole.sandbox.cases import NEEDLE_EMAIL


@pytest.fixture
async def client():
    client = demo_client(big_sessions=0, cases=True, subaccounts=40)
    yield client
    await client.aclose()


async def test_finds_a_session_that_lives_in_one_subaccount_only(client):
    sandbox = client.sandbox
    needle = sandbox.state.cases["needle"]
    fan = await find_everywhere(client, NEEDLE_EMAIL)
    events = [e async for e in fan.events()]
    assert [f.target.id for f in fan.found] == [needle["subaccount"]]
    assert [m.session for m in fan.found[0].value.matches] == [needle["session"]]
    progress = [e for e in events if isinstance(e, Progress)]
    assert progress[-1].line("accounts") == "searched 41 of 41 accounts · 1 match"
    assert [p.done for p in progress] == list(range(1, 42))
    # every subaccount was asked with its own credentials
    searched = {r.headers["x-client-id"] for r in sandbox.requests if r.operation == "session.search"}
    assert len(searched) == 41


async def test_a_subaccount_that_refuses_does_not_stop_the_rest(client):
    sandbox = client.sandbox
    fan = await find_everywhere(client, sandbox.state.cases["voided"]["email"])
    sandbox.state.subaccounts["sub_2002"]["api_secret"] = "suspended-" + "x" * 20
    await fan.run()
    assert [f.target.id for f in fan.failed] == ["sub_2002"]
    assert isinstance(fan.failed[0].error, ApiError)
    assert [f.target.id for f in fan.found] == ["sub_2006"]
    assert fan.progress.done == 41


async def test_cancel_sends_nothing_more():
    client = demo_client(big_sessions=0, cases=True, subaccounts=30, latency=0.02)
    try:
        sandbox = client.sandbox
        fan = await find_everywhere(client, "nobody@example.com", concurrency=2)
        at_cancel = None
        async for event in fan.events():
            if isinstance(event, Progress) and event.done == 3:
                fan.cancel()
                at_cancel = len(sandbox.requests)
        await asyncio.sleep(0.1)
        assert len(sandbox.requests) == at_cancel
        assert fan.cancelled and fan.progress.done < 10
    finally:
        await client.aclose()


async def test_pause_sends_nothing_new_until_resumed():
    asked: list[str] = []
    fan: FanOut

    async def ask(target: Target) -> None:
        asked.append(target.id)
        if target.id == "t2":
            fan.pause()
        await asyncio.sleep(0.01)

    fan = FanOut([Target(f"t{i}", "", None, i) for i in range(10)], ask, concurrency=2)
    run = asyncio.ensure_future(fan.run())
    await asyncio.sleep(0.1)
    assert asked == ["t0", "t1", "t2"] and fan.paused  # t2 was out: it finished
    fan.resume()
    await run
    assert asked == [f"t{i}" for i in range(10)] and fan.progress.done == 10


async def test_rate_limit_slows_the_pool_and_honours_retry_after(client):
    sandbox = client.sandbox
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds, 1))
        await asyncio.sleep(0)

    now = [100.0]
    fan = await find_everywhere(client, NEEDLE_EMAIL, sleep=sleep, clock=lambda: now[0])
    sandbox.faults.add("rate_limit", "session.search", times=2, retry_after=3)
    await fan.run()
    assert not fan.failed and fan.rate_limited == 2
    assert 3.0 in waits
    assert len(fan.found) == 1 and fan.progress.done == 41


async def test_results_are_in_account_order_whatever_answers_first():
    gates = {i: asyncio.Event() for i in range(5)}

    async def fn(target: Target):
        await gates[target.index].wait()
        return [target.id]

    fan = FanOut([Target(f"sub_{i}", "", None, i) for i in range(5)], fn, concurrency=5)
    arrived = []

    async def drive():
        async for event in fan.events():
            if isinstance(event, Found):
                arrived.append(event.target.index)

    task = asyncio.create_task(drive())
    for i in (4, 2, 0, 3, 1):
        gates[i].set()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
    await task
    assert arrived == [4, 2, 0, 3, 1]
    assert [f.target.index for f in fan.found] == [0, 1, 2, 3, 4]


async def test_the_pool_bound_holds_and_a_429_halves_it():
    running, peak = [0], []
    limited = [True]

    async def fn(target: Target):
        running[0] += 1
        peak.append(running[0])
        await asyncio.sleep(0.001)
        running[0] -= 1
        if limited[0] and target.index == 0:
            limited[0] = False
            raise RateLimited(0.01)
        return None

    fan = FanOut([Target(f"s{i}", "", None, i) for i in range(40)], fn, concurrency=4)
    await fan.run()
    assert max(peak) <= 4 and fan.rate_limited == 1 and not fan.failed
    assert fan.progress.done == 40


async def test_too_many_429s_fail_that_account_only():
    async def fn(target: Target):
        if target.index == 1:
            raise RateLimited(0)
        return None

    fan = FanOut([Target(f"s{i}", "", None, i) for i in range(3)], fn, max_rate_waits=2)
    await fan.run()
    assert [type(f) for f in fan.failed] == [Failed]
    assert fan.failed[0].target.index == 1 and fan.progress.done == 3


async def test_a_second_find_everywhere_is_served_from_the_cache(tmp_path):
    from ctconsole.cache import ResponseCache
    from ctconsole.demo import demo_client_for
    from ctconsole.sandbox import make_sandbox_app

    sandbox = make_sandbox_app(big_sessions=0, cases=True)
    cache = ResponseCache(tmp_path / "cache.sqlite3")
    client = demo_client_for(sandbox, cache=cache)
    try:
        email = sandbox.state.cases["voided"]["email"]
        first = await (await find_everywhere(client, email)).run()
        searches = sum(r.operation == "session.search" for r in sandbox.requests)
        second = await (await find_everywhere(client, email)).run()
        again = sum(r.operation == "session.search" for r in sandbox.requests)
        assert searches == 7 and again == searches  # every account's answer came from the cache
        assert [f.target.id for f in second.found] == [f.target.id for f in first.found] == ["sub_2006"]
    finally:
        await client.aclose()
        cache.close()


async def test_started_before_it_is_read_its_events_wait_in_order_or_are_cancelled():
    asked: list[str] = []

    async def ask(target: Target) -> str:
        asked.append(target.id)
        await asyncio.sleep(0.005)
        return target.id if target.id in ("t1", "t3") else ""

    targets = [Target(f"t{i}", "", None, i) for i in range(5)]
    fan = FanOut(targets, ask, concurrency=2)
    fan.start()
    await asyncio.sleep(0.1)
    assert asked == [f"t{i}" for i in range(5)]  # asked before anyone read
    events = [e async for e in fan.events()]
    assert [e.target.id for e in events if isinstance(e, Found)] == ["t1", "t3"]
    assert [e.done for e in events if isinstance(e, Progress)] == [1, 2, 3, 4, 5]

    asked.clear()
    fan = FanOut(targets, ask, concurrency=2)
    fan.start()
    await asyncio.sleep(0)
    fan.cancel()  # never read: nothing more is sent
    await asyncio.sleep(0.05)
    assert asked == ["t0", "t1"]
    assert [e async for e in fan.events()] == []
