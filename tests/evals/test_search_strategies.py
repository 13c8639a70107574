"""The search-strategies eval holds the issue's bar on the hardest seed topics (the full table,
all five topics, is `python -m evals.search_strategies`)."""

from __future__ import annotations

import pytest

from evals.search_strategies import evaluate, metrics, verdict


def test_metrics_of_a_ranked_list() -> None:
    found = ["a", "x", "b"] + [f"n{i}" for i in range(60)]
    assert metrics(found, {"a", "b", "c", "d"}) == {"recall@20": 0.5, "recall@50": 0.5,
                                                    "precision@20": 0.1}


@pytest.mark.slow
def test_coverage_beats_the_literal_phrase_within_ten_requests(embedder) -> None:
    topics = ["Talking Head Generation", "Video Anomaly Detection"]
    rows = evaluate(embedder=embedder, budget=10, topics=topics,
                    strategies=("literal", "coverage"))
    assert verdict(rows, 10) == []
    assert all(r["requests"] <= 10 for r in rows)
    assert {r["requests"] for r in rows if r["strategy"] == "literal"} == {1}
