"""The response cache through the client, against the real (in-process) sandbox.

Every test counts the requests the sandbox received: a cache hit is a read
that sent nothing, a miss is one that did.
"""

from __future__ import annotations

import httpx
import pytest

from ctconsole.api import CATALOGUE, Client, Credentials, OfflineError
from ctconsole.api.errors import ApiError, ConnectFailed, ServerError, TimedOut
from ctconsole.api.retry import RetryPolicy
from ctconsole.cache import ResponseCache
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app

MAIN = Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)


async def _no_sleep(seconds: float) -> None:
    return None


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=1200)


@pytest.fixture
def make_client(sandbox, cache, clock):
    made: list[Client] = []

    def make(**kw) -> Client:
        kw.setdefault("cache", cache)
        kw.setdefault("clock", clock)
        kw.setdefault("retry", RetryPolicy(jitter=False, sleep=_no_sleep))
        kw.setdefault("transport", httpx.ASGITransport(app=sandbox))
        client = Client(MAIN, base_url="http://sandbox", **kw)
        made.append(client)
        return client

    yield make


@pytest.fixture
async def client(make_client):
    c = make_client()
    yield c
    await c.aclose()


def sent(sandbox, operation: str | None = None) -> int:
    return sum(1 for r in sandbox.requests if operation is None or r.operation == operation)


# --- hit, miss, expiry ---------------------------------------------------------------


async def test_second_read_is_a_hit_and_sends_nothing(client, sandbox, clock):
    first = await client.call("campaign.info", campaign="cam_1001", show_usage_stats=True)
    assert sent(sandbox) == 1
    assert first.from_cache is False and first.stale is False
    assert first.fetched_at.timestamp() == clock.now

    clock.advance(30)
    second = await client.call("campaign.info", campaign="cam_1001", show_usage_stats="true")
    assert sent(sandbox) == 1  # "true" from a command line is the same key as True
    assert second.from_cache is True and second.stale is False and second.offline is False
    assert second.fetched_at == first.fetched_at
    assert second.data == first.data and second.raw == first.raw
    assert second.params == {"campaign": "cam_1001", "show_usage_stats": True}


async def test_other_parameters_are_a_miss(client, sandbox):
    await client.call("campaign.info", campaign="cam_1001")
    await client.call("campaign.info", campaign="cam_1002")
    await client.call("campaign.info", campaign="cam_1001", show_usage_stats=True)
    assert sent(sandbox) == 3


async def test_an_entry_expires_after_the_catalogue_max_age(client, sandbox, clock):
    max_age = CATALOGUE.get("campaign.info").max_age
    await client.call("campaign.info", campaign="cam_1001")
    clock.advance(max_age - 1)
    assert (await client.call("campaign.info", campaign="cam_1001")).from_cache
    assert sent(sandbox) == 1
    clock.advance(2)
    again = await client.call("campaign.info", campaign="cam_1001")
    assert again.from_cache is False and sent(sandbox) == 2
    assert again.fetched_at.timestamp() == clock.now


async def test_configured_overrides_and_the_callers_max_age_win(make_client, sandbox, clock):
    client = make_client(cache_overrides={"campaign.*": 5})
    await client.call("campaign.info", campaign="cam_1001")
    clock.advance(6)
    await client.call("campaign.info", campaign="cam_1001")
    assert sent(sandbox) == 2  # the group override (5 s) beat the catalogue's 120 s
    clock.advance(3)
    assert (await client.call("campaign.info", campaign="cam_1001", max_age=10)).from_cache
    assert not (await client.call("campaign.info", campaign="cam_1001", max_age=0)).from_cache
    assert sent(sandbox) == 3
    await client.aclose()


async def test_no_cache_neither_reads_nor_stores(client, sandbox, cache):
    await client.call("campaign.list", use_cache=False)
    await client.call("campaign.list", use_cache=False)
    assert sent(sandbox) == 2
    assert cache.stats().entries == 0
    await client.call("campaign.list")
    await client.call("campaign.list", use_cache=False)
    assert sent(sandbox) == 4


async def test_hit_rate_counts_what_the_client_served(client, cache):
    await client.call("campaign.list")
    await client.call("campaign.list")
    await client.call("campaign.list")
    stats = cache.stats()
    assert (stats.entries, stats.hits, stats.misses) == (1, 2, 1)


async def test_without_a_cache_every_read_is_sent(make_client, sandbox):
    client = make_client(cache=None)
    await client.call("campaign.list")
    result = await client.call("campaign.list")
    assert sent(sandbox) == 2 and result.from_cache is False
    assert client.peek("campaign.list") is None
    await client.aclose()


