"""Fixtures for the TUI tests: a small arXiv mirror (seed records and one real PDF), settings on it,
and apps over the real backend (real Chroma, real SQLite checkpoints, the real MiniLM embedder)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.settings import Settings, load_settings
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer, PdfFolder

ROWS = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]
VAD_ROWS = [r for r in ROWS if r.get("topic") == "Video Anomaly Detection"][:5]
THG_ROWS = [r for r in ROWS if r.get("topic") == "Talking Head Generation"][:2]
PDF_ID = "2401.00001"
PDF_ROW = {"arxiv_id": PDF_ID, "version": "v2", "title": "Sparse Attention for Long Documents",
           "authors": ["Ada Lovelace", "Alan Turing"], "published": "2024-01-01",
           "abstract": "Sparse attention lets transformers read long documents: we study how accuracy "
                       "changes as documents grow longer, and where a sparse model attends."}
TOPIC = "video anomaly detection"


class GatedPdfFolder(PdfFolder):
    """PDFs served only once `gate` is set: a test holds a download open while it types."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.gate = threading.Event()
        self.gate.set()
        self.asked = threading.Event()

    def find(self, requested: str) -> Path | None:
        self.asked.set()
        self.gate.wait(timeout=20)
        return super().find(requested)


@pytest.fixture(scope="session")
def pdf_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one real PDF built by PyMuPDF (three pages, two figures, references)."""
    from evals.sample_pdfs import paper

    folder = tmp_path_factory.mktemp("tui-pdfs")
    paper(folder / f"{PDF_ID}v2.pdf")
    return folder


@pytest.fixture
def tui_mirror(pdf_folder: Path) -> Iterator[MirrorServer]:
    """The mirror over seven seed records and the PDF's record; its PDFs can be held (`pdfs.gate`)."""
    with MirrorServer(Corpus.from_records(VAD_ROWS + THG_ROWS + [PDF_ROW]), GatedPdfFolder(pdf_folder)) as server:
        yield server


@pytest.fixture
def tui_settings(tui_mirror: MirrorServer, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings on the mirror: a short politeness interval, quick retries, small reviews."""
    for key, value in {"API_URL": tui_mirror.api_url, "PDF_URL": tui_mirror.pdf_url, "MIN_INTERVAL_S": "0.02",
                       "BACKOFF_BASE_S": "0.05", "BACKOFF_MAX_S": "0.2", "TIMEOUT_S": "5"}.items():
        monkeypatch.setenv(f"AUTORESEARCH_ARXIV__{key}", value)
    monkeypatch.setenv("AUTORESEARCH_SEARCH__MAX_REQUESTS", "3")
    return load_settings()


@pytest.fixture
def make_app(tui_settings: Settings, embedder) -> Iterator[Callable[..., Any]]:
    """Build apps over the real backend; `settings=` replaces the settings, `backend=` the backend."""
    from agent.review.context import ReviewServices
    from tui.app import AutoresearchApp
    from tui.backend import Backend

    def make(settings: Settings | None = None, backend: Any = None, **kwargs: Any) -> AutoresearchApp:
        settings = settings or tui_settings
        backend = backend or Backend(settings, services=ReviewServices(settings, embedder=embedder))
        return AutoresearchApp(settings, backend=backend, **kwargs)

    yield make


async def settle(pilot: Any, rounds: int = 50) -> None:
    """Wait until no worker runs (workers may start workers) and the screen has caught up."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            return


async def until(pilot: Any, condition: Callable[[], Any], timeout: float = 60.0, what: str = "") -> Any:
    """Poll (between UI updates) until `condition()` is truthy; fail with `what` after `timeout` s."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await pilot.pause(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or condition}")


def chat_texts(app: Any) -> list[str]:
    """The chat's messages as plain text (Static content, Markdown source)."""
    from textual.widgets import Markdown, Static

    out = []
    for widget in app.screen.query("ChatLog > *"):
        if isinstance(widget, Markdown):
            out.append(widget.source)
        elif isinstance(widget, Static):
            out.append(str(widget.render()))
        else:
            out.append(" ".join(str(s.render()) for s in widget.query(Static)))
    return out
