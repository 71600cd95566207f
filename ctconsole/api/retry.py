"""When and how long to wait before trying a read again.

Only reads are ever retried (the client never hands a write to the policy): a
write that got no answer may have been applied, and sending it again could
create a second coupon or push a second notification.

Retryable: `ConnectFailed`, `TimedOut`, `ServerError` (5xx) and `RateLimited`
(429). Everything else (`ApiError`, other HTTP statuses, `UnexpectedPayload`,
`InvalidParams`) is an answer that will not change by asking again.

Waits grow exponentially (`base_delay * 2**attempt`, capped at `max_delay`)
with "equal jitter" (between half and all of that), so several consoles that
failed together do not retry together. A 429 with Retry-After waits exactly
what the server asked, unless that is longer than `max_retry_after`: then the
error goes straight to the person, who can decide to wait. The sleep function is
injectable, so tests run without waiting.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from typing import Awaitable, Callable

from .errors import ConnectFailed, CtError, RateLimited, ServerError, TimedOut

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """A decision object: `policy(attempt, error)` is the delay before the next
    attempt, or None to give up. `attempt` counts retries already made (0 after
    the first failure)."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 120.0
    jitter: bool = True
    sleep: Sleep = field(default=asyncio.sleep, repr=False, compare=False)
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    @classmethod
    def never(cls) -> "RetryPolicy":
        """A policy that never retries."""
        return cls(max_retries=0)

    @staticmethod
    def is_retryable(error: BaseException) -> bool:
        return isinstance(error, (ConnectFailed, TimedOut, ServerError, RateLimited))

    def backoff(self, attempt: int) -> float:
        """The wait before retry number `attempt + 1`, jitter included."""
        delay = min(self.max_delay, self.base_delay * (2 ** max(attempt, 0)))
        if self.jitter:
            delay = delay / 2 + self.random() * delay / 2
        return delay

    def delay(self, attempt: int, error: BaseException) -> float | None:
        """Seconds to wait before trying again, or None to give up now."""
        if attempt >= self.max_retries or not self.is_retryable(error):
            return None
        if isinstance(error, RateLimited) and error.retry_after is not None:
            if error.retry_after > self.max_retry_after:
                return None
            return error.retry_after
        return self.backoff(attempt)

    __call__ = delay

    async def wait(self, seconds: float) -> None:
        await self.sleep(seconds)


def is_retryable(error: CtError) -> bool:
    """Module-level shorthand of `RetryPolicy.is_retryable`."""
    return RetryPolicy.is_retryable(error)
