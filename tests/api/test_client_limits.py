"""The client's stated limits hold: one deadline per call across retries, and
a cap on the size of an answer (streamed and stopped, never cached)."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from ctconsole.api import AnswerTooLarge, TimedOut
from ctconsole.api.client import DEFAULT_MAX_ANSWER_BYTES, DEFAULT_TIMEOUT, Client, Credentials
from ctconsole.api.retry import RetryPolicy
from ctconsole.cache import ResponseCache
from ctconsole.demo import demo_client_for
from ctconsole.sandbox import BIG_CAMPAIGN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.sandbox.server import running

CREDS = Credentials("client-42", "s3cr3t")
OK = {"status": {"status": "OK"}, "coupon_info": {"ID": "cam_1001", "name": "Spring",
                                                   "status": "active"}}


def client_for(handler, *, retries: int = 2, base_delay: float = 0.01, **kw) -> Client:
    policy = RetryPolicy(max_retries=retries, base_delay=base_delay, jitter=False)
    return Client(CREDS, base_url="https://api.test", transport=httpx.MockTransport(handler),
                  retry=policy, **kw)


# --- time -----------------------------------------------------------------------------------

def test_the_default_deadline_is_thirty_seconds():
    assert DEFAULT_TIMEOUT == 30.0


async def test_a_hanging_api_is_given_up_on_at_the_deadline_not_per_try():
    tries = []

    async def hang(request):
        tries.append(request)
        await asyncio.sleep(30)

    started = time.monotonic()
    async with client_for(hang, retries=2, timeout=0.4) as client:
        with pytest.raises(TimedOut) as info:
            await client.call("campaign.info", campaign="cam_1001")
    took = time.monotonic() - started
    assert took < 0.9  # per try it would have been 3 × 0.4 s and more
    assert "api.test did not answer campaign.info within 0.4 s." in info.value.message
    assert len(tries) == 1  # no time was left for a second try


async def test_retries_share_the_deadline_and_the_message_counts_them():
    tries = []

    async def slow_failure(request):
        tries.append(request)
        await asyncio.sleep(0.2)
        return httpx.Response(503, json={"error": "busy"})

    started = time.monotonic()
    async with client_for(slow_failure, retries=5, timeout=0.5) as client:
        with pytest.raises(TimedOut) as info:
            await client.call("campaign.info", campaign="cam_1001")
    assert time.monotonic() - started < 0.9
    assert len(tries) == 3
    assert info.value.message == "api.test did not answer campaign.info within 0.5 s (3 tries)."


async def test_a_retry_that_cannot_start_in_time_is_not_waited_for():
    sleeps = []

    async def record(seconds):
        sleeps.append(seconds)

    async def busy(request):
        return httpx.Response(429, headers={"Retry-After": "5"}, json={})

    policy = RetryPolicy(max_retries=3, jitter=False, sleep=record)
    async with Client(CREDS, base_url="https://api.test", transport=httpx.MockTransport(busy),
                      retry=policy, timeout=2) as client:
        with pytest.raises(Exception) as info:
            await client.call("campaign.info", campaign="cam_1001")
    assert sleeps == []  # 5 s of Retry-After does not fit in a 2 s deadline
    assert "429" in str(info.value)


def test_the_deadline_holds_over_loopback_http():
    sandbox = make_sandbox_app(big_sessions=100)
    # Longer than three tries of 0.5 s: no try can be answered; the server,
    # stopping, waits for the one request in flight.
    sandbox.faults.add("latency", operation="campaign.list", seconds=2, times=None)

    async def call(base_url):
        policy = RetryPolicy(max_retries=2, base_delay=0.01, jitter=False)
        async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url, retry=policy,
                          timeout=0.5) as client:
            return await client.call("campaign.list")

    with running(sandbox) as base_url:
        started = time.monotonic()
        with pytest.raises(TimedOut) as info:
            asyncio.run(call(base_url))
        took = time.monotonic() - started
    assert took < 1.5
    assert "did not answer campaign.list within 0.5 s" in info.value.message


# --- size -----------------------------------------------------------------------------------

async def test_a_5000_session_page_fits_the_default_cap_with_room():
    sandbox = make_sandbox_app(big_sessions=12000)
    async with demo_client_for(sandbox) as client:
        page = await client.call("campaign.sessions", campaign=BIG_CAMPAIGN, page=1,
                                 use_cache=False)
    size = len(json.dumps(page.raw).encode())
    assert len(page.raw["data"]) == 5000
    assert size * 4 < DEFAULT_MAX_ANSWER_BYTES


async def test_an_endless_answer_is_refused_while_streaming_and_not_read_further():
    sent = []

    async def endless():
        for _ in range(10_000):
            chunk = b"x" * 65536
            sent.append(len(chunk))
            yield chunk

    def handler(request):
        return httpx.Response(200, content=endless(), headers={"content-type": "application/json"})

    async with client_for(handler, max_answer_bytes=1_000_000) as client:
        with pytest.raises(AnswerTooLarge) as info:
            await client.call("campaign.info", campaign="cam_1001")
    assert sum(sent) <= 1_000_000 + 2 * 65536  # stopped just past the cap
    assert info.value.exit_code == 1
    assert info.value.title == "Answer too large"
    assert ("The answer to campaign.info is more than 1 MB, above the limit of 1 MB "
            "(max_answer_mb in the config)") in info.value.message


async def test_a_declared_length_over_the_cap_is_refused_before_reading():
    read = []

    async def body():
        read.append(1)
        yield b"{}"

    def handler(request):
        return httpx.Response(200, content=body(), headers={"content-length": "60000000"})

    async with client_for(handler, max_answer_bytes=16_000_000) as client:
        with pytest.raises(AnswerTooLarge) as info:
            await client.call("campaign.info", campaign="cam_1001")
    assert read == []
    assert "is 60.0 MB, above the limit of 16 MB" in info.value.message


def test_an_answer_over_the_cap_over_loopback_is_refused_and_nothing_is_cached(tmp_path):
    sandbox = make_sandbox_app(big_sessions=12000)
    cache = ResponseCache(tmp_path / "responses.sqlite3")

    async def call(base_url, **kw):
        async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url, cache=cache,
                          **kw) as client:
            return await client.call("campaign.sessions", campaign=BIG_CAMPAIGN, page=1)

    try:
        with running(sandbox) as base_url:
            with pytest.raises(AnswerTooLarge):
                asyncio.run(call(base_url, max_answer_bytes=1_000_000))
            assert cache.stats().entries == 0
            page = asyncio.run(call(base_url))  # the default cap takes it
        assert len(page.raw["data"]) == 5000
        assert cache.stats().entries == 1
    finally:
        cache.close()


@pytest.mark.parametrize("secret", ["abc\ndef", "abc\x00", "abc\x1b[2J", "abc\u202e", "abc\t"])
def test_credentials_with_a_control_character_are_refused_without_echoing_them(secret):
    with pytest.raises(ValueError) as info:
        Credentials("client-42", secret)
    assert str(info.value) == "client_secret must be one line without control characters"
