"""`ctconsole journal`: the audit journal for scripts and for a quick look.

Prints the journaled writes oldest first, as a table or as JSON (`--json`),
filtered by the object a write was about, operation (or group), date range
and outcome. The journal holds customer-typed text (push messages, custom
IDs), so table cells are cleaned of terminal controls and JSON goes through
`ctconsole.jsonout`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time, timedelta, timezone
from typing import Any, TextIO

from ctconsole.api.errors import clean_text
from ctconsole.commands import Command
from ctconsole.jsonout import to_json
from ctconsole.writes.journal import OUTCOMES, Journal, JournalEntry

JOURNAL_HELP = "list the journal of writes made from this machine"
EXIT_OK, EXIT_USAGE = 0, 2


def add_journal_arguments(parser: argparse.ArgumentParser) -> None:
    """The subcommand's options (for `Command.add_arguments`)."""
    parser.add_argument("--object", metavar="ID",
                        help="only writes about this ID or session code (full or 6 characters)")
    parser.add_argument("--operation", metavar="NAME",
                        help="only this operation, or a group such as 'loyalty'")
    parser.add_argument("--since", metavar="DATE",
                        help="from this UTC date or time (yyyy-MM-dd or yyyy-MM-ddTHH:MM)")
    parser.add_argument("--until", metavar="DATE",
                        help="up to this UTC date (the whole day) or time")
    parser.add_argument("--outcome", choices=OUTCOMES, help="only writes with this outcome")
    parser.add_argument("--batch", metavar="BATCH_ID",
                        help="only the writes of this batch (ctconsole batch, or B in the console)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--file", metavar="PATH",
                        help="journal file to read (default: the platform data directory)")


def add_journal_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``journal`` on an argparse subparsers object."""
    parser = subparsers.add_parser("journal", help=JOURNAL_HELP, description=JOURNAL_HELP)
    add_journal_arguments(parser)
    return parser


class _BadDate(ValueError):
    pass


def parse_when(text: str, *, end: bool) -> datetime:
    """A UTC bound from a date (its start, or its end with `end`) or a time."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = datetime.fromisoformat(value).date()
            bound = datetime.combine(day, time.min, tzinfo=timezone.utc)
            return bound + timedelta(days=1, microseconds=-1) if end else bound
        moment = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        raise _BadDate(f"not a date: {clean_text(text, 40)!r} (use yyyy-MM-dd or "
                       "yyyy-MM-ddTHH:MM, UTC)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _cell(value: object, width: int | None = None) -> str:
    text = clean_text("" if value is None else value, width or 300)
    return text


def _when(entry: JournalEntry) -> str:
    try:
        return entry.when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return entry.time


def format_table(entries: list[JournalEntry]) -> str:
    """One line per write: time, id, outcome, operation, object, who, reason."""
    if not entries:
        return "No journaled writes match."
    rows = [("TIME (UTC)", "ID", "OUTCOME", "OPERATION", "OBJECT", "BY", "REASON")]
    for e in entries:
        who = f"{e.user}@{e.host}" + (f" [{e.profile}]" if e.profile else "")
        outcome = e.outcome + (" (undo)" if e.undo_of else "")
        rows.append((_when(e), e.id, outcome, e.operation,
                     _cell(e.object.get("label") or e.object.get("id"), 40), _cell(who, 40),
                     _cell(e.reason, 40)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1] for r in rows]
    unknown = sum(1 for e in entries if e.outcome == "unknown")
    if unknown:
        lines.append(f"{unknown} write{'s' if unknown != 1 else ''} with unknown outcome: "
                     "check the object before trying again.")
    return "\n".join(line.rstrip() for line in lines)


def run_journal(args: argparse.Namespace, settings: Any = None, *, out: TextIO | None = None,
                err: TextIO | None = None, journal: Journal | None = None) -> int:
    """Print the filtered journal; the exit status (2 for a bad filter).

    `settings` is accepted for symmetry with the other commands; the journal
    is per machine, not per profile. A global ``--profile`` narrows the list to
    that profile's writes.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    journal = journal or Journal(getattr(args, "file", None))
    try:
        since = parse_when(args.since, end=False) if getattr(args, "since", None) else None
        until = parse_when(args.until, end=True) if getattr(args, "until", None) else None
    except _BadDate as exc:
        print(f"ctconsole: journal: {exc}", file=err)
        return EXIT_USAGE
    entries = journal.entries(object=getattr(args, "object", None),
                              operation=getattr(args, "operation", None), since=since,
                              until=until, outcome=getattr(args, "outcome", None),
                              batch=getattr(args, "batch", None))
    profile = getattr(args, "profile", None)
    if profile:
        entries = [e for e in entries if e.profile == profile]
    for warning in journal.warnings:
        print(f"ctconsole: warning: {warning}", file=err)
    if getattr(args, "json", False):
        print(to_json([e.to_dict() for e in entries]), file=out)
    else:
        print(format_table(entries), file=out)
    return EXIT_OK


def journal_command(ctx: Any) -> int:
    """`run(ctx)` for `Command`: needs no settings or client."""
    return run_journal(ctx.args, None, out=ctx.out, err=ctx.err)


COMMAND = Command("journal", JOURNAL_HELP, journal_command, add_journal_arguments)
