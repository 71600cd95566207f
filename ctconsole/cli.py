"""The ``ctconsole`` command: the TUI by default, plus scriptable subcommands.

This is the one place that builds concrete objects (settings, transport,
client, sandbox) and hands them to the parts that use them. It is written so
that ``ctconsole call`` and ``ctconsole ops`` stay fast and work without a
terminal: textual is imported only when the TUI starts, the sandbox only for
``--demo`` and ``sandbox``.

Exit codes (for scripts): 0 success; 1 the API refused or answered something
unusable; 2 a usage or config problem — nothing was sent; 3 no answer from
the network. A known failure is one line on stderr, never a traceback.

Subcommands live in `COMMANDS`; adding one (``cache …``, ``journal …``) is a
`Command` with an ``add_arguments`` and a ``run(ctx) -> int``, registered with
`register`.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, TextIO

from ctconsole import __version__
from ctconsole.config import ConfigError, Profile, Settings, load_settings
from ctconsole.jsonout import result_document, to_json

if TYPE_CHECKING:
    from ctconsole.api import Client

PROG = "ctconsole"
EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_NETWORK = 0, 1, 2, 3
#: The base URL the in-process sandbox answers on (never resolved: the
#: transport hands requests straight to the ASGI app).
DEMO_BASE_URL = "http://sandbox"


#: `Context._cache` before the cache is built (None means "disabled").
_UNBUILT: Any = object()


class UsageError(Exception):
    """A mistake on the command line; exit 2, nothing sent."""


# --- The command registry ---------------------------------------------------------


@dataclass
class Context:
    """What a subcommand gets: the parsed arguments, its output streams, and
    lazily built settings and client (so a command that needs neither pays
    for neither)."""

    args: argparse.Namespace
    out: TextIO
    err: TextIO
    #: For ``--demo``: the sandbox ASGI app to talk to. None builds a fresh one;
    #: tests pass their own to count the requests it received.
    sandbox_app: Any = None
    #: The warnings printed so far (each once), in order.
    warnings: list[str] = field(default_factory=list)
    _settings: Settings | None = field(default=None, repr=False)
    _cache: Any = field(default=_UNBUILT, repr=False)

    @property
    def demo(self) -> bool:
        return bool(self.args.demo)

    def settings(self) -> Settings:
        """The resolved config (or the demo's), loaded on first use.

        Raises:
            ConfigError: the config file or an override is invalid.
        """
        if self._settings is None:
            a = self.args
            if a.demo:
                self._settings = _demo_settings(read_only=a.read_only, offline=a.offline)
            else:
                self._settings = load_settings(a.config, profile=a.profile, base_url=a.base_url,
                                               read_only=a.read_only, offline=a.offline)
            for warning in self._settings.warnings:
                self.warn(warning)
        return self._settings

    def client(self, *, secret_later: bool = False) -> Client:
        """A client for the active profile (credentials resolved now, or with
        `secret_later` offline until `PendingSecret` puts it online), with the
        profile's response cache unless the config turns it off."""
        settings = self.settings()
        cache = self.cache()
        if self.demo:
            import httpx

            if self.sandbox_app is None:
                from ctconsole.sandbox import make_sandbox_app

                self.sandbox_app = make_sandbox_app(cases=True)
            return build_client(settings, transport=httpx.ASGITransport(app=self.sandbox_app),
                                cache=cache)
        return build_client(settings, cache=cache, secret_later=secret_later)

    def cache(self) -> Any:
        """The active profile's `ResponseCache` (None when disabled), opened
        on first use; problems opening it are warnings, not failures."""
        if self._cache is _UNBUILT:
            from ctconsole.cache_command import build_cache

            self._cache = build_cache(self.settings())
            for warning in getattr(self._cache, "warnings", ()):
                self.warn(warning)
        return self._cache

    def warn(self, message: str) -> None:
        """One warning, once, on stderr; kept for the console to show too."""
        line = _one_line(message)
        if line in self.warnings:
            return
        self.warnings.append(line)
        print(f"{PROG}: warning: {line}", file=self.err)

    def note(self, message: str) -> None:
        print(f"{PROG}: {_one_line(message)}", file=self.err)

    def fail(self, operation: str, message: str) -> None:
        """An error about `operation`, one line on stderr (the caller exits)."""
        print(f"{PROG}: {operation}: {_one_line(message)}", file=self.err)


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[Context], int]
    add_arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None


@dataclass(frozen=True)
class LazyCommand:
    """A subcommand whose module is imported only when the command line may
    use it (issue 7: the journal's brought ~8 ms to every start of the TUI).
    `load` returns the real `Command`."""

    name: str
    load: Callable[[], Command]


