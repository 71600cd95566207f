"""The TOML config file: profiles, secrets, overrides, and what they resolve to.

`load_settings()` reads the file (``--config``, else ``CTCONSOLE_CONFIG``, else
the platform path), validates it strictly (a misspelt key is an error, not a
silent default), applies environment and command-line overrides, and returns a
`Settings` whose `profile` knows how to produce credentials.

Every problem is one `ConfigError` whose message names the file, the line and
the key (``config.toml:7: profiles.main.timeout: must be a number (got "fast")``)
because a config mistake is fixed in an editor, and the editor wants a line.

Secrets are resolved lazily by `Profile.credentials()`, so commands that need
no credentials (``ctconsole ops``) never run a password manager. A secret value
never appears in a repr, a warning or an error message — not even when the
value sits under a misspelt key.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import stat
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from ctconsole import paths
from ctconsole.api.catalogue import CATALOGUE, Catalogue
from ctconsole.config.defaults import (
    DEFAULT_BASE_URL, DEFAULT_PROFILE_NAME, ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET,
    ENV_PROFILE, SECRET_COMMAND_TIMEOUT,
)
from ctconsole.config.errors import ConfigError, Locator, display_path, parse_toml, suggest
from ctconsole.config.schema import validate

#: The file as `schema.validate` returns it: plain dicts, defaults filled in.
ConfigFile = dict[str, Any]


# --- What the rest of the program uses -------------------------------------------


class _SecretSource:
    """Where a profile's client secret comes from; resolved on first use.

    The repr names the kind of source, never the value.
    """

    def __init__(self, kind: str, value: Any = None,
                 where: ConfigError | None = None, env: Mapping[str, str] | None = None):
        self.kind, self._value, self._where, self._env = kind, value, where, env
        self._resolved: str | None = None

    def __repr__(self) -> str:
        return f"<secret from {self.kind}>"

    def _fail(self, message: str) -> ConfigError:
        w = self._where
        if w is None:
            return ConfigError(message)
        return ConfigError(message, path=w.path, line=w.line, key=w.key)

    def resolve(self) -> str | None:
        if self._resolved is None:
            self._resolved = self._resolve()
        return self._resolved

    def _resolve(self) -> str | None:
        if self.kind == "none":
            return None
        if self.kind in ("value", "environment"):
            return self._value  # never shown: the repr names the kind only
        if self.kind == "env":
            env = self._env if self._env is not None else os.environ
            value = env.get(str(self._value), "")
            if not value:
                raise self._fail(f"environment variable {self._value} is not set")
            return value
        return self._run(str(self._value))

    def _run(self, command: str) -> str:
        return SecretCommand(command, self._fail).run()

    def command(self) -> SecretCommand | None:
        """The command still to run for the secret, or None (another kind of
        source, or already resolved)."""
        if self.kind != "command" or self._resolved is not None:
            return None
        return SecretCommand(str(self._value), self._fail, on_secret=self._keep)

    def _keep(self, secret: str) -> None:
        self._resolved = secret


class SecretCommand:
    """One run of a `client_secret_command` that can be stopped from another
    thread (`cancel`): the console runs it while saying so, and Esc stops it.

    No shell: the command line is split like a shell would, then run
    directly, so nothing in it is interpreted twice. Its output is never
    quoted in a message: on failure it may well be the secret.
    """

    def __init__(self, command: str, fail: Any, *, on_secret: Any = None) -> None:
        self.command, self._fail, self._on_secret = command, fail, on_secret
        self.timeout = SECRET_COMMAND_TIMEOUT
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = False
        try:
            self.argv = shlex.split(command)
        except ValueError as exc:
            self.argv, self._problem = [], f"cannot parse the command ({exc})"
        else:
            self._problem = "" if self.argv else "the command is empty"

    @property
    def name(self) -> str:
        """The program run (its first word), for messages."""
        return os.path.basename(self.argv[0]) if self.argv else "(none)"

    def run(self) -> str:
        """The secret the command prints.

        Raises:
            ConfigError: it cannot be run, fails, prints nothing, outlasts
                `timeout`, or was cancelled.
        """
        if self._problem:
            raise self._fail(self._problem)
        name = self.argv[0]
        try:
            self._process = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)
        except FileNotFoundError:
            raise self._fail(f"command not found: {name}") from None
        except OSError as exc:
            raise self._fail(f"cannot run {name} ({exc.strerror})") from None
        if self._cancelled:
            self._process.kill()
        try:
            out, _ = self._process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            raise self._fail(f"{name} did not finish within {self.timeout:g}s") from None
        if self._cancelled:
            raise self._fail(f"{name} was stopped before it gave the secret")
        if self._process.returncode != 0:
            raise self._fail(f"{name} exited with status {self._process.returncode}")
        secret = out.strip()
        if not secret:
            raise self._fail(f"{name} printed nothing")
        if self._on_secret is not None:
            self._on_secret(secret)
        return secret

    def cancel(self) -> None:
        """Stop the command (a run in progress fails with "was stopped")."""
        self._cancelled = True
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()


@dataclass(frozen=True)
class Profile:
    """One account to talk to, with every override applied."""

    name: str
    base_url: str = DEFAULT_BASE_URL
    client_id: str | None = None
    read_only: bool = False
    color: str | None = None
    screen_share: bool = False
    timeout: float = 30.0
    max_answer_mb: float = 16.0
    max_concurrency: int = 4
    ca_bundle: Path | None = None
    _secret: _SecretSource = field(default_factory=lambda: _SecretSource("none"),
                                   repr=False, compare=False)

    @classmethod
    def fixed(cls, name: str, base_url: str, client_id: str, client_secret: str,
              **options: Any) -> "Profile":
        """A profile whose credentials are given, not configured (the built-in
        demo sandbox). `base_url` is taken as is: it may name an in-process app."""
        return cls(name=name, base_url=base_url, client_id=client_id,
                   _secret=_SecretSource("value", client_secret), **options)

    @property
    def secret_source(self) -> str:
        """Where the secret comes from: value, env, command, or none."""
        return self._secret.kind

    def secret_command(self) -> SecretCommand | None:
        """The `client_secret_command` still to run, or None. Running it
        (`SecretCommand.run`) keeps the secret for `credentials()`."""
        return self._secret.command()

    def credentials(self) -> tuple[str, str]:
        """``(client_id, client_secret)``, running the secret command if needed.

        Raises:
            ConfigError: no client ID or secret is configured, the secret's
                environment variable is unset, or its command fails.
        """
        if not self.client_id:
            raise ConfigError(f"profile {self.name!r} has no client_id "
                              f"(set it in the config file or {ENV_CLIENT_ID})")
        secret = self._secret.resolve()
        if not secret:
            raise ConfigError(f"profile {self.name!r} has no client secret (set client_secret, "
                              f"client_secret_env or client_secret_command, or {ENV_CLIENT_SECRET})")
        return self.client_id, secret


@dataclass(frozen=True)
class CacheSettings:
    enabled: bool = True
    max_size_mb: int = 200
    #: Freshness per operation name, overriding the catalogue's `max_age`.
    max_age: Mapping[str, float] = field(default_factory=dict)

    def max_age_for(self, operation: str) -> float:
        """Seconds a cached `operation` stays fresh: exact name, then group, then catalogue."""
        # Lazy: the cache package (and sqlite3) loads only when a cache is used.
        from ctconsole.cache.policy import freshness

        return freshness(CATALOGUE.get(operation), self.max_age)


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved: the active profile and the rest."""

    profile: Profile
    profiles: Mapping[str, Profile] = field(default_factory=dict)
    catalogue: Catalogue = field(default=CATALOGUE, repr=False)
    cache: CacheSettings = field(default_factory=CacheSettings)
    theme: str | None = None
    #: Binding id → key(s), for the UI to apply.
    keys: Mapping[str, str] = field(default_factory=dict)
    offline: bool = False
    #: The file read, or None when there was none.
    config_path: Path | None = None
    #: Problems worth telling the user about that do not stop the program.
    warnings: tuple[str, ...] = ()
    #: `[find] concurrency`: accounts a find everywhere asks at once.
    find_concurrency: int = 8
    #: `[explain] include_personal_data`: case notes unmasked.
    case_note_personal: bool = False
    #: `[ui] mouse`: None lets the console decide (off over SSH).
    mouse: bool | None = None
    #: `[ui] timezone`: the zone shown beside UTC (None: TZ, else the machine's).
    timezone: str | None = None

    @property
    def read_only(self) -> bool:
        return self.profile.read_only

    def with_profile(self, name: str) -> "Settings":
        """The same settings with another profile active (for switching at run time)."""
        if name not in self.profiles:
            raise ConfigError(f"no profile named {name!r} (known: {_names(self.profiles)})",
                              path=self.config_path)
        return replace(self, profile=self.profiles[name])


