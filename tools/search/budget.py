"""A hard cap on the API requests (arXiv's, OpenAlex's) one search may send, retries included.

Every request costs at least 3 s against real arXiv, and a 429 answered with a retry is a second
request all the same. Counting `ArxivClient.requests_made` between queries would miss retries and
could overshoot by one query's worth; this counts at the HTTP layer instead (an httpx request hook
on the client's connection) and refuses the request past the limit before it is sent. The search
then stops with what it has.
"""

from __future__ import annotations

import threading
from typing import Protocol

import httpx

from tools.errors import AutoresearchError


class _Client(Protocol):
    """A client whose API requests go through `http` to `settings.api_url` (arXiv's, OpenAlex's)."""

    http: httpx.Client

    @property
    def settings(self) -> object: ...


class BudgetSpent(AutoresearchError, RuntimeError):
    """The search's request budget is used up; no request was sent."""


class RequestBudget:
    """Count the API requests a client sends while active; refuse any beyond `limit`.

    Use as a context manager around the search. Cache hits send nothing and cost nothing.
    """

    def __init__(self, client: _Client, limit: int, service: str = "arXiv") -> None:
        if limit < 0:
            raise ValueError(f"a request budget cannot be negative (got {limit})")
        self.client = client
        self.limit = limit
        self.service = service
        self.sent = 0
        self._prefix = str(getattr(client.settings, "api_url", "")).split("?")[0].rstrip("/")
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int:
        """Requests still allowed."""
        return max(0, self.limit - self.sent)

    def __enter__(self) -> RequestBudget:
        self.client.http.event_hooks["request"].append(self._on_request)
        return self

    def __exit__(self, *exc: object) -> None:
        hooks = self.client.http.event_hooks["request"]
        if self._on_request in hooks:
            hooks.remove(self._on_request)

    def _on_request(self, request: httpx.Request) -> None:
        """Count an API request, or refuse it when the budget is spent."""
        if not str(request.url).startswith(self._prefix):
            return
        with self._lock:
            if self.sent >= self.limit:
                raise BudgetSpent(f"the search's budget of {self.limit} {self.service} requests is spent")
            self.sent += 1
