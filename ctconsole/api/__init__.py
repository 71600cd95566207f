"""The Coupontools API client library: the public surface.

```python
from ctconsole.api import Client, Credentials, CATALOGUE
async with Client(Credentials(client_id, client_secret)) as client:
    result = await client.call("campaign.info", campaign="cam_1001")
```

Importing this package is cheap and never imports textual: the client loads
on first use of `Client`, `Credentials`, `Result` or `RetryPolicy`, httpx
with its first request, and the pydantic models on the first parsed answer. The sandbox
imports `ctconsole.api.catalogue` through this package and so stays free of both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctconsole import lazy

from .catalogue import CATALOGUE, Catalogue, Operation, Param
from .errors import (
    AnswerTooLarge,
    ApiError,
    ConnectFailed,
    CtError,
    HttpStatusError,
    InvalidParams,
    OfflineError,
    RateLimited,
    ServerError,
    TimedOut,
    TransportError,
    UnexpectedPayload,
)

if TYPE_CHECKING:
    from .client import Client, Credentials, Result
    from .retry import RetryPolicy

__all__ = [
    "CATALOGUE",
    "Catalogue",
    "Operation",
    "Param",
    "Client",
    "Credentials",
    "Result",
    "RetryPolicy",
    "CtError",
    "InvalidParams",
    "OfflineError",
    "ApiError",
    "HttpStatusError",
    "RateLimited",
    "ServerError",
    "UnexpectedPayload",
    "AnswerTooLarge",
    "TransportError",
    "ConnectFailed",
    "TimedOut",
]

__getattr__, __dir__ = lazy.attributes(__name__, {
    "Client": ".client", "Credentials": ".client", "Result": ".client", "RetryPolicy": ".retry",
})
