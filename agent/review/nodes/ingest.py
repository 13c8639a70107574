"""ingest: download, parse and remember the approved papers, a few at a time.

Idempotent, because a killed run re-executes this whole node on resume: a paper whose version is
already in the library (with its full text, or tried within the last `arxiv.cache_ttl_s`) is not
fetched again, and the library's writes replace records in place, so chunk counts never double.
One paper that fails is recorded and skipped; the run goes on without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from agent.review.context import ReviewContext, ReviewError, ReviewServices
from agent.review.nodes.stage import Reporter, stage
from agent.review.stages import IngestFn
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
    workers = max(1, context.settings.review.concurrency)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest")
    queue, running = iter(todo), {}
    try:
        # Submit lazily, `workers` at a time, so a cancel (or a kill) never leaves a queue behind.
        _top_up(pool, running, queue, workers, context.stages.ingest, services)
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                outcome = _outcome(future, running.pop(future))
                outcomes[outcome.arxiv_id] = outcome
                if outcome.status == "failed":
                    report.warn(f"{outcome.arxiv_id}: {outcome.message}")
                report.progress(len(outcomes), total, f"{outcome.arxiv_id}: {outcome.status}")
            _top_up(pool, running, queue, workers, context.stages.ingest, services)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
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
                         message="abstract only" if record.abstract_only else "full text")


def _top_up(pool: ThreadPoolExecutor, running: dict[Future[IngestOutcome], Paper], queue: Iterator[Paper],
            workers: int, ingest_one: IngestFn, services: ReviewServices) -> None:
    """Keep `workers` papers in flight while any are left."""
    while len(running) < workers:
        paper = next(queue, None)
        if paper is None:
            return
        running[pool.submit(ingest_one, paper, services)] = paper


def _outcome(future: Future[IngestOutcome], paper: Paper) -> IngestOutcome:
    """The worker's outcome; any error becomes a failed outcome, so one paper never sinks a run."""
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 - recorded per paper and reported as a warning
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return IngestOutcome(arxiv_id=paper.arxiv_id, version=paper.version, status="failed",
                             message=message)


def _age_s(iso: str) -> float:
    try:
        added = datetime.fromisoformat(iso)
    except ValueError:
        return float("inf")
    return (datetime.now(UTC) - added).total_seconds()
