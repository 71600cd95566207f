"""Redaction for the journal and the preview: stricter than screen masking.

`ctconsole.api.redact.mask_secrets` keeps the last four characters of a
secret so a person can tell two keys apart on screen. A journal is kept for
months and copied into tickets; nobody needs to tell two SSO tokens or two
passwords apart there, so everything `mask_secrets` would mask (by the same
rules: secret keys, login URLs of `subaccount.sso`/`reset_url`, parameters
the catalogue marks `secret`) is replaced by the bare mask, with nothing of
the value left.
"""

from __future__ import annotations

from typing import Any, Mapping

from ctconsole.api.catalogue import Operation
from ctconsole.api.redact import MASK, mask_secrets


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
