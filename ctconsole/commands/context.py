"""What every subcommand gets, and the building of concrete objects.

This is the one place that builds settings, the response cache and the
client (with the sandbox's transport for ``--demo``) and hands them to the
commands that use them. Everything is built on first use, so a command that
needs neither settings nor client pays for neither.

Exit codes (for scripts): 0 success; 1 the API refused or answered something
unusable, or a write's outcome is unknown; 2 a usage or config problem, or a
write refused (read-only, offline, a guard rail) — nothing was sent; 3 no
answer from the network. A known failure is one line on stderr, never a
traceback.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from ctconsole import safetext
from ctconsole.config import ConfigError, Profile, Settings, load_settings, load_ui_settings

if TYPE_CHECKING:
    from ctconsole.api import Client
    from ctconsole.cache import ResponseCache

PROG = "ctconsole"
EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_NETWORK = 0, 1, 2, 3
#: The base URL the in-process sandbox answers on (never resolved: the
#: transport hands requests straight to the ASGI app).
DEMO_BASE_URL = "http://sandbox"


#: Seconds a client_secret_command may take before the CLI says it is waiting.
SECRET_NOTE_AFTER = 1.0

#: `Context._cache` before the cache is built (None means "disabled").
_UNBUILT: Any = object()


class UsageError(Exception):
    """A mistake on the command line; exit 2, nothing sent."""


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
    #: The warnings printed so far (each once), in order: the console shows
    #: them too, its screen hiding the terminal's copy while it runs.
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
                # The sandbox's connection, the config's keys, theme and
                # other UI settings (so they can be tried in the demo).
                self._settings = load_ui_settings(
                    demo_settings(read_only=a.read_only, offline=a.offline), a.config)
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
            # Lazy: httpx loads only for a command that talks to an API.
            import httpx

            if self.sandbox_app is None:
                # Lazy: the sandbox loads only for --demo.
                from ctconsole.sandbox import make_sandbox_app

                self.sandbox_app = make_sandbox_app(cases=True)
            return build_client(settings, transport=httpx.ASGITransport(app=self.sandbox_app),
                                cache=cache)
        command = None if secret_later or settings.offline else settings.profile.secret_command()
        if command is None:
            return build_client(settings, cache=cache, secret_later=secret_later)
        # A password manager may wait for a touch or a PIN: past a moment,
        # say what the command is waiting on rather than hang silently.
        import threading

        waiting = threading.Timer(SECRET_NOTE_AFTER, self.note, [
            f"waiting for {command.name} (the profile's client_secret_command; "
            f"up to {command.timeout:g} s, Ctrl+C stops it)"])
        waiting.daemon = True
        waiting.start()
        try:
            return build_client(settings, cache=cache)
        finally:
            waiting.cancel()

    def cache(self) -> Any:
        """The active profile's `ResponseCache` (None when disabled), opened
        on first use; problems opening it are warnings, not failures."""
        if self._cache is _UNBUILT:
            self._cache = build_cache(self.settings())
            for warning in getattr(self._cache, "warnings", ()):
                self.warn(warning)
        return self._cache

    def warn(self, message: str) -> None:
        """One warning, once, on stderr (and kept in `warnings`)."""
        line = one_line(message)
        if line in self.warnings:
            return
        self.warnings.append(line)
        print(f"{PROG}: warning: {line}", file=self.err)

    def note(self, message: str) -> None:
        print(f"{PROG}: {one_line(message)}", file=self.err)

    def fail(self, operation: str, message: str) -> None:
        """An error about `operation`, one line on stderr (the caller exits)."""
        print(f"{PROG}: {operation}: {one_line(message)}", file=self.err)

def cache_overrides(settings: Settings) -> dict[str, float]:
    """The configured ``[cache.max_age]``, checked against the catalogue.

    Raises:
        ConfigError: an override names a write (or no operation).
    """
    # Lazy: the cache package (and sqlite3) loads only when a cache is used.
    from ctconsole.cache.policy import check_overrides

    overrides = dict(settings.cache.max_age)
    problems = check_overrides(overrides, settings.catalogue)
    if problems:
        raise ConfigError("; ".join(problems), path=settings.config_path)
    return {name: float(value) for name, value in overrides.items()}


def build_cache(settings: Settings) -> ResponseCache | None:
    """The active profile's response cache, or None when ``[cache] enabled``
    is false. A cache that cannot be opened is not an error: it warns (see
    `ResponseCache.warnings`) and every call becomes a miss."""
    if not settings.cache.enabled:
        return None
    # Lazy: the cache package (and sqlite3) loads only when a cache is used.
    from ctconsole.cache import ResponseCache

    profile = settings.profile
    return ResponseCache.for_profile(profile.name, profile.base_url,
                                     max_bytes=settings.cache.max_size_mb * 2**20)


def build_client(settings: Settings, *, transport: Any = None, cache: Any = None,
                 secret_later: bool = False) -> Client:
    """A `Client` for `settings.profile`, trusting its `ca_bundle` if it has one,
    reading and filling `cache` (a `ResponseCache`, or None), offline when
    `settings.offline` (then the secret is not even resolved: nothing is sent)
    or with `secret_later` (the console runs the secret command itself, see
    `PendingSecret`).

    Raises:
        ConfigError: the profile has no usable credentials.
    """
    # Lazy: the client (and httpx) load only for a command that talks to an API.
    from ctconsole.api import Client, Credentials

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
        # Lazy: ssl loads only for a profile with its own CA bundle.
        import ssl

        # Lazy: httpx loads only for a command that talks to an API.
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
                  timeout=profile.timeout,
                  max_answer_bytes=int(profile.max_answer_mb * 1_000_000),
                  cache=cache, cache_overrides=overrides,
                  offline=settings.offline or secret_later)


class PendingSecret:
    """The console's handle on a `client_secret_command` still to run
    (`ctconsole.ui.screens.secret`): the client is offline until `connect`."""

    def __init__(self, profile: Profile, client: Client, command: Any) -> None:
        self.profile, self.client, self.command = profile, client, command
        self.describe = f"running {command.name} (the profile's client_secret_command)"
        self.timeout = command.timeout

    def run(self) -> str:
        """The secret (blocking: the console runs this in a thread)."""
        # Lazy: the client (and httpx) load only for a command that talks to an API.
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
        # Lazy: the client (and httpx) load only for a command that talks to an API.
        from ctconsole.api import Credentials

        self.client.credentials = Credentials(self.profile.client_id or "", secret)
        self.client.offline = False


def demo_settings(*, read_only: bool, offline: bool) -> Settings:
    """Settings for ``--demo``: the sandbox's demo account, no config file read."""
    # Lazy: the sandbox loads only for --demo.
    from ctconsole.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    profile = Profile.fixed("demo", DEMO_BASE_URL, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
                            read_only=read_only, color="green")
    return Settings(profile=profile, profiles={"demo": profile}, offline=offline)


def one_line(text: str) -> str:
    """A message for stderr: its lines joined by "; ", each made one safe line."""
    return "; ".join(safetext.one_line(part, 2000) for part in text.splitlines() if part.strip())
