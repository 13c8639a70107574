"""search: ask arXiv like a librarian (`tools.search.coverage`), within the request budget; rank, dedupe,
and explain every candidate.

A review started from a collection (`review --from-bib`) reads it instead
(`agent.review.collection`). Candidates get OpenAlex's citation counts as a reason line. The topic goes first, then the plan's queries and the topic's other names, then the thin themes
of what came back, until a round adds less than `search.min_new_fraction` new relevant papers or
`search.max_requests` is spent. A raw arXiv query (`ti:… AND cat:…`) is sent as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.collection import import_collection
from agent.review.context import ReviewContext, ReviewError
from agent.review.nodes.stage import Reporter, stage
from agent.review.state import SearchPlan, State
from tools.paper import Candidate
from tools.search.coverage import coverage_search
from tools.search.query import is_raw_query
from tools.search.relevance import assess
from tools.search.topic import SearchRequest, search_topic
from tools.sources.counts import with_citation_counts

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("search")
def search(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Find, dedupe and rank candidate papers for the papers gate."""
    assert state.plan is not None, "plan runs before search"
    context, plan, topic = runtime.context, state.plan, state.request.topic
    limit = state.request.max_papers or context.settings.review.max_papers
    if state.request.collection is not None:
        candidates, summary, warnings = import_collection(state.request.collection, topic, limit,
                                                          context.services, context.settings)
        for warning in warnings:
            report.warn(warning)
        report.progress(1, 1, f"{summary['matched']} of {summary['entries']} entries of {summary['collection']} "
                        f"matched on {summary['matched_by']}")
        return {"candidates": candidates, "search": summary}
    if is_raw_query(topic):
        candidates, summary = _one_query(topic, plan, limit, context, rerank=False)
        report.progress(1, 1, f"{len(candidates)} papers for the query as written")
    else:
        outcome = coverage_search(
            context.services.arxiv, context.services.embedder, topic,
            budget=context.settings.search.max_requests, max_results=limit,
            categories=plan.categories, since=plan.since, until=plan.until,
            min_new_fraction=context.settings.search.min_new_fraction,
            queries=[q for q in plan.queries if q.strip().lower() != topic.strip().lower()])
        for number, stats in enumerate(outcome.rounds, start=1):
            report.progress(number, len(outcome.rounds), f"round {stats.round} ({stats.kind}): "
                            f"{len(stats.queries)} queries, {stats.new} new papers")
        for warning in outcome.warnings:
            report.warn(warning)
        candidates = outcome.candidates
        summary = {"requests": outcome.requests, "budget": outcome.budget, "pool": outcome.pool,
                   "stopped": outcome.stopped, "queries": [q.phrase for q in outcome.queries]}
    if not candidates and not is_raw_query(topic):
        report.warn("no query of the topic's phrases found anything; searching any of its words instead")
        candidates, broad = _one_query(topic, plan, limit, context, rerank=True)
        summary = {**summary, "requests": summary["requests"] + broad["requests"],
                   "queries": summary["queries"] + broad["queries"], "stopped": broad["stopped"]}
    if not candidates:
        raise ReviewError(f"arXiv found no papers for {topic!r}; "
                          "try broader words, fewer categories or a wider date range")
    if context.services.openalex is not None:
        candidates, warning = with_citation_counts(candidates, context.services.openalex)
        if warning:
            report.warn(warning)
    candidates = assess(topic, candidates, context.services.embedder)
    flagged = sum(1 for c in candidates if c.flag)
    if flagged:
        report.progress(1, 1, f"{flagged} of {len(candidates)} candidates flagged (proposed unticked)")
    return {"candidates": candidates, "search": summary}


def _one_query(topic: str, plan: SearchPlan, limit: int, context: ReviewContext,
               rerank: bool) -> tuple[list[Candidate], dict[str, Any]]:
    """One request: a raw arXiv query as written (arXiv's order), or any of the topic's words
    (reranked by meaning)."""
    request = SearchRequest(topic=topic, max_results=limit, categories=plan.categories,
                            since=plan.since, until=plan.until)
    outcome = search_topic(context.services.arxiv, context.services.embedder if rerank else None, request)
    how = "any of the topic's words" if rerank else "the query as written"
    candidates = [Candidate(paper=p, score=p.score or 0.0, reasons=[
        f"found by {how}", f"rank {rank}" + (f", relevance {p.score:.2f} to the topic" if rerank else "")])
        for rank, p in enumerate(outcome.results, start=1)]
    return candidates, {"requests": outcome.requests, "queries": [outcome.query],
                        "stopped": f"one query of {how}"}
