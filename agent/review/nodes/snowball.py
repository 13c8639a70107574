"""snowball: the works the approved papers cite become candidates for a second papers gate.

Runs once, after the first ingest: every reference list the library holds for the approved papers
is followed (`tools.search.snowball`: arXiv ids fetched by id, bare titles matched by an arXiv title
search) within `search.snowball_max_requests`. Papers the person already saw at the papers gate
are not proposed again. Abstract-only papers have no reference lists, so they add nothing.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agent.review.context import ReviewContext
from agent.review.nodes.outline import readable_ids
from agent.review.nodes.stage import Reporter, stage
from agent.review.stages import library_papers
from agent.review.state import State
from tools.search.relevance import assess
from tools.search.snowball import snowball_search


@stage("snowball")
def snowball(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Follow the approved papers' references; what arXiv has becomes explained candidates."""
    context, limits = runtime.context, runtime.context.settings.search
    done: dict[str, Any] = {"snowballed": True}
    if limits.snowball_max_papers <= 0:
        return done
    records = library_papers(context.services, readable_ids(state))
    parsed = {r.paper.arxiv_id: r.parsed for r in records if r.parsed is not None and r.parsed.references}
    if not parsed:
        report.progress(0, 0, "no reference lists to follow (only abstracts were stored)")
        return done
    seen = [p.arxiv_id for p in state.papers] + [c.paper.arxiv_id for c in state.candidates]
    outcome = snowball_search(parsed, context.services.arxiv, context.services.embedder, state.request.topic,
                              limits.snowball_max_requests, exclude=seen, max_results=limits.snowball_max_papers)
    for warning in outcome.warnings:
        report.warn(warning)
    report.progress(len(parsed), len(parsed), f"{outcome.cited} works cited, {len(outcome.candidates)} "
                    f"proposed, {outcome.requests} arXiv requests")
    summary = {"papers_followed": len(parsed), "cited": outcome.cited, "proposed": len(outcome.candidates),
               "requests": outcome.requests, "budget": limits.snowball_max_requests,
               "unresolved": len(outcome.unresolved)}
    cited = assess(state.request.topic, outcome.candidates, context.services.embedder)
    return {**done, "cited": cited, "search": {**state.search, "snowball": summary}}
