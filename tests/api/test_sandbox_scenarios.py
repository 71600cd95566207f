"""The client against the sandbox beyond single calls: paging the big campaign,
subaccount credentials, and injected faults (in-process and over loopback)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ctconsole.api import (
    ApiError,
    CATALOGUE,
    Client,
    ConnectFailed,
    Credentials,
    RateLimited,
    ServerError,
    TimedOut,
    UnexpectedPayload,
)
from ctconsole.api.retry import RetryPolicy
from ctconsole.sandbox import BIG_CAMPAIGN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.sandbox.server import running

MAIN = Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)


class Sleeps:
    def __init__(self):
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class InFlight(httpx.AsyncBaseTransport):
    """Wraps a transport and records how many requests were open at once."""

    def __init__(self, inner: httpx.AsyncBaseTransport):
        self.inner = inner
        self.now = 0
        self.peak = 0

    async def handle_async_request(self, request):
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response
        finally:
            self.now -= 1


def in_process(app, **kw) -> Client:
    kw.setdefault("retry", RetryPolicy(jitter=False, sleep=Sleeps()))
    return Client(MAIN, base_url="http://sandbox", transport=httpx.ASGITransport(app=app), **kw)


# --- paging ---------------------------------------------------------------------

async def test_pages_of_the_big_campaign_arrive_in_order_concurrently_within_the_limit():
    app = make_sandbox_app(big_sessions=20000)
    app.faults.add("latency", operation="campaign.sessions", times=None, seconds=0.05)
    transport = InFlight(httpx.ASGITransport(app=app))
    seen: list[str] = []
    pages: list[int] = []
    async with Client(MAIN, base_url="http://sandbox", transport=transport, max_concurrency=2) as client:
        async for page in client.pages("campaign.sessions", campaign=BIG_CAMPAIGN):
            pages.append(page.params["page"])
            seen.extend(row.session for row in page.data.sessions)
    assert pages == [1, 2, 3, 4]
    assert len(seen) == 20000 and len(set(seen)) == 20000
    assert [r.body["page"] for r in app.requests][0] == 1
    assert sorted(r.body["page"] for r in app.requests) == [1, 2, 3, 4]
    assert transport.peak == 2  # pages 2-4 overlapped, never more than the limit


async def test_pages_match_a_sequential_walk():
    app = make_sandbox_app(big_sessions=12001)
    async with in_process(app, max_concurrency=3) as client:
        together = [row.session async for page in client.pages("campaign.sessions", campaign=BIG_CAMPAIGN)
                    for row in page.data.sessions]
        one_by_one = []
        for number in (1, 2, 3):
            result = await client.call("campaign.sessions", campaign=BIG_CAMPAIGN, page=number)
            one_by_one.extend(row.session for row in result.data.sessions)
    assert together == one_by_one
    assert len(together) == 12001


async def test_pages_of_directory_users_and_a_start_page():
    app = make_sandbox_app(big_sessions=0)
    async with in_process(app) as client:
        counts = [len(p.data.users) async for p in client.pages("directory.users", directory="dir_5001")]
        app.requests.clear()
        later = [p.params["page"] async for p in client.pages("directory.users", directory="dir_5001", page=2)]
    assert counts == [100, 100, 63]
    assert later == [2, 3]
    assert [r.body["page"] for r in app.requests] == [2, 3]


async def test_a_walk_goes_on_after_a_page_in_hand():
    """`after=`: a pane that already shows page 1 (from the cache) gets the
    rest of the walk, without page 1 again and without asking for it."""
    app = make_sandbox_app(big_sessions=12000)  # pages of 5000: 5000, 5000, 2000
    async with in_process(app) as client:
        first = await client.call("campaign.sessions", campaign=BIG_CAMPAIGN)
        app.requests.clear()
        rest = [p async for p in client.pages("campaign.sessions", campaign=BIG_CAMPAIGN,
                                              after=first)]
        whole = [p async for p in client.pages("campaign.sessions", campaign=BIG_CAMPAIGN)]
    assert [p.params["page"] for p in rest] == [2, 3]
    assert [r.body["page"] for r in app.requests[:2]] == [2, 3]
    codes = [s.session for p in (first, *rest) for s in p.data.sessions]
    assert codes == [s.session for p in whole for s in p.data.sessions]
    assert len(set(codes)) == 12000


async def test_after_the_last_page_there_is_nothing_more_to_ask():
    app = make_sandbox_app(big_sessions=0)
    async with in_process(app) as client:
        only = await client.call("campaign.sessions", campaign="cam_1001")
        app.requests.clear()
        rest = [p async for p in client.pages("campaign.sessions", campaign="cam_1001",
                                              after=only)]
    assert only.last_page and rest == [] and app.requests == []


async def test_last_page_says_where_a_walk_ends():
    app = make_sandbox_app(big_sessions=10000)  # exactly two full pages, total stated
    async with in_process(app) as client:
        pages = [p async for p in client.pages("campaign.sessions", campaign=BIG_CAMPAIGN)]
        users = [p async for p in client.pages("directory.users", directory="dir_5001")]
        unpaged = await client.call("category.list")
    assert [p.last_page for p in pages] == [False, True]  # full, but the total is reached
    assert [p.last_page for p in users] == [False, False, True]  # 100, 100, then 63
    assert unpaged.last_page


async def test_a_small_campaign_is_one_page_and_one_request():
    app = make_sandbox_app(big_sessions=0)
    async with in_process(app) as client:
        pages = [p async for p in client.pages("campaign.sessions", campaign="cam_1001", view="opens")]
    assert len(pages) == 1
    assert [r.path for r in app.requests] == ["/v3/campaign/opens"]


async def test_stopping_early_cancels_the_pages_fetched_ahead():
    app = make_sandbox_app(big_sessions=50000)  # ten pages
    app.faults.add("latency", operation="campaign.sessions", times=None, seconds=0.02)
    async with in_process(app, max_concurrency=2) as client:
        pages = client.pages("campaign.sessions", campaign=BIG_CAMPAIGN)
        async for page in pages:
            if page.params["page"] == 2:
                break
        await pages.aclose()
        asked = len(app.requests)
        await asyncio.sleep(0.1)
    assert len(app.requests) == asked  # nothing more after closing
    assert asked <= 4  # page 1, then at most two pages ahead of the reader (+1 in flight)
    assert {r.body["page"] for r in app.requests} >= {1, 2}


async def test_an_unpaged_operation_yields_its_one_result():
    app = make_sandbox_app(big_sessions=0)
    async with in_process(app) as client:
        pages = [p async for p in client.pages("category.list")]
    assert len(pages) == 1 and pages[0].operation is CATALOGUE.get("category.list")


async def test_a_failing_page_fails_the_walk():
    app = make_sandbox_app(big_sessions=12001)
    async with in_process(app, retry=RetryPolicy.never()) as client:
        first = True
        with pytest.raises(ApiError):
            async for _ in client.pages("campaign.sessions", campaign=BIG_CAMPAIGN):
                if first:
                    app.faults.add("api_error", operation="campaign.sessions", code=300, message="Boom")
                    first = False


# --- subaccounts ----------------------------------------------------------------

async def test_subaccount_credentials_see_only_their_own_campaigns():
    app = make_sandbox_app(big_sessions=0)
    key, secret = app.subaccount_credentials()["sub_2001"]
    async with in_process(app) as client:
        sub = client.for_subaccount(key, secret)
        mine = await sub.call("campaign.list")
        ours = await client.call("campaign.list")
        with pytest.raises(ApiError) as foreign:
            await sub.call("campaign.info", campaign="cam_1001")
    assert sorted(c.id for c in mine.data.campaigns) == ["cam_2101", "cam_2102", "cam_2103"]
    assert "cam_2101" not in [c.id for c in ours.data.campaigns]
    assert foreign.value.codes == [502]
    assert app.requests[0].headers["x-client-id"] == key
    assert secret not in repr(sub)


@pytest.mark.parametrize("name, params", [
    ("subaccount.list", {}), ("subaccount.info", {"subaccount": "sub_2002"}),
    ("subaccount.sso", {"subaccount": "sub_2001"})])
async def test_subaccounts_get_102_on_main_account_operations(name, params):
    app = make_sandbox_app(big_sessions=0)
    async with in_process(app) as client:
        sub = client.for_subaccount(*app.subaccount_credentials()["sub_2005"])
        with pytest.raises(ApiError) as info:
            await sub.call(name, **params)
    assert info.value.codes == [102]
    assert info.value.title == "Not allowed for a subaccount (102)"
    assert info.value.message == "Subaccounts do not have subaccounts."


async def test_wrong_credentials_are_error_1000():
    app = make_sandbox_app(big_sessions=0)
    async with Client(Credentials(DEMO_CLIENT_ID, "wrong-secret-000000000"), base_url="http://sandbox",
                      transport=httpx.ASGITransport(app=app)) as client:
        with pytest.raises(ApiError) as info:
            await client.call("auth.check")
    assert info.value.title == "Invalid credentials (1000)"
    assert "wrong-secret" not in str(info.value)


# --- faults ---------------------------------------------------------------------

async def test_500_twice_is_retried_then_succeeds():
    app = make_sandbox_app(big_sessions=0)
    app.faults.add("status", operation="campaign.info", times=2, status=500)
    sleeps = Sleeps()
    async with in_process(app, retry=RetryPolicy(jitter=False, sleep=sleeps)) as client:
        result = await client.call("campaign.info", campaign="cam_1001")
    assert result.data.campaign.id == "cam_1001"
    assert len(app.requests) == 3
    assert sleeps.calls == [0.5, 1.0]


async def test_server_errors_on_a_write_are_not_retried():
    app = make_sandbox_app(big_sessions=0)
    app.faults.add("status", operation="campaign.push_all", times=1, status=503)
    async with in_process(app) as client:
        with pytest.raises(ServerError):
            await client.call("campaign.push_all", campaign="cam_1001", message="hi")
    assert len(app.requests) == 1


async def test_rate_limit_with_retry_after_then_success():
    app = make_sandbox_app(big_sessions=0)
    app.faults.add("rate_limit", operation="loyalty.list", retry_after=3)
    sleeps = Sleeps()
    async with in_process(app, retry=RetryPolicy(sleep=sleeps)) as client:
        await client.call("loyalty.list")
    assert sleeps.calls == [3.0]
    assert len(app.requests) == 2


async def test_rate_limit_is_reported_when_it_persists():
    app = make_sandbox_app(big_sessions=0)
    app.faults.add("rate_limit", times=None)
    async with in_process(app) as client:
        with pytest.raises(RateLimited):
            await client.call("directory.list")
    assert len(app.requests) == 3


@pytest.mark.parametrize("kind, error", [
    ("html", ServerError), ("malformed_json", UnexpectedPayload), ("truncated", UnexpectedPayload),
    ("wrong_shape", UnexpectedPayload)])
async def test_broken_answers(kind, error):
    app = make_sandbox_app(big_sessions=0)
    app.faults.add(kind, operation="campaign.list", times=None)
    async with in_process(app) as client:
        with pytest.raises(error) as info:
            await client.call("campaign.list")
    assert info.value.operation == "campaign.list"
    expected_requests = 3 if error is ServerError else 1
    assert len(app.requests) == expected_requests


async def test_api_error_fault_shapes():
    app = make_sandbox_app(big_sessions=0)
    app.faults.add("api_error", operation="campaign.push", code=505, message="Couponsession not found.")
    async with in_process(app) as client:
        with pytest.raises(ApiError) as info:
            await client.call("campaign.push", campaign="cam_1001", couponsession="abcdef", message="x")
    assert str(info.value) == "Session not found (505): Couponsession not found."


async def test_dropped_write_over_loopback_is_connect_failed_after_exactly_one_request():
    app = make_sandbox_app(big_sessions=0)
    app.faults.add("drop", operation="singleuse.create")
    with running(app) as base_url:
        async with Client(MAIN, base_url=base_url, retry=RetryPolicy(max_retries=5, sleep=Sleeps())) as client:
            with pytest.raises(ConnectFailed) as info:
                await client.call("singleuse.create", campaign="cam_1005", email="x@example.com")
    assert len(app.requests) == 1
    assert "may or may not have been applied" in info.value.message


async def test_dropped_read_over_loopback_is_retried():
    app = make_sandbox_app(big_sessions=0)
    app.faults.add("drop", operation="campaign.info")
    with running(app) as base_url:
        async with Client(MAIN, base_url=base_url, retry=RetryPolicy(sleep=Sleeps())) as client:
            result = await client.call("campaign.info", campaign="cam_1002")
    assert result.data.campaign.id == "cam_1002"
    assert len(app.requests) == 2


async def test_slow_answer_over_loopback_times_out():
    app = make_sandbox_app(big_sessions=0)
    app.faults.add("latency", operation="directory.list", seconds=1.0)
    with running(app) as base_url:
        async with Client(MAIN, base_url=base_url, timeout=0.2, retry=RetryPolicy.never()) as client:
            with pytest.raises(TimedOut) as info:
                await client.call("directory.list")
    assert "within 0.2 s" in info.value.message


async def test_nothing_listening_is_connect_failed():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with Client(MAIN, base_url=f"http://127.0.0.1:{port}", retry=RetryPolicy.never()) as client:
        with pytest.raises(ConnectFailed) as info:
            await client.call("auth.check")
    assert "could not connect" in info.value.message