# --- Loading -------------------------------------------------------------------


def load_settings(config: str | os.PathLike[str] | None = None, *, profile: str | None = None,
                  base_url: str | None = None, read_only: bool = False, offline: bool = False,
                  env: Mapping[str, str] | None = None) -> Settings:
    """Read, validate and resolve the config.

    Precedence, strongest first: command-line options (`profile`, `base_url`,
    `read_only`), the environment (``CTCONSOLE_PROFILE``, ``CTCONSOLE_BASE_URL``,
    ``CTCONSOLE_CLIENT_ID``, ``CTCONSOLE_CLIENT_SECRET``), then the file.
    Environment and `base_url` overrides apply to the profile chosen at start;
    `read_only` applies to every profile, so switching profile cannot escape it.

    Raises:
        ConfigError: the file is unreadable, not TOML, or not valid config.
    """
    env = os.environ if env is None else env
    cfg, locator, path, text = _read(config, env)
    catalogue = _catalogue(cfg, locator)
    warnings = _check_permissions(cfg, path, text is not None)
    profiles = {name: _profile(name, pc, locator, env) for name, pc in cfg["profiles"].items()}
    profiles = {
        name: replace(p, screen_share=cfg["ui"]["screen_share"] if pc["screen_share"] is None
                      else pc["screen_share"])
        for (name, p), pc in zip(profiles.items(), cfg["profiles"].values())
    }
    if not profiles:
        profiles[DEFAULT_PROFILE_NAME] = Profile(DEFAULT_PROFILE_NAME)

    chosen = profile or env.get(ENV_PROFILE) or cfg["default_profile"]
    if chosen is None:
        if len(profiles) > 1:
            raise ConfigError("several profiles and no default_profile; choose one with "
                              f"--profile (known: {_names(profiles)})", path=path)
        chosen = next(iter(profiles))
    if chosen not in profiles:
        if profile is None and env.get(ENV_PROFILE) is None:
            raise locator.error(("default_profile",), f"no profile named {chosen!r}")
        raise ConfigError(f"no profile named {chosen!r} (known: {_names(profiles)})",
                          path=path if text is not None else None)

    active = profiles[chosen]
    overrides: dict[str, Any] = {}
    for source, value in ((ENV_BASE_URL, env.get(ENV_BASE_URL)), ("--base-url", base_url)):
        if value:
            overrides["base_url"] = _check_base_url(value, lambda m, s=source: ConfigError(m, key=s))
    if env.get(ENV_CLIENT_ID):
        overrides["client_id"] = env[ENV_CLIENT_ID]
    if env.get(ENV_CLIENT_SECRET):
        overrides["_secret"] = _SecretSource("environment", env[ENV_CLIENT_SECRET])
    profiles[chosen] = replace(active, **overrides)
    if read_only:
        profiles = {n: replace(p, read_only=True) for n, p in profiles.items()}

    return Settings(
        profile=profiles[chosen], profiles=profiles, catalogue=catalogue,
        cache=CacheSettings(cfg["cache"]["enabled"], cfg["cache"]["max_size_mb"],
                            cfg["cache"]["max_age"]),
        theme=cfg["ui"]["theme"], keys=cfg["keys"], offline=offline,
        config_path=path if text is not None else None, warnings=tuple(warnings),
        find_concurrency=cfg["find"]["concurrency"],
        case_note_personal=cfg["explain"]["include_personal_data"], mouse=cfg["ui"]["mouse"],
        timezone=cfg["ui"]["timezone"],
    )


