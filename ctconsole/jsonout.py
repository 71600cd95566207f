"""JSON for scripts and pipes: what ``ctconsole call`` (and any later
subcommand that prints API data) writes on stdout.

Two promises, both because API data is typed by customers and holds
credentials: secrets are masked unless the person asked to see them, and no
character a terminal would act on (escape sequences, C1 controls, bidi
overrides: `ctconsole.safetext`'s one set) is written raw — such characters
are JSON-escaped, so the document means the same but cannot repaint the
screen or set the clipboard.
"""

from __future__ import annotations

import json
from typing import Any

from ctconsole.redaction import mask_secrets, mask_value
from ctconsole.safetext import escape_json


def to_json(data: Any) -> str:
    """Pretty JSON that keeps non-ASCII text readable but escapes the
    characters a terminal would act on. The result is equal JSON either way."""
    return escape_json(json.dumps(data, indent=2, ensure_ascii=False))


def result_document(result: Any, *, raw: bool = False, show_secrets: bool = False) -> Any:
    """The JSON-ready document for one client `Result`.

    Normalised (default): the model's dump under its own field names (``id``
    not ``ID``, real booleans and numbers, ISO dates) — stable across the API's
    quirks. `raw`: the payload exactly as received. Either way secrets are
    masked (``…abcd``) unless `show_secrets`: by key (`ctconsole.redaction`), by the
    operation's login URLs, and by the models' own `SecretStr` fields wherever
    they sit.
    """
    op = result.operation
    secrets: set[str] = set()
    data = result.raw if raw else _plain(result.data.model_dump(mode="python"), secrets)
    if show_secrets:
        return data
    extra = [p.name for p in op.params if p.secret]
    return _mask_values(mask_secrets(data, operation=op.name, extra_keys=extra), secrets)


def _plain(value: Any, secrets: set[str]) -> Any:
    """A model dump made JSON-ready, with `SecretStr` fields (which would dump
    as stars) revealed and their values collected in `secrets` for masking."""
    # Lazy for start-up: pydantic loads only when a model is written out.
    from pydantic import SecretStr
    from pydantic_core import to_jsonable_python

    if isinstance(value, SecretStr):
        secret = value.get_secret_value()
        secrets.add(secret)
        return secret
    if isinstance(value, dict):
        return {str(k): _plain(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, secrets) for v in value]
    return to_jsonable_python(value)


def _mask_values(value: Any, secrets: set[str]) -> Any:
    """Mask any string that is one of `secrets`, whatever key it sits under."""
    if isinstance(value, str):
        return mask_value(value) if value in secrets else value
    if isinstance(value, dict):
        return {k: _mask_values(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_values(v, secrets) for v in value]
    return value
