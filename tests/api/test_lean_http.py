"""The lean keep-alive pool a batch's lookups go through (`Client.with_lean_pool`):
the same answers and the same explained failures as httpx's pool, over a real
loopback socket."""

from __future__ import annotations

import asyncio
import json

import pytest

from ctconsole.api import AnswerTooLarge
from ctconsole.api.client import Client, Credentials
from ctconsole.api.errors import ConnectFailed, RateLimited
from ctconsole.api.retry import RetryPolicy
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from ctconsole.sandbox.server import running

OK = json.dumps({"status": {"status": "OK"}}).encode()


@pytest.fixture(scope="module")
def served():
    app = make_sandbox_app()
    with running(app) as base_url:
        yield app, base_url


def demo_client(base_url: str, **kw) -> Client:
    return Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url, **kw)


async def test_reads_through_the_lean_pool_answer_as_httpx_does_and_reuse_connections(served):
    app, base_url = served
    code = app.state.sessions.order["cam_1001"][0]
    client = demo_client(base_url)
    lean = client.with_lean_pool()
    assert lean.is_lean and not client.is_lean
    try:
        answers = [await c.call("session.info", couponsession=code, use_cache=False)
                   for c in (client, lean, lean, lean)]
        assert {a.data.session for a in answers} == {code}
        assert answers[1].raw == answers[0].raw
        assert len(lean._lean._idle) == 1  # three reads, one connection
        seen = app.requests[-1]
        assert seen.body == {"couponsession": code}
    finally:
        await lean.aclose()
        await client.aclose()
    assert lean._lean.is_closed and not lean._lean._idle


async def test_writes_of_a_lean_client_go_through_httpx_which_never_resends(served):
    app, base_url = served
    code = app.state.sessions.order["cam_1001"][1]
    client = demo_client(base_url)
    lean = client.with_lean_pool()
    try:
        await lean.call("session.update", couponsession=code, customid="lean-test")
        assert app.session(code)["customid"] == "lean-test"
        assert not lean._lean._idle  # the write never touched the lean pool
    finally:
        await lean.aclose()
        await client.aclose()


async def test_a_rate_limited_read_is_retried_and_a_dropped_one_explained(served):
    app, base_url = served
    policy = RetryPolicy(max_retries=1, base_delay=0.01, jitter=False)
    client = demo_client(base_url, retry=policy)
    lean = client.with_lean_pool()
    try:
        app.faults.add("rate_limit", operation="auth.check", retry_after=0)
        assert (await lean.call("auth.check")).raw["status"]["status"] == "OK"
        app.faults.add("rate_limit", operation="auth.check", times=2, retry_after=0)
        with pytest.raises(RateLimited):
            await lean.call("auth.check")
        no_retry = demo_client(base_url, retry=RetryPolicy(max_retries=0)).with_lean_pool()
        app.faults.add("drop", operation="auth.check")
        with pytest.raises(ConnectFailed, match="connection dropped"):
            await no_retry.call("auth.check")
        assert (await no_retry.call("auth.check")).raw["status"]["status"] == "OK"
        await no_retry.aclose()
    finally:
        app.faults.clear()
        await lean.aclose()
        await client.aclose()


async def raw_server(answers):
    """A loopback server answering each connection's requests with `answers`
    in turn (bytes), then closing it; the number of connections it took."""
    connections = []

    async def handle(reader, writer):
        connections.append(writer)
        for answer in answers:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))
            await reader.readexactly(length)
            writer.write(answer)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}", connections


def answer(body: bytes, *extra: str) -> bytes:
    head = ["HTTP/1.1 200 OK", "Content-Type: application/json", *extra]
    if not any(h.startswith("Transfer-Encoding") for h in extra):
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def test_a_connection_the_server_closed_while_idle_is_replaced_not_failed():
    server, url, connections = await raw_server([answer(OK)])  # closes after one answer
    lean = demo_client(url).with_lean_pool()
    try:
        for _ in range(3):
            assert (await lean.call("auth.check")).raw == {"status": {"status": "OK"}}
        assert len(connections) == 3
    finally:
        await lean.aclose()
        server.close()


async def test_chunked_answers_are_read_and_oversized_ones_refused():
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(OK), OK)
    server, url, _ = await raw_server([answer(chunked, "Transfer-Encoding: chunked")] * 2)
    lean = demo_client(url).with_lean_pool()
    small = demo_client(url, max_answer_bytes=10).with_lean_pool()
    try:
        assert (await lean.call("auth.check")).raw == {"status": {"status": "OK"}}
        with pytest.raises(AnswerTooLarge):
            await small.call("auth.check")
    finally:
        await lean.aclose()
        await small.aclose()
        server.close()


async def test_nobody_listening_is_could_not_connect():
    server, url, _ = await raw_server([])
    server.close()
    await server.wait_closed()
    lean = demo_client(url, retry=RetryPolicy(max_retries=0)).with_lean_pool()
    with pytest.raises(ConnectFailed, match="could not connect"):
        await lean.call("auth.check")
    await lean.aclose()


def test_behind_a_proxy_or_on_a_given_transport_lookups_stay_on_httpx(monkeypatch):
    import httpx

    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    client = demo_client("https://api4coupons.com")
    assert client.with_lean_pool().is_lean
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert not client.with_lean_pool().is_lean
    monkeypatch.delenv("HTTPS_PROXY")
    given = demo_client("https://api4coupons.com",
                        transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    assert not given.with_lean_pool().is_lean


async def test_an_https_base_url_talks_tls_and_a_plain_server_is_could_not_connect():
    async def plain(reader, writer):
        writer.write(answer(OK))  # no TLS: the handshake reads this and gives up
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(plain, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    lean = demo_client(f"https://127.0.0.1:{port}",
                       retry=RetryPolicy(max_retries=0)).with_lean_pool()
    try:
        assert lean.is_lean
        with pytest.raises(ConnectFailed, match="could not connect"):
            await lean.call("auth.check")
    finally:
        await lean.aclose()
        server.close()


async def test_a_batch_everywhere_looks_in_subaccounts_through_the_lean_pool():
    from ctconsole.writes.batch import Accounts, Resolver, parse_text, resolve, rows_for

    app = make_sandbox_app()
    sub_code = next(c for c in app.state.sessions.order["cam_2101"])
    main_code = app.state.sessions.order["cam_1001"][0]
    with running(app) as base_url:
        client = demo_client(base_url)
        accounts = Accounts(client, everywhere=True)
        try:
            rows = await resolve(rows_for(parse_text(f"{main_code}\n{sub_code}").items),
                                 Resolver(accounts))
            assert [(r.status, r.target.subaccount) for r in rows] == [
                ("found", None), ("found", "sub_2001")]
            clients = [c for _, c in await accounts.searched(0)]
            assert len(clients) > 1 and all(c.is_lean for c in clients)
            assert len({id(c._lean) for c in clients}) == 1  # one pool, each its credentials
        finally:
            await accounts.aclose()
            await client.aclose()
