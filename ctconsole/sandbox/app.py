"""The sandbox as a plain ASGI application: routing, auth, envelopes, faults.

Routing is the catalogue's (`CATALOGUE.by_path()`), so a path override in the
catalogue moves the sandbox with the client. Construction is deliberately
cheap - the dataset is built on the first request (or first `app.state`
access) and the big campaign never materialises its sessions - because every
client and UI test builds its own app.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable
from urllib.parse import parse_qsl

from ctconsole.api.catalogue import CATALOGUE, Catalogue, Operation

from . import faults as faults_mod
from . import handlers_account, handlers_campaign, handlers_cards, handlers_session  # noqa: F401
from . import wire
from .checks import check_params
from .data import State, build_state
from .people import FIXED_NOW
from .registry import HANDLERS, Call

CONTROL_PREFIX = "/_sandbox/"
_SECRET_KEYS = {"x-client-secret", "client_secret", "password", "api_secret"}


@dataclass(frozen=True)
class RequestRecord:
    """One request as the sandbox received it (for tests to assert on).

    `headers` keeps names lowercased (as ASGI delivers them); `body` is the
    parsed JSON/form body, or None when it did not parse. The repr masks
    secrets so a failing assertion never prints one.
    """

    method: str
    path: str
    headers: dict[str, str]
    body: object
    raw_body: bytes = field(repr=False)
    operation: str | None = None

    def __repr__(self) -> str:
        headers = {k: ("***" if k in _SECRET_KEYS else v) for k, v in self.headers.items()}
        body = self.body
        if isinstance(body, dict):
            body = {k: ("***" if k in _SECRET_KEYS else v) for k, v in body.items()}
        return (f"RequestRecord(method={self.method!r}, path={self.path!r}, "
                f"operation={self.operation!r}, headers={headers!r}, body={body!r})")


class SandboxApp:
    """A stateful fake Coupontools API. See the package docstring for use."""

    def __init__(self, *, seed: int = 1, big_sessions: int = 20000,
                 now: Callable[[], datetime] | None = None,
                 catalogue: Catalogue = CATALOGUE, cases: bool = False,
                 subaccounts: int = 0, latency: float = 0.0) -> None:
        if big_sessions < 0:
            raise ValueError("big_sessions must be >= 0")
        if latency < 0:
            raise ValueError("latency must be >= 0")
        self.cases = cases
        self.subaccounts = subaccounts
        #: Seconds every API request waits before it is answered (a far-away API).
        self.latency = latency
        self.seed = seed
        self.big_sessions = big_sessions
        self.now: Callable[[], datetime] = now or (lambda: FIXED_NOW)
        self.catalogue = catalogue
        self.routes: dict[str, tuple[Operation, str]] = catalogue.by_path()
        missing = [op.name for op in catalogue if op.name not in HANDLERS]
        if missing:
            raise RuntimeError(f"sandbox has no handler for: {', '.join(missing)}")
        self.faults = faults_mod.Faults()
        self.requests: list[RequestRecord] = []
        self._state: State | None = None
        self._lock = threading.Lock()  # a uvicorn thread and the test may race to build

    # -- state, for tests --------------------------------------------------------
    @property
    def state(self) -> State:
        """The live dataset (built on first use). Read it; change it via the API."""
        with self._lock:
            if self._state is None:
                self._state = build_state(self.seed, self.big_sessions, lambda: self.now(),
                                          cases=self.cases, subaccounts=self.subaccounts)
            return self._state

    def reset(self) -> None:
        """Back to the seeded dataset, no faults, empty request log."""
        with self._lock:
            self._state = None
        self.faults.clear()
        self.requests.clear()

    def session(self, code: str) -> dict | None:
        """A session's current record by its 21- or 6-char code."""
        return self.state.session(code)

    def subaccount_credentials(self) -> dict[str, tuple[str, str]]:
        """Subaccount ID -> (api_key, api_secret)."""
        return {sid: self.state.credentials(sid) for sid in self.state.subaccounts}

    # -- ASGI --------------------------------------------------------------------
    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method, path = scope["method"], scope["path"]
        raw = await _read_body(receive)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if path.startswith(CONTROL_PREFIX):
            await self._control(method, path, raw, send)
            return
        body, params = _parse_body(raw, headers.get("content-type", ""))
        route = self.routes.get(path)
        op, view = route if route else (None, "all")
        self.requests.append(RequestRecord(method, path, headers, body, raw,
                                           op.name if op else None))
        if method != "POST":
            problem = [(405, f"Method {method} not allowed; use POST")]
            await _respond(send, 405, wire.failure(problem, message="HTTP/1.0 405 Method Not Allowed."),
                           extra=[(b"allow", b"POST")])
            return
        if op is None:
            problem = [(404, f"Unknown endpoint: {path}")]
            await _respond(send, 404, wire.failure(problem, message="HTTP/1.0 404 Not Found."))
            return
        if self.latency:
            await asyncio.sleep(self.latency)
        fired = self.faults.take(op.name)
        for fault in fired:
            if fault.kind == "latency":
                await asyncio.sleep(float(fault.opts.get("seconds", 1.0)))
        fault = next((f for f in fired if f.kind != "latency"), None)
        if fault and fault.kind not in ("truncated", "wrong_shape"):
            await self._misbehave(fault, op, send)
            return
        answer = self._answer(op, view, params, headers)
        payload = wire.dumps(answer)
        if fault and fault.kind == "truncated":
            payload = payload[: max(1, len(payload) // 2)]
        elif fault and fault.kind == "wrong_shape" and answer["status"].get("status") == "OK":
            payload = wire.dumps(faults_mod.wrong_shape(answer, fault.opts))
        await _send(send, 200, payload, b"application/json; charset=utf-8")

    def _answer(self, op: Operation, view: str, body: dict | None, headers: dict) -> dict:
        """The JSON body for one API call (success or a failure shape)."""
        shape = "C" if op.name.endswith((".push", ".push_all")) else "B"
        source = body or {}
        client_id = headers.get("x-client-id") or _text(source.get("client_id"))
        secret = headers.get("x-client-secret") or _text(source.get("client_secret"))
        owner = self.state.owner_of(client_id, secret)
        if owner is None:
            return wire.auth_failed()
        try:
            if body is None:
                raise wire.ApiFailure((300, "Invalid request body: a JSON object is expected"))
            if op.main_account_only and owner != "main":
                raise wire.ApiFailure(wire.NO_SUBACCOUNTS)
            params = {k: v for k, v in body.items() if k not in ("client_id", "client_secret")}
            checked = check_params(op, params)
            payload = HANDLERS[op.name](Call(op, view, owner, checked, self.state))
        except wire.ApiFailure as failure:
            return wire.failure(failure.problems, shape=shape)
        return wire.ok(payload)

    async def _misbehave(self, fault: faults_mod.Fault, op: Operation, send) -> None:
        opts = fault.opts
        if fault.kind == "drop":
            await _drop(send)
        elif fault.kind == "api_error":
            shape = opts.get("shape") or ("C" if op.name.endswith((".push", ".push_all")) else "B")
            code, message = int(opts.get("code", 300)), str(opts.get("message", "Wrong value"))
            body = (wire.auth_failed() if shape == "A"
                    else wire.failure([(code, message)], shape=shape))
            await _respond(send, 200, body)
        elif fault.kind == "malformed_json":
            # complete but not JSON: trailing commas, as a hand-edited PHP template emits
            await _send(send, 200, b'{"status": {"status": "OK"}, "data": [{"ID": "cam_1001",}],}',
                        b"application/json")
        elif fault.kind in ("html",) or (fault.kind == "status" and opts.get("body") == "html"):
            status = int(opts.get("status", 502))
            page = faults_mod.HTML_502 if status == 502 else (
                f"<html><head><title>{status} {faults_mod.reason(status)}</title></head>"
                f"<body><h1>{status} {faults_mod.reason(status)}</h1></body></html>")
            await _send(send, status, page.encode(), b"text/html")
        elif fault.kind == "rate_limit":
            extra = []
            if opts.get("retry_after") is not None:
                extra.append((b"retry-after", str(opts["retry_after"]).encode()))
            await _respond(send, 429, {"message": "Too Many Requests"}, extra=extra)
        else:  # status
            status = int(opts.get("status", 500))
            await _respond(send, status, {"message": faults_mod.reason(status)})

    async def _control(self, method: str, path: str, raw: bytes, send) -> None:
        """Loopback control surface: arm faults, reset the dataset."""
        _, body = _parse_body(raw, "application/json")
        if method != "POST":
            await _respond(send, 405, {"ok": False, "error": "use POST"})
        elif path == "/_sandbox/reset":
            self.reset()
            await _respond(send, 200, {"ok": True})
        elif path == "/_sandbox/faults" and body:
            fields = dict(body)
            try:
                self.faults.add(fields.pop("kind", ""), fields.pop("operation", None),
                                fields.pop("times", 1), **fields)
            except (TypeError, ValueError) as exc:
                await _respond(send, 400, {"ok": False, "error": str(exc)})
                return
            await _respond(send, 200, {"ok": True, "pending": len(self.faults)})
        elif path == "/_sandbox/faults/clear":
            self.faults.clear()
            await _respond(send, 200, {"ok": True, "pending": 0})
        else:
            await _respond(send, 404, {"ok": False, "error": f"unknown control path {path}"})


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _parse_body(raw: bytes, content_type: str) -> tuple[object, dict | None]:
    """(the body as parsed, for the log; the params, or None when the body is
    not an object). An empty body and the PHP samples' `[]` mean no params."""
    if not raw.strip():
        return None, {}
    if "application/x-www-form-urlencoded" in content_type:
        try:
            form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return None, None
        return form, form
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None, None
    if body == []:
        return body, {}
    return body, body if isinstance(body, dict) else None


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def _send(send, status: int, payload: bytes, content_type: bytes, extra=()) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(payload)).encode()),
               *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def _respond(send, status: int, body: object, extra=()) -> None:
    await _send(send, status, wire.dumps(body), b"application/json; charset=utf-8", extra)


