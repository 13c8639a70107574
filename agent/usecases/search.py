"""Search: find papers on arXiv for a topic (CLI `search`, the TUI's `/search` and its assistant).

`broad` sends one query of the topic's words and reranks by meaning; `expand` and `coverage` are
the librarian's strategies: the topic's other names and sub-topics one query each, and for
`coverage` more rounds on the thin themes until a round adds little (with `llm.planner`, the model
proposes the expansions).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agent import services as factories
from agent.llm.errors import LLMError
from agent.llm.planner import model_planner
from agent.services import Services
from tools.errors import BadUsage
from tools.paper import Candidate, Paper
from tools.search.coverage import coverage_search
from tools.search.explain import Vectors, as_ranked, rank_reason
from tools.search.query import is_raw_query
from tools.search.topic import SearchRequest, search_topic
from tools.sources.counts import with_citation_counts

STRATEGIES = ("broad", "expand", "coverage")


class SearchResult(BaseModel):
    """The ranked candidates and how they were found."""

    query: str
    """The query sent (the queries, joined by ` | `, for the librarian's strategies)."""
    strategy: str = "broad"
    requests: int = 0
    """API requests sent (0 when the cache answered)."""
    candidates: list[Candidate] = Field(default_factory=list)
    budget: int | None = None
    stopped: str | None = None
    rounds: list[dict[str, Any]] | None = None
    queries: list[dict[str, Any]] | None = None
    warnings: list[str] = Field(default_factory=list)
    """What the search could not do (a failed query, a planner that did not answer)."""

    @property
    def results(self) -> list[Paper]:
        """The papers, best first."""
        return [c.paper for c in self.candidates]

    def document(self) -> dict[str, Any]:
        """How it was found, as `search --json` prints it beside the results."""
        fields = ("query", "strategy", "requests") if self.strategy == "broad" else (
            "query", "strategy", "requests", "budget", "stopped", "rounds", "queries")
        return {name: getattr(self, name) for name in fields}


def search(services: Services, request: SearchRequest, *, strategy: str = "broad", rerank: bool = True,
           explain: bool = False) -> SearchResult:
    """Search with `strategy`; with `explain`, each candidate says why it is there."""
    if strategy not in STRATEGIES:
        raise BadUsage(f"--strategy must be one of {', '.join(STRATEGIES)}")
    if strategy != "broad" and is_raw_query(request.topic):
        raise BadUsage(f"--strategy {strategy} expands a topic in plain words, not a raw arXiv query")
    result = (_broad(services, request, rerank, explain) if strategy == "broad"
              else _librarian(services, request, strategy))
    if explain:
        _add_citation_counts(services, result)
    return result


def _add_citation_counts(services: Services, result: SearchResult) -> None:
    """OpenAlex's "cited by N" as one more reason line (when `openalex.enabled`)."""
    if services.openalex is None:
        return
    result.candidates, warning = with_citation_counts(result.candidates, services.openalex)
    if warning:
        result.warnings.append(warning)


def _broad(services: Services, request: SearchRequest, rerank: bool, explain: bool) -> SearchResult:
    """`tools.search.topic.search_topic`, its results explained when asked."""
    embedder = services.embedder if rerank or explain else None
    outcome = search_topic(services.arxiv, embedder if rerank else None, request)
    candidates = [Candidate(paper=p, score=p.score or 0.0) for p in outcome.results]
    if explain and embedder is not None:
        why = f"found by query {outcome.query!r} (any of the topic's words)"
        scored = as_ranked(request.topic, outcome.results, Vectors(embedder, request.topic))
        for rank, (candidate, parts) in enumerate(zip(candidates, scored, strict=True), start=1):
            candidate.reasons = [why, rank_reason(parts, rank) if rerank
                                 else f"rank {rank} in arXiv's own order"]
    return SearchResult(query=outcome.query, requests=outcome.requests, candidates=candidates)


def _librarian(services: Services, request: SearchRequest, strategy: str) -> SearchResult:
    """`tools.search.coverage.coverage_search`: expansions, and for `coverage` the thin-theme rounds."""
    settings = services.settings
    try:
        model = factories.chat_model(settings, "planner")
    except LLMError as error:
        raise LLMError(f"llm.planner: {error}", hint=error.hint) from error
    outcome = coverage_search(
        services.arxiv, services.embedder, request.topic,
        budget=settings.search.max_requests, max_results=request.max_results,
        categories=request.categories, since=request.since, until=request.until,
        min_new_fraction=settings.search.min_new_fraction,
        planner=model_planner(model) if model is not None else None,
        max_rounds=1 if strategy == "expand" else None, refresh=request.refresh)
    candidates = outcome.candidates
    if request.sort == "date":
        candidates = sorted(candidates, key=lambda c: (c.paper.published, c.paper.arxiv_id), reverse=True)
    return SearchResult(query=" | ".join(q.query for q in outcome.queries), strategy=strategy,
                        requests=outcome.requests, candidates=candidates, budget=outcome.budget,
                        stopped=outcome.stopped, rounds=[r.model_dump() for r in outcome.rounds],
                        queries=[q.model_dump() for q in outcome.queries], warnings=list(outcome.warnings))
