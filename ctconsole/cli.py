"""The ``ctconsole`` command: the TUI by default, plus scriptable subcommands.

Parses the command line and dispatches: a subcommand (`ctconsole.commands`)
or, without one, the terminal UI. Textual is imported only when the TUI
starts, and a subcommand's module only when the command line names it, so
``ctconsole call`` and ``ctconsole ops`` stay fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from contextlib import contextmanager
from typing import Any, Iterator, TextIO

from ctconsole import __version__, clock
from ctconsole.api.errors import CtError
from ctconsole.commands import COMMANDS, LazyCommand, may_use_subcommands, resolve
from ctconsole.commands.context import (EXIT_API, EXIT_USAGE, PROG, Context, PendingSecret,
                                        UsageError, one_line)
from ctconsole.config import ConfigError


class _SkipHttpxCli:
    """Start-up: `import httpx` also imports httpx's own command-line tool
    whenever click is installed (uvicorn, for `ctconsole sandbox`, brings
    it), and with it click, pygments and rich.progress: a noticeable part of
    every start, for a tool ctconsole never runs. This finder refuses that one
    module once, during httpx's own import, so httpx falls back to its stub
    `httpx.main`; the client API is untouched. It then removes itself and
    leaves nothing in `sys.modules`. Installed by `main` only, so a program
    that uses ctconsole as a library gets httpx as it is."""

    @classmethod
    def find_spec(cls, name: str, path: object = None, target: object = None) -> None:
        if name == "httpx._main":
            if cls in sys.meta_path:
                sys.meta_path.remove(cls)
            raise ModuleNotFoundError("httpx's CLI is not needed by ctconsole", name=name)
        return None


def skip_httpx_cli() -> None:
    """Install `_SkipHttpxCli` unless httpx is loaded already (or it is in)."""
    if "httpx" not in sys.modules and _SkipHttpxCli not in sys.meta_path:
        sys.meta_path.insert(0, _SkipHttpxCli)  # type: ignore[arg-type]


#: Keeps the `ctconsole` loggers from Python's last-resort stderr handler.
_QUIET = logging.NullHandler()


@contextmanager
def demo_journal(demo: bool) -> Iterator[None]:
    """With `--demo`, every write of this run is journaled apart from the
    real account's (`writes.journal.DEMO_JOURNAL_FILENAME`)."""
    if not demo:
        yield
        return
    # Lazy for start-up: the write engine loads for --demo only.
    from ctconsole.writes.journal import use_demo_journal

    use_demo_journal(True)
    try:
        yield
    finally:
        use_demo_journal(False)


@contextmanager
def demo_clock(demo: bool, sandbox_app: Any) -> Iterator[None]:
    """With `--demo`, dates are judged on the sandbox's own day (its
    campaigns run to fixed dates), unless `CTCONSOLE_NOW` says otherwise."""
    if not demo:
        yield
        return
    # Lazy for start-up: the sandbox loads for --demo only.
    from ctconsole.sandbox.people import FIXED_NOW

    now = getattr(sandbox_app, "now", None)
    clock.pin(now() if callable(now) else FIXED_NOW)
    try:
        yield
    finally:
        clock.pin(None)


def run_tui(ctx: Context) -> int:
    """Start the terminal UI (the only place textual is imported)."""
    if not (ctx.out.isatty() and sys.stdin.isatty()):
        raise UsageError("the console needs a terminal; for scripts use "
                         f"'{PROG} call' or '{PROG} ops'")
    settings = ctx.settings()
    profile = settings.profile
    # A secret command may wait for a touch or hang: the console starts at
    # once, says what it waits for, and can be told to stop (offline, cached).
    command = None if settings.offline or ctx.demo else profile.secret_command()
    pending = None
    if command is not None:
        client = ctx.client(secret_later=True)
        pending = PendingSecret(profile, client, command)
    else:
        client = ctx.client()
    # Lazy: Textual loads only when the console starts, never for a subcommand.
    from ctconsole.ui.app import run_app
    from ctconsole.ui.timefmt import display_zone

    return run_app(client, profile_name=profile.name, read_only=profile.read_only,
                   offline=settings.offline, keymap=settings.keys, theme=settings.theme,
                   profile_color=profile.color,
                   screen_share=profile.screen_share or bool(ctx.args.screen_share),
                   pending_secret=pending, notices=tuple(ctx.warnings),
                   find_concurrency=settings.find_concurrency,
                   case_note_personal=settings.case_note_personal, mouse=settings.mouse,
                   local_tz=display_zone(settings.timezone, os.environ))


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv` (None: for any command line). Lazy subcommands
    are loaded only if `argv` may use them; otherwise they are placeholders."""
    full = argv is None or may_use_subcommands(argv)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal console for the Coupontools REST API. "
                    "Without a subcommand, starts the interactive console.",
        epilog="Exit codes: 0 ok, 1 API error or a write's outcome unknown, 2 usage or "
               "config error or a refused write (nothing sent), 3 network error.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--profile", metavar="NAME", help="config profile to use")
    parser.add_argument("--config", metavar="PATH", help="config file (default: the platform "
                        "config path, or $CTCONSOLE_CONFIG)")
    parser.add_argument("--base-url", metavar="URL", help="API address for this run")
    parser.add_argument("--demo", action="store_true",
                        help="use a built-in sandbox with demo data; no account needed")
    parser.add_argument("--offline", action="store_true",
                        help="send nothing: use cached data only, refuse writes")
    parser.add_argument("--read-only", action="store_true", help="refuse every write")
    parser.add_argument("--screen-share", action="store_true",
                        help="start with e-mail, phone and names masked (ctrl+s toggles)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in list(COMMANDS.items()):
        if isinstance(command, LazyCommand):
            if not full:
                subparsers.add_parser(name)
                continue
            command = resolve(name)
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(sub)
    return parser


def main(argv: list[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None, sandbox_app: Any = None) -> int:
    """Run ``ctconsole`` with `argv` (default: the process arguments); the exit
    status. The console script passes it to `sys.exit`.

    `sandbox_app` is a test seam: with ``--demo``, talk to this sandbox app
    instead of a fresh one.
    """
    skip_httpx_cli()
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    # The parts log their warnings (damaged cache or journal lines) and also
    # hand them over; the command prints each once, so the log must not fall
    # through to Python's last-resort handler and print it again.
    logging.getLogger(PROG).addHandler(_QUIET)
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    try:
        args = parser.parse_args(words)
    except SystemExit as exit_:  # --help, --version, or an argparse usage error
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else EXIT_USAGE
    ctx = Context(args, out, err, sandbox_app=sandbox_app)
    try:
        if args.demo and (args.base_url or args.profile):
            raise UsageError("--demo talks to the built-in sandbox; drop --base-url/--profile")
        try:
            clock.check_environment()
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        command = resolve(args.command) if args.command else None
        with demo_journal(args.demo), demo_clock(args.demo, sandbox_app):
            return command.run(ctx) if command else run_tui(ctx)
    except (UsageError, ConfigError) as exc:
        print(f"{PROG}: {one_line(str(exc))}", file=err)
        return EXIT_USAGE
    except CtError as exc:
        operation = exc.operation or getattr(args, "operation", None)
        where = f"{operation}: " if operation else ""
        print(f"{PROG}: {where}{one_line(str(exc))}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=err)
        return 130
    except BrokenPipeError:
        # The reader went away (`ctconsole ops | head`): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_API
