"""What a review run's nodes may use besides the state: services, content stages, run controls.

LangGraph hands this to every node as `runtime.context`. It is rebuilt by each process that runs
or resumes a run (it is never checkpointed), so it may hold open clients and loaded models.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from agent.settings import Settings
from memory.embedding_cache import CachingEmbedder

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.review.stages import Stages
    from memory.embeddings import Embedder
    from memory.library import Library
    from tools.figures.base import FigureReader
    from tools.search.arxiv import ArxivClient
    from tools.sources.openalex import OpenAlexClient


class ReviewError(RuntimeError):
    """The run cannot go on; the message says why and what to do."""


class RunCancelled(RuntimeError):
    """A person cancelled the run; it stops at the next stage or progress boundary."""


class ReviewServices:
    """The long-lived objects a review uses, built from settings on first use.

    Pass ready-made ones to share them (the TUI keeps one embedder for every run) or to use a
    test double; anything not passed is built by `agent.services` when a stage first needs it.
    """

    def __init__(self, settings: Settings, *, arxiv: ArxivClient | None = None,
                 embedder: Embedder | None = None, library: Library | None = None,
                 figure_reader: FigureReader | None = None) -> None:
        self.settings = settings
        self._arxiv, self._embedder, self._library = arxiv, embedder, library
        self._figure_reader = figure_reader
        self._downloader: Any = None
        self._openalex: Any = None

    @property
    def arxiv(self) -> ArxivClient:
        """The polite, cached arXiv client."""
        if self._arxiv is None:
            from agent import services
            self._arxiv = services.arxiv_client(self.settings)
        return self._arxiv

    @property
    def openalex(self) -> OpenAlexClient | None:
        """The OpenAlex client, or None when `openalex.enabled` is off."""
        if self._openalex is None and self.settings.openalex.enabled:
            from agent import services
            self._openalex = services.openalex_client(self.settings)
        return self._openalex

    @property
    def embedder(self) -> Embedder:
        """The embedding model (the library's), behind the on-disk embedding cache."""
        if self._embedder is None:
            self._embedder = self._library.embedder if self._library else _build_embedder(self.settings)
        if not isinstance(self._embedder, CachingEmbedder) and self._library is None:
            path = self.settings.path("cache", f"embeddings-{_safe(self._embedder.name)}.sqlite")
            self._embedder = CachingEmbedder(self._embedder, path)
        return self._embedder

    @property
    def library(self) -> Library:
        """The paper library over Chroma."""
        if self._library is None:
            from agent import services
            self._library = services.library(self.settings, self.embedder)
        return self._library

    @property
    def downloader(self) -> Any:
        """The PDF downloader (content-addressed cache, the arXiv politeness limiter)."""
        if self._downloader is None:
            from agent import services
            self._downloader = services.downloader(self.settings)
        return self._downloader

    @property
    def figure_reader(self) -> FigureReader:
        """The figure reader `figures.reader` asks for (built on first use; raises
        `tools.figures.FigureModelMissing` when a GPU reader is demanded and has no model)."""
        if self._figure_reader is None:
            from agent import services
            self._figure_reader = services.figure_reader(self.settings)
        return self._figure_reader


def _build_embedder(settings: Settings) -> Embedder:
    from agent import services
    return services.embedder(settings)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)


def _no_model(role: str) -> None:
    return None


@dataclass
class ReviewContext:
    """Everything a node gets beside the state (`runtime.context`)."""

    run_id: str
    settings: Settings
    services: ReviewServices
    stages: Stages
    is_cancelled: Callable[[], bool] = field(default=lambda: False)
    """Whether someone asked (from any process) to cancel this run."""
    chat_model: Callable[[str], BaseChatModel | None] = field(default=_no_model)
    """The chat model for a role (`planner`, `writer`), or None: the extractive path."""
    usage: Callable[[], dict[str, Any]] = field(default=dict)
    """Tokens and cost spent by chat models so far (empty without an LLM)."""

    def check_cancelled(self) -> None:
        """Stop the run here if it was cancelled."""
        if self.is_cancelled():
            raise RunCancelled(f"run {self.run_id} was cancelled")
