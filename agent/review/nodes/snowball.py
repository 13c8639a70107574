"""snowball: the works the approved papers cite, and those citing them, become candidates for a
second papers gate.

Runs once, after the first ingest. With OpenAlex (`openalex.enabled`, the default) it goes both
ways (`tools.search.graph`): references resolved to works by id, DOI, title or volume/page, and the
works citing each approved paper, most cited and newest, within `openalex.snowball_max_requests`
OpenAlex and `search.snowball_max_requests` arXiv requests. Without it, only the reference lists
are followed on arXiv (`tools.search.snowball`). Papers the person already saw at the papers gate
are not proposed again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.review.context import ReviewContext
from agent.review.nodes.outline import readable_ids
from agent.review.nodes.stage import Reporter, stage
from agent.review.stages import library_papers
from agent.review.state import State
from agent.review.taxonomy import CLUSTERING_MODULES
from tools.preload import preload
from tools.search.graph import graph_snowball
from tools.search.relevance import assess
from tools.search.snowball import snowball_search

if TYPE_CHECKING:
    from langgraph.runtime import Runtime


@stage("snowball")
def snowball(state: State, runtime: Runtime[ReviewContext], report: Reporter) -> dict[str, Any]:
    """Follow the approved papers' references; what arXiv has becomes explained candidates."""
    context, limits = runtime.context, runtime.context.settings.search
    done: dict[str, Any] = {"snowballed": True}
    if limits.snowball_max_papers <= 0:
        return done
    # Everything the ingest needed is loaded by now and this stage mostly waits on requests: the
    # outline's clustering modules load meanwhile (`tools.preload`).
    preload(*CLUSTERING_MODULES)
    records = library_papers(context.services, readable_ids(state))
    parsed = {r.paper.arxiv_id: r.parsed for r in records if r.parsed is not None and r.parsed.references}
    works = context.services.openalex
    if not parsed and works is None:
        report.progress(0, 0, "no reference lists to follow (only abstracts were stored)")
        return done
    seen = [p.arxiv_id for p in state.papers] + [c.paper.arxiv_id for c in state.candidates]
    if works is not None:
        outcome = graph_snowball(parsed, state.papers, context.services.arxiv, works, context.services.embedder,
                                 state.request.topic, arxiv_budget=limits.snowball_max_requests,
                                 works_budget=context.settings.openalex.snowball_max_requests,
                                 per_paper=context.settings.openalex.cited_by_per_paper,
                                 threshold=context.settings.openalex.min_match, exclude=seen,
                                 max_results=limits.snowball_max_papers)
    else:
        outcome = snowball_search(parsed, context.services.arxiv, context.services.embedder, state.request.topic,
                                  limits.snowball_max_requests, exclude=seen, max_results=limits.snowball_max_papers)
    for warning in outcome.warnings:
        report.warn(warning)
    forward = sum(1 for c in outcome.candidates if any(f.startswith("cites ") for f in c.paper.found_by))
    report.progress(len(parsed), len(parsed), f"{outcome.cited} works cited, {len(outcome.candidates)} "
                    f"proposed ({forward} citing the approved papers), {outcome.requests} requests")
    summary = {"papers_followed": len(parsed), "cited": outcome.cited, "proposed": len(outcome.candidates),
               "citing": forward, "requests": outcome.requests, "budget": limits.snowball_max_requests,
               "openalex": works is not None, "unresolved": len(outcome.unresolved)}
    cited = assess(state.request.topic, outcome.candidates, context.services.embedder)
    return {**done, "cited": cited, "search": {**state.search, "snowball": summary}}