def load_ui_settings(base: Settings, config: str | os.PathLike[str] | None = None, *,
                     env: Mapping[str, str] | None = None) -> Settings:
    """`base` (the demo's) with the config file's UI settings: theme, keys,
    screen share, find and case-note options. Its connection (profiles,
    API paths, cache) is left alone, so the sandbox stays the sandbox while
    keys and themes can be tried out.

    Raises:
        ConfigError: as `load_settings`, for the file and these sections.
    """
    env = os.environ if env is None else env
    path, explicit = paths.config_file(config, env)
    if not explicit and not path.exists():
        return base  # the demo on a fresh machine: nothing to read
    cfg, _locator, path, text = _read(config, env)
    if text is None:
        return base
    ui = cfg["ui"]
    return replace(
        base, theme=ui["theme"], keys=cfg["keys"], config_path=path,
        profile=replace(base.profile, screen_share=ui["screen_share"]),
        find_concurrency=cfg["find"]["concurrency"],
        case_note_personal=cfg["explain"]["include_personal_data"], mouse=ui["mouse"],
        timezone=ui["timezone"],
    )


def _read(config: str | os.PathLike[str] | None,
          env: Mapping[str, str]) -> tuple[ConfigFile, Locator, Path, str | None]:
    """The file parsed and checked against the schema and the binding ids;
    the text is None when there is no file (and none was asked for)."""
    path, explicit = paths.config_file(config, env)
    text: str | None = None
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError("config file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config file ({exc})", path=path) from None

    locator = Locator(path, text or "")
    raw = parse_toml(text, locator) if text is not None else {}
    cfg = validate(raw, locator)
    if cfg["keys"]:
        _check_keys(cfg["keys"], locator)
    if cfg["ui"]["timezone"] is not None:
        _check_timezone(cfg["ui"]["timezone"], locator)
    return cfg, locator, path, text


