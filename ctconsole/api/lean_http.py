"""A lean HTTP/1.1 keep-alive pool for many small reads (a batch's lookups).

httpx with httpcore and anyio spends about a millisecond of CPU on each
request of a batch lookup, several times what the lookup's own work costs: a
batch of 10,000 identifiers is CPU-bound on a busy machine. This pool sends
the same POST with h11 (the HTTP/1.1 parser httpx itself uses) straight over
asyncio streams: a few hundred microseconds a request.

What it does not do, and so where it is not used (`usable_for`): proxies
(any ``*_proxy`` variable in the environment), a transport given to the
client (the in-process sandbox, a custom one), anything but http and https.
It is used for reads only: a request that fails on a reused connection before
any answer arrived is sent once more on a new one, which only a read allows.
Writes stay on httpx's pool, which never resends.

Failures are raised as httpx's exceptions (ConnectError, ReadError,
WriteError, RemoteProtocolError) so the client explains them as it explains
httpx's own. TLS uses httpx's default context (same certificates).
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
from typing import Mapping
from urllib.parse import urlsplit

import h11
import httpx

from .errors import AnswerTooLarge

#: A connection idle longer than this is closed rather than reused: servers
#: drop idle keep-alive connections after a few seconds.
IDLE_SECONDS = 4.0
_READ_SIZE = 64 * 1024
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


def usable_for(base_url: str, transport: object) -> bool:
    """Whether requests to `base_url` may go through this pool instead of httpx's."""
    if transport is not None:
        return False
    if any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXY_VARIABLES):
        return False
    return urlsplit(base_url).scheme in ("http", "https")


class _Connection:
    __slots__ = ("reader", "writer", "h11", "idle_since")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=64 * 1024)
        self.idle_since = time.monotonic()

    def reusable(self) -> bool:
        return (not self.reader.at_eof() and not self.writer.is_closing()
                and time.monotonic() - self.idle_since < IDLE_SECONDS)

    def close(self) -> None:
        self.writer.close()


class LeanPool:
    """Keep-alive connections to one origin; as many as requests in flight
    (the caller's semaphore bounds that)."""

    def __init__(self, base_url: str, *, user_agent: str, max_answer_bytes: int) -> None:
        parts = urlsplit(base_url)
        self._tls = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if self._tls else 80)
        # Host header: host and an explicit port, never userinfo from the URL.
        host = f"[{self._host}]" if ":" in self._host else self._host
        self._authority = f"{host}:{parts.port}" if parts.port else host
        self._prefix = parts.path.rstrip("/")
        self._user_agent = user_agent
        self._limit = max_answer_bytes
        self._idle: list[_Connection] = []
        self._ssl: ssl.SSLContext | None = None
        self.is_closed = False

    async def post(self, path: str, body: bytes, headers: Mapping[str, str],
                   operation: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers (lower-case names) and body of one POST of a read."""
        if self.is_closed:
            raise httpx.ConnectError("the connection pool is closed")
        while self._idle:
            conn = self._idle.pop()
            if not conn.reusable():
                conn.close()
                continue
            try:
                return await self._exchange(conn, path, body, headers, operation, reused=True)
            except _Stale:
                continue  # the server had closed it: a new connection, once
        return await self._exchange(await self._connect(), path, body, headers, operation,
                                    reused=False)

    async def aclose(self) -> None:
        self.is_closed = True
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    async def _connect(self) -> _Connection:
        context = None
        if self._tls:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()
            context = self._ssl
        try:
            reader, writer = await asyncio.open_connection(
                self._host, self._port, ssl=context, limit=_READ_SIZE,
                server_hostname=self._host if context else None)
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(str(exc)) from None
        return _Connection(reader, writer)

    async def _exchange(self, conn: _Connection, path: str, body: bytes,
                        headers: Mapping[str, str], operation: str, *,
                        reused: bool) -> tuple[int, dict[str, str], bytes]:
        done = False
        answered = False
        try:
            request = h11.Request(method="POST", target=self._prefix + path, headers=[
                ("Host", self._authority), ("User-Agent", self._user_agent),
                ("Accept", "application/json"), ("Content-Length", str(len(body))),
                *headers.items()])
            try:
                conn.writer.write(conn.h11.send(request) + conn.h11.send(h11.Data(data=body))
                                  + conn.h11.send(h11.EndOfMessage()))
                await conn.writer.drain()
            except OSError as exc:
                if reused:
                    raise _Stale() from None
                raise httpx.WriteError(str(exc)) from None
            response: h11.Response | None = None
            chunks: list[bytes] = []
            size = 0
            while True:
                try:
                    event = conn.h11.next_event()
                except h11.RemoteProtocolError as exc:
                    raise httpx.RemoteProtocolError(str(exc)) from None
                if event is h11.NEED_DATA:
                    try:
                        data = await conn.reader.read(_READ_SIZE)
                    except OSError as exc:
                        if reused and not answered:
                            raise _Stale() from None
                        raise httpx.ReadError(str(exc)) from None
                    if not data and reused and not answered:
                        raise _Stale()
                    conn.h11.receive_data(data)
                    answered = answered or bool(data)
                    continue
                if isinstance(event, h11.InformationalResponse):
                    continue
                if isinstance(event, h11.Response):
                    response = event
                    declared = _header(event.headers, b"content-length")
                    if declared.isdigit() and int(declared) > self._limit:
                        raise AnswerTooLarge(self._limit, operation=operation,
                                             declared=int(declared))
                elif isinstance(event, h11.Data):
                    size += len(event.data)
                    if size > self._limit:
                        raise AnswerTooLarge(self._limit, operation=operation)
                    chunks.append(bytes(event.data))
                elif isinstance(event, h11.EndOfMessage):
                    break
                elif isinstance(event, h11.ConnectionClosed):
                    raise httpx.RemoteProtocolError("the server closed the connection")
            assert response is not None
            names = {k.decode("latin-1").lower(): v.decode("latin-1")
                     for k, v in response.headers}
            done = True
            return response.status_code, names, b"".join(chunks)
        finally:
            if done and conn.h11.our_state is h11.DONE and conn.h11.their_state is h11.DONE \
                    and not self.is_closed:
                conn.h11.start_next_cycle()
                conn.idle_since = time.monotonic()
                self._idle.append(conn)
            else:
                # Cancelled, failed or closed by the server: never reused.
                conn.close()


class _Stale(Exception):
    """A reused connection turned out closed before any answer came."""


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return ""