#: Subcommands by name, in the order ``--help`` lists them.
COMMANDS: dict[str, Command | LazyCommand] = {}


def register(command: Command | LazyCommand) -> Command | LazyCommand:
    """Add a subcommand; its name must be new."""
    if command.name in COMMANDS:
        raise ValueError(f"subcommand {command.name!r} is already registered")
    COMMANDS[command.name] = command
    return command


def resolve(name: str) -> Command:
    """The registered `Command` called `name`, loading it if it is lazy."""
    command = COMMANDS[name]
    if isinstance(command, LazyCommand):
        command = COMMANDS[name] = command.load()
    return command


def _may_use_subcommands(argv: list[str]) -> bool:
    """Whether parsing `argv` may need the subcommands' own options: one is
    named, or help is asked for. (A word that merely equals a command name,
    e.g. a profile called ``journal``, only costs the loading.)"""
    return any(word in COMMANDS or word in ("-h", "--help") for word in argv)


# --- Building things ----------------------------------------------------------------


def build_client(settings: Settings, *, transport: Any = None, cache: Any = None,
                 secret_later: bool = False) -> Client:
    """A `Client` for `settings.profile`, trusting its `ca_bundle` if it has one,
    reading and filling `cache` (a `ResponseCache`, or None), offline when
    `settings.offline` (then the secret is not even resolved: nothing is sent).

    Raises:
        ConfigError: the profile has no usable credentials.
    """
    from ctconsole.api import Client, Credentials
    from ctconsole.cache_command import cache_overrides

    profile = settings.profile
    overrides = cache_overrides(settings) if cache is not None else None
    if settings.offline or secret_later:
        if not profile.client_id:
            raise ConfigError(f"profile {profile.name!r} has no client_id, so its cache "
                              "cannot be found; offline there is nothing to show")
        client_id, secret = profile.client_id, ""
    else:
        client_id, secret = profile.credentials()
    if transport is None and profile.ca_bundle is not None:
        import ssl

        import httpx

        try:
            context = ssl.create_default_context(cafile=str(profile.ca_bundle))
        except (ssl.SSLError, OSError) as exc:
            raise ConfigError(f"profile {profile.name!r}: ca_bundle {profile.ca_bundle} holds "
                              f"no usable PEM certificates ({exc.__class__.__name__})") from None
        transport = httpx.AsyncHTTPTransport(verify=context)
    try:
        credentials = Credentials(client_id, secret)
    except ValueError as exc:  # the message names the field, never the value
        raise ConfigError(f"profile {profile.name!r}: {exc}") from None
    return Client(credentials, base_url=profile.base_url, transport=transport,
                  catalogue=settings.catalogue, max_concurrency=profile.max_concurrency,
                  timeout=profile.timeout, cache=cache, cache_overrides=overrides,
                  offline=settings.offline or secret_later)


class PendingSecret:
    """The console's handle on a `client_secret_command` still to run
    (`ctconsole.ui.screens.secret`): the client is offline until `connect`."""

    def __init__(self, profile: Profile, client: Client, command: Any) -> None:
        self.profile, self.client, self.command = profile, client, command
        self.describe = f"running {command.name} (the profile's client_secret_command)"
        self.timeout = command.timeout

    def run(self) -> str:
        from ctconsole.api import Credentials

        secret = self.command.run()
        try:
            Credentials(self.profile.client_id or "", secret)
        except ValueError as exc:  # names the field, never the value
            raise ConfigError(f"profile {self.profile.name!r}: {exc}") from None
        return secret

    def cancel(self) -> None:
        self.command.cancel()

    def connect(self, secret: str) -> None:
        from ctconsole.api import Credentials

        self.client.credentials = Credentials(self.profile.client_id or "", secret)
        self.client.offline = False


def _demo_settings(*, read_only: bool, offline: bool) -> Settings:
    """Settings for ``--demo``: the sandbox's demo account, no config file read."""
    from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    profile = Profile.fixed("demo", DEMO_BASE_URL, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
                            read_only=read_only, color="green")
    return Settings(profile=profile, profiles={"demo": profile}, offline=offline)


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
    from ctconsole.ui.app import run_app

    return run_app(client, profile_name=profile.name, read_only=profile.read_only,
                   offline=settings.offline, keymap=settings.keys, theme=settings.theme,
                   profile_color=profile.color,
                   screen_share=profile.screen_share or bool(ctx.args.screen_share),
                   pending_secret=pending, notices=tuple(ctx.warnings))


