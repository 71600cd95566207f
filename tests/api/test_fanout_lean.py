"""Find everywhere over a real loopback socket: the subaccounts' reads go
through the client's one lean keep-alive pool (`Client.lean_reads`), which
lives and closes with the client."""

from __future__ import annotations

import httpx
import pytest

from ctconsole.api.client import Client, Credentials
from ctconsole.api.fanout import accounts
from ctconsole.api.find_everywhere import find_everywhere
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.sandbox.cases import NEEDLE_EMAIL
from ctconsole.sandbox.server import running


@pytest.fixture(scope="module")
def served():
    app = make_sandbox_app(big_sessions=0, cases=True, subaccounts=12)
    with running(app) as base_url:
        yield app, base_url


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def demo_client(base_url: str, **kw) -> Client:
    return Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url, **kw)


async def test_every_account_is_asked_with_its_credentials_over_a_few_kept_connections(served):
    app, base_url = served
    client = demo_client(base_url)
    asked = len(app.requests)
    fan = await (await find_everywhere(client, NEEDLE_EMAIL, concurrency=3)).run()
    needle = app.state.cases["needle"]
    assert [f.target.id for f in fan.found] == [needle["subaccount"]]
    assert [m.session for m in fan.found[0].value.matches] == [needle["session"]]
    searches = [r for r in app.requests[asked:] if r.operation == "session.search"]
    assert len({r.headers["x-client-id"] for r in searches}) == 13  # main + 12, each its own
    assert all(t.client.is_lean for t in fan.targets) and not client.is_lean
    pool = fan.targets[0].client._lean
    assert all(t.client._lean is pool for t in fan.targets)  # one pool for all of them
    assert 1 <= len(pool._idle) <= 3  # 13 searches, at most the pool's 3 connections
    # The next search goes through the same pool, its connections kept.
    again = await (await find_everywhere(client, NEEDLE_EMAIL, concurrency=3)).run()
    assert [f.target.id for f in again.found] == [needle["subaccount"]]
    assert again.targets[5].client._lean is pool and 1 <= len(pool._idle) <= 3
    await client.aclose()
    assert pool.is_closed and not pool._idle


async def test_a_given_transport_keeps_the_fan_out_on_it():
    from ctconsole.demo import demo_client as sandbox_client

    client = sandbox_client(big_sessions=0, cases=True, subaccounts=3)
    try:
        targets = await accounts(client)
        assert len(targets) > 1 and not any(t.client.is_lean for t in targets)
    finally:
        await client.aclose()


async def test_writes_of_a_fan_out_client_stay_on_httpx(served, monkeypatch):
    app, base_url = served
    client = demo_client(base_url)
    try:
        targets = await accounts(client)
        lean = targets[0].client
        assert lean.is_lean
        sent: list[str] = []
        original = httpx.AsyncClient.send

        async def send(self, request, **kw):
            sent.append(request.url.path)
            return await original(self, request, **kw)

        monkeypatch.setattr(httpx.AsyncClient, "send", send)
        code = app.state.sessions.order["cam_1001"][2]
        await lean.call("session.info", couponsession=code, use_cache=False)
        assert sent == []  # the read went through the lean pool
        await lean.call("session.update", couponsession=code, customid="fan-lean")
        assert app.session(code)["customid"] == "fan-lean" and len(sent) == 1
    finally:
        await client.aclose()
