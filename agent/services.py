"""Build the long-lived objects (clients, stores, models) from settings.

Entry points (the CLI, the TUI, the Slack bot, tests) call these and pass the results down; there
are no module-level singletons. Heavy dependencies are imported only inside the factories that
need them.
"""

from __future__ import annotations

import re

from agent.settings import Settings
from memory.embedding_cache import CachingEmbedder
from memory.embeddings import Embedder, load_embedder
from tools.download import Downloader
from tools.ratelimit import HostLimiter
from tools.search.arxiv import ArxivClient

NO_MODEL = ("", "none", "off")
"""What `llm.<role>` holds when the role has no model (as `agent.llm.factory.parse_model` reads it)."""


def limiter(settings: Settings) -> HostLimiter:
    """The per-host politeness limiter shared by everything that uses this data dir."""
    return HostLimiter(settings.data_dir / "locks", settings.arxiv.min_interval_s)


def arxiv_client(settings: Settings, host_limiter: HostLimiter | None = None) -> ArxivClient:
    """An arXiv API client with the on-disk query cache."""
    return ArxivClient(settings.arxiv, settings.data_dir / "cache" / "arxiv",
                       host_limiter or limiter(settings))


def downloader(settings: Settings, host_limiter: HostLimiter | None = None) -> Downloader:
    """The PDF downloader: the same per-host limiter as the API client, a content-addressed cache."""
    return Downloader(settings.arxiv, settings.pdf, settings.pdf_cache, host_limiter or limiter(settings))


def embedder(settings: Settings) -> Embedder:
    """The configured embedding model (loaded lazily on first use) behind the on-disk vector cache.

    A search reranks the same abstracts every time it is run (its arXiv answer comes from the
    query cache); with the cache, a repeated search embeds only the topic, if that.
    """
    model = load_embedder(settings.memory)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", model.name)
    return CachingEmbedder(model, settings.path("cache", f"embeddings-{name}.sqlite"))


def library(settings: Settings, embedding: Embedder | None = None):
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

    serde = JsonPlusSerializer(allowed_msgpack_modules=checkpoint_types())
    if settings.checkpoint.backend == "postgres":
        from agent.runs.postgres import postgres_checkpointer

        return postgres_checkpointer(settings.checkpoint, serde)
    import sqlite3

    from langgraph.checkpoint.sqlite import SqliteSaver

    connection = sqlite3.connect(settings.path("runs", "checkpoints.sqlite"), check_same_thread=False,
                                 timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    saver = SqliteSaver(connection, serde=serde)
    saver.setup()
    return saver


def run_registry(settings: Settings):
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
    if str(getattr(settings.llm, role, "x")).strip().lower() in NO_MODEL:
        return None  # the common case: no need to import the LLM layer (langchain) at all
    from agent.llm.factory import chat_model as build

    return build(settings, role, usage=usage, allow_tools=allow_tools)


def usage_recorder(settings: Settings):
    """A token and cost recorder priced with `llm.prices` (its `snapshot()` goes into run.json)."""
    from agent.llm.usage import UsageRecorder

    return UsageRecorder(settings.llm.prices)


def figure_reader(settings: Settings, prefer: str | None = None):
    """The figure reader `figures.reader` (or `prefer`: auto, cpu, gpu) asks for; models load lazily."""
    from tools.figures import make_reader

    return make_reader(settings.figures, prefer)


def watchlist(settings: Settings):
    """The keyword watchlist (the data dir's file plus `digest.keywords` from the config)."""
    from agent.digest.watch import WATCH_FILE, WatchList

    return WatchList(settings.data_dir / WATCH_FILE, settings.digest.keywords)


def digest_client(settings: Settings, host_limiter: HostLimiter | None = None) -> ArxivClient:
    """An arXiv client for digests: the shared limiter and cache, with the digest's shorter TTL."""
    arxiv = settings.arxiv.model_copy(update={"cache_ttl_s": settings.digest.cache_ttl_s})
    return ArxivClient(arxiv, settings.data_dir / "cache" / "arxiv", host_limiter or limiter(settings))


def seen_state(settings: Settings):
    """What earlier digests showed, per keyword."""
    from agent.digest.seen import STATE_FILE, SeenState

    return SeenState(settings.data_dir / STATE_FILE)


def digest_poster(settings: Settings):
    """The Slack poster for digests (raises `PostError` without a bot token)."""
    from agent.digest.post import slack_poster

    return slack_poster(settings.slack)


def translator(settings: Settings, language: str):
    """A translator into `language` with the `llm.translator` model; a clear error without one."""
    from agent.llm.errors import LLMError
    from agent.llm.prompts import PromptError
    from agent.llm.translation import TranslationError, Translator

    name = settings.llm.translator
    if not name.strip() or name.strip().lower() in ("none", "off"):
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
