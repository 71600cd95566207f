"""Every injected fault kind, in-process, plus the request log."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from .conftest import MAIN, errors, headers, ok, post


async def _list(http):
    return await http.post("/v3/coupon/list", json={}, headers=headers())


async def test_latency_delays_then_answers(app, http):
    app.faults.add("latency", seconds=0.2)
    started = time.perf_counter()
    response = await _list(http)
    assert time.perf_counter() - started >= 0.2
    assert ok(response.json())
    started = time.perf_counter()
    await _list(http)
    assert time.perf_counter() - started < 0.2  # used up


@pytest.mark.parametrize("status", [500, 503])
async def test_status_with_json_or_html_body(app, http, status):
    app.faults.add("status", status=status)
    response = await _list(http)
    assert response.status_code == status and "status" not in response.json()
    app.faults.add("status", status=status, body="html")
    response = await _list(http)
    assert response.status_code == status and response.headers["content-type"] == "text/html"
    assert ok((await _list(http)).json())


async def test_rate_limit_with_and_without_retry_after(app, http):
    app.faults.add("rate_limit", retry_after=7)
    app.faults.add("rate_limit")
    first, second = await _list(http), await _list(http)
    assert first.status_code == second.status_code == 429
    assert first.headers["retry-after"] == "7" and "retry-after" not in second.headers


async def test_html_proxy_page(app, http):
    app.faults.add("html")
    response = await _list(http)
    assert response.status_code == 502 and "<h1>502 Bad Gateway</h1>" in response.text


async def test_malformed_and_truncated_json(app, http):
    app.faults.add("malformed_json")
    app.faults.add("truncated")
    for _ in range(2):
        response = await _list(http)
        assert response.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.content)
    whole = (await _list(http)).content
    app.faults.add("truncated")
    cut = (await _list(http)).content
    assert whole.startswith(cut) and 0 < len(cut) < len(whole)


async def test_drop_surfaces_as_an_httpx_transport_error(app, http):
    app.faults.add("drop")
    with pytest.raises(httpx.RemoteProtocolError) as caught:
        await _list(http)
    assert caught.value.request.url.path == "/v3/coupon/list"
    assert isinstance(caught.value, httpx.TransportError)
    assert ok((await _list(http)).json())


async def test_wrong_shape_keeps_the_envelope(app, http):
    app.faults.add("wrong_shape", operation="subaccount.list")
    body = await post(http, "subaccount.list")
    assert body["status"] == {"status": "OK"} and body["subaccount"] == "oops"
    app.faults.add("wrong_shape", field="data", value={"not": "a list"})
    body = await post(http, "campaign.sessions", campaign="cam_1001")
    assert body["data"] == {"not": "a list"}


async def test_api_error_in_each_shape(app, http):
    app.faults.add("api_error", code=515, message="Folder not found")
    assert errors(await post(http, "campaign.list")) == [(515, "Folder not found")]
    app.faults.add("api_error", operation="campaign.push", code=505,
                   message="Couponsession not found.")
    body = await post(http, "campaign.push", campaign="cam_1001", couponsession="abcdef",
                      message="x")
    assert body["errors"]["error_code"] == [505] and body["status"] == {"status": "failed"}
    app.faults.add("api_error", shape="A")
    assert (await post(http, "auth.check"))["status"]["errors"]["error_code"] == 1000


async def test_fault_targets_one_operation_and_counts_times(app, http):
    app.faults.add("status", operation="directory.list", times=2, status=503)
    assert ok(await post(http, "campaign.list"))
    for _ in range(2):
        response = await http.post("/v3/directory/list", json={}, headers=headers())
        assert response.status_code == 503
    assert ok(await post(http, "directory.list"))
    app.faults.add("status", times=None)
    for _ in range(3):
        assert (await _list(http)).status_code == 500
    app.faults.clear()
    assert (await _list(http)).status_code == 200


def test_unknown_fault_kind_is_refused(app):
    with pytest.raises(ValueError, match="unknown fault kind"):
        app.faults.add("gremlins")


async def test_request_log_records_path_headers_and_body(app, http):
    await http.post("/v3/coupon/info", json={"campaign": "cam_1001", "show_usage_stats": True},
                    headers={**headers(), "User-Agent": "probe/1"})
    await http.post("/v3/category/list", content=b"[]", headers=headers())
    first, second = app.requests
    assert (first.method, first.path, first.operation) == ("POST", "/v3/coupon/info", "campaign.info")
    assert first.body == {"campaign": "cam_1001", "show_usage_stats": True}
    assert first.headers["x-client-id"] == MAIN[0] and first.headers["x-client-secret"] == MAIN[1]
    assert first.headers["user-agent"] == "probe/1"
    assert second.body == [] and second.raw_body == b"[]"
    assert MAIN[1] not in repr(first) and "***" in repr(first)