async def test_peek_servable_passes_over_what_call_would_not_serve(make_client, cache,
                                                                    monkeypatch):
    """`peek(servable=True)`: only what `call` would answer without asking,
    and anything else is not even parsed."""
    client = make_client()
    await client.call("campaign.list")
    await client.call("subaccount.list")  # cached with its credentials blanked
    parsed = []
    parse = client._parse
    monkeypatch.setattr(client, "_parse",
                        lambda op, raw, model=None: parsed.append(op.name) or parse(op, raw, model))

    assert client.peek("campaign.list", servable=True).stale is False
    assert parsed == ["campaign.list"]
    cache.invalidate("campaign.list")
    assert client.peek("campaign.list", servable=True) is None
    assert client.peek("subaccount.list", servable=True) is None
    assert parsed == ["campaign.list"]  # neither was parsed
    assert client.peek("campaign.list").stale is True  # without it: whatever is cached

    offline = make_client(offline=True)  # nothing to ask: a stale answer is what it serves
    assert offline.peek("campaign.list", servable=True).offline is True
    await client.aclose()
    await offline.aclose()


def test_no_operation_has_a_parameter_named_like_a_call_option():
    clashes = [(op.name, p.name) for op in CATALOGUE for p in op.params
               if p.name in ("use_cache", "max_age")]
    assert clashes == []


# --- keys: paging, views, accounts -------------------------------------------------


async def test_page_one_and_no_page_share_an_entry_and_pages_are_cached_each(client, sandbox):
    first = [p async for p in client.pages("directory.users", directory="dir_5001")]
    assert [p.params["page"] for p in first] == [1, 2, 3]
    assert sent(sandbox) == 3
    plain = await client.call("directory.users", directory="dir_5001")
    page2 = await client.call("directory.users", directory="dir_5001", page=2)
    assert plain.from_cache and page2.from_cache and sent(sandbox) == 3
    assert plain.raw == first[0].raw and page2.raw == first[1].raw
    again = [p async for p in client.pages("directory.users", directory="dir_5001")]
    assert all(p.from_cache for p in again) and sent(sandbox) == 3
    assert [u.id for p in again for u in p.data.users] == [u.id for p in first for u in p.data.users]


async def test_the_default_view_with_or_without_view_is_one_entry(client, sandbox):
    await client.call("campaign.sessions", campaign="cam_1001")
    assert (await client.call("campaign.sessions", campaign="cam_1001", view="all")).from_cache
    opens = await client.call("campaign.sessions", campaign="cam_1001", view="opens")
    assert opens.from_cache is False and sent(sandbox) == 2


async def test_a_subaccount_never_sees_the_main_accounts_entries(client, sandbox):
    key, secret = sandbox.subaccount_credentials()["sub_2001"]
    sub = client.for_subaccount(key, secret)
    mine = await client.call("campaign.list")
    theirs = await sub.call("campaign.list")
    assert sent(sandbox) == 2
    assert {c.id for c in theirs.data.items} != {c.id for c in mine.data.items}
    assert (await sub.call("campaign.list")).raw == theirs.raw
    assert (await client.call("campaign.list")).raw == mine.raw
    assert sent(sandbox) == 2


# --- stale-while-revalidate -----------------------------------------------------------


async def test_watch_yields_the_cached_answer_first_then_the_fresh_one(client, sandbox, clock):
    await client.call("session.search", email="x@example.com")  # warm another entry
    listed = await client.call("campaign.sessions", campaign="cam_1001")
    code = listed.raw["data"][0]["session"]
    old = await client.call("session.info", couponsession=code)
    assert old.data.data.status.validated is False
    sandbox.session(code)["validated"] = "1"  # changed behind our back
    clock.advance(CATALOGUE.get("session.info").max_age + 5)
    before = sent(sandbox)

    seen = [r async for r in client.watch("session.info", couponsession=code)]

    assert [r.from_cache for r in seen] == [True, False]
    cached, fresh = seen
    assert cached.stale is True and cached.fetched_at == old.fetched_at
    assert cached.data.data.status.validated is False
    assert fresh.stale is False and fresh.data.data.status.validated is True
    assert fresh.fetched_at.timestamp() == clock.now
    assert sent(sandbox) == before + 1
    # ...and the fresh answer replaced the cached one.
    assert (await client.call("session.info", couponsession=code)).data.data.status.validated


async def test_watch_stops_at_a_fresh_cached_answer(client, sandbox):
    await client.call("campaign.list")
    seen = [r async for r in client.watch("campaign.list")]
    assert [(r.from_cache, r.stale) for r in seen] == [(True, False)]
    assert sent(sandbox) == 1


