"""Drive the sandbox with plain httpx (never the project's client), so these
tests pin the raw wire format the client is written against."""

from __future__ import annotations

import httpx
import pytest

from ctconsole.api.catalogue import CATALOGUE
from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, make_sandbox_app

MAIN = (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)


@pytest.fixture
def app():
    return make_sandbox_app(big_sessions=12000)


@pytest.fixture
async def http(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://sandbox") as client:
        yield client


def headers(creds=MAIN) -> dict:
    return {"X-Client-Id": creds[0], "X-Client-Secret": creds[1]}


async def post(http: httpx.AsyncClient, name: str, creds=MAIN, *, view: str = "all",
               **params) -> dict:
    """POST an operation by catalogue name; return the parsed body (HTTP 200 asserted)."""
    op = CATALOGUE.get(name)
    path = op.variants.get(view, op.path) if op.variants else op.path
    response = await http.post(path, json=params, headers=headers(creds))
    assert response.status_code == 200, response.text
    return response.json()


def ok(body: dict) -> dict:
    assert body["status"] == {"status": "OK"}, body
    return body


def errors(body: dict) -> list[tuple[int, str]]:
    """(code, description) pairs of a shape-B failure."""
    assert body["status"]["status"] == "failed", body
    err = body["status"]["errors"]
    assert err["error_message"] == "HTTP/1.0 422 Unprocessable entity."
    return list(zip(err["error_code"], err["error_message_description"]))
