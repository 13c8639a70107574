"""Build the long-lived objects (clients, stores, models) from settings.

Entry points (the CLI, the TUI, the Slack bot, tests) call these and pass the results down; there
are no module-level singletons. Heavy dependencies are imported only inside the factories that
need them.
"""

from __future__ import annotations

from agent.settings import Settings
from memory.embeddings import Embedder, load_embedder
from tools.arxiv import ArxivClient
from tools.download import Downloader
from tools.ratelimit import HostLimiter


def limiter(settings: Settings) -> HostLimiter:
    """The per-host politeness limiter shared by everything that uses this data dir."""
    return HostLimiter(settings.data_dir / "locks", settings.arxiv.min_interval_s)


def arxiv_client(settings: Settings, host_limiter: HostLimiter | None = None) -> ArxivClient:
    """An arXiv API client with the on-disk query cache."""
    return ArxivClient(settings.arxiv, settings.data_dir / "cache" / "arxiv",
                       host_limiter or limiter(settings))


def downloader(settings: Settings, host_limiter: HostLimiter | None = None) -> Downloader:
    """The PDF downloader: the same per-host limiter as the API client, a content-addressed cache."""
    return Downloader(settings, host_limiter or limiter(settings))


def embedder(settings: Settings) -> Embedder:
    """The configured embedding model (loaded lazily on first use)."""
    return load_embedder(settings.memory)


def library(settings: Settings, embedding: Embedder | None = None):
    """The paper library (Chroma + parsed papers on disk)."""
    from memory.library import Library

    return Library.open(settings, embedding or embedder(settings))


def chat_model(settings: Settings, role: str, usage=None):
    """The chat model for a role (planner, writer, summarizer, chat, translator), or None.

    None means the role has no model configured and takes its extractive path. Pass a
    `usage_recorder(settings)` to account tokens and cost.
    """
    from agent.llm import chat_model as build

    return build(settings, role, usage=usage)


def usage_recorder(settings: Settings):
    """A token and cost recorder priced with `llm.prices` (its `snapshot()` goes into run.json)."""
    from agent.usage import UsageRecorder

    return UsageRecorder(settings.llm.prices)
