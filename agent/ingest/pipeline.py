"""Ingest papers: download, parse and remember them, one paper at a time, never sinking the run.

This is what `autoresearch ingest` and the review agent's reading stage call. For an arXiv paper:
fetch its PDF (cached), parse it with figures rendered into the paper's folder, and store it with
`Library.add(paper, parsed)`. When the PDF cannot be had or read, the paper is still remembered by
its abstract (`Library.add(paper, None)`) and the result says why — status `abstract_only`; with no
metadata either, the status is `failed` and nothing is stored. Local PDFs and PDF URLs go through
the same parse-and-store path, keyed by the arXiv id stamped in the PDF when there is one.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.ingest.resolve import Resolution, resolve_items
from agent.settings import Settings
from memory.paperstore import PaperStore, paper_key
from tools.document import ParsedPaper
from tools.download import Downloader
from tools.http import FetchError
from tools.paper import Paper
from tools.pdf.parse import PdfError, parse_pdf, peek_arxiv_id
from tools.search.arxiv import ArxivClient

log = logging.getLogger(__name__)
Status = Literal["ingested", "abstract_only", "failed"]

__all__ = ["IngestResult", "Resolution", "ingest_local_pdf", "ingest_paper", "ingest_url", "resolve_items"]


class IngestResult(BaseModel):
    """What happened to one item."""

    item: str
    """What the user asked for (an id, a URL, a path, a title)."""
    arxiv_id: str = ""
    version: str = ""
    title: str = ""
    status: Status = "failed"
    error: str = ""
    """Why the full text could not be stored (empty when ingested)."""
    pages: int = 0
    figures: int = 0
    """Figures with an image region (captions without one are not counted)."""
    tables: int = 0
    references: int = 0
    chunks: int = 0
    warnings: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the full paper was stored."""
        return self.status == "ingested"


def ingest_paper(paper: Paper, *, downloader: Downloader, library, store: PaperStore,
                 settings: Settings, item: str = "") -> IngestResult:
    """Download, parse and store an arXiv paper; fall back to its abstract when that fails.

    A paper with no arXiv version (an OpenAlex work, a collection entry) is read from its
    open-access PDF when it has one, else kept from its metadata.
    """
    item = item or paper.versioned_id
    if not paper.on_arxiv:
        return _ingest_elsewhere(paper, downloader=downloader, library=library, store=store,
                                 settings=settings, item=item)
    try:
        path = downloader.fetch_arxiv(paper.arxiv_id, paper.version)
    except FetchError as error:
        return _abstract_only(paper, library, item, f"download failed: {error}")
    return _parse_and_store(paper, path, library=library, store=store, settings=settings, item=item,
                            source=downloader.arxiv_url(paper.arxiv_id, paper.version))


def _ingest_elsewhere(paper: Paper, *, downloader: Downloader, library, store: PaperStore,
                      settings: Settings, item: str) -> IngestResult:
    """A paper not on arXiv: its open-access PDF (through the same polite downloader), else its metadata."""
    if not paper.pdf_url:
        return _metadata_only(paper, library, item, "no arXiv version and no open-access PDF: kept from its metadata")
    try:
        path = downloader.fetch_url(paper.pdf_url)
    except FetchError as error:
        return _metadata_only(paper, library, item, f"open-access PDF failed: {error}")
    return _parse_and_store(paper, path, library=library, store=store, settings=settings, item=item,
                            source=paper.pdf_url)


def _metadata_only(paper: Paper, library, item: str, reason: str) -> IngestResult:
    """Store a paper known only by its metadata (title, authors, abstract when there is one)."""
    if paper.abstract or not paper.title:
        return _abstract_only(paper, library, item, reason)
    record = library.add(paper, None)
    return IngestResult(item=item, arxiv_id=paper.arxiv_id, version=paper.version, title=paper.title,
                        status="abstract_only", chunks=record.chunks, error=reason)


def ingest_url(url: str, *, downloader: Downloader, library, store: PaperStore, settings: Settings,
               arxiv_client: ArxivClient | None = None) -> IngestResult:
    """Download a PDF from any URL and ingest it like a local file."""
    try:
        path = downloader.fetch_url(url)
    except FetchError as error:
        return IngestResult(item=url, status="failed", error=f"download failed: {error}")
    return ingest_local_pdf(path, library=library, store=store, settings=settings,
                            arxiv_client=arxiv_client, item=url, source=url)


