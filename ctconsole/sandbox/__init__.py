"""A stateful fake Coupontools API, served as a plain ASGI app.

Why: the console, the client and their tests need an API that behaves like
the real one - envelopes, failure shapes, string numbers, pagination,
account scoping, writes that stick - without the network, with data that is
the same on every run, and with failures on demand.

Public surface::

    from ctconsole.sandbox import make_sandbox_app, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    app = make_sandbox_app(seed=1, big_sessions=20000, now=None,   # -> SandboxApp
                           cases=False, subaccounts=0, latency=0.0)
    transport = httpx.ASGITransport(app=app)                        # in-process
    with running(app) as base_url: ...    # ctconsole.sandbox.server: real loopback HTTP
    serve(host="127.0.0.1", port=8765, **app_kwargs)                # `ctconsole sandbox`

`SandboxApp`:

* routes every operation of `ctconsole.api.catalogue.CATALOGUE` by its path
  (C3's views too); unknown path -> HTTP 404 JSON, non-POST -> 405.
* auth: `X-Client-Id`/`X-Client-Secret` headers or `client_id`/`client_secret`
  body fields. Main account: `DEMO_CLIENT_ID`/`DEMO_CLIENT_SECRET`. Every
  subaccount's `api_key`/`api_secret` (see `subaccount.list`, or
  `app.subaccount_credentials()`) also work, scoped to its own campaigns,
  loyalty cards and directories; on subaccount-management calls they get 102.
* `app.faults.add(kind, operation=None, times=1, **opts)` - injected failures,
  kinds in `ctconsole.sandbox.faults` (latency, status, rate_limit, html,
  malformed_json, truncated, drop, wrong_shape, api_error); `app.faults.clear()`.
  Over HTTP: `POST /_sandbox/faults` with the same fields as JSON,
  `POST /_sandbox/faults/clear`, `POST /_sandbox/reset`.
* `app.requests` - list of `RequestRecord(method, path, headers, body,
  raw_body, operation)` in arrival order (headers lowercased, as received).
* `app.state` - the live dataset (`data.State`: `subaccounts`, `campaigns`,
  `loyalty`, `directories`, `categories`, `level3`, `webhooks`, `sessions`);
  read it in tests, change it through the API. `app.session(code)` - a
  session's current record by 21- or 6-char code. `app.reset()` - back to the
  seed. `app.now` - the clock writes use.

The dataset (fixed "now": 2026-11-20 12:00:00 UTC): main account campaigns
cam_1001..cam_1006 - cam_1003 "Black Friday 2026 — 20% off" holds
`big_sessions` sessions computed lazily from their index, cam_1006 holds the
hostile customer text (terminal escapes, markup, bidi, C1 controls) - loyalty
cards loy_3001 (stamps, with one hostile user) and loy_3002 (points),
directories dir_5001 (263 users) and dir_5002 (payment required), categories,
and five subaccounts sub_2001..sub_2005 (sub_2003 expired, sub_2004 without
campaigns). Names and contents live in `fixtures.py`.

Options beyond the seeded dataset (off by default, so existing data and
screens stay as they are): `cases=True` adds the support-case merchant
sub_2006 with one session per verdict of `ctconsole.explain.rules`
(`app.state.cases[name]`, see `cases.py`); `subaccounts=500` fills the
account with generated merchants up to that count, one of them holding the
session of `cases.NEEDLE_EMAIL`; `latency=0.05` delays every API answer.

This package imports `ctconsole.api.catalogue` and nothing else of the
client: its checks of parameter values are its own, as a real server's are.
"""

from .app import RequestRecord, SandboxApp, make_sandbox_app
from .fixtures import BIG_CAMPAIGN, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, HOSTILE_CAMPAIGN

__all__ = [
    "make_sandbox_app", "SandboxApp", "RequestRecord", "DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET",
    "BIG_CAMPAIGN", "HOSTILE_CAMPAIGN",
]
