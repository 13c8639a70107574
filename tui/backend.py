"""The core, as the TUI uses it: one object built from settings, every method blocking.

The app calls these from thread workers, never from the event loop, so the screen keeps drawing
while arXiv answers or a paper is parsed. Each method is one use case of `agent.usecases` (the
same code the CLI and the Slack bot run); the services (arXiv client, embedder, library) are built
once, on first use, and shared by the chat commands and the review runs (one embedder in memory).
Nothing here imports Textual. `TuiBackend` is the interface the screens rely on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from agent import services as factories
from agent.ask.extractive import Answer
from agent.digest.build import Digest
from agent.ingest.pipeline import IngestResult
from agent.llm.factory import configured_model
from agent.review.approval import Decision
from agent.review.state import ReviewRequest
from agent.runs.events import BaseEvent
from agent.runs.registry import RunInfo
from agent.runs.session import ReviewSession
from agent.services import Services
from agent.settings import Settings
from agent.summary.extract import PaperSummary
from agent.usecases import ask, digest, ingest, library, review, summarize
from agent.usecases import search as searching
from memory.records import LibraryPaper
from tools.errors import AutoresearchError
from tools.paper import Paper
from tools.search.topic import SearchRequest

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

ProgressFn = Callable[[int, int, str], None]
"""`progress(done, total, message)`, called from the worker thread."""


class BackendError(AutoresearchError, RuntimeError):
    """Something the person asked for cannot be done; the message says why and what to do."""


class Hits(Protocol):
    """What `/search` shows: the papers found, and how many arXiv requests it took."""

    @property
    def results(self) -> list[Paper]: ...

    @property
    def requests(self) -> int: ...


class TuiBackend(Protocol):
    """What the TUI's screens call: the real `Backend`, or a test's fixed one."""

    def chat_model_name(self) -> str: ...
    def agent_model(self) -> BaseChatModel | None: ...
    def close(self) -> None: ...
    def warm(self) -> dict[str, int]: ...
    def stats(self) -> dict[str, int]: ...
    def papers(self) -> list[LibraryPaper]: ...
    def paper(self, arxiv_id: str) -> LibraryPaper | None: ...
    def remove(self, arxiv_id: str) -> bool: ...
    def search(self, topic: str, max_results: int) -> Hits: ...
    def ingest(self, items: list[str], progress: ProgressFn | None = None) -> list[IngestResult]: ...
    def ask(self, question: str, k: int = 8) -> Answer: ...
    def summarize(self, arxiv_id: str) -> PaperSummary: ...
    def digest(self, keyword: str = "") -> Digest: ...
    def runs(self, limit: int = 50) -> list[RunInfo]: ...
    def show(self, run_id: str) -> RunInfo: ...
    def cancel(self, run_id: str) -> RunInfo: ...
    def start_review(self, request: ReviewRequest, run_id: str | None = None) -> Iterator[BaseEvent]: ...
    def resume(self, run_id: str, decision: Decision | None = None) -> Iterator[BaseEvent]: ...


class Backend:
    """Search, ingest, ask, summarize, digest, the library, and review runs, over one data dir."""

    def __init__(self, settings: Settings, *, services: Services | None = None,
                 session: ReviewSession | None = None, chat_models: Callable[..., Any] | None = None) -> None:
        self.settings = settings
        self.services = services or Services(settings)
        self._session = session
        self.chat_models = chat_models or _chat_model
        """`chat_models(settings, role, allow_tools=False)`: `agent.services.chat_model` (tests pass fakes)."""
        self._lock = threading.RLock()

    @property
    def session(self) -> ReviewSession:
        """The review session (runs, gates), sharing this backend's services."""
        with self._lock:
            if self._session is None:
                self._session = ReviewSession(self.settings, services=self.services)
            return self._session

    def close(self) -> None:
        """Close the checkpointer's connection."""
        if self._session is not None:
            self._session.close()

    def warm(self) -> dict[str, int]:
        """Open the library (and the embedder) ahead of the first question; its counts."""
        return self.stats()

    # -- the library -------------------------------------------------------------------------

    def papers(self) -> list[LibraryPaper]:
        """Every stored paper, without parsed text."""
        return library.papers(self.services)

    def paper(self, arxiv_id: str) -> LibraryPaper | None:
        """One stored paper with its parsed text, or None."""
        return self.services.library.get(arxiv_id)

    def remove(self, arxiv_id: str) -> bool:
        """Remove a paper and everything stored for it."""
        return self.services.library.remove(arxiv_id)

    def stats(self) -> dict[str, int]:
        """Papers, chunks and figures stored."""
        return self.services.library.stats()

    # -- chat commands -----------------------------------------------------------------------

    def search(self, topic: str, max_results: int) -> Hits:
        """Search arXiv for a topic, reranked by meaning."""
        return searching.search(self.services, SearchRequest(topic=topic, max_results=max_results))

    def ingest(self, items: list[str], progress: ProgressFn | None = None,
               password: str | None = None) -> list[IngestResult]:
        """Resolve and ingest items one by one (a result each, in order)."""
        return ingest.ingest(self.services, items, password=password, progress=progress).results

    def ask(self, question: str, k: int = 8) -> Answer:
        """Answer from the library; written by `llm.chat` when set."""
        return ask.ask(self.services, question, k=k, models=self._model)

    def summarize(self, arxiv_id: str) -> PaperSummary:
        """A stored paper's structured summary; extractive without `llm.summarizer`."""
        parsed = summarize.load_paper(self.services, arxiv_id)
        return summarize.summarize(self.settings, parsed, models=self._model)

    def digest(self, keyword: str = "") -> Digest:
        """Today's digest for the watched keywords (or one keyword); marks what it showed as seen."""
        keywords = [keyword] if keyword else []
        return digest.digest(self.settings, keywords, hint=f"{digest.WATCH_ONE}, or give one: /digest KEYWORD")

    def chat_model_name(self) -> str:
        """`llm.chat`, or empty when free text goes to `ask`."""
        return configured_model(self.settings, "chat")

    def agent_model(self) -> BaseChatModel | None:
        """The chat model with tools allowed (the assistant's), or None without `llm.chat`."""
        return self.chat_models(self.settings, "chat", allow_tools=True) if self.chat_model_name() else None

    def _model(self, role: str) -> BaseChatModel | None:
        """A role's model through `chat_models`, only when the role has one configured."""
        return self.chat_models(self.settings, role) if configured_model(self.settings, role) else None

    # -- review runs -------------------------------------------------------------------------

    def runs(self, limit: int = 50) -> list[RunInfo]:
        """The latest runs on this data dir, newest first."""
        return review.runs(self.session, limit)

    def show(self, run_id: str) -> RunInfo:
        """One run with its pending gate request and stage timings."""
        return review.show(self.session, run_id)

    def cancel(self, run_id: str) -> RunInfo:
        """Cancel a run (a live one stops at its next step)."""
        return review.cancel(self.session, run_id)

    def start_review(self, request: ReviewRequest, run_id: str | None = None) -> Iterator[BaseEvent]:
        """Start a review; its events (iterate in a worker)."""
        return review.start(self.session, request, run_id)

    def resume(self, run_id: str, decision: Decision | None = None) -> Iterator[BaseEvent]:
        """Answer a gate (or pick up a stopped run); its events."""
        if decision is None:
            return review.resume(self.session, run_id)
        return review.answer(self.session, run_id, decision, by=decision.by or "tui")


def _chat_model(settings: Settings, role: str, allow_tools: bool = False) -> BaseChatModel | None:
    """`agent.services.chat_model`, looked up when called (tests replace it)."""
    return factories.chat_model(settings, role, allow_tools=allow_tools)