async def test_watch_with_nothing_cached_yields_the_fetch_only(client, sandbox):
    seen = [r async for r in client.watch("campaign.list")]
    assert [r.from_cache for r in seen] == [False] and sent(sandbox) == 1


async def test_watch_raises_after_the_cached_answer_when_the_refresh_fails(client, sandbox, clock):
    await client.call("campaign.info", campaign="cam_1001")
    clock.advance(1000)
    sandbox.faults.add("api_error", operation="campaign.info", code=502, message="Campaign ID not found")
    seen = []
    with pytest.raises(ApiError):
        async for result in client.watch("campaign.info", campaign="cam_1001"):
            seen.append(result)
    assert [r.from_cache for r in seen] == [True]


async def test_redacted_subaccount_list_is_shown_then_refetched_for_its_credentials(client, sandbox):
    first = await client.call("subaccount.list")
    assert first.data.items[0].api_key is not None
    again = await client.call("subaccount.list")
    assert again.from_cache is False and sent(sandbox) == 2  # the cached copy has no secrets
    seen = [r async for r in client.watch("subaccount.list")]
    assert [r.from_cache for r in seen] == [True, False]
    assert seen[0].redacted and all(s.api_key is None and s.api_secret is None
                                    for s in seen[0].data.items)
    assert all(s.api_secret is not None for s in seen[1].data.items)


async def test_an_entry_that_no_longer_parses_is_dropped_and_refetched(client, sandbox, cache):
    await client.call("campaign.info", campaign="cam_1001")
    cache.put(client._account, "campaign.info", {"campaign": "cam_1001"},
              b'{"status": {"status": "OK"}, "coupon_info": "not an object"}', fetched_at=cache._clock())
    result = await client.call("campaign.info", campaign="cam_1001")
    assert result.from_cache is False and result.data.campaign.id == "cam_1001"
    assert sent(sandbox) == 2
    assert (await client.call("campaign.info", campaign="cam_1001")).from_cache


# --- invalidation by writes -----------------------------------------------------------


async def _session_of(client, campaign="cam_1001") -> str:
    return (await client.call("campaign.sessions", campaign=campaign)).raw["data"][0]["session"]


async def _loyalty_user(client) -> str:
    return (await client.call("loyalty.users", loyaltycard="loy_3001")).raw["users"][0]["ID"]


async def _directory_user(client) -> str:
    return (await client.call("directory.users", directory="dir_5001")).raw["users"][0]["ID"]


#: (write, its params given the looked-up value, the read it must make stale,
#:  that read's params, what a person would see change in the read's raw body)
WRITES = [
    ("subaccount.create", lambda v: {"email": "new.owner@example.com"},
     "subaccount.list", lambda v: {}, lambda raw: len(raw["subaccount"]), None),
    ("subaccount.update", lambda v: {"subaccount": "sub_2001", "company_name": "Peeters & Zonen"},
     "subaccount.info", lambda v: {"subaccount": "sub_2001"},
     lambda raw: raw["subaccount"]["company_name"], None),
    ("session.update", lambda v: {"couponsession": v, "validated": True},
     "session.info", lambda v: {"couponsession": v},
     lambda raw: raw["data"]["status"]["validated"], _session_of),
    ("session.update_many", lambda v: {"couponsessions": [v[:6]], "voided": True},
     "session.info", lambda v: {"couponsession": v},
     lambda raw: raw["data"]["status"]["voided"], _session_of),
    ("loyalty.user_update", lambda v: {"loyaltycard": "loy_3001", "user": v, "stamps": 2},
     "loyalty.users", lambda v: {"loyaltycard": "loy_3001"},
     lambda raw: [u["stamps"] for u in raw["users"]], _loyalty_user),
    ("directory.user_payment",
     lambda v: {"directory": "dir_5001", "user": v, "payment_status": "unpaid"},
     "directory.users", lambda v: {"directory": "dir_5001"},
     lambda raw: [u["payment_status"] for u in raw["users"]], _directory_user),
    ("singleuse.create", lambda v: {"campaign": "cam_1005", "firstname": "Ana"},
     "campaign.sessions", lambda v: {"campaign": "cam_1005"},
     lambda raw: raw["amount_of_sessions"], None),
    ("singleuse.create_many", lambda v: {"campaign": "cam_1005", "amount": 3},
     "campaign.info", lambda v: {"campaign": "cam_1005"},
     lambda raw: raw["coupon_info"]["amount_of_sessions"], None),
    ("singleuse.remove", lambda v: {"campaign": "cam_1005", "couponsession": v},
     "campaign.sessions", lambda v: {"campaign": "cam_1005"},
     lambda raw: raw["amount_of_sessions"], lambda c: _session_of(c, "cam_1005")),
]


