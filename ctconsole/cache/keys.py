"""Cache keys, account scoping and the parameter matching used by invalidation.

A cached read is identified by three things: which account asked (so a
subaccount's view and the main account's never mix in one database), which
operation, and the parameters it was asked with. Two requests that mean the
same thing must produce the same key, so parameters are written as canonical
JSON (sorted keys, no whitespace, parameters left out and parameters given as
``None`` are the same thing).

Credentials are never part of a key: the account is a *fingerprint* of the
client ID (a one-way hash; the client secret is never an input), and a
parameter whose name looks like a credential is refused outright, because a
key is stored in the database file in clear.

This module may read the catalogue (to learn which parameters are secret and
which hold session codes) but nothing else of ``ctconsole.api``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from decimal import Decimal
from typing import Any, Mapping

from ctconsole.api.catalogue import CATALOGUE, Catalogue

#: Name fragments that mark a parameter as a credential, whatever the operation.
_SECRET_NAME_PARTS = (
    "secret",
    "password",
    "passwd",
    "token",
    "credential",
    "authorization",
    "api_key",
    "apikey",
    "client_id",
)

_FINGERPRINT_RE = re.compile(r"[0-9a-f]{16}\Z")

#: The shortest prefix of a session code the API accepts (its "short form").
SHORT_CODE_LENGTH = 6


class SecretParam(ValueError):
    """A credential-like parameter was offered for a cache key.

    The message names the parameter, never its value.
    """

    def __init__(self, name: str) -> None:
        super().__init__(
            f"parameter {name!r} looks like a credential; credentials are never part of a cache key"
        )
        self.name = name


def _declared_names(catalogue: Catalogue, attr: str, value: object) -> frozenset[str]:
    return frozenset(
        p.name for op in catalogue for p in op.params if getattr(p, attr) == value
    )


#: Parameters the catalogue itself declares secret (e.g. subaccount passwords).
DECLARED_SECRET_PARAMS = _declared_names(CATALOGUE, "secret", True)
#: Parameters holding one session code: matched by the short-code prefix rule.
CODE_PARAMS = _declared_names(CATALOGUE, "type", "code")


def is_secret_name(name: str) -> bool:
    """True for a parameter name that looks like a credential."""
    folded = name.lower().replace("-", "_")
    if folded in DECLARED_SECRET_PARAMS:
        return True
    return any(part in folded for part in _SECRET_NAME_PARTS)


def account_fingerprint(client_id: str) -> str:
    """A short one-way fingerprint of a client ID, used to scope entries.

    Only the client ID goes in: the secret is not needed to tell accounts
    apart, so it is never handed to the cache at all.
    """
    cleaned = client_id.strip()
    if not cleaned:
        raise ValueError("an account fingerprint needs a non-empty client ID")
    digest = hashlib.sha256(b"ctconsole-cache-account\x00" + cleaned.encode("utf-8"))
    return digest.hexdigest()[:16]


def check_account(account: str) -> str:
    """Accept only a fingerprint from `account_fingerprint`.

    This is a guard rail: passing a raw client ID (or, worse, a secret) where
    a fingerprint belongs would write it into the database file.
    """
    if not isinstance(account, str) or not _FINGERPRINT_RE.match(account):
        raise ValueError("account must be a fingerprint from account_fingerprint()")
    return account


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cache key parameter of type {type(value).__name__} is not supported")


def canonical_params(params: Mapping[str, object]) -> dict[str, object]:
    """The parameters that identify a read: ``None`` dropped, credentials refused.

    Raises:
        SecretParam: a parameter name looks like a credential.
    """
    clean: dict[str, object] = {}
    for name, value in params.items():
        if is_secret_name(str(name)):
            raise SecretParam(str(name))
        if value is not None:
            clean[str(name)] = value
    return clean


def canonical_json(params: Mapping[str, object]) -> str:
    """Canonical JSON of already-cleaned parameters (sorted keys, compact)."""
    return json.dumps(
        params,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def cache_key(operation: str, params: Mapping[str, object]) -> str:
    """The key of a read: operation name plus its canonical parameters.

    The caller should pass the parameters *after* validation and coercion
    (``Result.params``), so that ``"true"`` from the CLI and ``True`` from the
    UI are already the same value.

    Raises:
        SecretParam: a parameter name looks like a credential.
    """
    return f"{operation}?{canonical_json(canonical_params(params))}"


def codes_match(a: object, b: object) -> bool:
    """Whether two session codes can name the same session.

    The API accepts the 21-character code or its first six characters, so a
    write that used either form must reach an entry cached under the other.
    Comparison ignores case: a spurious match only costs one refetch, a
    missed one shows stale data as fresh.
    """
    x, y = str(a).strip().casefold(), str(b).strip().casefold()
    if x == y:
        return True
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return len(short) >= SHORT_CODE_LENGTH and long_.startswith(short)


def _values_match(name: str, have: object, want: object) -> bool:
    if isinstance(want, (list, tuple, set, frozenset)):
        return any(_values_match(name, have, w) for w in want)
    if name in CODE_PARAMS:
        return codes_match(have, want)
    return have == want or str(have) == str(want)


def params_match(entry_params: Mapping[str, object], match: Mapping[str, object] | None) -> bool:
    """Whether a cached entry's parameters fall under an invalidation `match`.

    Every name in `match` must agree with the entry. An entry that lacks a
    matched parameter is treated as matching, on the same reasoning as
    `codes_match`: when in doubt, mark stale. A list value in `match` means
    "any of these".
    """
    if not match:
        return True
    for name, want in match.items():
        if name not in entry_params or entry_params[name] is None:
            continue
        if not _values_match(name, entry_params[name], want):
            return False
    return True

