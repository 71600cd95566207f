"""The client's fast read paths, seen from outside.

* `model=` parses an answer with another model (the lean session page), from
  the API and from the cache alike, and pages pass it on;
* a refresh (``max_age=0``) of a cached read does not parse the cached body
  unless it ends up serving it (the API unreachable);
* big bodies are decoded and parsed off the event loop, with the same result;
* the cache scans only the operations that can carry credentials.
"""

from __future__ import annotations

import threading

import httpx
import pytest

import ctconsole.api.client as client_module
from ctconsole.api import Client, Credentials
from ctconsole.api.errors import ConnectFailed, TimedOut
from ctconsole.api.retry import RetryPolicy
from ctconsole.cache import ResponseCache, account_fingerprint
from ctconsole.redaction import may_hold_credentials, redact_body
from ctconsole.sandbox import BIG_CAMPAIGN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app

MAIN = Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)


async def _no_sleep(seconds: float) -> None:
    return None


class Clock:
    def __init__(self) -> None:
        self.now = 1_760_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sandbox():
    return make_sandbox_app(big_sessions=1200)


@pytest.fixture
async def parts(sandbox, tmp_path):
    clock = Clock()
    cache = ResponseCache(tmp_path / "c.sqlite3", clock=clock)
    client = Client(MAIN, base_url="http://sandbox", cache=cache, clock=clock,
                    retry=RetryPolicy(jitter=False, sleep=_no_sleep),
                    transport=httpx.ASGITransport(app=sandbox))
    yield client, cache, clock
    await client.aclose()
    cache.close()


def _count_parses(client: Client, monkeypatch) -> list[str | None]:
    seen: list[str | None] = []
    real = Client._parse

    def counting(self, op, raw, model_name=None):
        seen.append(model_name or op.model)
        return real(self, op, raw, model_name)

    monkeypatch.setattr(Client, "_parse", counting)
    return seen


async def test_model_override_from_the_api_and_from_the_cache(parts, sandbox):
    client, _, _ = parts
    fetched = await client.call("campaign.sessions", campaign="cam_1001", model="LeanSessionPage")
    cached = await client.call("campaign.sessions", campaign="cam_1001", model="LeanSessionPage")
    full = await client.call("campaign.sessions", campaign="cam_1001")
    assert type(fetched.data).__name__ == type(cached.data).__name__ == "LeanSessionPage"
    assert type(full.data).__name__ == "SessionPage"
    assert cached.from_cache and full.from_cache  # one cache entry serves both shapes
    assert sum(1 for r in sandbox.requests if r.operation == "campaign.sessions") == 1
    assert cached.data.items == [dict(s) for s in full.data.items]


async def test_pages_pass_the_model_on(parts):
    client, _, _ = parts
    pages = [p async for p in client.pages("campaign.sessions", campaign=BIG_CAMPAIGN,
                                           model="LeanSessionPage", use_cache=False)]
    assert {type(p.data).__name__ for p in pages} == {"LeanSessionPage"}
    assert sum(len(p.data.items) for p in pages) == 1200


async def test_a_refresh_does_not_parse_the_cached_answer(parts, monkeypatch):
    client, _, _ = parts
    await client.call("campaign.info", campaign="cam_1001")
    parses = _count_parses(client, monkeypatch)
    result = await client.call("campaign.info", campaign="cam_1001", max_age=0)
    assert not result.from_cache
    assert parses == ["CampaignInfo"]  # the fetched answer only


async def test_a_refresh_that_cannot_reach_the_api_still_serves_the_cached_answer(
        parts, sandbox, monkeypatch):
    client, _, _ = parts
    fetched = await client.call("campaign.info", campaign="cam_1001")
    sandbox.faults.add("drop", operation="campaign.info", times=None)
    parses = _count_parses(client, monkeypatch)
    result = await client.call("campaign.info", campaign="cam_1001", max_age=0)
    assert (result.from_cache, result.offline) == (True, True)
    assert result.data == fetched.data and parses == ["CampaignInfo"]


async def test_a_refresh_with_a_broken_cached_body_raises_the_network_error(parts, sandbox):
    client, cache, _ = parts
    account = account_fingerprint(DEMO_CLIENT_ID)
    await client.call("campaign.info", campaign="cam_1001")
    cache.put(account, "campaign.info", {"campaign": "cam_1001"}, b'{"campaign": "not an object"}',
              fetched_at=1_760_000_001.0)
    sandbox.faults.add("drop", operation="campaign.info", times=None)
    with pytest.raises((ConnectFailed, TimedOut)):
        await client.call("campaign.info", campaign="cam_1001", max_age=0)
    assert cache.get(account, "campaign.info", {"campaign": "cam_1001"}) is None  # dropped


async def test_big_bodies_are_parsed_off_the_event_loop(sandbox, monkeypatch):
    threads: list[str] = []
    real = Client._parse

    def recording(self, op, raw, model_name=None):
        threads.append(threading.current_thread().name)
        return real(self, op, raw, model_name)

    monkeypatch.setattr(Client, "_parse", recording)
    async with Client(MAIN, base_url="http://sandbox",
                      transport=httpx.ASGITransport(app=sandbox)) as client:
        small = await client.call("campaign.info", campaign="cam_1001")
        monkeypatch.setattr(client_module, "OFF_LOOP_BYTES", 1000)
        big = await client.call("campaign.sessions", campaign=BIG_CAMPAIGN, page=1)
    main = threading.main_thread().name
    assert threads[0] == main and threads[1] != main
    assert small.data.campaign.id == "cam_1001" and len(big.data.items) == 1200
    assert big.raw["data"][0]["session"] == big.data.items[0].session


def test_only_credential_carrying_operations_are_scanned():
    body = b'{"data": [{"session": "x", "password": "hunter22"}]}'
    assert redact_body(body, "campaign.sessions") == (body, False)
    assert redact_body(body, "subaccount.list")[1] is True
    assert redact_body(body)[1] is True  # operation unknown: scanned
    for name in ("subaccount.list", "subaccount.info", "subaccount.sso", "subaccount.reset_url",
                 "auth.check", "newgroup.thing"):
        assert may_hold_credentials(name), name
    for name in ("campaign.sessions", "campaign.list", "session.info", "directory.users",
                 "loyalty.cards", "singleuse.list"):
        assert not may_hold_credentials(name), name


def test_credential_free_groups_hold_no_secret_fields_in_their_models():
    """The groups the cache trusts must not have a `Secret` field in any of
    their operations' models (that would mean a credential in the answer)."""
    import ctconsole.api.models as models
    from ctconsole.api.catalogue import CATALOGUE

    def secret_fields(model, seen=()):
        from pydantic import BaseModel, SecretStr

        found = []
        for name, info in model.model_fields.items():
            text = repr(info.annotation)
            if "SecretStr" in text:
                found.append(name)
            for arg in getattr(info.annotation, "__args__", ()) + (info.annotation,):
                if isinstance(arg, type) and issubclass(arg, BaseModel) and arg not in seen:
                    found += secret_fields(arg, (*seen, model))
        return found

    for op in CATALOGUE:
        if op.is_read and not may_hold_credentials(op.name):
            assert not secret_fields(getattr(models, op.model)), op.name