def test_the_table_covers_every_write_that_invalidates():
    assert {w[0] for w in WRITES} == {op.name for op in CATALOGUE if op.invalidates}


@pytest.mark.parametrize("write, write_params, read, read_params, visible, lookup", WRITES,
                         ids=[w[0] for w in WRITES])
async def test_after_each_write_the_affected_read_goes_to_the_api(
        client, sandbox, write, write_params, read, read_params, visible, lookup):
    value = await lookup(client) if lookup else None
    before = await client.call(read, **read_params(value))
    assert client.peek(read, **read_params(value)).stale is False
    if not client.peek(read, **read_params(value)).redacted:  # subaccount reads always refetch
        assert (await client.call(read, **read_params(value))).from_cache
    asked = sent(sandbox, read)

    await client.call(write, **write_params(value))

    assert client.peek(read, **read_params(value)).stale is True
    after = await client.call(read, **read_params(value))
    assert after.from_cache is False
    assert sent(sandbox, read) == asked + 1
    assert visible(after.raw) != visible(before.raw)  # and what changed is on screen


async def test_invalidation_is_targeted(client, sandbox):
    await client.call("campaign.info", campaign="cam_1001")
    await client.call("campaign.info", campaign="cam_1002")
    await client.call("singleuse.create", campaign="cam_1001")
    assert (await client.call("campaign.info", campaign="cam_1002")).from_cache
    assert not (await client.call("campaign.info", campaign="cam_1001")).from_cache


async def test_a_write_the_api_refused_keeps_the_cache(client, sandbox):
    await client.call("campaign.info", campaign="cam_1001")
    with pytest.raises(ApiError):
        await client.call("singleuse.create", campaign="cam_9999")
    sandbox.faults.add("api_error", operation="singleuse.create", code=300)
    with pytest.raises(ApiError):
        await client.call("singleuse.create", campaign="cam_1001")
    assert (await client.call("campaign.info", campaign="cam_1001")).from_cache


async def test_a_write_without_an_answer_still_marks_stale(client, sandbox):
    await client.call("campaign.info", campaign="cam_1001")
    sandbox.faults.add("status", operation="singleuse.create", status=502)
    with pytest.raises(ServerError):
        await client.call("singleuse.create", campaign="cam_1001")
    assert not (await client.call("campaign.info", campaign="cam_1001")).from_cache


async def test_a_push_changes_nothing_cached(client, sandbox):
    await client.call("campaign.info", campaign="cam_1001")
    await client.call("campaign.push_all", campaign="cam_1001", message="Happy Friday")
    assert (await client.call("campaign.info", campaign="cam_1001")).from_cache


# --- offline ----------------------------------------------------------------------------


async def test_offline_reads_come_from_the_cache_with_their_age(make_client, sandbox, cache, clock):
    online = make_client()
    fetched = await online.call("campaign.info", campaign="cam_1001")
    pages = [p async for p in online.pages("directory.users", directory="dir_5001")]
    await online.aclose()
    clock.advance(3600)
    asked = sent(sandbox)

    offline = make_client(offline=True)
    result = await offline.call("campaign.info", campaign="cam_1001")
    assert (result.from_cache, result.offline, result.stale) == (True, True, True)
    assert result.fetched_at == fetched.fetched_at
    assert result.data == fetched.data
    walked = [p async for p in offline.pages("directory.users", directory="dir_5001")]
    assert [p.raw for p in walked] == [p.raw for p in pages]
    assert [r.from_cache for r in [r async for r in offline.watch("campaign.info", campaign="cam_1001")]] == [True]
    assert sent(sandbox) == asked
    await offline.aclose()


async def test_offline_with_nothing_cached_says_so_and_sends_nothing(make_client, sandbox):
    offline = make_client(offline=True)
    with pytest.raises(OfflineError) as caught:
        await offline.call("campaign.info", campaign="cam_1001")
    assert str(caught.value).startswith("Offline: nothing cached for campaign.info ")
    with pytest.raises(OfflineError):
        [r async for r in offline.watch("campaign.list")]
    assert sent(sandbox) == 0
    await offline.aclose()


@pytest.mark.parametrize("write", [op.name for op in CATALOGUE if not op.is_read])
async def test_offline_writes_are_refused_with_nothing_sent(make_client, sandbox, write):
    offline = make_client(offline=True)
    params = {p.name: _sample(p) for p in CATALOGUE.get(write).params if p.required}
    if write == "loyalty.user_update":
        params["stamps"] = 1
    with pytest.raises(OfflineError) as caught:
        await offline.call(write, **params)
    assert caught.value.message.startswith(f"{write} is a write; writes are refused while offline")
    assert sent(sandbox) == 0
    await offline.aclose()


