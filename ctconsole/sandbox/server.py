"""Serving the sandbox over real HTTP, on loopback only.

`serve()` is what `ctconsole sandbox` runs; `running()` is for tests that
need a real socket (timeouts, dropped connections, the client's own HTTP
stack). Both refuse anything but a loopback address: the sandbox hands out
fake credentials and takes fault injections without authentication, so it
must never be reachable from another machine.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from typing import Iterator

from .app import SandboxApp, make_sandbox_app


def _check_loopback(host: str) -> None:
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"refusing to serve the sandbox on {host!r}: only loopback addresses "
            "(127.0.0.1, ::1, localhost) are allowed"
        )


def _config(app: SandboxApp, host: str, port: int, log_level: str):
    # Lazy: uvicorn loads only to serve on a port (`ctconsole sandbox`).
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="off",
                          access_log=False, ws="none", http="h11")


def serve(host: str = "127.0.0.1", port: int = 8765, *, log_level: str = "info",
          **app_kwargs) -> None:
    """Serve a new sandbox (built from `app_kwargs`) until interrupted."""
    _check_loopback(host)
    # Lazy: uvicorn loads only to serve on a port (`ctconsole sandbox`).
    import uvicorn

    app = make_sandbox_app(**app_kwargs)
    uvicorn.Server(_config(app, host, port, log_level)).run()


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(app: SandboxApp | None = None, *, host: str = "127.0.0.1",
            timeout: float = 10.0) -> Iterator[str]:
    """Run `app` under uvicorn in a background thread; yield its base URL.

    The server stops (and the thread joins) when the block exits.
    """
    _check_loopback(host)
    # Lazy: uvicorn loads only to serve on a port (`ctconsole sandbox`).
    import uvicorn

    app = app or make_sandbox_app()
    port = _free_port(host)
    server = uvicorn.Server(_config(app, host, port, "error"))
    thread = threading.Thread(target=server.run, name=f"sandbox-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"sandbox server did not start on {host}:{port}")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
