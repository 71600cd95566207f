"""Property-based: whatever the API (or a proxy, or a broken link) answers,
`Client.call` returns a model or raises the typed error, nothing else.

The full client path is exercised (params → request → httpx → envelope
decoding → the catalogue's model → Result), with an `httpx.MockTransport`
that answers each request with a hypothesis-made response: random bytes
(non-UTF-8 included), random JSON (huge numbers, deep nesting), and the
realistic payload of the operation with one part mutated, cut short or
given the wrong type; under random HTTP statuses, content types and
Retry-After headers.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ctconsole.api import CATALOGUE, Client, Credentials
from ctconsole.api.client import _models
from ctconsole.api.errors import CtError
from ctconsole.api.result import Result
from ctconsole.api.retry import RetryPolicy
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app
from tests.api.test_roundtrip import cases
from tests.fixtures import payload

PARAMS = {name: case.params for name, case in cases(make_sandbox_app(big_sessions=0)).items()}
OPERATIONS = sorted(PARAMS)

json_leaf = st.one_of(
    st.none(), st.booleans(), st.text(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["0", "1", "", "5", "-1", "1e309", "2026-13-45 25:61:61", "9" * 30]),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in value.items()}
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(value)]


def _drop(value: Any, path: tuple) -> Any:
    if len(path) == 1:
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != path[0]}
        return [v for i, v in enumerate(value) if i != path[0]]
    head = path[0]
    if isinstance(value, dict):
        return {k: (_drop(v, path[1:]) if k == head else v) for k, v in value.items()}
    return [(_drop(v, path[1:]) if i == head else v) for i, v in enumerate(value)]


@st.composite
def mutated_payload(draw, operation: str) -> bytes:
    """The operation's realistic body with one thing wrong with it."""
    body = payload(operation)
    paths = _paths(body)
    path = draw(st.sampled_from(paths))
    how = draw(st.sampled_from(["replace", "drop", "cut", "deep", "huge", "as-is"]))
    if how == "replace":
        body = _replace(body, path, draw(json_value))
    elif how == "drop" and path:
        body = _drop(body, path)
    elif how == "deep":
        depth = draw(st.integers(min_value=50, max_value=3000))
        text = json.dumps(body)  # an extra field nested `depth` lists deep
        return text[:-1].encode() + b',"deep":' + b"[" * depth + b"]" * depth + b"}"
    elif how == "huge":
        digits = draw(st.integers(min_value=20, max_value=6000))
        text = json.dumps(_replace(body, path, 0))
        return text.replace("0", "9" * digits, 1).encode()
    raw = json.dumps(body, ensure_ascii=draw(st.booleans())).encode()
    if how == "cut":
        raw = raw[: draw(st.integers(min_value=0, max_value=max(0, len(raw) - 1)))]
    return raw


@st.composite
def failure_envelope(draw) -> bytes:
    """The API's three failure shapes, with odd codes and messages."""
    errors = {"error_code": draw(st.one_of(json_value, st.lists(json_leaf, max_size=3))),
              "error_message": draw(st.one_of(st.text(max_size=40), json_value)),
              "error_message_description": draw(st.one_of(json_value,
                                                           st.lists(st.text(max_size=30), max_size=3)))}
    shape = draw(st.sampled_from("ABC"))
    if shape == "C":
        body: dict = {"status": {"status": "failed"}, "errors": errors}
    else:
        body = {"status": {"status": draw(st.sampled_from(["failed", "FAILED", "error"])),
                           "errors": errors}}
    return json.dumps(body).encode()


@st.composite
def response(draw, operation: str) -> tuple[int, bytes, dict[str, str]]:
    body = draw(st.one_of(
        mutated_payload(operation), mutated_payload(operation), mutated_payload(operation),
        failure_envelope(),
        st.binary(max_size=200),
        json_value.map(lambda v: json.dumps(v).encode()),
        st.sampled_from([b"", b"\xff\xfe\x00{", "{\"status\":\"OK\"}".encode("utf-16"),
                         b'{"status": {"status": "OK"}}' + b"\x00" * 3,
                         b"<html><body>502 Bad Gateway</body></html>"]),
    ))
    status = draw(st.one_of(st.just(200), st.just(200), st.sampled_from([201, 204, 301, 400, 401, 404, 418,
                                                           429, 500, 502, 503, 599])))
    headers = {"content-type": draw(st.sampled_from([
        "application/json", "application/json; charset=utf-8", "text/html", "",
        "application/octet-stream"]))}
    if draw(st.booleans()):
        headers["retry-after"] = draw(st.sampled_from(["0", "5", "-3", "1e9", "soon", "",
                                                       "Wed, 21 Oct 2015 07:28:00 GMT"]))
    return status, body, headers


async def _call(operation: str, status: int, body: bytes, headers: dict[str, str]) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    async with Client(Credentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET), base_url="http://api.test",
                      transport=httpx.MockTransport(answer), retry=RetryPolicy.never()) as client:
        return await client.call(operation, **PARAMS[operation])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), operation=st.sampled_from(OPERATIONS))
def test_any_answer_is_a_model_or_a_typed_error(data, operation):
    status, body, headers = data.draw(response(operation))
    try:
        result = asyncio.run(_call(operation, status, body, headers))
    except CtError as error:
        event(type(error).__name__)
        text = f"{error} {error!r}"
        assert DEMO_CLIENT_SECRET not in text
        assert error.title and isinstance(error.message, str)
        return
    event("a model")
    assert isinstance(result, Result)
    model = getattr(_models(), CATALOGUE.get(operation).model)
    assert isinstance(result.data, model)
    assert 200 <= status < 300


def test_the_realistic_payload_itself_parses_for_every_operation():
    """The mutations start from bodies the client accepts (else the property
    above would only ever see errors)."""
    for operation in OPERATIONS:
        result = asyncio.run(_call(operation, 200, json.dumps(payload(operation)).encode(),
                                   {"content-type": "application/json"}))
        assert isinstance(result.data, getattr(_models(), CATALOGUE.get(operation).model))
