"""What the bot's listeners share: settings, the worker pools, one review session, the library.

The bot is the same assistant as the CLI and the TUI: reviews go through `agent.runs.session
.ReviewSession` on the configured data dir (so a run started or approved in Slack is the run
`autoresearch runs show` prints), questions through `agent.ask.extractive`, digests through `agent.digest.build`.
The session (with its checkpointer, embedder and library) is built once, on first use, and shared
by every worker thread; the run registry's per-run locks keep two threads off one run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from agent import services
from agent.runs.session import ReviewSession
from agent.settings import Settings
from slackbot.worker import Workers

if TYPE_CHECKING:
    from agent.runs.session import ReviewSession
    from memory.library import Library


class Bot:
    """The objects every listener uses, built once per bot process."""

    def __init__(self, settings: Settings, workers: Workers | None = None,
                 session: ReviewSession | None = None) -> None:
        self.settings = settings
        self.workers = workers or Workers(jobs=settings.slack.workers)
        self._session = session
        self._lock = threading.RLock()
        self._ready = False
        self._claims: set[str] = set()
        self._chat_model: Any = None
        self._chat_model_built = False

    @property
    def session(self) -> ReviewSession:
        """The review session on the data dir (its graph compiled on first use, under a lock)."""
        with self._lock:
            if self._session is None:
                self._session = ReviewSession(self.settings)
            if not self._ready:  # compile the graph and open the library once, not in two threads at once
                self._session.graph  # noqa: B018
                self._session.services.library  # noqa: B018
                self._ready = True
            return self._session

    def library(self) -> Library:
        """The paper library the reviews write to and questions are answered from."""
        return self.session.services.library

    def chat_model(self) -> Any:
        """The `chat` role's model (`llm.chat`), or None: answers are then extractive."""
        with self._lock:
            if not self._chat_model_built:
                self._chat_model = services.chat_model(self.settings, "chat")
                self._chat_model_built = True
            return self._chat_model

    def is_approver(self, user_id: str) -> bool:
        """Whether this Slack user may answer gates (`slack.approvers`)."""
        return bool(user_id) and user_id in self.settings.slack.approvers

    @contextmanager
    def claim(self, run_id: str) -> Iterator[bool]:
        """Hold a run while one gate answer is checked and driven; False if another holds it.

        Without it, two people clicking Approve at once could both see the papers gate, and the
        second click would then approve the outline gate the first click led to.
        """
        with self._lock:
            free = run_id not in self._claims
            self._claims.add(run_id)
        try:
            yield free
        finally:
            if free:
                with self._lock:
                    self._claims.discard(run_id)

    def close(self) -> None:
        """Stop the pools and close the session's checkpointer."""
        self.workers.shutdown()
        with self._lock:
            if self._session is not None:
                self._session.close()
