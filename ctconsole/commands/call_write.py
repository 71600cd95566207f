"""`ctconsole call` for a write: the console's write engine, from a script.

A write from the command line is planned, guarded, journaled and applied by
`ctconsole.writes` exactly as from the console, so the journal holds every
write made from this machine, whichever way it was made:

* `--dry-run` prints the exact request (method, path, body with secrets
  redacted, whose credentials) as JSON and sends nothing: no read, no write,
  no secret resolved; exit 0. What would refuse it (read-only, offline) is
  listed under ``refused``.
* read-only and offline refuse before anything is read or a secret resolved
  (exit 2, nothing sent).
* the object is read first, as the console's preview does, and the same
  guard rails run: a refusal exits 2 with its reason and sends nothing (there
  is no --force: a refusal means the write is wrong or pointless as planned,
  the same in both places); a warning goes to stderr and the write goes ahead
  (running the command is the confirmation); a write reaching many people
  needs ``--confirm`` with the text the console would ask to type.
* the write is journaled (flushed) before it is sent, sent once, and its
  outcome journaled: ok (the result on stdout, exit 0), failed (exit 1, or 3
  when nothing left the machine), or unknown (exit 1, `OUTCOME_UNKNOWN` on
  stderr). The journal entry's id goes to stderr for every write sent.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ctconsole.api.errors import CtError
from ctconsole.api.params import validate
from ctconsole.commands.context import EXIT_API, EXIT_OK, EXIT_USAGE, Context
from ctconsole.jsonout import result_document, to_json
from ctconsole.writes import Journal, WriteContext, apply_write, context_refusals, plan_write, request_of

if TYPE_CHECKING:
    from ctconsole.api.catalogue import Operation


def add_write_arguments(parser: Any) -> None:
    """`call`'s options for writes."""
    parser.add_argument("--dry-run", action="store_true",
                        help="print the exact request (secrets redacted) and whose credentials "
                             "it would use; send nothing")
    parser.add_argument("--reason", metavar="TEXT",
                        help="why this write is made (a ticket ID): recorded in the journal")
    parser.add_argument("--confirm", metavar="TEXT",
                        help="for a write that reaches many people: the campaign/card code or "
                             "the count, as the console asks to type")


def _credentials(settings: Any) -> str:
    return f"main account of profile {settings.profile.name!r}"


def dry_run(ctx: Context, op: Operation, given: dict[str, object]) -> int:
    """Print what `call` would send for `op` with `given`; send nothing."""
    settings = ctx.settings()
    valid = validate(op, given)
    refused = [] if op.is_read else context_refusals(WriteContext.from_settings(settings))
    document = {"dry_run": True, "sent": False,
                **request_of(op, valid, _credentials(settings)),
                "base_url": settings.profile.base_url,
                "reason": _reason(ctx), "refused": [r.message for r in refused]}
    print(to_json(document), file=ctx.out)
    return EXIT_OK


def _reason(ctx: Context) -> str | None:
    return (ctx.args.reason or "").strip() or None


def refusal_before_planning(ctx: Context, op: Operation) -> str | None:
    """Why no write may be sent at all with these settings (read-only,
    offline), as one sentence, or None."""
    refused = context_refusals(WriteContext.from_settings(ctx.settings()))
    if not refused:
        return None
    return f"{op.name} is a write and " + "; ".join(r.message for r in refused) \
        + "; nothing was sent"


def run_write(ctx: Context, op: Operation, given: dict[str, object]) -> int:
    """Plan, guard, journal and send `op` once; report; the exit status."""
    return asyncio.run(_write(ctx, op, given))


async def _write(ctx: Context, op: Operation, given: dict[str, object]) -> int:
    args = ctx.args
    context = WriteContext.from_settings(ctx.settings())
    client = ctx.client()
    try:
        try:
            plan = await plan_write(client, op.name, given, reason=_reason(ctx))
        except CtError as err:
            where = f" ({err.operation})" if err.operation and err.operation != op.name else ""
            ctx.fail(op.name, f"reading the object first{where} failed, so nothing was sent: "
                              f"{err}")
            return err.exit_code
        for warning in plan.warnings:
            ctx.warn(f"{op.name}: {warning.message}")
        outcome = await apply_write(client, plan, journal=Journal(), context=context,
                                    confirm=args.confirm)
    finally:
        await client.aclose()
        if client.cache is not None:
            client.cache.close()
    return _report(ctx, op, outcome)


def _report(ctx: Context, op: Operation, outcome: Any) -> int:
    entry = f"journal entry {outcome.entry_id}"
    if outcome.journal_problem:
        ctx.warn(f"{op.name}: {outcome.journal_problem}")
    if outcome.status == "refused":
        for reason in outcome.refused:
            message = reason.message
            if getattr(reason, "rule", "") == "confirmation":
                message += f" (pass --confirm {outcome.plan.confirmation})"
            ctx.fail(op.name, f"not sent: {message}")
        ctx.fail(op.name, "nothing was sent")
        return EXIT_USAGE
    if outcome.status == "ok":
        args = ctx.args
        print(to_json(result_document(outcome.result, raw=args.raw,
                                      show_secrets=args.show_secrets)), file=ctx.out)
        note = "applied" if outcome.refetch_error is None else outcome.note
        ctx.note(f"{op.name}: {note}; {entry}")
        return EXIT_OK
    err = outcome.error
    ctx.fail(op.name, f"{err.title}: {err.message} ({entry})")
    if outcome.status == "unknown":
        return EXIT_API
    return err.exit_code
