"""The config file's schema: one strict pydantic model per TOML table.

Kept apart from `ctconsole.config` so that a start which reads no file
(``--demo``) never imports pydantic for it (the import and these models
are a large part of start-up when nothing else needs pydantic before the
first frame). `load_settings` imports this module when it
validates a file (or the empty table that stands for a missing one).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ctconsole.config.defaults import DEFAULT_BASE_URL


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class ProfileConfig(_Section):
    """One ``[profiles.NAME]`` table as written in the file."""

    base_url: str = DEFAULT_BASE_URL
    client_id: str | None = None
    client_secret: SecretStr | None = None
    client_secret_env: str | None = None
    client_secret_command: str | None = None
    read_only: bool = False
    color: str | None = None
    #: Start with screen share on (e-mail, phone and names masked); unset: `[ui]`'s.
    screen_share: bool | None = None
    #: Seconds one API call may take, retries and the waits between them included.
    timeout: float = Field(30.0, gt=0, le=600)
    #: The largest API answer read, in MB (10^6 bytes); a bigger one is refused.
    max_answer_mb: float = Field(16.0, gt=0, le=1024)
    max_concurrency: int = Field(4, ge=1, le=32)
    #: A PEM file of extra CAs to trust (a TLS-intercepting proxy); the
    #: supported alternative to turning verification off, which we never do.
    ca_bundle: str | None = None


class ApiConfig(_Section):
    paths: dict[str, str] = {}


class CacheConfig(_Section):
    enabled: bool = True
    max_size_mb: int = Field(200, ge=1, le=100_000)
    max_age: dict[str, float] = {}


class UiConfig(_Section):
    theme: str | None = None
    #: Start every profile with screen share on (a profile may say otherwise).
    screen_share: bool = False
    #: Mouse reporting: true/false; unset: on locally, off over SSH.
    mouse: bool | None = None
    #: The time zone shown beside UTC (an IANA name); unset: TZ, else the machine's.
    timezone: str | None = None


class FindConfig(_Section):
    #: Accounts a find everywhere asks at once.
    concurrency: int = Field(8, ge=1, le=64)


class ExplainConfig(_Section):
    #: Case notes include e-mail, phone and names (masked by default).
    include_personal_data: bool = False


class SecurityConfig(_Section):
    refuse_insecure_config: bool = False


class ConfigFile(_Section):
    """The whole file. Every table is optional; an empty file is valid."""

    default_profile: str | None = None
    profiles: dict[str, ProfileConfig] = {}
    api: ApiConfig = ApiConfig()
    cache: CacheConfig = CacheConfig()
    ui: UiConfig = UiConfig()
    keys: dict[str, str] = {}
    security: SecurityConfig = SecurityConfig()
    find: FindConfig = FindConfig()
    explain: ExplainConfig = ExplainConfig()
