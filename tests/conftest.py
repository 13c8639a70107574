"""Shared fixtures: an isolated data dir for every test, the arXiv mirror, the shared data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.settings import Settings, load_settings
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give every test its own data dir and no config file, whatever the developer's machine has."""
    for key in list(os.environ):
        if key.startswith("AUTORESEARCH_"):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    monkeypatch.setenv("AUTORESEARCH_HOME", str(home))
    monkeypatch.setenv("AUTORESEARCH_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return home


@pytest.fixture
def shared_data() -> Path:
    """`../shared/data`, or skip the test with the reason."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real test data not found at {SHARED_DATA} (../shared/data beside the checkout)")
    return SHARED_DATA


@pytest.fixture
def mirror() -> Iterator[MirrorServer]:
    """The arXiv mirror over the shipped seed corpus, on a free port."""
    with MirrorServer(Corpus.load(SEED_CORPUS)) as server:
        yield server


@pytest.fixture
def mirror_settings(mirror: MirrorServer, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at the mirror, with a short politeness interval and quick retries."""
    monkeypatch.setenv("AUTORESEARCH_ARXIV__API_URL", mirror.api_url)
    monkeypatch.setenv("AUTORESEARCH_ARXIV__PDF_URL", mirror.pdf_url)
    monkeypatch.setenv("AUTORESEARCH_ARXIV__MIN_INTERVAL_S", "0.05")
    monkeypatch.setenv("AUTORESEARCH_ARXIV__BACKOFF_BASE_S", "0.05")
    monkeypatch.setenv("AUTORESEARCH_ARXIV__BACKOFF_MAX_S", "0.2")
    monkeypatch.setenv("AUTORESEARCH_ARXIV__TIMEOUT_S", "5")
    return load_settings()


@pytest.fixture(scope="session")
def embedder():
    """The real offline MiniLM embedder, loaded once per test session."""
    from agent.settings import MemorySettings
    from memory.embeddings import load_embedder

    return load_embedder(MemorySettings())


@pytest.fixture
def fake_openai():
    """A fake OpenAI-compatible chat server on 127.0.0.1 (stands in for a hosted LLM)."""
    from evals.fake_openai import FakeOpenAIServer

    with FakeOpenAIServer() as server:
        yield server
