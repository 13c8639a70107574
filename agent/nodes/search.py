"""search: ask arXiv each planned query, merge, rank by relevance to the topic, keep the best.

Queries run in plan order until the politeness budget (`search.max_requests`) is spent or a query
stops bringing enough new papers (`search.min_new_fraction`). Every candidate says why it is there.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.context import ReviewContext, ReviewError
from agent.nodes.stage import Reporter, stage
from agent.review_types import Candidate
from agent.state import State
from tools.paper import Paper, dedupe_latest
from tools.ranking import rank_by_topic
from tools.search import SearchRequest, search_topic


@stage("search")
def search(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Find, dedupe and rank candidate papers for the papers gate."""
    assert state.plan is not None, "plan runs before search"
    services, settings = runtime.context.services, runtime.context.settings
    limit = state.request.max_papers or settings.review.max_papers
    client, plan = services.arxiv, state.plan
    spent_before = client.requests_made
    pool: dict[str, Paper] = {}
    found_by: dict[str, list[str]] = {}
    for number, query in enumerate(plan.queries, start=1):
        if client.requests_made - spent_before >= settings.search.max_requests:
            report.warn(f"stopped after {number - 1} queries: the arXiv request budget "
                        f"(search.max_requests = {settings.search.max_requests}) is spent")
            break
        request = SearchRequest(topic=query, max_results=2 * limit, categories=plan.categories,
                                since=plan.since, until=plan.until)
        results = search_topic(client, services.embedder, request).results
        new = [p for p in results if p.arxiv_id not in pool]
        for paper in dedupe_latest([*pool.values(), *results]):
            pool[paper.arxiv_id] = paper
        for paper in results:
            found_by.setdefault(paper.arxiv_id, []).append(query)
        report.progress(number, len(plan.queries), f"{query!r}: {len(results)} papers, {len(new)} new")
        if number > 1 and len(new) < settings.search.min_new_fraction * len(pool):
            break
    if not pool:
        raise ReviewError(f"arXiv found no papers for {state.request.topic!r}; "
                          "try broader words, fewer categories or a wider date range")
    ranked = rank_by_topic(state.request.topic, list(pool.values()), services.embedder)[:limit]
    return {"candidates": [_candidate(p, rank, found_by.get(p.arxiv_id, []))
                           for rank, p in enumerate(ranked, start=1)]}


def _candidate(paper: Paper, rank: int, queries: list[str]) -> Candidate:
    score = paper.score or 0.0
    reasons = [f"found by {', '.join(repr(q) for q in queries)}" if queries else "found by search",
               f"rank {rank}, relevance {score:.2f} to the topic"]
    return Candidate(paper=paper, score=score, reasons=reasons)
