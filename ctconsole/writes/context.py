"""Who is writing, from where, as which profile: the journal's "who" and the
read-only switch, gathered once per session of work."""

from __future__ import annotations

import getpass
import socket
from dataclasses import dataclass, field, replace
from typing import Any


def os_user() -> str:
    """The logged-in OS user; "unknown" where the platform cannot tell."""
    try:
        return getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        return "unknown"


def host_name() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return "unknown"


@dataclass(frozen=True)
class WriteContext:
    """The circumstances of a write. `subaccount` is the subaccount whose
    credentials the client carries (None: the main account)."""

    profile: str
    subaccount: str | None = None
    read_only: bool = False
    #: Why writes are off, in words for the user (shown with every refusal).
    read_only_reason: str | None = None
    offline: bool = False
    user: str = field(default_factory=os_user)
    host: str = field(default_factory=host_name)

    @classmethod
    def from_settings(cls, settings: Any, *, subaccount: str | None = None) -> "WriteContext":
        """The context of `ctconsole.config.Settings`: its profile, read-only
        (per profile or ``--read-only``) and offline switches."""
        profile = settings.profile
        reason = None
        if profile.read_only:
            reason = (f"profile {profile.name!r} is read-only (read_only = true in the "
                      "config, or --read-only); every write is disabled")
        return cls(profile=profile.name, subaccount=subaccount, read_only=profile.read_only,
                   read_only_reason=reason, offline=bool(getattr(settings, "offline", False)))

    def for_subaccount(self, subaccount: str | None) -> "WriteContext":
        return replace(self, subaccount=subaccount)
