"""Fixtures for the reliability tests: the real CLI, run in-process, its exit code and output."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from evals.mirror import SEED_CORPUS, Corpus, MirrorServer


@dataclass
class Outcome:
    """What one command did: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    @property
    def reason(self) -> str:
        """The final `autoresearch: …` line on stderr (the one-line reason of a failure)."""
        lines = [line for line in self.err.splitlines() if line.startswith("autoresearch:")]
        return lines[-1] if lines else ""


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Run `autoresearch ARGS…` in this process (the same `main` the console script runs)."""
    from agent.cli.app import main

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


SMALL_TOPIC = "Video Anomaly Detection"


@pytest.fixture
def small_mirror(monkeypatch: pytest.MonkeyPatch) -> Iterator[MirrorServer]:
    """The arXiv mirror over eight seed papers of one topic, the settings pointed at it.

    Small, so a review reaches its first gate in a second or two on a loaded machine.
    """
    rows = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]
    chosen = [row for row in rows if row.get("topic") == SMALL_TOPIC][:8]
    with MirrorServer(Corpus.from_records(chosen)) as server:
        for key, value in {"API_URL": server.api_url, "PDF_URL": server.pdf_url, "MIN_INTERVAL_S": "0",
                           "BACKOFF_BASE_S": "0.01", "BACKOFF_MAX_S": "0.05", "TIMEOUT_S": "5"}.items():
            monkeypatch.setenv(f"AUTORESEARCH_ARXIV__{key}", value)
        yield server


@pytest.fixture
def shared_embedder(embedder, monkeypatch: pytest.MonkeyPatch):
    """Every command run in this process gets the session's real MiniLM instead of loading its own."""
    from agent import services

    monkeypatch.setattr(services, "embedder", lambda settings: embedder)
    return embedder
