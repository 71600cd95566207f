"""``ctconsole sandbox``: the demo API served on a loopback port."""

from __future__ import annotations

import argparse
import ipaddress
from typing import Any

from ctconsole.commands import Command
from ctconsole.commands.context import EXIT_OK, PROG, Context, UsageError


def _add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--sessions", type=int, metavar="N",
                        help="coupon sessions in the big demo campaign (default 20000)")
    parser.add_argument("--cases", action="store_true",
                        help="add the support-case merchant sub_2006 (a session per verdict)")
    parser.add_argument("--subaccounts", type=int, metavar="N", default=0,
                        help="fill the account up to N subaccounts (one holds the ticket session)")
    parser.add_argument("--latency-ms", type=float, metavar="MS", default=0.0,
                        help="delay every API answer by MS milliseconds")


def run_sandbox(ctx: Context) -> int:
    """Serve the sandbox on a loopback port until interrupted."""
    args = ctx.args
    host = args.host
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise UsageError(f"the sandbox listens on loopback only (got --host {host})")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be 1-65535 (got {args.port})")
    # Lazy: every subcommand's parser imports this module; the sandbox app
    # loads only when it is served.
    from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from ctconsole.sandbox.server import serve

    shown_host = f"[{host}]" if ":" in host else host
    print(f"Sandbox API: http://{shown_host}:{args.port}\n"
          f"client_id:     {DEMO_CLIENT_ID}\nclient_secret: {DEMO_CLIENT_SECRET}\n"
          f"Try: CTCONSOLE_BASE_URL=http://{shown_host}:{args.port} "
          f"CTCONSOLE_CLIENT_ID={DEMO_CLIENT_ID} CTCONSOLE_CLIENT_SECRET={DEMO_CLIENT_SECRET} "
          f"{PROG}\nCtrl+C stops it.", file=ctx.out, flush=True)
    app_kwargs: dict[str, Any] = {} if args.sessions is None else {"big_sessions": args.sessions}
    if args.cases:
        app_kwargs["cases"] = True
    if args.subaccounts:
        app_kwargs["subaccounts"] = args.subaccounts
    if args.latency_ms:
        app_kwargs["latency"] = args.latency_ms / 1000
    serve(host=host, port=args.port, **app_kwargs)
    return EXIT_OK


COMMAND = Command("sandbox", "serve the demo API on a loopback port", run_sandbox,
                  _add_sandbox_arguments)