def _check_timezone(name: str, locator: Locator) -> None:
    # Lazy for start-up: zoneinfo loads only when the config names a zone.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise locator.error(("ui", "timezone"), f"unknown time zone {name!r} (an IANA "
                            "name such as 'Europe/Brussels')") from None


def _check_keys(keys: Mapping[str, str], locator: Locator) -> None:
    """Every `[keys]` name must be a binding id: a misspelt (or cut-off) one
    would start fine and remap nothing."""
    # Lazy for start-up: the binding-id table loads only to check a file's [keys].
    from ctconsole.config.binding_ids import BINDING_IDS

    for name in keys:
        if name not in BINDING_IDS:
            raise locator.error(("keys", name), "unknown binding id"
                                + (suggest(name, BINDING_IDS) or " (the help, ?, lists them)"))


def _catalogue(cfg: ConfigFile, locator: Locator) -> Catalogue:
    """The catalogue with `[api.paths]` applied; operation names in `[api.paths]`
    and `[cache.max_age]` must exist, so a misspelt one is not silently ignored."""
    names = [op.name for op in CATALOGUE]
    paths_ = cfg["api"]["paths"]
    for table, mapping in (("api", paths_), ("cache", cfg["cache"]["max_age"])):
        sub = "paths" if table == "api" else "max_age"
        for name, value in mapping.items():
            # `[cache.max_age]` also takes a whole group ("campaign.*").
            group_ok = table == "cache" and name.endswith(".*") and any(
                op.name.startswith(name[:-1]) for op in CATALOGUE
            )
            if name not in CATALOGUE and not group_ok:
                raise locator.error((table, sub, name), "unknown operation" + suggest(name, names))
            if table == "api" and not value.startswith("/"):
                raise locator.error((table, sub, name), f"must be a path starting with / (got {value!r})")
            if table == "cache" and value < 0:
                raise locator.error((table, sub, name), "must be 0 or more seconds")
    return CATALOGUE.with_paths(paths_) if paths_ else CATALOGUE


