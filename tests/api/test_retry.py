"""RetryPolicy: which errors are retried, and how long it waits."""

from __future__ import annotations

import pytest

from ctconsole.api import errors as E
from ctconsole.api.retry import RetryPolicy


def fixed(value: float) -> RetryPolicy:
    return RetryPolicy(random=lambda: value)


@pytest.mark.parametrize("error", [
    E.ConnectFailed("x"), E.TimedOut("x"), E.ServerError(502), E.ServerError(503), E.RateLimited(None)])
def test_retryable(error):
    assert RetryPolicy.is_retryable(error)
    assert RetryPolicy(jitter=False)(0, error) == 0.5


@pytest.mark.parametrize("error", [
    E.ApiError([505], ["Couponsession not found."]), E.HttpStatusError(404), E.HttpStatusError(400),
    E.UnexpectedPayload("odd"), E.InvalidParams(["x: bad"]), E.OfflineError()])
def test_not_retryable(error):
    assert not RetryPolicy.is_retryable(error)
    assert RetryPolicy()(0, error) is None


def test_exponential_backoff_is_capped():
    policy = RetryPolicy(max_retries=10, base_delay=0.5, max_delay=8.0, jitter=False)
    assert [policy(n, E.TimedOut("x")) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_jitter_stays_between_half_and_all_of_the_delay():
    err = E.ConnectFailed("x")
    assert RetryPolicy(random=lambda: 0.0)(1, err) == 0.5
    assert RetryPolicy(random=lambda: 1.0)(1, err) == 1.0
    assert RetryPolicy(random=lambda: 0.5)(1, err) == 0.75


def test_gives_up_after_max_retries():
    policy = RetryPolicy(max_retries=2, jitter=False)
    err = E.ServerError(500)
    assert policy(0, err) is not None
    assert policy(1, err) is not None
    assert policy(2, err) is None
    assert RetryPolicy.never()(0, err) is None


def test_retry_after_is_honoured_exactly():
    assert fixed(0.3)(0, E.RateLimited(12.0)) == 12.0


def test_retry_after_longer_than_the_cap_goes_to_the_person():
    assert RetryPolicy(max_retry_after=120)(0, E.RateLimited(600.0)) is None


async def test_wait_uses_the_injected_sleep():
    slept = []

    async def sleep(seconds):
        slept.append(seconds)

    await RetryPolicy(sleep=sleep).wait(3.0)
    assert slept == [3.0]
