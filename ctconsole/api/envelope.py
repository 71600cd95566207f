"""Body bytes → the decoded body dict, or a typed error. Nothing else escapes.

The API decides success in the body (`status.status == "OK"`), reports failures
in one of three shapes (DESIGN.md, "Wire format"), and sits behind proxies that
may answer with an HTML error page. Every one of those cases ends here as either
the decoded dict or an error from `ctconsole.api.errors`; no `JSONDecodeError`,
`KeyError` or `UnicodeDecodeError` reaches a caller.

Order of judgement:
1. a failure envelope is an `ApiError`, whatever the HTTP status;
2. otherwise a non-2xx status is an `HttpStatusError` (429 `RateLimited`,
   5xx `ServerError`), whatever the body;
3. otherwise the body must be a JSON object with `status.status == "OK"`, or it
   is an `UnexpectedPayload`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone

from .errors import ApiError, HttpStatusError, RateLimited, ServerError, UnexpectedPayload, clean_text
from ctconsole.redaction import mask_in_text

EXCERPT_CHARS = 120


def excerpt(body: bytes | str, limit: int = EXCERPT_CHARS) -> str:
    """A short, printable start of a body with secret values masked; quoted
    so an empty or odd excerpt still reads as data."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = mask_in_text(text[: limit * 4])
    return repr(clean_text(text, limit)) if text.strip() else "(empty)"


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: delta-seconds or an HTTP date. None when
    absent or unreadable; never negative."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        # Lazy for start-up: the e-mail package loads only for a dated Retry-After.
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _as_code(value: object) -> int:
    """An error code as a number; the API sends numbers, but a code that
    arrives as "505" is still 505. Anything else becomes 0 (unknown)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    return 0


def _api_error(errors: object) -> ApiError:
    """Shapes A/B/C share the fields once found: `error_code` (scalar or list),
    `error_message_description` (list, maybe absent), `error_message`."""
    if not isinstance(errors, Mapping):
        return ApiError([], [], "")
    codes = [_as_code(c) for c in _as_list(errors.get("error_code"))]
    descriptions = [d if isinstance(d, str) else json.dumps(d)
                    for d in _as_list(errors.get("error_message_description"))]
    message = errors.get("error_message")
    return ApiError(codes, descriptions, message if isinstance(message, str) else "")


def _http_error(status_code: int, body: bytes, headers: Mapping[str, str] | None) -> HttpStatusError:
    if status_code == 429:
        return RateLimited(parse_retry_after(_header(headers, "retry-after")))
    page = body.lstrip()[:1] == b"<"
    if 500 <= status_code < 600:
        return ServerError(status_code, proxy_page=page)
    detail = "" if not body.strip() else f" The answer starts: {excerpt(body)}"
    return HttpStatusError(status_code, f"The server answered HTTP {status_code} "
                                        f"without an API response.{detail}")


def _parse_json(body: bytes, content_type: str | None) -> object:
    """The JSON value of `body`, or UnexpectedPayload saying what it was instead."""
    if not body.strip():
        raise UnexpectedPayload("The answer was empty")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnexpectedPayload("The answer is not UTF-8 text", excerpt(body)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        stripped = text.lstrip()
        looks_html = stripped[:1] == "<" or "html" in (content_type or "").lower()
        if looks_html:
            reason = "The answer is a web page, not JSON (a proxy or server error page?)"
        elif _unclosed(stripped):
            reason = "The answer was cut off before the end (incomplete JSON)"
        else:
            reason = "The answer is not valid JSON"
        raise UnexpectedPayload(reason, excerpt(text)) from None
    except (ValueError, RecursionError):
        # Absurd nesting or a number too long to convert.
        raise UnexpectedPayload("The answer is JSON this client cannot read", excerpt(text)) from None


def _unclosed(text: str) -> bool:
    """True when JSON text ends inside a string or with brackets still open:
    the mark of a body cut off in transit, as opposed to one that is wrong."""
    if text[:1] not in "{[":
        return False
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return False
    return True


def _failure_errors(data: Mapping) -> tuple[bool, object]:
    """(is a failure envelope, its errors object)."""
    status = data.get("status")
    if not isinstance(status, Mapping):
        return False, None
    state = status.get("status")
    inner = status.get("errors")
    outer = data.get("errors")
    failed = isinstance(state, str) and state.strip().lower() in {"failed", "fail", "error"}
    if not failed:
        return False, None
    if isinstance(inner, Mapping):
        return True, inner  # shapes A and B
    return True, outer  # shape C, or no details at all


def decode(
    body: bytes,
    *,
    status_code: int = 200,
    content_type: str | None = "application/json",
    headers: Mapping[str, str] | None = None,
) -> dict:
    """The decoded body dict of a success answer (envelope included).

    `headers` is optional and only read for Retry-After on a 429.

    Raises:
        ApiError: a failure envelope (any HTTP status).
        HttpStatusError, RateLimited, ServerError: non-2xx, no failure envelope.
        UnexpectedPayload: a 2xx answer that is not a success envelope.
    """
    ok_status = 200 <= status_code < 300
    try:
        data = _parse_json(body, content_type)
    except UnexpectedPayload:
        if not ok_status:
            raise _http_error(status_code, body, headers) from None
        raise
    if isinstance(data, dict):
        failed, errors = _failure_errors(data)
        if failed:
            raise _api_error(errors)
    if not ok_status:
        raise _http_error(status_code, body, headers)
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(data), "a number")
        raise UnexpectedPayload(f"Expected a JSON object, got {kind}", excerpt(body))
    status = data.get("status")
    if not isinstance(status, Mapping) or not isinstance(status.get("status"), str):
        raise UnexpectedPayload("The answer has no status envelope", excerpt(body))
    if status["status"].strip().lower() != "ok":
        raise UnexpectedPayload(
            f"The answer's status is {clean_text(status['status'], 40)!r}, neither OK nor failed",
            excerpt(body))
    return data
