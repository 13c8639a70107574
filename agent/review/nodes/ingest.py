"""ingest: download, parse and remember the approved papers, downloads running ahead of reading.

One thread downloads the papers back to back at the politeness limit while `review.concurrency`
workers parse, chunk, embed and store what has arrived (`agent.ingest.ahead`), so downloads never
wait for the CPU. Idempotent, because a killed run re-executes this whole node on resume: a paper whose version is
already in the library (with its full text, or tried within the last `arxiv.cache_ttl_s`) is not
fetched again, and the library's writes replace records in place, so chunk counts never double.
One paper that fails is recorded and skipped; the run goes on without it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from agent.ingest.ahead import read_ahead
from agent.review.context import ReviewContext, ReviewError, ReviewServices
from agent.review.nodes.stage import Reporter, stage
from agent.review.state import IngestOutcome, State
from tools.paper import Paper

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("ingest")
def ingest(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Read every approved paper into the library (bounded concurrency), recording each outcome."""
    context = runtime.context
    services, fresh_s = context.services, context.settings.arxiv.cache_ttl_s
    outcomes: dict[str, IngestOutcome] = {}
    todo: list[Paper] = []
    fresh = [p for p in state.papers if p.arxiv_id not in state.ingest]  # snowballing adds papers later
    for paper in fresh:
        stored = already_stored(paper, services, fresh_s)
        if stored is not None:
            outcomes[paper.arxiv_id] = stored
        else:
            todo.append(paper)
    total = len(fresh)
    report.progress(len(outcomes), total, f"{len(outcomes)} already in the library")
    stages = context.stages

    def done(paper: Paper, outcome: IngestOutcome | None, error: Exception | None) -> None:
        outcome = outcome if outcome is not None and error is None else _failed(paper, error)
        outcomes[outcome.arxiv_id] = outcome
        if outcome.status == "failed":
            report.warn(f"{outcome.arxiv_id}: {outcome.message}")
        report.progress(len(outcomes), total, f"{outcome.arxiv_id}: {outcome.status}")

    prefetch = stages.prefetch
    read_ahead(todo, fetch=(lambda p: prefetch(p, services)) if prefetch is not None else None,
               read=lambda p: stages.ingest(p, services), workers=context.settings.review.concurrency,
               on_done=done)
    if total and not state.ingest and all(o.status == "failed" for o in outcomes.values()):
        raise ReviewError(f"none of the {total} approved papers could be read; see the warnings")
    return {"ingest": outcomes}


def already_stored(paper: Paper, services: ReviewServices, fresh_s: float) -> IngestOutcome | None:
    """The outcome for a paper this version of which the library already holds, else None."""
    record = services.library.get(paper.arxiv_id)
    if record is None or record.paper.version != paper.version:
        return None
    if record.abstract_only and _age_s(record.added) > fresh_s:
        return None  # the PDF could not be had last time; try again
    return IngestOutcome(arxiv_id=paper.arxiv_id, version=paper.version, status="stored",
                         chunks=record.chunks, figures=record.figures,
                         message=_how_read(record))


def _how_read(record) -> str:
    """"full text", "abstract only" or "title and metadata only" (no PDF, no abstract)."""
    if not record.abstract_only:
        return "full text"
    return "abstract only" if record.paper.abstract.strip() else "title and metadata only"


def _failed(paper: Paper, error: Exception | None) -> IngestOutcome:
    """A reader's error as a failed outcome, so one paper never sinks a run."""
    message = str(error).splitlines()[0] if str(error or "") else type(error).__name__
    return IngestOutcome(arxiv_id=paper.arxiv_id, version=paper.version, status="failed", message=message)


def _age_s(iso: str) -> float:
    try:
        added = datetime.fromisoformat(iso)
    except ValueError:
        return float("inf")
    return (datetime.now(UTC) - added).total_seconds()
