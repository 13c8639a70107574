"""search: ask arXiv like a librarian (`tools.search.strategies`), within the request budget; rank,
dedupe, and explain every candidate.

A review started from a collection (`review --from-bib`) reads it instead
(`agent.review.collection`). Otherwise the topic (as read from the request by the plan stage) goes
first as any of its words, so the papers gate always has what a broad query finds; then its phrases
as papers write them and the field's own vocabulary learned from the best results (`search.strategy`
`broad`, the default: 4 requests); `expand` adds the plan's queries and other names (a plan with a
planner model's queries always expands), `coverage` the thin themes of what came back, until a
round adds less than `search.min_new_fraction` new relevant papers or `search.max_requests` is
spent. The gate is offered up to `--max-papers` candidates: every one the search found close
enough to the topic, the best first. A raw arXiv query (`ti:… AND cat:…`) is sent as written.
Candidates get OpenAlex's citation counts as a reason line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.collection import import_collection
from agent.review.context import ReviewContext, ReviewError
from agent.review.nodes.stage import Reporter, stage
from agent.review.state import State
from tools.search.relevance import assess
from tools.search.strategies import search_request
from tools.sources.counts import with_citation_counts

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("search")
def search(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Find, dedupe and rank candidate papers for the papers gate."""
    assert state.plan is not None, "plan runs before search"
    context, plan = runtime.context, state.plan
    topic = plan.topic or state.request.topic
    limit = state.request.max_papers or context.settings.review.max_papers
    if state.request.collection is not None:
        candidates, summary, warnings = import_collection(state.request.collection, topic, limit,
                                                          context.services, context.settings)
        for warning in warnings:
            report.warn(warning)
        report.progress(1, 1, f"{summary['matched']} of {summary['entries']} entries of {summary['collection']} "
                        f"matched on {summary['matched_by']}")
        return {"candidates": candidates, "search": summary}
    candidates, summary = _searched(topic, state, limit, context, report)
    if context.services.openalex is not None:
        candidates, warning = with_citation_counts(candidates, context.services.openalex)
        if warning:
            report.warn(warning)
    candidates = assess(topic, candidates, context.services.embedder)
    flagged = sum(1 for c in candidates if c.flag)
    if flagged:
        report.progress(1, 1, f"{flagged} of {len(candidates)} candidates flagged (proposed unticked)")
    return {"candidates": candidates, "search": summary}


def _searched(topic: str, state: State, limit: int, context: ReviewContext,
              report: Reporter) -> tuple[list, dict[str, Any]]:
    """`tools.search.strategies.search_request` with `search.strategy`, its rounds reported; none
    found fails. A planner's queries are always asked: a `broad` review that has some expands."""
    plan = state.plan
    assert plan is not None
    queries = [q for q in plan.queries if q.strip().lower() != topic.strip().lower()]
    strategy = context.settings.search.strategy
    if strategy == "broad" and queries:
        strategy = "expand"
    found = search_request(
        context.services.arxiv, context.services.embedder, topic, strategy=strategy,
        max_results=limit, budget=context.settings.search.max_requests,
        categories=plan.categories, since=plan.since, until=plan.until,
        min_new_fraction=context.settings.search.min_new_fraction, acronyms=plan.acronyms,
        queries=queries)
    outcome = found.outcome
    for number, stats in enumerate(outcome.rounds, start=1):
        report.progress(number, len(outcome.rounds), f"round {stats.round} ({stats.kind}): "
                        f"{len(stats.queries)} queries, {stats.new} new papers")
    for warning in outcome.warnings:
        report.warn(warning)
    if not outcome.candidates:
        raise ReviewError(f"arXiv found no papers for {topic!r}; "
                          "try broader words, fewer categories or a wider date range")
    summary = {"strategy": strategy, "requests": outcome.requests, "budget": outcome.budget,
               "pool": outcome.pool, "stopped": outcome.stopped,
               "queries": [q.phrase for q in outcome.queries], "vocabulary": outcome.vocabulary}
    return outcome.candidates, summary