async def _drop(send) -> None:
    """Close the connection without a response.

    Under uvicorn `send` is a method of the request cycle, which holds the
    asyncio transport: aborting it is exactly a dropped connection. In-process
    (httpx.ASGITransport) there is no connection, so raise the error httpx
    itself raises when a server hangs up: the client sees the same exception
    either way.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None and hasattr(transport, "abort"):
        transport.abort()
        for _ in range(3):  # let the server notice before the app returns
            await asyncio.sleep(0)
        return
    # Lazy: the sandbox serves without httpx; only this fault needs its error type.
    import httpx

    raise httpx.RemoteProtocolError("Server disconnected without sending a response.")


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def make_sandbox_app(*, seed: int = 1, big_sessions: int = 20000,
                     now: Callable[[], datetime] | None = None, cases: bool = False,
                     subaccounts: int = 0, latency: float = 0.0) -> SandboxApp:
    """A fresh sandbox. `now` is the clock writes use (default: the fixed
    2026-11-20 12:00:00 UTC, so dates in output never drift). `cases` adds
    the support-case merchant sub_2006 (`cases.py`); `subaccounts` fills the
    account up to that many subaccounts; `latency` delays every API answer."""
    return SandboxApp(seed=seed, big_sessions=big_sessions, now=now, cases=cases,
                      subaccounts=subaccounts, latency=latency)
