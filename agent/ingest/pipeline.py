"""Ingest papers: download, parse and remember them, one paper at a time, never sinking the run.

This is what `autoresearch ingest` and the review agent's reading stage call. For an arXiv paper:
fetch its PDF (cached), parse it with figures rendered into the paper's folder, and store it with
`Library.add(paper, parsed)`. When the PDF cannot be had or read, the paper is still remembered by
its abstract (`Library.add(paper, None)`) and the result says why — status `abstract_only`; with no
metadata either, the status is `failed` and nothing is stored. Local PDFs and PDF URLs go through
the same parse-and-store path, keyed by the arXiv id stamped in the PDF when there is one.

A paper is read under its lock (`PaperStore.reading`): a second process (or thread) reading the
same paper waits, then takes what the first stored instead of parsing and embedding it again —
as the downloader does for a PDF another process is fetching.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.ingest.metadata import MetadataLookup
from agent.ingest.resolve import Resolution, expand_items, resolve_items
from agent.settings import Settings
from memory.paperstore import PaperStore, paper_key
from tools.document import Figure, ParsedPaper
from tools.download import Downloader
from tools.http import FetchError
from tools.paper import Paper
from tools.pdf.parse import PdfError, parse_pdf, peek_arxiv_id
from tools.search.arxiv import ArxivClient

log = logging.getLogger(__name__)
Status = Literal["ingested", "abstract_only", "title_only", "failed"]
Describe = Callable[[str, ParsedPaper], list[Figure]]
"""A figure reader's pass over a parsed paper: its figures, described (`tools.figures.describe_figures`)."""

__all__ = ["IngestResult", "Resolution", "expand_items", "ingest_local_pdf", "ingest_paper", "ingest_url",
           "resolve_items", "report_counts"]


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

    @property
    def stored(self) -> bool:
        """Whether the paper is in the library now, in full or by its abstract."""
        return self.status in ("ingested", "abstract_only", "title_only")


def report_counts(results: list[IngestResult]) -> dict[str, int]:
    """What a batch stored: in full (`ingested`), by the abstract only, by the title and metadata
    only (`title_only`), at all (`stored`), not at all (`failed`). Summary lines and exit codes
    follow `stored`."""
    full = sum(r.ok for r in results)
    stored = sum(r.stored for r in results)
    titles = sum(r.status == "title_only" for r in results)
    return {"ingested": full, "abstract_only": stored - full - titles, "title_only": titles, "stored": stored,
            "failed": len(results) - stored}


def ingest_paper(paper: Paper, *, downloader: Downloader, library, store: PaperStore,
                 settings: Settings, item: str = "", describe: Describe | None = None) -> IngestResult:
    """Download, parse and store an arXiv paper; fall back to its abstract when that fails.

    A paper with no arXiv version (an OpenAlex work, a collection entry) is read from its
    open-access PDF when it has one, else kept from its metadata. `describe` (a figure reader's
    pass over the parsed paper) runs before storing, so the figures go into the library
    described, in the same write.
    """
    item = item or paper.versioned_id
    if not paper.on_arxiv:
        return _ingest_elsewhere(paper, downloader=downloader, library=library, store=store,
                                 settings=settings, item=item, describe=describe)
    try:
        path = downloader.fetch_arxiv(paper.arxiv_id, paper.version)
    except FetchError as error:
        return _abstract_only(paper, library, item, f"download failed: {error}")
    return _parse_and_store(paper, path, library=library, store=store, settings=settings, item=item,
                            source=downloader.arxiv_url(paper.arxiv_id, paper.version), describe=describe)


def _ingest_elsewhere(paper: Paper, *, downloader: Downloader, library, store: PaperStore,
                      settings: Settings, item: str, describe: Describe | None = None) -> IngestResult:
    """A paper not on arXiv: its open-access PDF (through the same polite downloader), else its metadata."""
    if not paper.pdf_url:
        return _metadata_only(paper, library, item, "no arXiv version and no open-access PDF: kept from its metadata")
    try:
        path = downloader.fetch_url(paper.pdf_url)
    except FetchError as error:
        return _metadata_only(paper, library, item, f"open-access PDF failed: {error}")
    return _parse_and_store(paper, path, library=library, store=store, settings=settings, item=item,
                            source=paper.pdf_url, describe=describe)


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
                     item: str = "", source: str = "", metadata: MetadataLookup | None = None) -> IngestResult:
    """Parse and store a PDF on disk, with arXiv metadata when the PDF carries an arXiv id.

    With `metadata` (the command's batched look-up) the PDF is parsed at once and takes its
    record after parsing if it has come by then; otherwise it asks `arxiv_client` first.
    """
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
    late = (lambda: metadata.get(found[0])) if metadata is not None and found else None
    paper = _metadata(found, arxiv_client) if found and late is None else None
    if paper is None:
        key = found[0] if found else paper_key("", digest)
        paper = Paper(arxiv_id=key, version=found[1] if found else "", title="")
    return _parse_and_store(paper, path, library=library, store=store, settings=settings, item=item,
                            source=source or str(path), password=password, fill_from_pdf=True, late=late)


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
                     fill_from_pdf: bool = False, late: Callable[[], Paper | None] | None = None,
                     describe: Describe | None = None) -> IngestResult:
    """Parse and store under the paper's lock; what another holder of it stored meanwhile is kept.

    `late` gives the paper's arXiv record once parsed, when one has arrived by then.
    """
    with store.reading(paper_key(paper.arxiv_id)) as waited:
        stored = _stored_meanwhile(paper, library, item) if waited else None
        if stored is not None:
            return stored
        return _read_in(paper, path, library=library, store=store, settings=settings, item=item,
                        source=source, password=password, fill_from_pdf=fill_from_pdf, late=late,
                        describe=describe)


def _stored_meanwhile(paper: Paper, library, item: str) -> IngestResult | None:
    """The result for a paper someone else just stored in full (this version), else None."""
    record = library.get(paper.arxiv_id)
    if record is None or record.abstract_only or (paper.version and record.paper.version != paper.version):
        return None
    parsed = record.parsed
    return IngestResult(
        item=item, arxiv_id=record.paper.arxiv_id, version=record.paper.version, title=record.paper.title,
        status="ingested", pages=parsed.pages if parsed else 0, figures=record.figures,
        tables=len(parsed.tables) if parsed else 0, references=len(parsed.references) if parsed else 0,
        chunks=record.chunks, warnings=["read by another process meanwhile; taken from the library"])


def _read_in(paper: Paper, path: Path, *, library, store: PaperStore, settings: Settings,
             item: str, source: str, password: str | None, fill_from_pdf: bool,
             late: Callable[[], Paper | None] | None, describe: Describe | None) -> IngestResult:
    """Parse the PDF and store the paper (with its late record and described figures)."""
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
    if describe is not None:
        parsed.figures = describe(paper.arxiv_id, parsed)
    record = late() if late is not None else None
    if record is not None:
        paper = record.model_copy(update={"version": paper.version or record.version})
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
    if not paper.title.strip():
        return IngestResult(status="failed", **base)
    record = library.add(paper, None)  # no abstract either: its title and metadata, marked so
    status = "abstract_only" if paper.abstract.strip() else "title_only"
    return IngestResult(status=status, chunks=record.chunks, **base)
