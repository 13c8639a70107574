"""Fixtures for the review agent's tests: sessions on the mirror with the real library."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent import services
from agent.review.context import ReviewServices
from agent.review.stages import Stages
from agent.runs.events import BaseEvent
from agent.runs.session import ReviewSession
from agent.settings import Settings, load_settings
from memory.embedding_cache import CachingEmbedder

TOPIC = "video anomaly detection"


EMBEDDING_CACHE = "cache/embeddings-all-MiniLM-L6-v2.sqlite"
"""Where a data dir keeps its embedding cache (see `ReviewServices.embedder`)."""


@pytest.fixture(scope="session")
def seed_vectors(embedder, tmp_path_factory: pytest.TempPathFactory) -> CachingEmbedder:
    """The real embedder behind a cache that already holds every seed paper's texts.

    These tests are about orchestration, not embedding speed: embedding the seed corpus once per
    test session (instead of once per test and per process) keeps them fast on a small machine.
    """
    from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
    from memory.chunking import chunk_paper
    from memory.embedding_cache import CachingEmbedder
    from tools.search.ranking import paper_text

    cache = CachingEmbedder(embedder, tmp_path_factory.mktemp("vectors") / "embeddings.sqlite")
    with MirrorServer(Corpus.load(SEED_CORPUS)) as server:
        settings = load_settings(home=tmp_path_factory.mktemp("home"),
                                 arxiv={"api_url": server.api_url, "min_interval_s": 0})
        papers = services.arxiv_client(settings).fetch([r["arxiv_id"] for r in server.corpus.records])
    texts = [paper_text(p) for p in papers] + [c.text for p in papers for c in chunk_paper(p, None)]
    cache.embed(texts)
    return cache


def warm_home(home: Path, cache: CachingEmbedder) -> None:
    """Give a data dir (used by a subprocess) a copy of the warmed embedding cache."""
    target = home / EMBEDDING_CACHE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cache.path, target)


@pytest.fixture
def make_session(mirror_settings: Settings, seed_vectors) -> Iterator[Callable[..., ReviewSession]]:
    """Build sessions on the mirror (real Chroma, real SQLite checkpoints, shared embedder).

    `review={...}` overrides review settings; `stages` replaces content stages; `chat_models`
    stands in for a hosted LLM.
    """
    opened: list[ReviewSession] = []

    def make(stages: Stages | None = None, chat_models: Any = None, **review: Any) -> ReviewSession:
        settings = mirror_settings.model_copy(update={"review": mirror_settings.review.model_copy(update=review)})
        session = ReviewSession(settings, services=ReviewServices(settings, embedder=seed_vectors),
                                stages=stages, chat_models=chat_models)
        opened.append(session)
        return session

    yield make
    for session in opened:
        session.close()


def drain(events: Iterator[BaseEvent]) -> list[BaseEvent]:
    """Run a session iterator to its end."""
    return list(events)
