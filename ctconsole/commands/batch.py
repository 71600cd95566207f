"""`ctconsole batch`: one action on a list of identifiers, for scripts and terminals.

    ctconsole batch codes.txt --action validate --reason INC-7
    ctconsole batch export.csv --column "Coupon code" --action void --dry-run
    ctconsole batch - --action stamps stamps=5 --yes < users.txt
    ctconsole batch emails.txt --action void --dry-run        # rows 4 and 9 ambiguous
    ctconsole batch emails.txt --action void --pick 4=s7rq3t --pick 9=skip --yes
    ctconsole batch --resume batch-20261204-101500-a1b2c3d4
    ctconsole batch --undo batch-20261204-101500-a1b2c3d4

The same engine as the console (`ctconsole.writes.batch`): identifiers
resolved with a bounded pool, one preview, the count typed, every write
journaled under the batch ID. stdout carries one JSON line per identifier
(its outcome, and the write's result once applied); stderr carries progress
and sentences for people. `--dry-run` prints the preview's lines and sends
nothing. Without `--yes` the count must be typed on a terminal; without a
terminal the batch is refused. Ctrl+C while applying pauses: writes in
flight finish, no new one starts, and `--resume` goes on later.

Ambiguous identifiers (an e-mail on several coupons): the dry run's line of
such a row lists its `candidates`, each with its `id`. `--pick ROW=ID` (or
`--picks FILE` of such lines) settles row ROW on that candidate, `ROW=skip`
leaves it out on purpose. A pick that no longer fits (the row now resolves
differently, the ID is not among its matches) refuses the whole batch before
anything is sent. Unpicked ambiguous rows are not written and are named on
stderr; like a not-found row they make the exit status 1. A skipped row does
not (it was left out on purpose, as a duplicate is).

Exit status: 0 every identifier applied (or already applied); 1 some were
not (failed, outcome unknown, refused by a guard, not found, ambiguous);
2 usage, nothing sent (bad arguments, a pick that does not fit, not
confirmed, read-only, offline); 3 the network failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import time
from typing import Any, TextIO

from ctconsole import safetext
from ctconsole.api.errors import CtError, InvalidParams, TransportError
from ctconsole.commands import Command
from ctconsole.commands.context import EXIT_API, EXIT_NETWORK, EXIT_OK, EXIT_USAGE, PROG, UsageError
from ctconsole.writes import Journal, WriteContext
from ctconsole.writes.batch import ACTIONS, SKIP, Accounts, InputError, MAX_ITEMS, Progress, ResolveStopped, Resolver, action_named, apply_batch, apply_picks, parse_csv, parse_text, plan_batch, plan_resume, plan_undo_batch, read_file, resolve, rows_for

HELP = "apply one action to a list of codes, links, e-mails or user IDs (preview, typed count)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", metavar="FILE|-",
                        help=f"identifiers, one per line or separated by , ; tab | "
                             f"(at most {MAX_ITEMS}); - reads stdin")
    actions = "; ".join(f"{a.name}: {a.help}" for a in ACTIONS.values())
    parser.add_argument("--action", nargs="+", metavar=("NAME", "field=value"),
                        help=f"the action and its fields ({actions})")
    parser.add_argument("--column", metavar="NAME",
                        help="FILE is a CSV: take the identifiers from this column")
    parser.add_argument("--everywhere", action="store_true",
                        help="look in every subaccount too (each written with its own credentials)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the preview as JSON lines; send nothing")
    parser.add_argument("--yes", action="store_true",
                        help="apply without asking for the typed count (scripts)")
    parser.add_argument("--resume", metavar="BATCH_ID",
                        help="go on with a batch from the journal: what was not applied, "
                             "read again and previewed afresh")
    parser.add_argument("--undo", metavar="BATCH_ID",
                        help="undo every applied write of a batch (its inverse, previewed)")
    parser.add_argument("--reason", metavar="TEXT", help="reason or ticket, journaled")
    parser.add_argument("--json", action="store_true",
                        help="end stdout with a JSON summary line (batch ID, counts, exit status)")
    parser.add_argument("--pick", action="append", default=[], metavar="ROW=ID",
                        help="settle an ambiguous row: ROW is the row number in the dry run, "
                             "ID one of its candidates' ids (a session code, its 6-character "
                             "short form, or a loyalty user ID); ROW=skip leaves the row out. "
                             "Repeat for several rows. Unpicked ambiguous rows are not written "
                             "(exit status 1); a pick that does not fit refuses the batch")
    parser.add_argument("--picks", metavar="FILE",
                        help="picks from a file, one ROW=ID (or ROW=skip) a line; # comments")
    parser.add_argument("--pool", type=int, metavar="N",
                        help="lookups in flight at once (default 16)")


def _picks(args: argparse.Namespace) -> dict[int, str]:
    """Row number → match ID or "skip", from --pick and --picks (a usage error
    for anything malformed, or one row picked twice differently)."""
    words: list[tuple[str, str]] = [("--pick", w) for w in args.pick]
    if args.picks:
        try:
            with open(args.picks, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--picks {safetext.one_line(args.picks, 80)}: cannot read it "
                             f"({type(exc).__name__})") from None
        for n, line in enumerate(lines, 1):
            line = line.split("#", 1)[0].strip()
            if line:
                words.append((f"--picks line {n}", line))
    picks: dict[int, str] = {}
    for where, word in words:
        row, sep, ident = (part.strip() for part in word.partition("="))
        if not sep or not row.isdigit() or int(row) < 1 or not ident \
                or not ident.replace("_", "").isalnum():
            raise UsageError(f"{where}: expected ROW=ID (e.g. 4=s7rq3t, or 4=skip), got "
                             f"{safetext.one_line(word, 60)!r}")
        ident = SKIP if ident.lower() == SKIP else ident
        if picks.get(int(row), ident) != ident:
            raise UsageError(f"row {int(row)} is picked twice ({picks[int(row)]} and {ident})")
        picks[int(row)] = ident
    return picks


def _fields(words: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for word in words:
        name, sep, value = word.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"expected field=value after the action name, got "
                             f"{safetext.one_line(word, 40)!r}")
        fields[name.strip()] = value
    return fields


class Printer:
    """stdout JSON lines, stderr sentences and a throttled progress line."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = out, err
        self.tty = bool(getattr(err, "isatty", lambda: False)())
        self._last = 0.0
        self._open = False
        #: End stdout with a JSON summary line (--json).
        self.json = False

    def line(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
        print(safetext.escape_json(text), file=self.out, flush=True)

    def say(self, text: str) -> None:
        self._end_progress()
        print(f"{PROG}: batch: {safetext.one_line(text, 2000)}", file=self.err, flush=True)

    def progress(self, label: str, progress: Any, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < (0.25 if self.tty else 2.0):
            return
        self._last = now
        text = f"{label}: {progress.text()}"
        if self.tty:
            print(f"\r\x1b[2K{text}", end="", file=self.err, flush=True)
            self._open = True
        else:
            print(text, file=self.err, flush=True)

    def _end_progress(self) -> None:
        if self._open:
            print(file=self.err, flush=True)
            self._open = False


def run(ctx: Any) -> int:
    args = ctx.args
    printer = Printer(ctx.out, ctx.err)
    printer.json = bool(args.json)
    sources = [bool(args.file), bool(args.resume), bool(args.undo)]
    if sum(sources) != 1:
        raise UsageError("give exactly one of FILE (or - for stdin), --resume BATCH_ID, "
                         "--undo BATCH_ID")
    action = fields = None
    if args.file:
        if not args.action:
            raise UsageError("--action NAME is needed (see 'ctconsole batch --help')")

        try:
            action = action_named(args.action[0])
            fields = action.fields(_fields(args.action[1:]))
        except InvalidParams as err:  # a usage error: nothing read, nothing sent
            raise UsageError("; ".join(err.problems)) from None
    elif args.action:
        raise UsageError("--action goes with FILE; a resumed or undone batch keeps its own")
    picks = _picks(args)
    if picks and not args.file:
        raise UsageError("--pick and --picks go with FILE: they settle the rows of its dry run")
    if args.pool is not None and not 1 <= args.pool <= 64:
        raise UsageError(f"--pool must be 1-64 (got {args.pool})")
    interactive = sys.stdin.isatty() and args.file != "-"
    if not args.dry_run and not args.yes and not interactive:
        raise UsageError("no terminal to type the count on: preview with --dry-run, then "
                         "apply with --yes (nothing was sent)")
    settings = ctx.settings()
    if not args.dry_run:
        if settings.profile.read_only:
            raise UsageError(f"profile {settings.profile.name!r} is read-only (read_only = true "
                             "or --read-only); nothing was sent")
        if settings.offline:
            raise UsageError("offline (--offline): writes are disabled; nothing was sent")
    parsed = None
    if args.file:
        try:
            if args.file == "-":
                text = sys.stdin.read()
                parsed = parse_csv(text, args.column) if args.column else parse_text(text)
            else:
                parsed = read_file(args.file, column=args.column)
        except InputError as exc:
            raise UsageError(str(exc)) from None
        printer.say(parsed.summary())
        if not parsed.items:
            raise UsageError("no identifiers in the input; nothing was sent")
        numbers = {item.number for item in parsed.items}
        unknown = sorted(set(picks) - numbers)
        if unknown:
            raise UsageError(f"--pick names row {unknown[0]}, but the input has rows 1-"
                             f"{len(numbers)} (duplicates and blanks dropped); nothing was sent")
    client = ctx.client()
    return asyncio.run(_run(ctx, client, printer, action, fields or {}, parsed, interactive,
                            picks))


async def _run(ctx: Any, client: Any, printer: Printer, action: Any, fields: dict,
               parsed: Any, interactive: bool, picks: dict[int, str]) -> int:
    args = ctx.args
    settings = ctx.settings()
    journal = Journal()
    context = WriteContext.from_settings(settings)
    accounts = None
    try:
        accounts = Accounts(client, everywhere=args.everywhere, **(
            {"pool": args.pool} if args.pool else {}))
        try:
            if parsed is not None:
                rows = rows_for(parsed.items)
                progress = Progress(len(rows))
                await resolve(rows, Resolver(accounts, action.target), progress=progress,
                              on_row=lambda row, p: printer.progress("resolving", p))
                printer.progress("resolving", progress, force=True)
                if rows and all(r.status == "error" for r in rows) and _network(
                        r.exception for r in rows):
                    printer.say(f"every lookup failed: {rows[0].error}")
                    return EXIT_NETWORK
                problems = apply_picks(rows, picks)
                if problems:
                    for problem in problems:
                        printer.say(f"--pick: {problem}")
                    printer.say("the picks do not fit the rows as they resolve now (run the "
                                "dry run again); nothing was sent")
                    return EXIT_USAGE
                plan = plan_batch(action, rows, fields, reason=args.reason)
                _say_unpicked(printer, plan)
            elif args.resume:
                plan, status = await plan_resume(journal, args.resume, accounts,
                                                 reason=args.reason)
                printer.say(f"batch {status.id} ({status.action}): {status.summary()}")
            else:
                plan = await plan_undo_batch(journal, args.undo, accounts, reason=args.reason)
                printer.say(f"undo of batch {plan.undo_of}")
        except ResolveStopped as err:
            printer.say(f"stopped: {err.title}: {err.message}")
            return EXIT_USAGE if "offline" in err.message.lower() else EXIT_API
        except InvalidParams as err:
            raise UsageError("; ".join(err.problems)) from None
        except CtError as err:
            printer.say(f"{err.title}: {err.message}")
            return EXIT_NETWORK if _network([err]) else (
                EXIT_USAGE if err.title in ("Batch not found", "Nothing to undo") else EXIT_API)
        return await _preview_and_apply(ctx, printer, plan, accounts, journal, context,
                                        interactive)
    finally:
        if accounts is not None:
            await accounts.aclose()
        await client.aclose()


def _say_unpicked(printer: Printer, plan: Any) -> None:
    """Name the ambiguous rows left unpicked (they are not written)."""
    rows = [r for r in plan.rows if r.outcome == "ambiguous"]
    if not rows:
        return
    shown = ", ".join(f"row {r.number} ({len(r.candidates)} matches)" for r in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    noun = "identifier" if len(rows) == 1 else "identifiers"
    printer.say(f"{len(rows)} ambiguous {noun} not picked, left out: {shown}{more}; pick with "
                "--pick ROW=ID (the dry run lists each row's candidates) or ROW=skip")


def _network(errors: Any) -> bool:
    found = [e for e in errors if e is not None]
    return bool(found) and all(isinstance(e, TransportError) for e in found)


def _row_line(row: Any, batch_id: str, steps: dict) -> dict[str, Any]:
    data = row.to_dict()
    step = steps.get(row.step)
    if step is not None:
        data["entry"] = step.entry_id
        data["operation"] = step.operation
    return {"batch": batch_id, **data}


async def _preview_and_apply(ctx: Any, printer: Printer, plan: Any, accounts: Any,
                             journal: Any, context: Any, interactive: bool) -> int:
    args = ctx.args
    steps = {s.number: s for s in plan.steps}
    printer.say(f"{plan.heading()} — {plan.summary()}; {len(plan.steps)} "
                f"operation{'s' if len(plan.steps) != 1 else ''} (batch {plan.id})")
    if args.dry_run:
        for row in plan.rows:
            printer.line(_row_line(row, plan.id, {}))
        for step in plan.steps:
            write = step.write_plan(plan.reason, plan.undo_of)
            printer.line({"batch": plan.id, "operation": step.number,
                          "request": write.as_request(), "rows": [r.number for r in step.rows]})
        printer.say("dry run: nothing was sent")
        return _finish(printer, plan, EXIT_OK, dry_run=True)
    if not plan.to_write:
        for row in plan.rows:
            printer.line(_row_line(row, plan.id, steps))
        printer.say("nothing to write; nothing was sent")
        return _finish(printer, plan, _exit_for(plan))
    confirm = plan.confirmation if args.yes else _ask(printer, plan, interactive)
    if confirm != plan.confirmation:
        printer.say("not confirmed; nothing was sent")
        return _finish(printer, plan, EXIT_USAGE)
    for row in plan.rows:
        if not row.writes:
            printer.line(_row_line(row, plan.id, steps))
    pause = asyncio.Event()
    loop = asyncio.get_running_loop()
    def interrupted() -> None:
        if not pause.is_set():
            printer.say("pausing: the writes in flight finish, no new one starts")
        pause.set()

    try:
        loop.add_signal_handler(signal.SIGINT, interrupted)
        handler = True
    except (NotImplementedError, RuntimeError, ValueError):
        handler = False
    progress = Progress(len(plan.to_write))

    def on_step(step: Any, p: Any) -> None:
        for row in step.rows:
            printer.line(_row_line(row, plan.id, steps))
        printer.progress("applying", p)

    try:
        report = await apply_batch(plan, accounts, journal=journal, context=context,
                                   confirm=confirm, pause=pause, progress=progress,
                                   on_step=on_step)
    finally:
        if handler:
            loop.remove_signal_handler(signal.SIGINT)
    printer.progress("applying", progress, force=True)
    if report.status == "refused":
        printer.say(report.note)
        return _finish(printer, plan, EXIT_USAGE)
    printer.say(report.note)
    if report.status == "paused":
        printer.say(f"paused; go on with: {PROG} batch --resume {plan.id}")
    failed = [s for s in plan.steps if s.status in ("failed", "unknown")]
    if failed:
        printer.say(f"{len(plan.failed)} failed, never retried by itself; retry them with: "
                    f"{PROG} batch --resume {plan.id}")
    code = _exit_for(plan)
    if failed and _network(s.exception for s in failed):
        code = EXIT_NETWORK
    return _finish(printer, plan, code)


def _ask(printer: Printer, plan: Any, interactive: bool) -> str:
    if not interactive:
        return ""
    for row in plan.rows:
        for reason in row.reasons:
            printer.say(("refused: " if reason.blocks else "warning: ") + reason.message)
    printer._end_progress()
    print(f"Type {plan.confirmation} to apply ({plan.heading()}), anything else cancels: ",
          end="", file=printer.err, flush=True)
    try:
        return sys.stdin.readline().strip()
    except (OSError, KeyboardInterrupt):
        return ""


def _exit_for(plan: Any) -> int:
    for row in plan.rows:
        if row.outcome in ("duplicate", "skipped"):
            continue
        if row.writes and row.result == "ok":
            continue
        if row.outcome == "applied":
            continue
        return EXIT_API
    return EXIT_OK


def _finish(printer: Printer, plan: Any, code: int, *, dry_run: bool = False) -> int:
    if printer.json:
        printer.line({"batch": plan.id, "part": plan.part, "undo_of": plan.undo_of,
                      "dry_run": dry_run, "counts": dict(plan.counts()),
                      "results": dict(plan.results()), "exit": code})
    return code


COMMAND = Command("batch", HELP, run, add_arguments)
