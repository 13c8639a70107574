"""Build the long-lived objects (clients, stores, models) from settings.

Entry points (the CLI, the TUI, the Slack bot, tests) call these and pass the results down; there
are no module-level singletons. `Services` holds one of each, built on first use, for everything a
front end does over one data dir (the use cases in `agent.usecases` and the review runs). Heavy
dependencies are imported only inside the factories that need them.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from agent.settings import Settings

if TYPE_CHECKING:  # each service's module is imported when it is first built (see HEAVY in tests/test_layers.py)
    from agent.digest.post import SlackPoster
    from agent.digest.seen import SeenState
    from agent.digest.watch import WatchList
    from agent.llm.translation import Translator
    from agent.llm.usage import UsageRecorder
    from agent.runs.registry import RunRegistry
    from memory.embeddings import Embedder
    from memory.library import Library
    from tools.download import Downloader
    from tools.figures.base import FigureReader
    from tools.ratelimit import HostLimiter
    from tools.search.arxiv import ArxivClient
    from tools.sources.openalex import OpenAlexClient

T = TypeVar("T")


class Services:
    """The long-lived objects of one data dir, each built from settings on first use.

    Pass ready-made ones to share them (the TUI keeps one embedder for every run) or to use a
    test double; anything not passed is built by the factories below when first needed, once,
    even when two threads (the TUI's workers, the bot's jobs) ask for it at the same moment.
    `cache_embeddings=False` embeds without the on-disk cache.
    """

    def __init__(self, settings: Settings, *, arxiv: ArxivClient | None = None,
                 embedder: Embedder | None = None, library: Library | None = None,
                 figure_reader: FigureReader | None = None, cache_embeddings: bool = True) -> None:
        self.settings = settings
        self.cache_embeddings = cache_embeddings
        self._built: dict[str, Any] = {name: value for name, value in (
            ("arxiv", arxiv), ("library", library), ("figure_reader", figure_reader)) if value is not None}
        self._given_embedder = embedder
        self._lock = threading.RLock()

    def _once(self, name: str, build: Callable[[], T]) -> T:
        """The service `name`, built by `build` the first time it is asked for."""
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return self._built[name]

    def opened(self, name: str) -> bool:
        """Whether the service `name` (`library`, `embedder`, …) was given or is built already."""
        with self._lock:
            return name in self._built

    @property
    def limiter(self) -> HostLimiter:
        """The per-host politeness limiter the arXiv client and the downloader share."""
        return self._once("limiter", lambda: limiter(self.settings))

    @property
    def arxiv(self) -> ArxivClient:
        """The polite, cached arXiv client."""
        return self._once("arxiv", lambda: arxiv_client(self.settings, self.limiter))

    @property
    def openalex(self) -> OpenAlexClient | None:
        """The OpenAlex client, or None when `openalex.enabled` is off."""
        return self._once("openalex", lambda: openalex_client(self.settings))

    @property
    def embedder(self) -> Embedder:
        """The embedding model (the library's), behind the on-disk embedding cache."""
        return self._once("embedder", self._embedder)

    def _embedder(self) -> Embedder:
        from memory.embedding_cache import CachingEmbedder

        if "library" in self._built and self._given_embedder is None:
            return self._built["library"].embedder
        model = self._given_embedder or embedder(self.settings)
        if not self.cache_embeddings or "library" in self._built or isinstance(model, CachingEmbedder):
            return model
        name = re.sub(r"[^A-Za-z0-9._-]", "_", model.name)
        return CachingEmbedder(model, self.settings.path("cache", f"embeddings-{name}.sqlite"))

    @property
    def library(self) -> Library:
        """The paper library over Chroma."""
        return self._once("library", lambda: library(self.settings, self.embedder))

    @property
    def downloader(self) -> Downloader:
        """The PDF downloader (content-addressed cache, the arXiv politeness limiter)."""
        return self._once("downloader", lambda: downloader(self.settings, self.limiter))

    @property
    def figure_reader(self) -> FigureReader:
        """The figure reader `figures.reader` asks for (built on first use; raises
        `tools.figures.FigureModelMissing` when a GPU reader is demanded and has no model)."""
        return self._once("figure_reader", lambda: figure_reader(self.settings))


def limiter(settings: Settings) -> HostLimiter:
    """The per-host politeness limiter shared by everything that uses this data dir."""
    from tools.ratelimit import HostLimiter

    return HostLimiter(settings.data_dir / "locks", settings.arxiv.min_interval_s)


def arxiv_client(settings: Settings, host_limiter: HostLimiter | None = None) -> ArxivClient:
    """An arXiv API client with the on-disk query cache."""
    from tools.search.arxiv import ArxivClient

    return ArxivClient(settings.arxiv, settings.data_dir / "cache" / "arxiv",
                       host_limiter or limiter(settings))


def openalex_client(settings: Settings) -> OpenAlexClient | None:
    """The OpenAlex client (its own limiter: 10 requests a second across processes), or None when
    `openalex.enabled` is off."""
    if not settings.openalex.enabled:
        return None
    from tools.ratelimit import HostLimiter
    from tools.sources.openalex import OpenAlexClient

    limiter = HostLimiter(settings.data_dir / "locks", settings.openalex.min_interval_s)
    return OpenAlexClient(settings.openalex, settings.data_dir / "cache" / "openalex", limiter,
                          user_agent=settings.arxiv.user_agent)


def downloader(settings: Settings, host_limiter: HostLimiter | None = None) -> Downloader:
    """The PDF downloader: the same per-host limiter as the API client, a content-addressed cache."""
    from tools.download import Downloader

    return Downloader(settings.arxiv, settings.pdf, settings.pdf_cache, host_limiter or limiter(settings))


def embedder(settings: Settings) -> Embedder:
    """The configured embedding model (loaded lazily on first use)."""
    from memory.embeddings import load_embedder

    return load_embedder(settings.memory)


def library(settings: Settings, embedding: Embedder | None = None) -> Library:
    """The paper library (Chroma + parsed papers on disk)."""
    from memory.library import Library

    return Library.open(settings.memory, settings.data_dir, embedding or embedder(settings))


def checkpointer(settings: Settings):
    """The LangGraph checkpointer that keeps paused and interrupted runs (`checkpoint.backend`).

    SQLite in the data dir by default: a run paused or killed in one process resumes from another
    on the same data dir. Postgres (`checkpoint.postgres_dsn`): from any machine using the same
    database. The serializer may only rebuild the state's own models (`agent.review.state.checkpoint_types`).
    """
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    from agent.review.state import checkpoint_types
    from agent.runs.postgres import postgres_checkpointer

    serde = JsonPlusSerializer(allowed_msgpack_modules=checkpoint_types())
    if settings.checkpoint.backend == "postgres":
        return postgres_checkpointer(settings.checkpoint, serde)
    from langgraph.checkpoint.sqlite import SqliteSaver

    connection = sqlite3.connect(settings.path("runs", "checkpoints.sqlite"), check_same_thread=False,
                                 timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    saver = SqliteSaver(connection, serde=serde)
    saver.setup()
    return saver


def run_registry(settings: Settings) -> RunRegistry:
    """The list of review runs every process can read and cancel: beside the checkpoints, in
    the data dir (SQLite) or the shared database (Postgres)."""
    if settings.checkpoint.backend == "postgres":
        from agent.runs.postgres import dsn_of
        from agent.runs.registry_postgres import PostgresRunRegistry

        return PostgresRunRegistry(dsn_of(settings.checkpoint), settings.checkpoint.pool_size)
    from agent.runs.registry import SqliteRunRegistry

    return SqliteRunRegistry(settings.path("runs", "runs.sqlite"), settings.data_dir / "runs" / "locks")


def chat_model(settings: Settings, role: str, usage=None, allow_tools: bool = False):
    """The chat model for a role (planner, writer, summarizer, chat, translator), or None.

    None means the role has no model configured and takes its extractive path. Pass a
    `usage_recorder(settings)` to account tokens and cost. `allow_tools` is for the `chat` role's
    assistant in the TUI only (see `agent.llm.guard`).
    """
    from agent.llm import factory

    return factory.chat_model(settings, role, usage=usage, allow_tools=allow_tools)


def usage_recorder(settings: Settings) -> UsageRecorder:
    """A token and cost recorder priced with `llm.prices` (its `snapshot()` goes into run.json)."""
    from agent.llm import factory

    return factory.usage_recorder(settings)


def figure_reader(settings: Settings, prefer: str | None = None) -> FigureReader:
    """The figure reader `figures.reader` (or `prefer`: auto, cpu, gpu) asks for; models load lazily."""
    from tools.figures import make_reader

    return make_reader(settings.figures, prefer)


def watchlist(settings: Settings) -> WatchList:
    """The keyword watchlist (the data dir's file plus `digest.keywords` from the config)."""
    from agent.digest.watch import WATCH_FILE, WatchList

    return WatchList(settings.data_dir / WATCH_FILE, settings.digest.keywords)


def digest_client(settings: Settings, host_limiter: HostLimiter | None = None) -> ArxivClient:
    """An arXiv client for digests: the shared limiter and cache, with the digest's shorter TTL."""
    from tools.search.arxiv import ArxivClient

    arxiv = settings.arxiv.model_copy(update={"cache_ttl_s": settings.digest.cache_ttl_s})
    return ArxivClient(arxiv, settings.data_dir / "cache" / "arxiv", host_limiter or limiter(settings))


def seen_state(settings: Settings) -> SeenState:
    """What earlier digests showed, per keyword."""
    from agent.digest.seen import STATE_FILE, SeenState

    return SeenState(settings.data_dir / STATE_FILE)


def digest_poster(settings: Settings) -> SlackPoster:
    """The Slack poster for digests (raises `PostError` without a bot token)."""
    from agent.digest.post import slack_poster

    return slack_poster(settings.slack)


def translator(settings: Settings, language: str) -> Translator:
    """A translator into `language` with the `llm.translator` model; a clear error for what is not
    a language code, and without a model."""
    from agent.llm.errors import LLMError
    from agent.llm.factory import configured_model
    from agent.llm.prompts import PromptError
    from agent.llm.translation import TranslationError, Translator, check_language

    language = check_language(language)
    name = settings.llm.translator
    if not configured_model(settings, "translator"):
        raise TranslationError("--translate needs a translator model: set llm.translator "
                               "(env AUTORESEARCH_LLM__TRANSLATOR), e.g. llamacpp:smollm2")
    try:
        model = chat_model(settings, "translator")
        if model is None:
            raise TranslationError(f"the translator model {name!r} could not be built")
        return Translator(model, language, settings.data_dir / "cache" / "translations",
                          model_name=name, prompt_overrides=settings.llm.prompts)
    except (LLMError, PromptError) as error:
        raise TranslationError(f"llm.translator = {name!r}: {error}") from error
