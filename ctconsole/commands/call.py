"""``ctconsole call NAME key=value…``: one API operation, its result as JSON."""

from __future__ import annotations

import argparse
import asyncio
import difflib
import re
from typing import Any

from ctconsole.api import params as params_mod
from ctconsole.api.catalogue import UnknownOperation
from ctconsole.commands import Command, call_write
from ctconsole.commands.cache import provenance
from ctconsole.commands.call_write import add_write_arguments
from ctconsole.commands.context import EXIT_OK, PROG, Context, UsageError
from ctconsole.jsonout import result_document, to_json


def _add_call_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("operation", metavar="NAME", help="operation name (see 'ctconsole ops')")
    parser.add_argument("params", metavar="key=value", nargs="*",
                        help="parameters; repeat a list parameter or separate with commas")
    parser.add_argument("--show-secrets", action="store_true",
                        help="print API secrets, keys and login URLs instead of masking them")
    parser.add_argument("--raw", action="store_true",
                        help="print the payload exactly as received (secrets still masked)")
    parser.add_argument("--no-cache", action="store_true",
                        help="ask the API; neither use nor store a cached answer")
    parser.add_argument("--max-age", metavar="SECONDS", type=float,
                        help="accept a cached answer at most this old (0: always ask the API)")
    add_write_arguments(parser)


def parse_pairs(pairs: list[str]) -> dict[str, object]:
    """``key=value`` words to a dict; a repeated key becomes a list."""
    params: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key or not re.fullmatch(r"[A-Za-z0-9_]+", key):
            raise UsageError(f"parameters are key=value (got {pair!r})")
        if key in params:
            previous = params[key]
            params[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            params[key] = value
    return params


def run_call(ctx: Context) -> int:
    """One operation; its normalised result as JSON on stdout.

    The output is the model's dump under its own field names (normalised and
    stable across the API's quirks: ``id`` not ``ID``, real booleans, numbers
    and ISO dates), not the API's spelling — ``--raw`` gives that. Secrets are
    masked (``…abcd``) unless --show-secrets.
    """
    args = ctx.args
    settings = ctx.settings()
    try:
        op = settings.catalogue.get(args.operation)
    except UnknownOperation:
        close = difflib.get_close_matches(args.operation, [o.name for o in settings.catalogue], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; see '{PROG} ops'"
        raise UsageError(f"unknown operation {args.operation!r}{hint}") from None
    given = parse_pairs(args.params)
    for key, value in given.items():
        param = op.param(key)
        if isinstance(value, list) and param is not None and param.type != "codes":
            raise UsageError(f"{key} given more than once")
    params_mod.validate(op, given)  # InvalidParams before credentials or network
    if args.dry_run:
        return call_write.dry_run(ctx, op, given)
    if op.is_read and (args.reason or args.confirm):
        ctx.warn(f"{op.name} is a read: --reason and --confirm are for writes and were ignored")
    if not op.is_read:
        refusal = call_write.refusal_before_planning(ctx, op)
        if refusal is not None:
            raise UsageError(refusal)
        return call_write.run_write(ctx, op, given)
    max_age = args.max_age
    if max_age is not None and not max_age >= 0:  # NaN too
        raise UsageError(f"--max-age must be 0 or more seconds (got {max_age:g})")

    options = {"use_cache": not args.no_cache, "max_age": max_age}
    result = asyncio.run(_call(ctx, op.name, given, options))
    if result.from_cache:
        ctx.note(provenance(result))
    print(to_json(result_document(result, raw=args.raw, show_secrets=args.show_secrets)),
          file=ctx.out)
    return EXIT_OK


async def _call(ctx: Context, name: str, params: dict[str, object],
                options: dict[str, Any]) -> Any:
    client = ctx.client()
    try:
        return await client.call(name, **options, **params)
    finally:
        await client.aclose()
        if client.cache is not None:
            client.cache.close()


COMMAND = Command("call", "run one API operation and print its result as JSON",
                  run_call, _add_call_arguments)
