"""Client edge cases over httpx.MockTransport: what is sent, how failures map
into the error tree, retries counted request by request, the concurrency
limit observed, and secrets kept out of reprs, errors and logs."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timezone
from email.utils import formatdate

import httpx
import pytest

from ctconsole.api import (
    ApiError,
    ConnectFailed,
    CtError,
    HttpStatusError,
    InvalidParams,
    RateLimited,
    ServerError,
    TimedOut,
    UnexpectedPayload,
)
from ctconsole.api.client import Client, Credentials, Result
from ctconsole.api.retry import RetryPolicy

SECRET = "s3cr3t-VALUE-that-must-never-leak-9f2c"
CREDS = Credentials("client-42", SECRET)
OK_INFO = {"status": {"status": "OK"}, "coupon_info": {"ID": "cam_1001", "name": "Spring", "status": "active"}}


class Recorder:
    """A MockTransport handler that answers from a script and records requests."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer


def resp(body=OK_INFO, status=200, **kw) -> httpx.Response:
    if isinstance(body, (dict, list)):
        return httpx.Response(status, json=body, **kw)
    return httpx.Response(status, content=body, **kw)


class Sleeps:
    def __init__(self):
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def client_for(handler, *, retries: int = 2, sleeps: Sleeps | None = None, **kw) -> Client:
    policy = RetryPolicy(max_retries=retries, jitter=False, sleep=sleeps or Sleeps())
    return Client(CREDS, base_url="https://api.test", transport=httpx.MockTransport(handler),
                  retry=policy, **kw)


# --- what is sent ---------------------------------------------------------------

async def test_call_posts_json_with_credential_headers_and_parses_the_model():
    rec = Recorder(resp())
    async with client_for(rec) as client:
        result = await client.call("campaign.info", campaign="cam_1001", show_usage_stats="yes")
    (request,) = rec.requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.test/v3/coupon/info"
    assert request.headers["X-Client-Id"] == "client-42"
    assert request.headers["X-Client-Secret"] == SECRET
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"campaign": "cam_1001", "show_usage_stats": True}
    assert isinstance(result, Result)
    assert type(result.data).__name__ == "CampaignInfo"
    assert result.raw == OK_INFO
    assert result.params == {"campaign": "cam_1001", "show_usage_stats": True}
    assert result.operation.name == "campaign.info"
    assert result.from_cache is False and result.stale is False
    assert result.fetched_at.tzinfo is timezone.utc
    assert 0 <= result.age < 5


async def test_unsent_view_chooses_the_path_and_stays_out_of_the_body():
    rec = Recorder(resp({"status": {"status": "OK"}, "data": [], "amount_of_sessions": "0"}))
    async with client_for(rec) as client:
        result = await client.call("campaign.sessions", campaign="cam_1", view="validations")
    assert rec.requests[0].url.path == "/v3/campaign/validations"
    assert json.loads(rec.requests[0].content) == {"campaign": "cam_1"}
    assert result.params["view"] == "validations"


async def test_invalid_params_send_nothing():
    rec = Recorder(resp())
    async with client_for(rec) as client:
        with pytest.raises(InvalidParams) as info:
            await client.call("singleuse.create_many", campaign="cam_1", amount=0, code_length=9)
    assert rec.requests == []
    assert info.value.problems == ["amount: must be between 1 and 100000 (got 0)",
                                   "code_length: must be between 10 and 25 (got 9)"]


async def test_unknown_operation_sends_nothing():
    rec = Recorder(resp())
    async with client_for(rec) as client:
        with pytest.raises(InvalidParams) as info:
            await client.call("campaign.infos")
    assert rec.requests == []
    assert info.value.title == "Unknown operation"
    assert info.value.problems == ["campaign.infos: no such operation (did you mean campaign.info?)"]


async def test_a_base_url_without_scheme_is_reported_not_raised():
    async with Client(CREDS, base_url="api4coupons.com", retry=RetryPolicy.never()) as client:
        with pytest.raises(ConnectFailed) as info:
            await client.call("auth.check")
    assert "not an http(s) URL" in info.value.message


