"""Polite HTTP: one request per host slot, retries with backoff, and errors a person can act on.

Shared by the arXiv API client and the PDF downloader so both honour the same limiter and the same
retry rules: 429, 5xx, timeouts and connection errors are retried with exponential backoff and
jitter (a `Retry-After` header wins when present), within a number of tries and a time budget;
after that a `FetchError` says what happened ("429 on 4 tries over 95 s"), never a hang. A
`Breaker` remembers such a failure per host for a while, so a command that needs many requests
to a host that is down spends one retry cycle in total, not one per request.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

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


class TransientAnswer(AutoresearchError):
    """An answer worth asking again for: a server that is briefly broken, not a refusal.

    `what` names it in the plural for the final message ("answers that are not an Atom feed").
    """

    def __init__(self, what: str, message: str = "") -> None:
        super().__init__(message or what)
        self.what = what


class TransientStatus(TransientAnswer):
    """A retryable HTTP status (429/5xx), carrying the server's `Retry-After` if any."""

    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(str(status), f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request."""

    max_tries: int = 4
    backoff_base_s: float = 5.0
    backoff_max_s: float = 60.0
    budget_s: float = 180.0


class HostDown(FetchError):
    """A host failed a whole retry cycle a moment ago; nothing was sent this time."""


class Breaker:
    """Remember, per host, a retry cycle that failed, and refuse requests to it for `hold_s` seconds.

    One per client and process: what one command learnt (arXiv is unreachable) saves its other
    requests from learning it again, while a later command (or this one, `hold_s` later) tries anew.
    """

    def __init__(self, hold_s: float) -> None:
        self.hold_s = hold_s
        self._down: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def check(self, url: str) -> None:
        """Raise `HostDown` when the host failed within `hold_s` seconds."""
        host = urlsplit(url).netloc
        with self._lock:
            since, why = self._down.get(host, (0.0, ""))
        if why and time.monotonic() - since < self.hold_s:
            raise HostDown(f"{why} — not asking again for {self.hold_s - (time.monotonic() - since):.0f} s")

    def trip(self, url: str, error: FetchError) -> None:
        """Mark the host as down, with the failure that says why."""
        with self._lock:
            self._down[urlsplit(url).netloc] = (time.monotonic(), str(error))


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
    if isinstance(error, TransientAnswer):
        return error.what
    if isinstance(error, httpx.TimeoutException):
        return "timeouts"
    return "connection errors"


RETRYABLE = (TransientAnswer, httpx.TimeoutException, httpx.TransportError)


def polite_call(
    limiter: HostLimiter,
    url: str,
    request: Callable[[], T],
    policy: RetryPolicy,
    service: str = "the server",
    breaker: Breaker | None = None,
) -> T:
    """Run `request` inside the host's slot, retrying transient failures under `policy`.

    `request` must raise `TransientAnswer` (a 429/5xx from `raise_for_transient`, a body that does
    not parse) or an httpx transport error for anything worth retrying; other exceptions pass
    straight through. With a `breaker`, a host that failed a whole cycle lately is not asked again
    (`HostDown`), and a new failure trips it.
    """
    if breaker is not None:
        breaker.check(url)
    started = time.monotonic()
    retrying = Retrying(
        stop=stop_after_attempt(policy.max_tries) | stop_before_delay(policy.budget_s),
        wait=_wait(policy),
        retry=retry_if_exception_type(RETRYABLE),
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
    except RETRYABLE as error:
        elapsed = time.monotonic() - started
        what = _describe(error)
        if isinstance(error, TransientStatus) and error.status == 429:
            lead = f"{service} is rate-limiting us"
        else:
            lead = f"{service} is unavailable"
        failure = FetchError(f"{lead}: {what} on {tries} tries over {elapsed:.0f} s ({url})")
        if breaker is not None:
            breaker.trip(url, failure)
        raise failure from error
    raise AssertionError("unreachable: tenacity either returns or raises")
