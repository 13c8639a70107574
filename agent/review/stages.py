"""The content work the review graph orchestrates, bundled so the graph can take it by injection.

The graph decides *when* (order, gates, retries, crash safety); these callables decide *what*
(how a paper is read, how the outline and the draft are written, verified and exported). The
production bundle imports the real modules; tests pass small deterministic stand-ins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent.review.state import IngestOutcome

if TYPE_CHECKING:
    from agent.review.context import ReviewServices
    from agent.review.types import Draft, Outline, Verification
    from memory.records import LibraryPaper
    from tools.paper import Paper


IngestFn = Callable[["Paper", "ReviewServices"], IngestOutcome]
OutlineFn = Callable[..., "Outline"]
"""`build_outline(topic, papers, embedder, max_themes=6, namer=None) -> Outline` (`namer` only
when a chat model is configured)"""
WriteFn = Callable[..., "Draft"]
"""`write_review(topic, outline, papers, library, settings, chat_model=None, feedback="",
revision=0) -> Draft`"""
VerifyFn = Callable[..., "tuple[Draft, Verification]"]
"""`verify_draft(draft, library, papers) -> (cleaned draft, Verification)`"""
ExportFn = Callable[..., "list[Path]"]
"""`export_review(draft, verification, papers, out_dir, run_meta, fmt="md") -> [paths]`"""


@dataclass(frozen=True)
class Stages:
    """One callable per content stage, with the signatures of the real modules."""

    ingest: IngestFn
    build_outline: OutlineFn
    write_review: WriteFn
    verify_draft: VerifyFn
    export_review: ExportFn


def production_stages() -> Stages:
    """The real content modules (imported here, so importing the graph stays light)."""
    from agent.review.export import export_review
    from agent.review.outline import build_outline
    from agent.review.verify import verify_draft
    from agent.review.writers import write_review

    return Stages(ingest=ingest_pdf, build_outline=build_outline, write_review=write_review,
                  verify_draft=verify_draft, export_review=export_review)


def ingest_pdf(paper: Paper, services: ReviewServices) -> IngestOutcome:
    """Download, parse and store a paper; its abstract when the PDF cannot be had or read."""
    from agent.ingest.pipeline import ingest_paper

    result = ingest_paper(paper, downloader=services.downloader, library=services.library,
                          store=services.library.papers, settings=services.settings)
    return IngestOutcome(arxiv_id=paper.arxiv_id, version=paper.version, status=result.status,
                         chunks=result.chunks, figures=result.figures,
                         message=result.error or "; ".join(result.warnings[:3]))


def ingest_abstract(paper: Paper, services: ReviewServices) -> IngestOutcome:
    """Store a paper by its abstract only (never downloads: for offline tools and tests)."""
    record = services.library.add(paper, None)
    return IngestOutcome(arxiv_id=paper.arxiv_id, version=paper.version, status="abstract_only",
                         chunks=record.chunks, message="abstract only")


def library_papers(services: ReviewServices, ids: list[str]) -> list[LibraryPaper]:
    """The stored records of `ids`, in order, skipping any no longer in the library."""
    records = (services.library.get(i) for i in ids)
    return [r for r in records if r is not None]
