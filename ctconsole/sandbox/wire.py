"""Envelopes and failures exactly as the Coupontools API puts them on the wire.

Handlers return a plain payload dict or raise `ApiFailure`; only this module
knows the three failure shapes (DESIGN.md, "Wire format"), so a change of
shape is one edit here.
"""

from __future__ import annotations

import json

UNPROCESSABLE = "HTTP/1.0 422 Unprocessable entity."
UNAUTHORIZED = "HTTP/1.0 401 Unauthorized. Client ID or Secret not correct."

# The "not found" messages, one per entity, as documented (511/512 inferred).
CAMPAIGN_NOT_FOUND = (502, "Campaign ID not found")
SESSION_NOT_FOUND = (505, "Couponsession not found.")
DIRECTORY_NOT_FOUND = (507, "Directory ID not found")
WEBHOOK_NOT_FOUND = (509, "Webhook not found.")
SUBACCOUNT_NOT_FOUND = (510, "Subaccount ID not correct.")
LOYALTY_NOT_FOUND = (511, "Loyalty card ID not found")
USER_NOT_FOUND = (512, "User ID not found")
NO_SUBACCOUNTS = (102, "Subaccounts do not have subaccounts.")
EMAIL_EXISTS = (304, "Email already exists")
EMAIL_INVALID = (305, "Email address is not valid")


def missing(name: str) -> tuple[int, str]:
    return 200, f"Missing parameter: {name}"


def invalid_character(name: str) -> tuple[int, str]:
    return 301, f"Invalid character in parameter: {name}"


def invalid_value(name: str) -> tuple[int, str]:
    return 302, f"Invalid value in parameter: {name}"


def invalid_format(name: str, fmt: str = "yyyy-MM-dd") -> tuple[int, str]:
    return 303, f"Invalid format in parameter: {name}. Required format: {fmt}"


class ApiFailure(Exception):
    """A failure the API reports in its body (HTTP 200, `status.status` failed).

    `problems` pairs codes with descriptions (the API's parallel arrays).
    """

    def __init__(self, *problems: tuple[int, str]) -> None:
        super().__init__("; ".join(f"{c}: {m}" for c, m in problems))
        self.problems = list(problems)


def ok(payload: dict | None = None) -> dict:
    body: dict = {"status": {"status": "OK"}}
    if payload:
        body.update(payload)
    return body


def auth_failed() -> dict:
    """Shape A: scalar code, no description (the authentication page)."""
    return {"status": {"status": "failed",
                       "errors": {"error_code": 1000, "error_message": UNAUTHORIZED}}}


def failure(problems: list[tuple[int, str]], *, shape: str = "B",
            message: str = UNPROCESSABLE) -> dict:
    """Shape B (errors inside status) or C (errors beside status, push calls)."""
    errors = {
        "error_message": message,
        "error_message_description": [m for _, m in problems],
        "error_code": [c for c, _ in problems],
    }
    if shape == "C":
        return {"status": {"status": "failed"}, "errors": errors}
    return {"status": {"status": "failed", "errors": errors}}


def dumps(body: object) -> bytes:
    """Compact UTF-8 JSON; customer text goes out as typed (JSON escapes C0
    controls, everything else - C1 controls, bidi marks - travels raw)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
