"""Topic search: a broad query reranked by meaning finds the papers a literal phrase misses."""

from __future__ import annotations

import json

from agent import services
from agent.settings import Settings
from evals.mirror import SEED_CORPUS, MirrorServer
from tools.search.topic import SearchRequest, search_topic


def topic_ids(topic: str) -> set[str]:
    rows = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines()]
    return {r["arxiv_id"] for r in rows if r.get("topic") == topic}


def test_broad_query_plus_rerank_beats_the_literal_phrase(mirror: MirrorServer, mirror_settings: Settings,
                                                          embedder) -> None:
    client = services.arxiv_client(mirror_settings)
    relevant = topic_ids("Talking Head Generation")
    literal = client.search('ti:"talking head generation" OR abs:"talking head generation"', max_results=20)
    outcome = search_topic(client, embedder, SearchRequest(topic="Talking Head Generation", max_results=20))
    found_literal = {p.arxiv_id for p in literal} & relevant
    found = {p.arxiv_id for p in outcome.results} & relevant
    assert len(found) > len(found_literal)
    assert len(found) >= 0.85 * len(relevant)
    assert outcome.requests == 1
    scores = [p.score for p in outcome.results]
    assert scores == sorted(scores, reverse=True)


def test_sort_by_date_and_raw_query_passthrough(mirror: MirrorServer, mirror_settings: Settings,
                                                embedder) -> None:
    client = services.arxiv_client(mirror_settings)
    outcome = search_topic(client, embedder, SearchRequest(topic="video anomaly detection", max_results=8,
                                                           sort="date"))
    dates = [p.published for p in outcome.results]
    assert dates == sorted(dates, reverse=True)
    raw = search_topic(client, embedder, SearchRequest(topic="ti:anomaly AND ti:video", max_results=5))
    assert raw.query.startswith("(ti:anomaly AND ti:video)")
    assert all("anomal" in p.title.lower() for p in raw.results)