# --- failures mapped into the tree -----------------------------------------------

@pytest.mark.parametrize("body, code", [
    ({"status": {"status": "failed", "errors": {"error_code": 1000, "error_message": "HTTP/1.0 401 Unauthorized."}}}, 1000),
    ({"status": {"status": "failed", "errors": {"error_message": "x", "error_message_description": ["Campaign ID not found"], "error_code": [502]}}}, 502),
    ({"status": {"status": "failed"}, "errors": {"error_message": "x", "error_message_description": ["Couponsession not found."], "error_code": [505]}}, 505),
])
async def test_failure_envelopes_are_api_errors_and_not_retried(body, code):
    rec = Recorder(resp(body))
    async with client_for(rec) as client:
        with pytest.raises(ApiError) as info:
            await client.call("campaign.info", campaign="cam_1")
    assert info.value.codes == [code]
    assert info.value.operation == "campaign.info"
    assert len(rec.requests) == 1


async def test_html_502_is_retried_then_reported_as_server_error():
    sleeps = Sleeps()
    rec = Recorder(resp(b"<html><body>502 Bad Gateway</body></html>", 502,
                        headers={"content-type": "text/html"}))
    async with client_for(rec, sleeps=sleeps) as client:
        with pytest.raises(ServerError) as info:
            await client.call("campaign.info", campaign="cam_1")
    assert len(rec.requests) == 3
    assert sleeps.calls == [0.5, 1.0]
    assert info.value.status_code == 502


async def test_truncated_json_is_unexpected_payload_and_not_retried():
    whole = json.dumps(OK_INFO).encode()
    rec = Recorder(resp(whole[:30]))
    async with client_for(rec) as client:
        with pytest.raises(UnexpectedPayload) as info:
            await client.call("campaign.info", campaign="cam_1")
    assert "cut off" in info.value.message
    assert len(rec.requests) == 1


async def test_wrong_shape_names_the_operation_without_echoing_values():
    body = {"status": {"status": "OK"}, "coupon_info": "a string where an object belongs " + SECRET}
    rec = Recorder(resp(body))
    async with client_for(rec) as client:
        with pytest.raises(UnexpectedPayload) as info:
            await client.call("campaign.info", campaign="cam_1")
    assert "campaign.info" in info.value.message
    assert "coupon_info" in info.value.message
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("status", [400, 404])
async def test_other_statuses_are_http_status_errors_not_retried(status):
    rec = Recorder(resp(b"no", status))
    async with client_for(rec) as client:
        with pytest.raises(HttpStatusError) as info:
            await client.call("campaign.info", campaign="cam_1")
    assert info.value.status_code == status
    assert len(rec.requests) == 1


async def test_read_timeout_is_retried_then_timed_out():
    sleeps = Sleeps()
    rec = Recorder(httpx.ReadTimeout("slow"))
    async with client_for(rec, sleeps=sleeps, timeout=3) as client:
        with pytest.raises(TimedOut) as info:
            await client.call("campaign.list")
    assert len(rec.requests) == 3
    assert "within 3 s" in info.value.message


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.RemoteProtocolError("eof"),
                                 httpx.ReadError("reset")])
async def test_connection_errors_are_connect_failed(exc):
    rec = Recorder(exc)
    async with client_for(rec, retries=0) as client:
        with pytest.raises(ConnectFailed) as info:
            await client.call("campaign.list")
    assert "api.test" in info.value.message
    assert info.value.exit_code == 3


async def test_read_recovers_after_server_errors():
    sleeps = Sleeps()
    rec = Recorder(resp(b"oops", 500), httpx.ConnectError("refused"), resp())
    async with client_for(rec, sleeps=sleeps) as client:
        result = await client.call("campaign.info", campaign="cam_1001")
    assert len(rec.requests) == 3
    assert result.raw == OK_INFO
    assert sleeps.calls == [0.5, 1.0]


async def test_429_with_retry_after_seconds_waits_that_long():
    sleeps = Sleeps()
    rec = Recorder(resp(b"", 429, headers={"Retry-After": "7"}), resp())
    async with client_for(rec, sleeps=sleeps) as client:
        await client.call("campaign.info", campaign="cam_1")
    assert sleeps.calls == [7.0]
    assert len(rec.requests) == 2