# --- Parsing ------------------------------------------------------------------------


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv` (None: for any command line). Lazy subcommands
    are loaded only if `argv` may use them; otherwise they are placeholders."""
    full = argv is None or _may_use_subcommands(argv)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal console for the Coupontools REST API. "
                    "Without a subcommand, starts the interactive console.",
        epilog="Exit codes: 0 ok, 1 API error, 2 usage or config error (nothing sent), "
               "3 network error.",
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
    from ctconsole.api.errors import CtError

    try:
        if args.demo and (args.base_url or args.profile):
            raise UsageError("--demo talks to the built-in sandbox; drop --base-url/--profile")
        command = resolve(args.command) if args.command else None
        return command.run(ctx) if command else run_tui(ctx)
    except (UsageError, ConfigError) as exc:
        print(f"{PROG}: {_one_line(str(exc))}", file=err)
        return EXIT_USAGE
    except CtError as exc:
        operation = exc.operation or getattr(args, "operation", None)
        where = f"{operation}: " if operation else ""
        print(f"{PROG}: {where}{_one_line(str(exc))}", file=err)
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


_QUIET = logging.NullHandler()


def _one_line(text: str) -> str:
    return "; ".join(part.strip() for part in text.splitlines() if part.strip())


# --- call ---------------------------------------------------------------------------


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
    from ctconsole.call_write import add_write_arguments

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
    from ctconsole.api import params as params_mod
    from ctconsole.api.catalogue import UnknownOperation

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
    if args.dry_run or not op.is_read:
        from ctconsole import call_write

        if args.dry_run:
            return call_write.dry_run(ctx, op, given)
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
        from ctconsole.cache_command import provenance

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


# --- ops ----------------------------------------------------------------------------


def _add_ops_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable listing")


def run_ops(ctx: Context) -> int:
    """The catalogue, grouped, with each operation's parameters (``*`` = required)."""
    catalogue = ctx.settings().catalogue
    if ctx.args.json:
        listing = [{
            "name": op.name, "title": op.title, "group": op.group, "kind": op.kind,
            "path": op.path, "variants": dict(op.variants), "contract": op.contract,
            "note": op.note, "max_age": op.max_age,
            "params": [{"name": p.name, "type": p.type, "required": p.required, "doc": p.doc,
                        "choices": list(p.choices), "inferred": p.inferred} for p in op.params],
        } for op in catalogue]
        print(to_json(listing), file=ctx.out)
        return EXIT_OK
    groups: dict[str, list] = {}
    for op in catalogue:
        groups.setdefault(op.group or "other", []).append(op)
    width = max(len(op.name) for op in catalogue)
    path_width = max(len(op.path) for op in catalogue)
    lines = [f"{len(catalogue)} operations; * marks a required parameter"]
    for group, ops in groups.items():
        lines.append("")
        lines.append(f"{group}:")
        for op in ops:
            lines.append(f"  {op.name:<{width}}  {op.kind:<5}  {op.path:<{path_width}}  "
                         f"{op.contract:<10}  {op.title}")
            if op.params:
                shown = [p.name + ("*" if p.required else "")
                         + (f"={'|'.join(p.choices)}" if p.choices else "") for p in op.params]
                lines.append(f"  {'':<{width}}  {' '.join(shown)}")
    print("\n".join(lines), file=ctx.out)
    return EXIT_OK


# --- sandbox ------------------------------------------------------------------------


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
    import ipaddress

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


register(Command("call", "run one API operation and print its result as JSON",
                 run_call, _add_call_arguments))
register(Command("ops", "list the API operations and their parameters", run_ops,
                 _add_ops_arguments))
register(Command("sandbox", "serve the demo API on a loopback port", run_sandbox,
                 _add_sandbox_arguments))


def _run_cache(ctx: Context) -> int:
    from ctconsole import cache_command

    return cache_command.run(ctx)


def _add_cache_arguments(parser: argparse.ArgumentParser) -> None:
    from ctconsole import cache_command

    cache_command.add_arguments(parser)


register(Command("cache", "show where the response cache is, its statistics, or empty it",
                 _run_cache, _add_cache_arguments))


def _journal_command() -> Command:
    """The audit journal of writes (`ctconsole journal`); lives with the write engine."""
    from ctconsole.writes.journal_cli import JOURNAL_HELP, add_journal_arguments, journal_command

    return Command("journal", JOURNAL_HELP, journal_command, add_journal_arguments)


register(LazyCommand("journal", _journal_command))


def _find_command() -> Command:
    from ctconsole import find_command

    return Command("find", "find a session by code, link, e-mail or phone (--everywhere: "
                   "every subaccount too)", find_command.run, find_command.add_arguments)


def _explain_command() -> Command:
    from ctconsole import explain_command

    return Command("explain", "why a session cannot be redeemed, and the fix (--note: the "
                   "case note)", explain_command.run, explain_command.add_arguments)


register(LazyCommand("find", _find_command))
register(LazyCommand("explain", _explain_command))
