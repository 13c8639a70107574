"""One entry point for every way to search: a request in plain words (or a raw arXiv query) in,
ranked and explained candidates out, with what was read from the request.

`autoresearch search`, the review's search stage and the search evals all call `search_request`,
so a strategy an eval measures is exactly the one a person runs. Dates given as options win over
dates read from the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from memory.embeddings import Embedder
from tools.paper import Candidate
from tools.search.arxiv import ArxivClient
from tools.search.coverage import STRATEGIES, CoverageOutcome, QueryRecord, coverage_search
from tools.search.planner import Planner
from tools.search.pool import RoundStats
from tools.search.query import is_raw_query, with_filters
from tools.search.request import ParsedRequest, parse_request
from tools.search.topic import SearchRequest, search_topic

__all__ = ["DEFAULT", "STRATEGIES", "Found", "search_request"]
DEFAULT = "broad"


@dataclass
class Found:
    """The request as read and the search's outcome."""

    request: ParsedRequest
    outcome: CoverageOutcome


def search_request(client: ArxivClient, embedder: Embedder, text: str, *,
                   strategy: str = DEFAULT, max_results: int = 50, budget: int = 10,
                   categories: Sequence[str] = (), since: date | None = None,
                   until: date | None = None, planner: Planner | None = None,
                   queries: Sequence[str] = (), min_new_fraction: float = 0.1,
                   acronyms: dict[str, str] | None = None, refresh: bool = False,
                   today: date | None = None) -> Found:
    """Read the request, then search its topic with `strategy` (a raw arXiv query: as written).

    `acronyms` are ones read earlier (the review's plan reads the request before searching).
    """
    request = parse_request(text, today)
    request.acronyms = {**(acronyms or {}), **request.acronyms}
    since, until = since or request.since, until or request.until
    request.since, request.until = since, until
    if is_raw_query(request.topic):
        return Found(request, _as_written(client, request, max_results, categories, refresh))
    outcome = coverage_search(client, embedder, request.topic, budget=budget,
                              max_results=max_results, categories=categories, since=since,
                              until=until, min_new_fraction=min_new_fraction, planner=planner,
                              strategy=strategy, queries=queries, acronyms=request.acronyms,
                              refresh=refresh)
    return Found(request, outcome)


def _as_written(client: ArxivClient, request: ParsedRequest, max_results: int,
                categories: Sequence[str], refresh: bool) -> CoverageOutcome:
    """A raw arXiv query, sent once as written, in arXiv's order."""
    before = client.requests_made
    search = SearchRequest(topic=request.topic, max_results=max_results,
                           categories=list(categories), since=request.since, until=request.until,
                           refresh=refresh)
    found = search_topic(client, None, search)
    query = with_filters(request.topic, list(categories), request.since, request.until)
    record = QueryRecord(phrase=request.topic, source="raw", why="the query as written",
                         round=0, query=query, returned=len(found.results))
    candidates = [Candidate(paper=p, score=0.0, reasons=[
        "found by the query as written", f"rank {rank} in arXiv's own order"])
        for rank, p in enumerate(found.results, start=1)]
    requests = client.requests_made - before
    return CoverageOutcome(topic=request.topic, candidates=candidates,
                           rounds=[RoundStats(round=0, kind="raw", queries=[request.topic],
                                              requests=requests, returned=len(found.results))],
                           queries=[record], requests=requests, budget=requests,
                           pool=len(found.results), stopped="one query, as written")
