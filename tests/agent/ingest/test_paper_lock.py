"""One paper, one reader: a second process (or thread) waits for the first and takes its work.

The locks are file locks (flock on a new descriptor), which two threads contend for exactly as
two processes do; a logging handler tells the test when the second one is waiting, so nothing
depends on timing.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from agent import services
from agent.ingest.pipeline import ingest_local_pdf
from agent.settings import Settings, load_settings
from evals.mirror import MirrorServer, PdfFolder
from evals.sample_pdfs import paper
from memory.paperstore import paper_key
from tools.files import wait_lock
from tools.paper import Paper
from tools.pdf.parse import parse_pdf

WAIT_S = 60


class _Waiting(logging.Handler):
    """Set an event when someone logs that it waits for another process."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.event = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("waiting for another process"):
            self.event.set()


@pytest.fixture
def waiting() -> _Waiting:
    handler = _Waiting()
    logger = logging.getLogger("tools.files")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old)


def test_a_paper_being_read_elsewhere_is_awaited_not_read_again(tmp_path: Path, embedder, waiting) -> None:
    settings = load_settings()
    library = services.library(settings, embedder)
    pdf = paper(tmp_path / "2401.00001v2.pdf")
    results = []
    other = threading.Thread(target=lambda: results.append(
        ingest_local_pdf(pdf, library=library, store=library.papers, settings=settings)))
    with library.papers.reading(paper_key("2401.00001")):  # the first reader
        other.start()
        assert waiting.event.wait(WAIT_S)
        first = library.add(Paper(arxiv_id="2401.00001", version="v2", title="Sparse Attention"),
                            parse_pdf(pdf, figures_dir=tmp_path / "figs"))
    other.join(WAIT_S)
    [result] = results
    assert result.status == "ingested" and result.chunks == first.chunks and result.pages == 3
    assert result.warnings == ["read by another process meanwhile; taken from the library"]
    assert library.stats()["chunks"] == first.chunks  # nothing stored twice


def test_a_pdf_being_downloaded_elsewhere_is_awaited_not_fetched_again(
        mirror: MirrorServer, mirror_settings: Settings, tmp_path: Path, waiting) -> None:
    folder = tmp_path / "served"
    folder.mkdir()
    paper(folder / "2401.00001v2.pdf")
    mirror.pdfs = PdfFolder(folder)
    first, second = services.downloader(mirror_settings), services.downloader(mirror_settings)
    url = first.arxiv_url("2401.00001", "v2")
    got = []
    other = threading.Thread(target=lambda: got.append(second.fetch_arxiv("2401.00001", "v2")))
    with wait_lock(first.cache_dir / "locks" / f"{first._index_path(url).stem}.lock"):
        other.start()
        assert waiting.event.wait(WAIT_S)
        path = first._stream(url, time.monotonic() + 60)  # the first process's download, under its lock
    other.join(WAIT_S)
    assert got == [path]
    assert sum(h.path.startswith("/pdf/") for h in mirror.hits) == 1 and second.downloads == 0