async def test_429_with_retry_after_date():
    sleeps = Sleeps()
    later = datetime.now(timezone.utc).timestamp() + 30
    date = formatdate(later, usegmt=True)
    rec = Recorder(resp(b"", 429, headers={"Retry-After": date}), resp())
    async with client_for(rec, sleeps=sleeps) as client:
        await client.call("campaign.info", campaign="cam_1")
    assert len(sleeps.calls) == 1 and 25 <= sleeps.calls[0] <= 31


async def test_429_without_retry_after_backs_off_then_gives_up():
    sleeps = Sleeps()
    rec = Recorder(resp(b"", 429))
    async with client_for(rec, sleeps=sleeps) as client:
        with pytest.raises(RateLimited) as info:
            await client.call("campaign.info", campaign="cam_1")
    assert info.value.retry_after is None
    assert sleeps.calls == [0.5, 1.0]
    assert len(rec.requests) == 3


async def test_429_asking_for_too_long_a_wait_is_not_retried():
    rec = Recorder(resp(b"", 429, headers={"Retry-After": "3600"}))
    async with client_for(rec) as client:
        with pytest.raises(RateLimited) as info:
            await client.call("campaign.info", campaign="cam_1")
    assert info.value.retry_after == 3600
    assert len(rec.requests) == 1


# --- writes are never retried ----------------------------------------------------

@pytest.mark.parametrize("answer, error", [
    (httpx.ReadError("reset"), ConnectFailed),
    (httpx.RemoteProtocolError("dropped"), ConnectFailed),
    (httpx.ReadTimeout("slow"), TimedOut),
    (resp(b"oops", 503), ServerError),
    (resp(b"", 429, headers={"Retry-After": "1"}), RateLimited),
])
async def test_writes_are_never_retried(answer, error):
    sleeps = Sleeps()
    rec = Recorder(answer, resp({"status": {"status": "OK"}}))
    async with client_for(rec, sleeps=sleeps, retries=5) as client:
        with pytest.raises(error) as info:
            await client.call("campaign.push", campaign="cam_1", couponsession="ac6s7u", message="hi")
    assert len(rec.requests) == 1
    assert sleeps.calls == []
    if isinstance(info.value, (ConnectFailed, TimedOut)):
        assert "may or may not have been applied" in info.value.message


async def test_write_that_never_connected_says_nothing_was_sent():
    rec = Recorder(httpx.ConnectError("refused"))
    async with client_for(rec, retries=5) as client:
        with pytest.raises(ConnectFailed) as info:
            await client.call("loyalty.push_all", loyaltycard="loy_1", message="hi")
    assert len(rec.requests) == 1
    assert "Nothing was sent" in info.value.message


# --- concurrency ----------------------------------------------------------------

async def test_concurrency_limit_is_never_exceeded():
    in_flight = 0
    peak = 0

    async def handler(request):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return resp()

    client = Client(CREDS, base_url="https://api.test", transport=httpx.MockTransport(handler),
                    max_concurrency=3)
    sub = client.for_subaccount("sub-key", "sub-secret-value-000000")
    async with client:
        calls = [client.call("campaign.info", campaign=f"cam_{i}") for i in range(10)]
        calls += [sub.call("campaign.info", campaign=f"cam_{i}") for i in range(10)]
        await asyncio.gather(*calls)
    assert peak == 3


# --- subaccount clients ---------------------------------------------------------

async def test_for_subaccount_shares_the_pool_but_sends_other_credentials():
    rec = Recorder(resp())
    async with client_for(rec) as client:
        sub = client.for_subaccount("key-of-sub", "secret-of-sub-123456789")
        await sub.call("campaign.info", campaign="cam_1")
        await sub.aclose()  # leaves the shared pool open
        await client.call("campaign.info", campaign="cam_1")
        assert sub._http is client._http
        assert sub._limit is client._limit
    assert [r.headers["X-Client-Id"] for r in rec.requests] == ["key-of-sub", "client-42"]
    assert rec.requests[0].headers["X-Client-Secret"] == "secret-of-sub-123456789"