def _sample(p) -> object:
    samples = {"id": (p.prefix or "x_") + "1001", "code": "Xk3PqR7aBc9DeF1gH2iJk",
               "codes": ["Xk3PqR7aBc9DeF1gH2iJk"], "email": "a@example.com", "enum": p.choices[0] if p.choices else "",
               "str": "hello", "int": 1, "bool": True, "date": "2027-01-01"}
    return samples[p.type]


async def test_unreachable_api_serves_the_cached_answer_marked_offline(client, sandbox, clock):
    fetched = await client.call("campaign.info", campaign="cam_1001")
    clock.advance(1000)
    sandbox.faults.add("drop", operation="campaign.info", times=None)
    result = await client.call("campaign.info", campaign="cam_1001")
    assert (result.from_cache, result.stale, result.offline) == (True, True, True)
    assert result.data == fetched.data
    assert sent(sandbox, "campaign.info") > 2  # it tried (with retries) before falling back
    with pytest.raises((ConnectFailed, TimedOut)):
        await client.call("campaign.info", campaign="cam_1002")  # nothing cached: the error


async def test_closed_port_serves_the_cached_answer(tmp_path, clock):
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cache = ResponseCache(tmp_path / "c.sqlite3", clock=clock)
    sandbox = make_sandbox_app(big_sessions=10)
    retry = RetryPolicy(jitter=False, sleep=_no_sleep)
    async with Client(MAIN, base_url="http://sandbox", cache=cache, clock=clock, retry=retry,
                      transport=httpx.ASGITransport(app=sandbox)) as live:
        await live.call("campaign.list")
    clock.advance(1000)
    async with Client(MAIN, base_url=f"http://127.0.0.1:{port}", cache=cache, clock=clock,
                      retry=retry) as down:
        # Another base URL would normally mean another database; this test
        # shares one file on purpose to reach the same entry.
        result = await down.call("campaign.list")
    assert (result.from_cache, result.stale, result.offline) == (True, True, True)
    cache.close()


# --- secrets and damage, through the client -------------------------------------------


async def test_no_secret_reaches_the_database_after_a_scripted_session(tmp_path, clock):
    path = tmp_path / "responses.sqlite3"
    cache = ResponseCache(path, clock=clock)
    sandbox = make_sandbox_app(big_sessions=50)
    password = "Pw-never-on-disk-7731"
    async with Client(MAIN, base_url="http://sandbox", cache=cache, clock=clock,
                      transport=httpx.ASGITransport(app=sandbox)) as client:
        listed = await client.call("subaccount.list")
        secrets = []
        for sub in listed.data.items:
            info = await client.call("subaccount.info", subaccount=sub.id)
            key, secret = sub.api_key.get_secret_value(), sub.api_secret.get_secret_value()
            secrets += [key, secret]
            assert info.raw["subaccount"]["api_secret"] == secret  # the caller still gets it
            as_sub = client.for_subaccount(key, secret)
            async for _ in as_sub.pages("campaign.list"):
                pass
        await client.call("subaccount.create", email="fresh@example.com", password=password)
        sso = await client.call("subaccount.sso", subaccount="sub_2001")
        await client.call("subaccount.reset_url", subaccount="sub_2001")
        code = (await client.call("campaign.sessions", campaign="cam_1001")).raw["data"][0]["session"]
        await client.call("session.info", couponsession=code)
        await client.call("subaccount.list")  # refetched: the cached copy had no secrets
        [r async for r in client.watch("subaccount.list")]
    assert cache.stats().entries >= 8
    cache.close()
    token = sso.data.subaccount.token.get_secret_value()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(path.name))
    for secret in [DEMO_CLIENT_SECRET, DEMO_CLIENT_ID, password, token, *secrets]:
        assert len(secret) >= 8
        assert secret.encode() not in on_disk, "a credential was written to the cache file"


async def test_a_damaged_database_never_breaks_a_read(tmp_path, clock, sandbox):
    path = tmp_path / "responses.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    cache = ResponseCache(path, clock=clock)
    async with Client(MAIN, base_url="http://sandbox", cache=cache, clock=clock,
                      transport=httpx.ASGITransport(app=sandbox)) as client:
        first = await client.call("campaign.list")
        second = await client.call("campaign.list")
    assert (first.from_cache, second.from_cache) == (False, True)
    assert any("moved" in w for w in cache.warnings)
    cache.close()
