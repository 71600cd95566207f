"""The sandbox over real loopback HTTP, and the package's import hygiene."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from ctconsole.sandbox import make_sandbox_app
from ctconsole.sandbox.server import running, serve

from .conftest import headers, ok


@pytest.fixture(scope="module")
def served():
    app = make_sandbox_app(big_sessions=6000)
    with running(app) as base_url:
        yield app, base_url


async def test_real_http_round_trip(served):
    app, base_url = served
    assert base_url.startswith("http://127.0.0.1:")
    async with httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post("/v3/campaign/data", json={"campaign": "cam_1003", "page": 2},
                                   headers=headers())
        body = ok(response.json())
        assert len(body["data"]) == 1000 and body["amount_of_sessions"] == "6000"
        assert app.requests[-1].body == {"campaign": "cam_1003", "page": 2}
        missing = await http.post("/v9/nope", json={}, headers=headers())
        assert missing.status_code == 404


async def test_drop_closes_the_connection_without_a_response(served):
    app, base_url = served
    app.faults.add("drop", operation="auth.check")
    async with httpx.AsyncClient(base_url=base_url) as http:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            await http.post("/v3/authentication", json={}, headers=headers())
        assert ok((await http.post("/v3/authentication", json={}, headers=headers())).json()) == {
            "status": {"status": "OK"}}


async def test_control_surface_arms_faults_and_resets(served):
    app, base_url = served
    async with httpx.AsyncClient(base_url=base_url) as http:
        armed = await http.post("/_sandbox/faults", json={"kind": "rate_limit", "retry_after": 3,
                                                          "operation": "campaign.list"})
        assert armed.json() == {"ok": True, "pending": 1}
        limited = await http.post("/v3/coupon/list", json={}, headers=headers())
        assert limited.status_code == 429 and limited.headers["retry-after"] == "3"
        bad = await http.post("/_sandbox/faults", json={"kind": "nonsense"})
        assert bad.status_code == 400
        code = app.state.sessions.order["cam_1001"][1]
        await http.post("/v3/couponsession/update", json={"couponsession": code, "voided": True},
                        headers=headers())
        assert app.session(code)["voided"] == "1"
        assert (await http.post("/_sandbox/reset")).json() == {"ok": True}
        assert app.session(code)["voided"] == "0" and len(app.faults) == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "example.com", "::"])
def test_non_loopback_hosts_are_refused(host):
    with pytest.raises(ValueError, match="loopback"):
        serve(host=host, port=1)
    with pytest.raises(ValueError, match="loopback"):
        with running(make_sandbox_app(), host=host):
            pass


def test_importing_the_sandbox_pulls_in_neither_models_nor_textual():
    code = ("import sys, ctconsole.sandbox, ctconsole.sandbox.server; "
            "bad = [m for m in sys.modules if m.startswith(('ctconsole.api.models', 'textual'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
