"""The content work the review graph orchestrates, bundled so the graph can take it by injection.

The graph decides *when* (order, gates, retries, crash safety); these callables decide *what*
(how a paper is read, how the outline and the draft are written, verified and exported). The
production bundle imports the real modules; tests pass small deterministic stand-ins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from agent.ingest.pipeline import ingest_paper
from agent.review.export import export_review
from agent.review.outline import build_outline
from agent.review.state import IngestOutcome
from agent.review.verify import verify_draft
from agent.review.writers import write_review
from tools.figures import CPUReader, FigureModelMissing
from tools.figures.base import describe_figures

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.ingest.pipeline import Describe
    from agent.review.context import ReviewServices
    from agent.review.export import ExportFormat
    from agent.review.sections import Namer
    from agent.review.types import Draft, Outline, Verification
    from agent.settings import Settings
    from memory.embeddings import Embedder
    from memory.library import Library
    from memory.records import LibraryPaper
    from tools.paper import Paper


# Each stage is a Protocol rather than a bare Callable so that a stand-in with the wrong parameters
# (a missing keyword the graph passes, a wrong type) is a type error, not a failed run. The graph
# passes the parameters before `/` by position (so their names are free) and the others by keyword
# (so their names are part of the contract); those with `= ...` need a default in every implementation.


class IngestFn(Protocol):
    """Read one approved paper into the library and say how (`ingest_pdf`, `ingest_abstract`)."""

    def __call__(self, paper: Paper, services: ReviewServices, /) -> IngestOutcome: ...


class OutlineFn(Protocol):
    """Draw the taxonomy of the papers that were read (`agent.review.outline.build_outline`); `namer`
    only when a chat model is configured."""

    def __call__(self, topic: str, papers: list[LibraryPaper], embedder: Embedder, /,
                 max_themes: int = ..., namer: Namer | None = ...) -> Outline: ...


class WriteFn(Protocol):
    """Draft the review along the outline (`agent.review.writers.write_review`)."""

    def __call__(self, topic: str, outline: Outline, papers: list[LibraryPaper], library: Library,
                 settings: Settings, /, chat_model: BaseChatModel | None = ..., feedback: str = ...,
                 revision: int = ...) -> Draft: ...


class VerifyFn(Protocol):
    """Drop citations that name no stored paper and score the rest (`agent.review.verify.verify_draft`)."""

    def __call__(self, draft: Draft, library: Library, papers: list[LibraryPaper], /
                 ) -> tuple[Draft, Verification]: ...


class ExportFn(Protocol):
    """Write the review's files and return their paths (`agent.review.export.export_review`)."""

    def __call__(self, draft: Draft, verification: Verification, papers: list[LibraryPaper],
                 out_dir: Path, run_meta: dict[str, Any], /, fmt: ExportFormat = ...) -> list[Path]: ...


class PrefetchFn(Protocol):
    """Download what `ingest` will read (into the download cache), ahead of reading it."""

    def __call__(self, paper: Paper, services: ReviewServices, /) -> object: ...


@dataclass(frozen=True)
class Stages:
    """One callable per content stage, with the signatures of the real modules."""

    ingest: IngestFn
    build_outline: OutlineFn
    write_review: WriteFn
    verify_draft: VerifyFn
    export_review: ExportFn
    prefetch: PrefetchFn | None = None
    """None: `ingest` fetches what it needs itself."""


def production_stages() -> Stages:
    """The real content modules."""
    return Stages(ingest=ingest_pdf, build_outline=build_outline, write_review=write_review,
                  verify_draft=verify_draft, export_review=export_review, prefetch=download_pdf)


def download_pdf(paper: Paper, services: ReviewServices) -> object:
    """Put a paper's PDF in the download cache, where `ingest_pdf` will find it."""
    return services.downloader.fetch_arxiv(paper.arxiv_id, paper.version)


def ingest_pdf(paper: Paper, services: ReviewServices) -> IngestOutcome:
    """Download, parse and store a paper; its abstract when the PDF cannot be had or read."""
    result = ingest_paper(paper, downloader=services.downloader, library=services.library,
                          store=services.library.papers, settings=services.settings,
                          describe=cpu_figures(services))
    return IngestOutcome(arxiv_id=paper.arxiv_id, version=paper.version, status=result.status,
                         chunks=result.chunks, figures=result.figures,
                         message=result.error or "; ".join(result.warnings[:3]))


def cpu_figures(services: ReviewServices) -> Describe | None:
    """Describe figures while reading when the reader is the CPU one; None for a model, which the
    figures stage runs later in its own batches (one model, one thread)."""
    try:
        reader = services.figure_reader
    except FigureModelMissing:
        return None
    if not isinstance(reader, CPUReader):
        return None
    cache = services.settings.pdf_cache
    return lambda arxiv_id, parsed: describe_figures(reader, arxiv_id, parsed, cache)


def ingest_abstract(paper: Paper, services: ReviewServices) -> IngestOutcome:
    """Store a paper by its abstract only (never downloads: for offline tools and tests)."""
    record = services.library.add(paper, None)
    if not paper.abstract.strip():
        return IngestOutcome(arxiv_id=paper.arxiv_id, version=paper.version, status="title_only",
                             chunks=record.chunks, message="title and metadata only")
    return IngestOutcome(arxiv_id=paper.arxiv_id, version=paper.version, status="abstract_only",
                         chunks=record.chunks, message="abstract only")


def library_papers(services: ReviewServices, ids: list[str]) -> list[LibraryPaper]:
    """The stored records of `ids`, in order, skipping any no longer in the library."""
    records = (services.library.get(i) for i in ids)
    return [r for r in records if r is not None]
