"""Polite HTTP: one request per host slot, retries with backoff, and errors a person can act on.

Shared by the arXiv API client and the PDF downloader so both honour the same limiter and the same
retry rules: 429, 5xx, timeouts and connection errors are retried with exponential backoff and
jitter (a `Retry-After` header wins when present), within a number of tries and a time budget;
after that a `FetchError` says what happened ("429 on 4 tries over 95 s"), never a hang.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)

from tools.errors import AutoresearchError
from tools.ratelimit import HostLimiter

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(AutoresearchError):
    """A request failed for good; the message is one line a user can act on."""


class TransientStatus(AutoresearchError):
    """A retryable HTTP status (429/5xx), carrying the server's `Retry-After` if any."""

    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request."""

    max_tries: int = 4
    backoff_base_s: float = 5.0
    backoff_max_s: float = 60.0
    budget_s: float = 180.0


def parse_retry_after(value: str | None) -> float | None:
    """Read a `Retry-After` header given as seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def raise_for_transient(response: httpx.Response) -> httpx.Response:
    """Turn a 429/5xx answer into `TransientStatus` so the retry loop sees it."""
    if response.status_code in RETRY_STATUSES:
        raise TransientStatus(response.status_code, parse_retry_after(response.headers.get("retry-after")))
    return response


def _wait(policy: RetryPolicy) -> Callable[[RetryCallState], float]:
    """Exponential backoff with jitter, unless the server said how long to wait.

    A `Retry-After` is honoured as given (not capped by the backoff ceiling); when it would
    overrun the budget, `stop_before_delay` gives up instead of waiting.
    """
    backoff = wait_exponential_jitter(multiplier=policy.backoff_base_s, max=policy.backoff_max_s,
                                      jitter=policy.backoff_base_s / 2)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, TransientStatus) and error.retry_after is not None:
            return min(error.retry_after, policy.budget_s)
        return backoff(state)

    return wait


def _describe(error: BaseException | None) -> str:
    if isinstance(error, TransientStatus):
        return str(error.status)
    if isinstance(error, httpx.TimeoutException):
        return "timeouts"
    return "connection errors"


def polite_call(
    limiter: HostLimiter,
    url: str,
    request: Callable[[], T],
    policy: RetryPolicy,
    service: str = "the server",
) -> T:
    """Run `request` inside the host's slot, retrying transient failures under `policy`.

    `request` must raise `TransientStatus` (see `raise_for_transient`) or an httpx transport
    error for anything worth retrying; other exceptions pass straight through.
    """
    started = time.monotonic()
    retrying = Retrying(
        stop=stop_after_attempt(policy.max_tries) | stop_before_delay(policy.budget_s),
        wait=_wait(policy),
        retry=retry_if_exception_type((TransientStatus, httpx.TimeoutException, httpx.TransportError)),
        before_sleep=lambda s: log.warning(
            "%s answered %s; retrying in %.0f s", service, _describe(s.outcome and s.outcome.exception()),
            s.upcoming_sleep),
        reraise=True,
    )
    tries = 0
    try:
        for attempt in retrying:
            with attempt:
                tries += 1
                with limiter.slot(url):
                    return request()
    except (TransientStatus, httpx.TimeoutException, httpx.TransportError) as error:
        elapsed = time.monotonic() - started
        what = _describe(error)
        if isinstance(error, TransientStatus) and error.status == 429:
            lead = f"{service} is rate-limiting us"
        else:
            lead = f"{service} is unavailable"
        raise FetchError(f"{lead}: {what} on {tries} tries over {elapsed:.0f} s ({url})") from error
    raise AssertionError("unreachable: tenacity either returns or raises")
