"""Masking of secrets in anything the console prints, logs or journals.

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

A masked value keeps its last four characters (`…abcd`) so a person can tell two
keys apart; values of twelve characters or fewer are masked completely (`…`),
since four characters of a short secret are too large a part of it.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

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