def _profile(name: str, pc: Mapping[str, Any], locator: Locator,
             env: Mapping[str, str]) -> Profile:
    key = ("profiles", name)
    base_url = _check_base_url(pc["base_url"], lambda m: locator.error((*key, "base_url"), m))
    given = [k for k in ("client_secret", "client_secret_env", "client_secret_command")
             if pc[k] is not None]
    if len(given) > 1:
        raise locator.error((*key, given[1]), f"give only one of {', '.join(given)}")
    if pc["client_secret"] is not None:
        secret = _SecretSource("value", pc["client_secret"])
    elif pc["client_secret_env"] is not None:
        secret = _SecretSource("env", pc["client_secret_env"],
                               locator.error((*key, "client_secret_env"), ""), env)
    elif pc["client_secret_command"] is not None:
        secret = _SecretSource("command", pc["client_secret_command"],
                               locator.error((*key, "client_secret_command"), ""))
    else:
        secret = _SecretSource("none")
    ca_bundle = None
    if pc["ca_bundle"] is not None:
        ca_bundle = Path(pc["ca_bundle"]).expanduser()
        if not ca_bundle.is_file():
            raise locator.error((*key, "ca_bundle"), f"no such file: {pc['ca_bundle']}")
    return Profile(name=name, base_url=base_url, client_id=pc["client_id"],
                   read_only=pc["read_only"], color=pc["color"], timeout=pc["timeout"],
                   max_answer_mb=pc["max_answer_mb"], max_concurrency=pc["max_concurrency"],
                   ca_bundle=ca_bundle, _secret=secret)


def _check_base_url(url: str, fail) -> str:
    """The URL without a trailing slash, if it is https or plain http to loopback."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fail(f"must be an https:// URL (got {url!r})")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise fail(f"must use https (plain http is allowed only for 127.0.0.1, localhost or "
                   f"[::1]; got {url!r})")
    return url.strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_permissions(cfg: ConfigFile, path: Path, exists: bool) -> list[str]:
    """A secret in a file others can read, or in a directory others can read
    or write (they could take the file, or put their own in its place), is a
    warning, or an error on request."""
    if not exists or os.name != "posix":
        return []
    holders = [n for n, p in cfg["profiles"].items() if p["client_secret"] is not None]
    if not holders:
        return []
    problems: list[tuple[str, str]] = []  # (what is wrong, the fix)
    try:
        mode = path.stat().st_mode
        folder = path.resolve().parent
        folder_mode = folder.stat().st_mode
    except OSError:
        return []
    shown = display_path(path)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        problems.append((f"{shown} holds a client secret (profile {holders[0]!r}) but is "
                         f"readable by others (mode {stat.S_IMODE(mode):03o})",
                         f"chmod 600 {shown}"))
    if folder_mode & (stat.S_IRWXG | stat.S_IRWXO):
        others = "writable" if folder_mode & (stat.S_IWGRP | stat.S_IWOTH) else "readable"
        folder_shown = os.path.dirname(shown) or "."
        problems.append((f"the directory {folder_shown} holds a client secret (in {shown}, "
                         f"profile {holders[0]!r}) but is {others} by others "
                         f"(mode {stat.S_IMODE(folder_mode):03o})",
                         f"chmod 700 {folder_shown}"))
    if problems and cfg["security"]["refuse_insecure_config"]:
        what, fix = problems[0]
        raise ConfigError(f"{what} and [security] refuse_insecure_config is set; run: {fix}",
                          path=path)
    return [f"{what}; run: {fix}, or use client_secret_env / client_secret_command"
            for what, fix in problems]


# --- Messages ------------------------------------------------------------------

def _names(mapping: Mapping[str, object]) -> str:
    return ", ".join(sorted(mapping)) or "none"