# --- secrets --------------------------------------------------------------------

def test_credentials_repr_masks_the_secret():
    # The client ID is masked like the secret (a short one completely).
    assert repr(CREDS) == "Credentials(client_id='…', client_secret='…9f2c')"
    assert SECRET not in str(CREDS)
    assert SECRET not in repr(Client(CREDS))


def test_a_subaccount_clients_repr_masks_its_api_key():
    """A subaccount client's client ID is its api_key: with the secret, a login."""
    key = "key-of-sub-2001-7f3a9c"
    sub = Client(CREDS).for_subaccount(key, "secret-of-sub-123456789")
    assert key not in repr(sub) and key not in str(sub.credentials)
    assert "client_id='…3a9c'" in repr(sub)  # tells two keys apart


def test_credentials_refuse_header_injection_without_echoing():
    with pytest.raises(ValueError) as info:
        Credentials("id", "abc\r\nX-Evil: 1")
    assert "X-Evil" not in str(info.value)


async def test_secrets_never_reach_logs_or_errors(caplog):
    caplog.set_level(logging.DEBUG)
    answers = [resp(b"oops", 500), httpx.ConnectError(f"refused {SECRET}"), resp(b"{\"status\"", 200)]
    rec = Recorder(*answers)
    async with client_for(rec) as client:
        with pytest.raises(CtError) as info:
            await client.call("subaccount.create", email="a@b.co", password="pw-" + SECRET)
        with pytest.raises(CtError) as info2:
            await client.call("campaign.info", campaign="cam_1")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "campaign.info POST /v3/coupon/info" in logged
    for text in (logged, str(info.value), repr(info.value), str(info2.value), repr(info2.value)):
        assert SECRET not in text
    api_logs = [r for r in caplog.records if r.name == "ctconsole.api"]
    assert api_logs and all(r.levelno == logging.DEBUG for r in api_logs)


async def test_log_records_operation_path_status_and_duration(caplog):
    caplog.set_level(logging.DEBUG, logger="ctconsole.api")
    async with client_for(Recorder(resp())) as client:
        await client.call("campaign.info", campaign="cam_1")
    (record,) = [r for r in caplog.records if r.name == "ctconsole.api"]
    message = record.getMessage()
    assert message.startswith("campaign.info POST /v3/coupon/info -> 200 in ")
    assert " ms" in message


# --- paging without a stated total ----------------------------------------------

def directory_page(request: httpx.Request, *, total: int, size: int = 100, echo: bool = True):
    """directory.users pages over `total` users, without an amount_of_ total."""
    page = json.loads(request.content).get("page", 1) if echo else 1
    users = [{"ID": f"reg_{n}"} for n in range((page - 1) * size, min(page * size, total))]
    return resp({"status": {"status": "OK"}, "directory": "dir_1", "page": str(page), "users": users})


async def test_pages_without_a_total_walk_until_a_short_page():
    rec = Recorder(lambda request: directory_page(request, total=250))
    async with client_for(rec) as client:
        got = [len(p.raw["users"]) async for p in client.pages("directory.users", directory="dir_1")]
    assert got == [100, 100, 50]
    assert [json.loads(r.content)["page"] for r in rec.requests] == [1, 2, 3]


async def test_pages_without_a_total_stop_at_an_empty_page():
    rec = Recorder(lambda request: directory_page(request, total=200))
    async with client_for(rec) as client:
        got = [len(p.raw["users"]) async for p in client.pages("directory.users", directory="dir_1")]
    assert got == [100, 100]
    assert len(rec.requests) == 3


async def test_pages_detect_an_api_that_ignores_the_page_parameter():
    rec = Recorder(lambda request: directory_page(request, total=500, echo=False))
    async with client_for(rec) as client:
        with pytest.raises(UnexpectedPayload) as info:
            async for _ in client.pages("directory.users", directory="dir_1"):
                pass
    assert "same page twice" in info.value.message
    assert len(rec.requests) == 2
