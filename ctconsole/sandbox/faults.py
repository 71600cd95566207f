"""Injected failures: what networks, proxies and a struggling API do to a client.

Tests arm a fault with `app.faults.add(kind, operation=None, times=1, **opts)`;
the next matching requests misbehave, then the sandbox is healthy again. Over
real HTTP the same fields go to `POST /_sandbox/faults`.

Kinds and their options:

* `latency`      - `seconds` (default 1.0) of delay, then the normal answer
* `status`       - HTTP `status` (default 500), `body` "json" (default) or "html"
* `rate_limit`   - HTTP 429, optional `retry_after` seconds (Retry-After header)
* `html`         - an HTML error page as a proxy sends it (`status`, default 502)
* `malformed_json` - HTTP 200 whose body is not JSON
* `truncated`    - the real answer cut in the middle of its JSON
* `drop`         - the connection closes without any response
* `wrong_shape`  - a success envelope whose payload has the wrong type
                   (`field`, `value`; default: the main list/object becomes "oops")
* `api_error`    - a failure envelope with `code` (300) and `message`
                   (`shape` "A", "B" or "C"; default C for pushes, else B)

`operation` is an operation name (e.g. "campaign.sessions") or None for any;
`times=None` keeps the fault until `clear()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("latency", "status", "rate_limit", "html", "malformed_json", "truncated", "drop",
         "wrong_shape", "api_error")

HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass
class Fault:
    kind: str
    operation: str | None = None
    times: int | None = 1
    opts: dict = field(default_factory=dict)
    fired: int = 0

    def matches(self, operation: str | None) -> bool:
        return self.operation is None or self.operation == operation

    @property
    def spent(self) -> bool:
        return self.times is not None and self.fired >= self.times


class Faults:
    """The armed faults, consumed in the order they were added."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def add(self, kind: str, operation: str | None = None, times: int | None = 1,
            **opts) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for every request)")
        fault = Fault(kind, operation, times, dict(opts))
        self.pending.append(fault)
        return fault

    def clear(self) -> None:
        self.pending.clear()

    def take(self, operation: str | None) -> list[Fault]:
        """The faults that fire for this request: every matching latency fault
        plus the first matching fault of another kind."""
        fired: list[Fault] = []
        other = False
        for fault in list(self.pending):
            if not fault.matches(operation) or (other and fault.kind != "latency"):
                continue
            other = other or fault.kind != "latency"
            fault.fired += 1
            fired.append(fault)
            if fault.spent:
                self.pending.remove(fault)
        return fired

    def __len__(self) -> int:
        return len(self.pending)


def reason(status: int) -> str:
    return _REASONS.get(status, "Error")


def wrong_shape(body: dict, opts: dict) -> dict:
    """`body` with one payload field replaced by a value of the wrong type."""
    body = dict(body)
    key = opts.get("field")
    if key is None:  # the main payload: the first list/object, else any field
        fields = [k for k in body if k != "status"]
        key = next((k for k in fields if isinstance(body[k], (list, dict))),
                   fields[0] if fields else "status")
    body[key] = opts.get("value", "oops")
    return body
