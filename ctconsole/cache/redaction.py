"""Keeping credentials that arrive *inside* response bodies out of the cache.

Some reads return secrets: ``subaccount.list`` and ``subaccount.info`` carry
each subaccount's ``api_key``/``api_secret``. The cache keeps bodies exactly
as received so that a model change never breaks old entries, but "exactly"
stops at secrets: a body that contains a credential-like field is stored with
that field's value blanked, and the entry is flagged ``redacted`` so the
client knows the cached copy is good for display but not for acting as the
subaccount (for that it must fetch fresh).

Bodies without such fields (nearly all of them) are stored byte for byte: the
check is a substring test on the lower-cased bytes before any parsing.

Only the operations that can carry credentials are scanned (issue 7: the
scan of a 600 KB session page cost ~2 ms of every read's cache write, for a
group of operations whose answers never hold one). The test is by operation
group and errs on the side of scanning: every group not listed in
`_CREDENTIAL_FREE_GROUPS` (``subaccount.*``, ``auth.*``, anything new) is.
"""

from __future__ import annotations

import json
from typing import Any

#: Response fields whose values are credentials. ``api_key`` is the
#: subaccount's client ID: not secret on its own, but half of a credential
#: pair, so it goes too.
SECRET_FIELDS = frozenset(
    {"api_secret", "api_key", "client_secret", "secret", "password", "token", "access_token"}
)

_NEEDLES = tuple(f'"{name}"'.encode() for name in SECRET_FIELDS)

#: Operation groups (the part of the name before the dot) whose answers never
#: carry credentials: campaigns, sessions, directories, loyalty cards and
#: single-use codes (wire format: only subaccount answers hold `api_key` /
#: `api_secret`, SSO tokens and reset URLs).
_CREDENTIAL_FREE_GROUPS = frozenset({"campaign", "session", "directory", "loyalty", "singleuse"})


def may_hold_credentials(operation: str | None) -> bool:
    """Whether answers to `operation` must be scanned (None: unknown, so yes)."""
    if operation is None:
        return True
    return operation.partition(".")[0] not in _CREDENTIAL_FREE_GROUPS


class UnstorableBody(ValueError):
    """A body that names a secret field but cannot be parsed to remove it."""


def _scrub(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for k, v in value.items():
            if isinstance(k, str) and k.lower() in SECRET_FIELDS and v not in ("", None):
                out[k] = ""
                changed = True
            else:
                out[k], sub = _scrub(v)
                changed = changed or sub
        return out, changed
    if isinstance(value, list):
        items = [_scrub(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    return value, False


def redact_body(raw: bytes, operation: str | None = None) -> tuple[bytes, bool]:
    """Return the body to store and whether anything was blanked; the body
    of an `operation` that cannot carry credentials is returned unscanned.

    Raises:
        UnstorableBody: the body mentions a secret field but is not JSON, so
            the secret cannot be removed safely; the caller must not store it.
    """
    if not may_hold_credentials(operation):
        return raw, False
    folded = raw.lower()
    if not any(needle in folded for needle in _NEEDLES):
        return raw, False
    try:
        doc = json.loads(raw)
    except ValueError:
        raise UnstorableBody("body names a secret field and is not valid JSON") from None
    scrubbed, changed = _scrub(doc)
    if not changed:
        return raw, False
    return json.dumps(scrubbed, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), True
