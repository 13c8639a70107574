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
    # OpenAlex is on by default for users; a test reaches it only through the `openalex` fixture's
    # local server, never api.openalex.org.
    monkeypatch.setenv("AUTORESEARCH_OPENALEX__ENABLED", "false")
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


@pytest.fixture
def openalex() -> Iterator:
    """A local OpenAlex server over the seed corpus as OpenAlex lists it (add works with `.corpus`)."""
    import json

    from evals.openalex_server import OpenAlexServer
    from evals.openalex_works import arxiv_works

    records = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]
    with OpenAlexServer(arxiv_works(records)) as server:
        yield server


@pytest.fixture
def openalex_settings(openalex, mirror_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """`mirror_settings` with OpenAlex switched on and pointed at the local server."""
    monkeypatch.setenv("AUTORESEARCH_OPENALEX__ENABLED", "true")
    monkeypatch.setenv("AUTORESEARCH_OPENALEX__API_URL", openalex.api_url)
    monkeypatch.setenv("AUTORESEARCH_OPENALEX__MAILTO", "tests@example.org")
    monkeypatch.setenv("AUTORESEARCH_OPENALEX__MIN_INTERVAL_S", "0")
    monkeypatch.setenv("AUTORESEARCH_OPENALEX__BACKOFF_BASE_S", "0.05")
    return load_settings()


@pytest.fixture(scope="session")
def embedder():
    """The real offline MiniLM embedder, loaded once per test session."""
    from agent.settings import MemorySettings
    from memory.embeddings import load_embedder

    return load_embedder(MemorySettings())


@pytest.fixture(scope="session")
def review_corpus(tmp_path_factory: pytest.TempPathFactory, embedder):
    """(settings, library, records): a real Chroma library of seed papers, two with full text and
    figures, shared read-only by the outline / writer / verify / export tests."""
    from tests.agent.review.review_corpus import build_corpus

    return build_corpus(tmp_path_factory.mktemp("review-library"), embedder)


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small PDFs built with PyMuPDF (`evals/sample_pdfs.py`): a paper, figure traps, bad inputs."""
    from evals.sample_pdfs import bad_inputs, tricky

    folder = tmp_path_factory.mktemp("pdfs")
    found = bad_inputs(folder)
    found["tricky"] = tricky(folder / "tricky.pdf")
    return found


@pytest.fixture
def fake_openai():
    """A fake OpenAI-compatible chat server on 127.0.0.1 (stands in for a hosted LLM)."""
    from evals.fake_openai import FakeOpenAIServer

    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real `chroma run` server on 127.0.0.1 over a temp dir; yields its URL."""
    import shutil
    import socket
    import subprocess
    import sys
    import time

    import httpx

    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command (installed with chromadb) is not on PATH")
    for _ in range(3):  # the free port may be taken again before the server binds it
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "chroma-server"),
                                   "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while server.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            server.kill()
            server.wait()
            continue
        try:
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)
        return
    pytest.fail("`chroma run` did not answer its heartbeat on 127.0.0.1 within 60 s (3 tries)")


@pytest.fixture
def slack_api():
    """A fake Slack Web API on 127.0.0.1 (`evals/fake_slack.py`) that records every call."""
    from evals.fake_slack import FakeSlackApi

    with FakeSlackApi() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator:
    """A real PostgreSQL (the Debian package's binaries) on 127.0.0.1 in a temp dir, for the session.

    Skips, saying why, only where the server binaries are not installed (CI installs them).
    """
    pytest.importorskip("psycopg", reason="the postgres extra is not installed: pip install -e '.[postgres]'")
    from evals.local_postgres import PostgresMissing, TempPostgres

    try:
        server = TempPostgres()
    except PostgresMissing as missing:
        pytest.skip(str(missing))
    with server:
        yield server


@pytest.fixture
def postgres_dsn(postgres_server) -> str:
    """A fresh, empty database on the session's PostgreSQL; its DSN."""
    import secrets

    return postgres_server.create_database(f"test_{secrets.token_hex(4)}")
