"""What a response-cache hit costs, next to the same read from the sandbox.

Run: ``python benchmarks/cache_hit.py [--runs N] [--sandbox-runs N]``.
Prints median / min / max per operation, for a 1,000-item session list and
for one session:

* ``sqlite SELECT``: the bare query of the stored body (the floor);
* ``cache.get``: our lookup (key building, SELECT, LRU touch, hit counter);
* ``+ json.loads``: what a caller needs before parsing into models;
* ``+ model``: json plus the pydantic model the client would build;
* ``sandbox read``: the same read from the in-process sandbox over
  ``httpx.ASGITransport`` (no network; its JSON decode included).

Then the full client path, as the CLI and the panes use it:

* ``client.call, cache hit``: `Client.call` answered from a fresh entry
  (validation, key, lookup, envelope decode, model);
* ``client.call, sandbox``: the same call with no cache, answered by the
  in-process sandbox;
* ``json.loads`` and ``model`` alone on the same body, and what is left of
  the hit after them: our own code (validation, keys, SQLite, envelope checks).

The goal (issue 3): a hit costs well under a millisecond of our own code
beyond the JSON and model parsing. This is a measurement, not a test; nothing
here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ctconsole.cache import ResponseCache, account_fingerprint, cache_key  # noqa: E402

LIST_ITEMS = 1000


def _synthetic_bodies() -> tuple[bytes, bytes, str]:
    """Realistic stand-ins (fields per docs/DESIGN.md) when the sandbox is absent."""
    code = "Xk3PqR7aBc9DeF1gH2iJk"
    row = {
        "session": code, "session_url": f"https://digicpn.com/p/bf26xq/{code}", "sequenceid": "18100000",
        "customid": "", "created_date_utc": "2026-11-20 10:00:00", "opened": "1",
        "open_date_utc": "2026-11-20 10:01:00", "played": "0", "played_date_utc": "", "claimed": "1",
        "claim_date_utc": "2026-11-20 10:02:00", "claimtype": "email", "saved_to_passbook": "0",
        "validated": "0", "validation_date_utc": "", "voided": "0", "voided_date_utc": "",
        "firstname": "Ana", "lastname": "Lopez", "email": "ana@example.com", "phone": "+3212345678",
        "customvalcode": "",
    }
    listing = {"status": {"status": "OK"}, "campaign": "cam_1003", "action": "retrieve_campaign_data",
               "page": "1", "amount_of_sessions": str(LIST_ITEMS), "data": [row] * LIST_ITEMS}
    one = {"status": {"status": "OK"}, "campaign": "cam_1003", "action": "retrieve_all_session_data",
           "session": code, "session_url": row["session_url"], "sequenceid": "18100000", "customid": "",
           "customvalcode": "", "single_use_url": "",
           "data": {"status": {k: row[k] for k in ("created_date_utc", "opened", "claimed", "validated")},
                    "user": {k: row[k] for k in ("firstname", "lastname", "email", "phone")}}}
    return json.dumps(listing).encode(), json.dumps(one).encode(), code


def _sandbox() -> tuple[Callable[[str, dict], Awaitable[bytes]], Callable[[], Awaitable[None]]] | None:
    try:
        import httpx

        from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
    except ImportError as exc:
        print(f"(sandbox read skipped: {exc})")
        return None
    app = make_sandbox_app(big_sessions=LIST_ITEMS)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox")
    headers = {"X-Client-Id": DEMO_CLIENT_ID, "X-Client-Secret": DEMO_CLIENT_SECRET}

    async def post(path: str, body: dict) -> bytes:
        response = await http.post(path, json=body, headers=headers)
        response.json()
        return response.content

    return post, http.aclose


def _models() -> Any:
    try:
        from ctconsole.api import models
    except ImportError:
        return None
    return models


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm up
    out = []
    for _ in range(runs):
        t = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - t) / 1000)
    return out


async def _atime(fn: Callable[[], Awaitable[object]], runs: int) -> list[float]:
    await fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter_ns()
        await fn()
        out.append((time.perf_counter_ns() - t) / 1000)
    return out


def _row(label: str, samples: list[float]) -> str:
    return (f"  {label:<28} median {statistics.median(samples):>10.1f} µs"
            f"   min {min(samples):>10.1f}   max {max(samples):>10.1f}   (n={len(samples)})")


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2000, help="cache measurements per figure")
    parser.add_argument("--sandbox-runs", type=int, default=100, help="sandbox reads per figure")
    args = parser.parse_args(argv)

    sandbox = _sandbox()
    if sandbox:
        post, close = sandbox
        list_body = await post("/v3/campaign/data", {"campaign": "cam_1003"})
        code = json.loads(list_body)["data"][0]["session"]
        one_body = await post("/v3/couponsession/data", {"couponsession": code})
    else:
        list_body, one_body, code = _synthetic_bodies()
    models = _models()
    account = account_fingerprint("benchmark-client")
    cases = [
        (f"campaign.sessions ({LIST_ITEMS} items, {len(list_body):,} bytes)", "campaign.sessions",
         {"campaign": "cam_1003"}, list_body, "/v3/campaign/data", "SessionPage"),
        (f"session.info (one session, {len(one_body):,} bytes)", "session.info",
         {"couponsession": code}, one_body, "/v3/couponsession/data", "SessionInfo"),
    ]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        with ResponseCache(path) as cache:
            bare = sqlite3.connect(path)
            for title, op, params, body, wire_path, model_name in cases:
                cache.put(account, op, params, body)
                print(title)
                assert cache.get(account, op, params).raw == body
                query = ("SELECT b.body FROM entries AS e JOIN bodies AS b ON b.id = e.id"
                         " WHERE e.account = ? AND e.key = ?")
                where = (account, cache_key(op, params))
                assert bare.execute(query, where).fetchone()[0] == body
                print(_row("sqlite SELECT (floor)", _time(lambda: bare.execute(query, where).fetchone(), args.runs)))
                print(_row("cache.get", _time(lambda: cache.get(account, op, params), args.runs)))
                print(_row("cache.get + json.loads",
                           _time(lambda: json.loads(cache.get(account, op, params).raw), args.runs)))
                model = getattr(models, model_name, None) if models else None
                if model is not None:
                    runs = max(10, args.runs // 10)
                    print(_row("cache.get + json + model", _time(
                        lambda: model.model_validate(json.loads(cache.get(account, op, params).raw)), runs)))
                else:
                    print("  (model parse skipped: ctconsole.api.models not available)")
                if sandbox:
                    print(_row("sandbox read (ASGI, json)",
                               await _atime(lambda: post(wire_path, dict(params)), args.sandbox_runs)))
                print()
            bare.close()
    if sandbox:
        await close()
        await _client_path(args.runs, args.sandbox_runs)


async def _client_path(runs: int, sandbox_runs: int) -> None:
    """`Client.call` served from the cache next to the same call answered by
    the in-process sandbox."""
    import httpx

    from ctconsole.api import Client, Credentials
    from ctconsole.api.models import SessionInfo, SessionPage
    from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app

    app = make_sandbox_app(big_sessions=LIST_ITEMS)
    creds = Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    print("Full client path (Client.call)")
    with tempfile.TemporaryDirectory() as tmp:
        cache = ResponseCache(Path(tmp) / "client.sqlite3")
        cached = Client(creds, base_url="http://sandbox", transport=httpx.ASGITransport(app=app),
                        cache=cache, cache_overrides={"campaign.*": 1e9, "session.*": 1e9})
        plain = Client(creds, base_url="http://sandbox", transport=httpx.ASGITransport(app=app))
        listed = await cached.call("campaign.sessions", campaign="cam_1003")
        code = listed.raw["data"][0]["session"]
        cases = [
            (f"campaign.sessions ({LIST_ITEMS} items)", "campaign.sessions",
             {"campaign": "cam_1003"}, SessionPage),
            ("session.info (one session)", "session.info", {"couponsession": code}, SessionInfo),
        ]
        for title, op, params, model in cases:
            await cached.call(op, **params)  # stored
            hit = await cached.call(op, **params)
            assert hit.from_cache, "expected a cache hit"
            body = cache.get(cached._account, op, params).raw
            doc = json.loads(body)
            few = max(10, runs // 10)
            hit_t = await _atime(lambda: cached.call(op, **params), few)
            json_t = _time(lambda: json.loads(body), few)
            model_t = _time(lambda: model.model_validate(doc), few)
            sandbox_t = await _atime(lambda: plain.call(op, **params), sandbox_runs)
            print(f"{title}, {len(body):,} bytes")
            print(_row("client.call, cache hit", hit_t))
            print(_row("client.call, sandbox", sandbox_t))
            print(_row("  json.loads alone", json_t))
            print(_row("  model alone", model_t))
            own = statistics.median(hit_t) - statistics.median(json_t) - statistics.median(model_t)
            print(f"  {'our own code in a hit':<28} median {own:>10.1f} µs   "
                  f"(hit minus json minus model; {statistics.median(sandbox_t) / statistics.median(hit_t):.1f}x "
                  "faster than the sandbox read)")
            print()
        await cached.aclose()
        await plain.aclose()
        cache.close()


if __name__ == "__main__":
    asyncio.run(main())
