"""The typed errors of the API client: everything the client raises is one of these.

A caller (the TUI, the CLI) catches `CtError` and shows `.title` and `.message`
as they are: both are written for a person, in plain words, and never contain a
secret (client secret, subaccount api_secret, SSO token). `str(error)` is
"title: message". Text that comes from the API (descriptions, body excerpts) is
untrusted: it is stripped of control characters and shortened before it gets
here, so it cannot mangle a terminal.

```
CtError(title, message)                         base; str() is "title: message"
├── InvalidParams(problems)                     before sending; CLI exit 2
├── OfflineError                                write refused / nothing cached offline
├── ApiError(codes, descriptions, api_message)  failure envelope; CLI exit 1
├── HttpStatusError(status_code)                non-2xx with no failure envelope; exit 1
│   ├── RateLimited(retry_after)                429
│   └── ServerError                             5xx
├── UnexpectedPayload(body_excerpt)             non-JSON, truncated, wrong shape; exit 1
│   └── AnswerTooLarge(limit)                   bigger than the configured cap
└── TransportError                              exit 3
    ├── ConnectFailed                           connection refused / dropped
    └── TimedOut
```

Every error has `.operation` (the catalogue name, or None when not known where
it was raised; the client fills it in) and `.exit_code` for the CLI.

A write that reached the API (or may have) and got no usable answer back - a
5xx, a timeout, a connection dropped after sending, an unreadable 2xx - has an
unknown outcome. The client marks such an error (`mark_outcome_unknown`): its
`outcome_unknown` is True, its message ends with `OUTCOME_UNKNOWN` (the one
sentence the CLI, the console and the journal all use for it), and its exit
code is 1 whatever the cause, since the network answered something.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from ctconsole.safetext import one_line

__all__ = [
    "CtError",
    "InvalidParams",
    "OfflineError",
    "ApiError",
    "HttpStatusError",
    "RateLimited",
    "ServerError",
    "UnexpectedPayload",
    "TransportError",
    "ConnectFailed",
    "TimedOut",
    "AnswerTooLarge",
    "clean_text",
    "OUTCOME_UNKNOWN",
    "mark_outcome_unknown",
]

#: Untrusted text for a message: `ctconsole.safetext.one_line` (unsafe
#: characters removed, whitespace collapsed, shortened).
clean_text = one_line

#: What a write with an unknown outcome means for the person about to retry
#: it. One sentence, said the same way by the CLI (stderr), the console (the
#: write's result) and the journal (the entry's note).
OUTCOME_UNKNOWN = ("Outcome unknown: the write may or may not have been applied. "
                   "Check the object as it is now before trying again; it was not retried.")


class CtError(Exception):
    """Base of every client error. `title` is a short headline, `message` the
    explanation; both are safe to show as-is."""

    exit_code = 1
    #: Set on a write's error when the write may have been applied
    #: (`mark_outcome_unknown`).
    outcome_unknown = False

    def __init__(self, title: str, message: str, *, operation: str | None = None) -> None:
        self.title = title
        self.message = message
        self.operation = operation
        #: What went wrong on the wire, without advice (the message adds
        #: `OUTCOME_UNKNOWN` for a write whose outcome is unknown).
        self.cause = message
        super().__init__(title, message)

    def __str__(self) -> str:
        return f"{self.title}: {self.message}" if self.message else self.title

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.title!r}, {self.message!r})"


class InvalidParams(CtError):
    """Parameters refused before anything was sent. `problems` lists every
    problem found, each as "name: what is wrong"."""

    exit_code = 2

    def __init__(
        self,
        problems: Sequence[str],
        *,
        operation: str | None = None,
        title: str | None = None,
    ) -> None:
        self.problems = list(problems)
        if title is None:
            title = f"Invalid parameters for {operation}" if operation else "Invalid parameters"
        super().__init__(title, "\n".join(self.problems), operation=operation)


class OfflineError(CtError):
    """The console is offline: a write is refused, or a read has nothing cached."""

    def __init__(self, message: str = "The console is offline.", *, operation: str | None = None) -> None:
        super().__init__("Offline", message, operation=operation)


# Short headlines for the codes the docs name. The message is always the API's
# own description (the same code carries different texts per endpoint).
_CODE_TITLES = {
    1000: "Invalid credentials",
    101: "Account expired",
    102: "Not allowed for a subaccount",
    103: "SMS integration missing",
    104: "E-mail integration missing",
    200: "Missing parameter",
    300: "Wrong value",
    301: "Invalid character",
    302: "Value not allowed",
    303: "Invalid format",
    304: "E-mail already exists",
    305: "E-mail not valid",
    502: "Campaign not found",
    503: "Teammate not found",
    505: "Session not found",
    507: "Directory not found",
    509: "Webhook not found",
    510: "Subaccount not found",
    511: "Loyalty card not found",
    512: "User not found",
    514: "Group not found",
    515: "Folder not found",
}
_CLASS_TITLES = {1: "Account problem", 2: "Missing parameter", 3: "Wrong value",
                 5: "Not found", 6: "Sending failed"}
_STATUS_LINE = re.compile(r"^HTTP/\d(?:\.\d)?\s+\d{3}\b[^.]*\.\s*")


def _code_title(code: int) -> str:
    if code in _CODE_TITLES:
        return _CODE_TITLES[code]
    return _CLASS_TITLES.get(code // 100, "API error") if 100 <= code < 1000 else "API error"


class ApiError(CtError):
    """The API answered with a failure envelope (any of the three shapes).

    `codes[i]` pairs with `descriptions[i]` where both exist; `api_message` is
    the envelope's `error_message` (often an HTTP status line as text).
    """

    def __init__(
        self,
        codes: Iterable[int],
        descriptions: Iterable[str],
        api_message: str = "",
        *,
        operation: str | None = None,
    ) -> None:
        self.codes = [int(c) for c in codes]
        self.descriptions = [clean_text(d) for d in descriptions]
        self.api_message = clean_text(api_message)
        super().__init__(self._title(), self._message(), operation=operation)

    @property
    def code(self) -> int | None:
        """The first code, the one that names the failure (None if none given)."""
        return self.codes[0] if self.codes else None

    def _title(self) -> str:
        if not self.codes:
            return "API error"
        head = f"{_code_title(self.codes[0])} ({self.codes[0]})"
        more = len(self.codes) - 1
        return head if more == 0 else f"{head} and {more} more"

    def _message(self) -> str:
        descriptions = [d for d in self.descriptions if d]
        if len(self.codes) > 1 and descriptions:
            lines = []
            for i, code in enumerate(self.codes):
                text = self.descriptions[i] if i < len(self.descriptions) else ""
                lines.append(f"{code}: {text or _code_title(code)}")
            lines.extend(self.descriptions[len(self.codes):])
            return "\n".join(lines)
        if descriptions:
            return "\n".join(descriptions)
        if self.api_message:
            # "HTTP/1.0 401 Unauthorized. Client ID or Secret not correct." reads
            # better without the status line the API embeds in its text.
            return _STATUS_LINE.sub("", self.api_message) or self.api_message
        return "The API reported a failure without saying why."


class HttpStatusError(CtError):
    """A non-2xx HTTP answer without a failure envelope in its body."""

    def __init__(
        self,
        status_code: int,
        message: str | None = None,
        *,
        title: str | None = None,
        operation: str | None = None,
    ) -> None:
        self.status_code = status_code
        if title is None:
            # Lazy for start-up: the status table loads with the first HTTP error.
            from http import HTTPStatus

            try:
                phrase = HTTPStatus(status_code).phrase
            except ValueError:
                phrase = "Unexpected status"
            title = f"HTTP {status_code} {phrase}"
        if message is None:
            message = f"The server answered HTTP {status_code} without an API response."
        super().__init__(title, message, operation=operation)


class RateLimited(HttpStatusError):
    """HTTP 429. `retry_after` is the wait in seconds the server asked for
    (from Retry-After, as seconds or an HTTP date), or None if it gave none."""

    def __init__(self, retry_after: float | None = None, *, operation: str | None = None) -> None:
        self.retry_after = retry_after
        if retry_after is None:
            message = "The API is asking the console to slow down. Try again shortly."
        else:
            message = f"The API is asking the console to slow down. Try again in {retry_after:.0f} s."
        super().__init__(429, message, title="Rate limited (HTTP 429)", operation=operation)


class ServerError(HttpStatusError):
    """HTTP 5xx without a failure envelope: the server or a proxy in front of
    it failed. Usually temporary for a read; for a write the outcome is
    unknown (the client says so, see `mark_outcome_unknown`). `proxy_page`:
    the answer was a web page, as a proxy in front of the API sends."""

    def __init__(self, status_code: int = 500, message: str | None = None, *,
                 proxy_page: bool = False, operation: str | None = None) -> None:
        self.proxy_page = proxy_page
        if message is None:
            message = (f"The server failed (HTTP {status_code}). "
                       "This is usually temporary; try again in a moment.")
            if proxy_page:
                message += " The answer was a web page, likely from a proxy in front of the API."
        super().__init__(status_code, message, title=f"Server error (HTTP {status_code})",
                         operation=operation)


class UnexpectedPayload(CtError):
    """The answer could not be understood: not JSON, cut off, or not the shape
    the operation returns. `body_excerpt` is a short, sanitised start of the
    body (secret values masked) to help tell what came back."""

    def __init__(self, reason: str, body_excerpt: str = "", *, operation: str | None = None) -> None:
        self.reason = reason
        self.body_excerpt = body_excerpt
        message = reason if not body_excerpt else f"{reason}. The answer starts: {body_excerpt}"
        super().__init__("Unexpected response", message, operation=operation)


class AnswerTooLarge(UnexpectedPayload):
    """The answer is bigger than the client's cap (`max_answer_bytes`): it was
    not read further, not parsed and not cached."""

    def __init__(self, limit: int, *, operation: str | None = None, declared: int | None = None) -> None:
        self.limit = limit
        size = (f"{declared / 1_000_000:.1f} MB" if declared is not None
                else f"more than {limit / 1_000_000:g} MB")
        what = operation or "the request"
        super().__init__(
            f"The answer to {what} is {size}, above the limit of {limit / 1_000_000:g} MB "
            "(max_answer_mb in the config); it was not read further, not shown and not cached",
            operation=operation)
        self.title = "Answer too large"


class TransportError(CtError):
    """The request got no HTTP answer at all."""

    exit_code = 3


class ConnectFailed(TransportError):
    """The connection was refused, could not be made, or dropped mid-answer."""

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__("Connection failed", message, operation=operation)


class TimedOut(TransportError):
    """No complete answer within the call's deadline (every try included)."""

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__("Timed out", message, operation=operation)


def mark_outcome_unknown(err: CtError, cause: str) -> CtError:
    """`err`, raised by a write that reached the API (or may have), made to
    say so: `cause` is what happened on the wire in plain words ("The server
    failed (HTTP 502) after the write was sent."), the message is `cause`
    followed by `OUTCOME_UNKNOWN`, and the exit code is 1."""
    err.outcome_unknown = True
    err.cause = cause
    err.message = f"{cause} {OUTCOME_UNKNOWN}"
    err.args = (err.title, err.message)
    err.exit_code = 1
    return err
