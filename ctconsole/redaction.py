"""Secrets out of everything the console shows, stores or journals.

Three strengths, one list of what is secret:

* on screen and on stdout (`mask_secrets`, `mask_value`, `mask_in_text`,
  `safe_repr`): a masked value keeps its last four characters (`…abcd`) so
  a person can tell two keys apart;
* in the journal and the preview of a write (`redact`, `redact_params`,
  `redact_answer`): the bare mask, nothing of the value left — a journal is
  kept for months and copied into tickets;
* in the response cache (`redact_body`): the value blanked (``""``) and the
  entry flagged, so a cached copy is good for display but not for acting as
  the subaccount.

Which values are secret (decided here, once):

* always, under these keys at any depth: `client_secret`, `api_secret`,
  `secret`, `password`, `token` (the SSO login token) and `api_key` (a
  subaccount's API key: an identifier, but with the secret it is a login, and
  `subaccount.list` hands out both for every subaccount);
* `url` and `url_whitelabel` only where they are one-time logins: inside an
  object that also carries a `token` (the `subaccount.sso` answer), or anywhere
  in the answer of an operation listed in `LOGIN_URL_OPERATIONS`
  (`subaccount.sso`, `subaccount.reset_url`). Everywhere else a `url` is a
  public campaign or session link and stays readable.

On screen, values of twelve characters or fewer are masked completely
(`…`), since four characters of a short secret are too large a part of it.

Imports nothing else of ctconsole, so every layer (cache included) may use it.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from ctconsole.api.catalogue import Operation

SECRET_KEYS = frozenset({"client_secret", "api_secret", "secret", "password", "token", "api_key"})
LOGIN_URL_KEYS = frozenset({"url", "url_whitelabel"})
LOGIN_URL_OPERATIONS = frozenset({"subaccount.sso", "subaccount.reset_url"})

MASK = "…"
_VISIBLE = 4
_SHORT = 12


def mask_value(value: object) -> object:
    """One secret value masked: `…abcd`, or `…` for short or non-text values.
    None and `""` stay as they are (there is nothing to hide, and "not set"
    should still read as not set). Masking is idempotent: an already masked
    value is returned unchanged."""
    if value is None or value == "":
        return value
    text = str(value)
    if isinstance(value, str) and text.startswith(MASK) and len(text) <= len(MASK) + _VISIBLE:
        return text
    if not isinstance(value, str) or len(text) <= _SHORT:
        return MASK
    return MASK + text[-_VISIBLE:]


def mask_secrets(obj: Any, *, operation: str | None = None, extra_keys: Iterable[str] = ()) -> Any:
    """A copy of `obj` (dicts, lists, tuples, scalars) with secret values
    masked. `operation` names the call the data came from, so its login URLs
    are masked too; `extra_keys` adds keys for this call only (e.g. a param the
    catalogue marks `secret`). The input is never modified."""
    keys = SECRET_KEYS | frozenset(extra_keys)
    if operation in LOGIN_URL_OPERATIONS:
        keys = keys | LOGIN_URL_KEYS
    return _walk(obj, keys)


def _walk(obj: Any, keys: frozenset[str]) -> Any:
    if isinstance(obj, dict):
        local = keys | LOGIN_URL_KEYS if "token" in obj else keys
        return {
            k: mask_value(v) if isinstance(k, str) and k.lower() in local and not isinstance(v, (dict, list))
            else _walk(v, keys)
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_walk(v, keys) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_walk(v, keys) for v in obj)
    return obj


_SECRET_IN_TEXT = re.compile(
    r'("(?:' + "|".join(sorted(SECRET_KEYS | LOGIN_URL_KEYS)) + r')"\s*:\s*)"([^"\\]*)("?)',
    re.IGNORECASE,
)


def mask_in_text(text: str) -> str:
    """Secret values masked inside raw (possibly broken) JSON text, for
    excerpts of bodies that could not be parsed: a cut-off `subaccount.list`
    answer still holds `"api_secret": "…"` pairs. Login URLs are masked here
    whatever the key's context, because broken text has no reliable context."""

    def repl(match: re.Match[str]) -> str:
        return f'{match.group(1)}"{mask_value(match.group(2))}{match.group(3)}'

    return _SECRET_IN_TEXT.sub(repl, text)


def safe_repr(type_name: str, public: dict[str, object], secret: dict[str, object]) -> str:
    """`Type(a='x', secret='…abcd')`: a repr for objects holding credentials,
    with the `secret` fields masked."""
    parts = [f"{k}={v!r}" for k, v in public.items()]
    parts += [f"{k}={mask_value(v)!r}" for k, v in secret.items()]
    return f"{type_name}({', '.join(parts)})"


# --- Journal and preview: nothing of a secret left ----------------------------------


def _secret_params(op: Operation) -> list[str]:
    return [p.name for p in op.params if p.secret]


def _blank(original: Any, masked: Any) -> Any:
    """`masked` with every value that masking changed replaced by MASK."""
    if isinstance(original, dict) and isinstance(masked, dict):
        return {k: _blank(original.get(k), v) for k, v in masked.items()}
    if isinstance(original, (list, tuple)) and isinstance(masked, (list, tuple)):
        return [_blank(o, m) for o, m in zip(original, masked)]
    if masked != original:
        return MASK
    return masked


def redact(op: Operation, data: Any) -> Any:
    """A copy of `data` (params, an answer, a state) fit for the journal."""
    masked = mask_secrets(data, operation=op.name, extra_keys=_secret_params(op))
    return _blank(data, masked)


def redact_params(op: Operation, params: Mapping[str, object]) -> dict[str, object]:
    """Request parameters with secret values (passwords) fully masked."""
    return redact(op, dict(params))


def redact_answer(op: Operation, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The write's answer without its envelope, secrets fully masked."""
    payload = {k: v for k, v in raw.items() if k != "status"}
    return redact(op, payload)


# --- Response cache: credentials blanked before a body is stored --------------------
#
# The cache keeps bodies exactly as received so that a model change never
# breaks old entries, but "exactly" stops at secrets. Bodies without such
# fields (nearly all of them) are stored byte for byte: the check is a
# substring test on the lower-cased bytes before any parsing, and only the
# operations that can carry credentials are scanned (`may_hold_credentials`;
# every group not listed in `_CREDENTIAL_FREE_GROUPS` is).


#: Response fields whose values are never stored: the secret keys, and an
#: OAuth ``access_token`` should an answer ever carry one.
SECRET_FIELDS = SECRET_KEYS | {"access_token"}

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
