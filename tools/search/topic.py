"""Topic search: one broad arXiv query, candidates reranked by meaning.

This is what `autoresearch search` and the review's search stage run. It spends one API request
for a topic of up to `arxiv.max_candidates` candidates (more only when paging demands it), so it
stays inside arXiv's politeness budget however the topic is phrased.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from memory.embeddings import Embedder
from tools.inputs import nonblank
from tools.paper import Paper
from tools.search.arxiv import ArxivClient
from tools.search.query import broad_query, is_raw_query, with_filters
from tools.search.ranking import rank_by_topic


@dataclass
class SearchRequest:
    """What the user asked for."""

    topic: str
    max_results: int = 50
    categories: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    sort: str = "relevance"
    """`relevance` (by meaning) or `date` (newest first, among the most relevant)."""
    refresh: bool = False


@dataclass
class SearchOutcome:
    """The query actually sent and the ranked papers."""

    query: str
    results: list[Paper]
    requests: int = 0
    """API requests sent (0 when the cache answered)."""


def search_topic(client: ArxivClient, embedder: Embedder | None, request: SearchRequest) -> SearchOutcome:
    """Search arXiv for a topic and rank the candidates by relevance to it.

    A raw arXiv query (`ti:… AND cat:…`) is sent as written, ranked by arXiv. Without an
    embedder the candidates keep arXiv's own relevance order. A blank topic is a `BadInput`
    (it would become the query `(ti:"" OR abs:"")`).
    """
    nonblank(request.topic, "the topic")
    before = client.requests_made
    raw = is_raw_query(request.topic)
    base = request.topic if raw else broad_query(request.topic)
    query = with_filters(base, request.categories, request.since, request.until)
    pool = request.max_results if raw else max(request.max_results, client.settings.max_candidates)
    candidates = client.search(query, max_results=pool, refresh=request.refresh)
    if embedder is not None and not raw:
        candidates = rank_by_topic(request.topic, candidates, embedder)
    results = candidates[: request.max_results]
    if request.sort == "date":
        results.sort(key=lambda p: (p.published, p.arxiv_id), reverse=True)
    return SearchOutcome(query=query, results=results, requests=client.requests_made - before)
