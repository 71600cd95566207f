"""Issue 7, target 4: what our client adds to a read, on the loopback sandbox.

Run: ``python -m benchmarks.api_overhead [--runs N] [--quick]``.

The read is ``campaign.sessions`` of the big campaign sized to 1,000
sessions (one page, ~600 KB), served by the sandbox over real loopback HTTP
(uvicorn in a thread of this process, as ``ctconsole sandbox`` runs it):

* baseline: a bare ``httpx.AsyncClient.post`` of the same request, plus
  ``json.loads`` of the body;
* ours: ``Client.call("campaign.sessions", …)``: parameter validation, the
  envelope, the ``SessionPage`` model and, if the client has a response
  cache, writing the answer to it (``max_age=0`` so every call really asks
  the API, as a refresh does).

Runs alternate between the two. Then the client's own steps are timed one by
one on the same body, so it is clear where the difference goes.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import sandbox_process, stats_line, verdict

TARGET_RATIO = 1.5
ITEMS = 1000
OPERATION = "campaign.sessions"


def _cache(tmp: str):
    """A response cache for the client, if this version has one."""
    try:
        from ctconsole.cache import ResponseCache
    except ImportError:
        return None
    from ctconsole.api import Client

    if "cache" not in inspect.signature(Client.__init__).parameters:
        return None
    return ResponseCache(Path(tmp) / "bench.sqlite3")


async def measure(base_url: str, runs: int, cache) -> dict[str, list[float]]:
    import httpx

    from ctconsole.api import Client, Credentials
    from ctconsole.api.catalogue import CATALOGUE
    from ctconsole.api.params import body_of, validate
    from ctconsole.sandbox import BIG_CAMPAIGN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    op = CATALOGUE.get(OPERATION)
    params = {"campaign": BIG_CAMPAIGN}
    valid = validate(op, params)
    url = base_url + op.path_for(valid)
    body = json.dumps(body_of(op, valid), ensure_ascii=False).encode("utf-8")
    headers = {"X-Client-Id": DEMO_CLIENT_ID, "X-Client-Secret": DEMO_CLIENT_SECRET,
               "Content-Type": "application/json"}

    kwargs = {"cache": cache} if cache is not None else {}
    client = Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url=base_url, **kwargs)
    call_kwargs = {"max_age": 0} if "max_age" in inspect.signature(client.call).parameters else {}
    bare = httpx.AsyncClient(timeout=20.0)

    async def baseline() -> None:
        response = await bare.post(url, content=body, headers=headers)
        json.loads(response.content)

    async def ours() -> None:
        result = await client.call(OPERATION, **params)
        assert len(result.data.items) == ITEMS and not result.from_cache

    async def refresh() -> None:
        result = await client.call(OPERATION, **params, **call_kwargs)
        assert len(result.data.items) == ITEMS and not result.from_cache

    def empty_cache() -> None:
        if cache is not None:
            cache.clear()

    cases = [("bare httpx post + json.loads", baseline, None), ("client.call", ours, empty_cache)]
    if cache is not None and call_kwargs:
        cases.append(("client.call refresh (max_age=0, cached)", refresh, None))
    out: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    try:
        for _, fn, before in cases * 2:  # warm up: connections, model build
            if before:
                before()
            await fn()
        for _ in range(runs):
            for label, fn, before in cases:
                if before:
                    before()
                start = time.perf_counter()
                await fn()
                out[label].append((time.perf_counter() - start) * 1000)
        response = await bare.post(url, content=body, headers=headers)
        out.update(breakdown(op, params, response, cache, runs))
    finally:
        await bare.aclose()
        await client.aclose()
    return out


def breakdown(op, params, response, cache, runs: int) -> dict[str, list[float]]:
    """The client's steps one by one, on the body the server sent."""
    from ctconsole.api import models
    from ctconsole.api.envelope import decode
    from ctconsole.api.params import validate

    content = response.content
    model = getattr(models, op.model)
    raw = decode(content, status_code=200, content_type=response.headers.get("content-type"),
                 headers=response.headers)
    steps = {
        "  params.validate": lambda: validate(op, params),
        "  json.loads (alone)": lambda: json.loads(content),
        "  envelope.decode (json.loads incl.)": lambda: decode(
            content, status_code=200, content_type=response.headers.get("content-type"),
            headers=response.headers),
        f"  {op.model}.model_validate": lambda: model.model_validate(raw),
    }
    if cache is not None:
        from ctconsole.cache import account_fingerprint

        account = account_fingerprint("benchmark")
        steps["  cache.put (the cache write)"] = lambda: cache.put(account, op.name, params, content)
    out = {}
    for label, fn in steps.items():
        fn()
        samples = []
        for _ in range(max(runs, 10)):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        out[label] = samples
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="15 runs")
    args = parser.parse_args(argv)
    runs = 15 if args.quick else args.runs

    with tempfile.TemporaryDirectory() as tmp, sandbox_process(ITEMS) as url:
        cache = _cache(tmp)
        try:
            results = asyncio.run(measure(url, runs, cache))
        finally:
            if cache is not None:
                cache.close()
    print(f"API overhead: {OPERATION}, {ITEMS} items, loopback sandbox "
          f"({'with' if cache is not None else 'without'} a response cache; {runs} runs each)")
    for label, samples in results.items():
        print(stats_line(label, samples))
    bare = statistics.median(results["bare httpx post + json.loads"])
    ours = statistics.median(results["client.call"])
    ratio = ours / bare
    print(f"  ratio client.call / bare (medians): {ratio:.2f}x   target <= {TARGET_RATIO}x")
    verdict(f"API read, {ITEMS} items: client/bare httpx+json <= {TARGET_RATIO}x",
            f"{ratio:.2f}x ({ours:.1f} vs {bare:.1f} ms)", ratio <= TARGET_RATIO)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
