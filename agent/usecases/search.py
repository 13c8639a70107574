"""Search: find papers on arXiv for a topic (CLI `search`, the TUI's `/search` and its assistant).

The topic may be a request in plain words: its topic phrase, date limits and acronyms are read
first (`tools.search.request`) and what was read is reported. `broad` sends the topic's words, its
phrases as papers write them and the field's own vocabulary learned from the best results, and
reranks by meaning; `expand` adds the topic's other names and sub-topics, `coverage` then the thin
themes until a round adds little (with `llm.planner`, the model proposes the expansions). Every
strategy starts from what a broad query finds, so none ends empty when that has results.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import BaseModel, Field

from agent import services as factories
from agent.llm.errors import LLMError
from agent.llm.planner import model_planner
from agent.services import Services
from tools.errors import BadUsage
from tools.inputs import nonblank
from tools.paper import Candidate, Paper
from tools.search.categories import check_categories
from tools.search.query import is_raw_query
from tools.search.request import parse_request
from tools.search.strategies import STRATEGIES, search_request
from tools.search.topic import SearchRequest, search_topic
from tools.sources.counts import with_citation_counts

__all__ = ["STRATEGIES", "SearchResult", "search"]


class SearchResult(BaseModel):
    """The ranked candidates and how they were found."""

    query: str
    """The queries sent, joined by ` | `."""
    strategy: str = "broad"
    request: dict[str, Any] = Field(default_factory=dict)
    """What was read from the request: `topic`, `since`, `until`, `acronyms`, `taken` (in words)."""
    requests: int = 0
    """API requests sent (0 when the cache answered)."""
    candidates: list[Candidate] = Field(default_factory=list)
    budget: int | None = None
    stopped: str | None = None
    """Why the search stopped, in words."""
    vocabulary: list[str] = Field(default_factory=list)
    """The field's own words and phrases learned from the first results and searched for."""
    rounds: list[dict[str, Any]] | None = None
    queries: list[dict[str, Any]] | None = None
    warnings: list[str] = Field(default_factory=list)
    """What the search could not do (a failed query, a planner that did not answer, no results)."""

    @property
    def results(self) -> list[Paper]:
        """The papers, best first."""
        return [c.paper for c in self.candidates]

    @property
    def topic(self) -> str:
        """The topic searched (read from the request)."""
        return self.request.get("topic", "")

    def document(self) -> dict[str, Any]:
        """How it was found, as `search --json` prints it beside the results."""
        fields = ("query", "strategy", "request", "requests", "budget", "stopped", "vocabulary",
                  "rounds", "queries")
        return {name: getattr(self, name) for name in fields}


def search(services: Services, request: SearchRequest, *, strategy: str = "broad", rerank: bool = True,
           explain: bool = False) -> SearchResult:
    """Search with `strategy`; with `explain`, each candidate says why it is there.

    A blank topic and categories that are not arXiv's are `BadUsage` before anything is sent.
    """
    request.topic = nonblank(request.topic, "the topic")
    request.categories = check_categories(request.categories)
    if strategy not in STRATEGIES:
        raise BadUsage(f"--strategy must be one of {', '.join(STRATEGIES)}")
    if strategy != "broad" and is_raw_query(request.topic):
        raise BadUsage(f"--strategy {strategy} expands a topic in plain words, not a raw arXiv query")
    result = _searched(services, request, strategy) if rerank else _unranked(services, request)
    if request.sort == "date":
        result.candidates.sort(key=lambda c: (c.paper.published, c.paper.arxiv_id), reverse=True)
    if not result.candidates:
        result.warnings.append(f"arXiv found nothing for {result.topic!r}; try broader words, fewer "
                               "categories or a wider date range")
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


def _searched(services: Services, request: SearchRequest, strategy: str) -> SearchResult:
    """`tools.search.strategies.search_request`, with the planner model beyond `broad`."""
    settings = services.settings
    planner = None
    if strategy != "broad":
        try:
            model = factories.chat_model(settings, "planner")
        except LLMError as error:
            raise LLMError(f"llm.planner: {error}", hint=error.hint) from error
        planner = model_planner(model) if model is not None else None
    found = search_request(
        services.arxiv, services.embedder, request.topic, strategy=strategy,
        max_results=request.max_results, budget=settings.search.max_requests, planner=planner,
        min_new_fraction=settings.search.min_new_fraction, refresh=request.refresh,
        categories=request.categories, since=request.since, until=request.until)
    outcome = found.outcome
    return SearchResult(query=" | ".join(q.query for q in outcome.queries), strategy=strategy,
                        request=found.request.as_dict(), requests=outcome.requests,
                        candidates=outcome.candidates, budget=outcome.budget, stopped=outcome.stopped,
                        vocabulary=outcome.vocabulary, rounds=[r.model_dump() for r in outcome.rounds],
                        queries=[q.model_dump() for q in outcome.queries], warnings=list(outcome.warnings))


def _unranked(services: Services, request: SearchRequest) -> SearchResult:
    """One query of the topic's words (or a raw query as written), in arXiv's own order."""
    read = parse_request(request.topic)
    read.since, read.until = request.since or read.since, request.until or read.until
    outcome = search_topic(services.arxiv, None, replace(request, topic=read.topic, since=read.since,
                                                          until=read.until))
    candidates = [Candidate(paper=p, score=0.0, reasons=[
        f"found by query {outcome.query!r}", f"rank {rank} in arXiv's own order"])
        for rank, p in enumerate(outcome.results, start=1)]
    return SearchResult(query=outcome.query, request=read.as_dict(), requests=outcome.requests,
                        candidates=candidates, stopped="one query, in arXiv's order (--no-rerank)")
