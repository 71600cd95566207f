"""``ctconsole find TEXT [--everywhere] [--json]``: the console's `f` for scripts.

TEXT is anything a ticket carries: a 21- or 6-character session code, a
session link, an e-mail address, a phone number or a custom validation code.
Without ``--everywhere`` the profile's own account is searched; with it, the
main account and every subaccount with its own credentials (a bounded pool,
``--concurrency``). Matches print as they arrive, one line each (``--json``:
one JSON object a line; otherwise tab-separated: session, campaign,
account, what matched, name); progress and per-account failures go to stderr.

Exit codes: 0 something found, 1 nothing found, 3 nothing found and the
network failed for an account (the answer may be incomplete), 2 usage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from ctconsole import safetext
from ctconsole.api.errors import TransportError
from ctconsole.api.fanout import Failed, Found, Progress
from ctconsole.api.find_everywhere import find_everywhere
from ctconsole.api.finder import classify, find_sessions
from ctconsole.commands import Command

EXIT_FOUND, EXIT_NONE, EXIT_USAGE, EXIT_NETWORK = 0, 1, 2, 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", metavar="TEXT",
                        help="session code or link, e-mail, phone or custom validation code")
    parser.add_argument("--everywhere", action="store_true",
                        help="search the main account and every subaccount")
    parser.add_argument("--json", action="store_true", help="one JSON object per match")
    parser.add_argument("--concurrency", type=int, default=None, metavar="N",
                        help="accounts asked at once with --everywhere "
                             "(default: [find] concurrency, 8)")


def match_document(match: Any, account: str, account_name: str) -> dict[str, Any]:
    """What one match is, as `--json` prints it (API text, made safe on output)."""
    data = match.data
    return {"account": account, "account_name": account_name, "session": match.session,
            "short_code": match.short_code, "campaign": match.campaign, "found_by": match.kind,
            "matched": match.matched, "name": match.who, "email": match.email,
            "phone": match.phone, "customvalcode": match.customvalcode,
            "session_url": getattr(data, "session_url", "") or ""}


def json_line(document: dict[str, Any]) -> str:
    return safetext.escape_json(json.dumps(document, ensure_ascii=False))


def text_line(doc: dict[str, Any]) -> str:
    where = doc["account"] if doc["account"] == "main" else f"{doc['account']} {doc['account_name']}"
    parts = [doc["session"], doc["campaign"], where, f"{doc['found_by']}: {doc['matched']}"]
    if doc["name"]:
        parts.append(doc["name"])
    return "\t".join(safetext.one_line(part, 200) for part in parts)


def run(ctx: Any) -> int:
    """`ctx` is a `commands.context.Context`."""
    args = ctx.args
    if args.concurrency is not None and args.concurrency < 1:
        ctx.note("--concurrency must be at least 1")
        return EXIT_USAGE
    try:
        classify(args.text)
    except ValueError as exc:
        ctx.note(str(exc))
        return EXIT_USAGE
    return asyncio.run(_run(ctx))


async def _run(ctx: Any) -> int:
    args = ctx.args
    client = ctx.client()
    emit = (lambda doc: print(json_line(doc), file=ctx.out, flush=True)) if args.json else (
        lambda doc: print(text_line(doc), file=ctx.out, flush=True))
    try:
        if not args.everywhere:
            result = await find_sessions(client, args.text)
            for match in result.matches:
                emit(match_document(match, "main", ""))
            if not result.found:
                ctx.note(safetext.one_line(result.summary()))
            return EXIT_FOUND if result.found else EXIT_NONE
        return await _everywhere(ctx, client, emit, TransportError)
    finally:
        await client.aclose()
        if client.cache is not None:
            client.cache.close()


async def _everywhere(ctx: Any, client: Any, emit: Any, transport_error: type) -> int:
    args = ctx.args
    fan = await find_everywhere(client, args.text,
                                concurrency=args.concurrency or ctx.settings().find_concurrency)
    tty = getattr(ctx.err, "isatty", lambda: False)()
    last: Progress | None = None
    async for event in fan.events():
        if isinstance(event, Found):
            t = event.target
            for match in event.value.matches:
                emit(match_document(match, t.id, t.name if t.id != "main" else ""))
        elif isinstance(event, Failed):
            ctx.note(safetext.one_line(f"{event.target.label}: {event.error}"))
        elif isinstance(event, Progress):
            last = event
            if tty:
                print("\r" + event.line("accounts"), end="", file=ctx.err, flush=True)
    if tty:
        print(file=ctx.err)
    if last is not None:
        ctx.note(last.line("accounts"))
    if fan.found:
        return EXIT_FOUND
    if any(isinstance(f.error, transport_error) for f in fan.failed):
        return EXIT_NETWORK
    return EXIT_NONE


COMMAND = Command("find", "find a session by code, link, e-mail or phone (--everywhere: "
                  "every subaccount too)", run, add_arguments)