def ingest_local_pdf(path: Path, *, library, store: PaperStore, settings: Settings,
                     arxiv_client: ArxivClient | None = None, password: str | None = None,
                     item: str = "", source: str = "") -> IngestResult:
    """Parse and store a PDF on disk, with arXiv metadata when the PDF carries an arXiv id."""
    path = Path(path)
    item = item or str(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        return IngestResult(item=item, status="failed", error=f"cannot read {path}: {error.strerror or error}")
    try:
        found = peek_arxiv_id(path, password)
    except PdfError as error:
        return IngestResult(item=item, status="failed", error=f"parse failed: {error}")
    paper = _metadata(found, arxiv_client) if found else None
    if paper is None:
        key = found[0] if found else paper_key("", digest)
        paper = Paper(arxiv_id=key, version=found[1] if found else "", title="")
    return _parse_and_store(paper, path, library=library, store=store, settings=settings, item=item,
                            source=source or str(path), password=password, fill_from_pdf=True)


def _metadata(found: tuple[str, str], client: ArxivClient | None) -> Paper | None:
    """The arXiv record for an id read from a PDF, or None (no client, or arXiv unreachable)."""
    if client is None:
        return None
    try:
        records = client.fetch([found[0] + found[1]])
    except FetchError as error:
        log.warning("no arXiv metadata for %s: %s", found[0], error)
        return None
    return records[0] if records else None


def _parse_and_store(paper: Paper, path: Path, *, library, store: PaperStore, settings: Settings,
                     item: str, source: str, password: str | None = None,
                     fill_from_pdf: bool = False) -> IngestResult:
    figures_dir = store.figures_dir(paper_key(paper.arxiv_id))
    shutil.rmtree(figures_dir, ignore_errors=True)  # a new parse replaces the old figures
    try:
        parsed = parse_pdf(path, figures_dir=figures_dir, dpi=settings.pdf.dpi, password=password,
                           time_budget_s=settings.pdf.time_budget_s)
    except PdfError as error:
        if fill_from_pdf and not paper.title:
            return IngestResult(item=item, arxiv_id=paper.arxiv_id, status="failed",
                                error=f"parse failed: {error}")
        return _abstract_only(paper, library, item, f"parse failed: {error}")
    parsed.source = source
    paper = _reconcile(paper, parsed, fill_from_pdf)
    record = library.add(paper, parsed)
    return IngestResult(
        item=item, arxiv_id=paper.arxiv_id, version=paper.version, title=paper.title,
        status="ingested", pages=parsed.pages,
        figures=sum(1 for f in parsed.figures if f.bbox[2] > f.bbox[0]), tables=len(parsed.tables),
        references=len(parsed.references), chunks=record.chunks, warnings=parsed.warnings)


def _reconcile(paper: Paper, parsed: ParsedPaper, fill_from_pdf: bool) -> Paper:
    """Share what each side knows: the PDF's stamp fills the version, metadata fills the parse."""
    update: dict = {}
    if not paper.version and parsed.version and parsed.arxiv_id == paper.arxiv_id:
        update["version"] = parsed.version
    if fill_from_pdf:
        for field in ("title", "authors", "abstract"):
            if not getattr(paper, field) and getattr(parsed, field):
                update[field] = getattr(parsed, field)
        if not update.get("title", paper.title):
            update["title"] = Path(parsed.source).stem
    if not parsed.arxiv_id and not paper.arxiv_id.startswith("local-"):
        parsed.arxiv_id, parsed.version = paper.arxiv_id, update.get("version", paper.version)
    return paper.model_copy(update=update) if update else paper


def _abstract_only(paper: Paper, library, item: str, reason: str) -> IngestResult:
    """Store what the metadata says when the full text cannot be had; `failed` without metadata."""
    base: dict[str, Any] = dict(item=item, arxiv_id=paper.arxiv_id, version=paper.version, title=paper.title,
                                error=reason)
    if not (paper.title and paper.abstract):
        return IngestResult(status="failed", **base)
    record = library.add(paper, None)
    return IngestResult(status="abstract_only", chunks=record.chunks, **base)
