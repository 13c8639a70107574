"""The librarian's search against the arXiv mirror: more found, every candidate explained, the
request budget never exceeded (counted at the mirror), never silently empty."""

from __future__ import annotations

import json
from datetime import date

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from agent import services
from agent.llm.planner import model_planner
from agent.settings import Settings
from evals.mirror import SEED_CORPUS, Fault, MirrorServer, error_feed
from tools.search.coverage import BROAD_RESULTS, coverage_search
from tools.search.query import broad_query, phrase_query, with_filters

TOPIC = "Talking Head Generation"


def labelled(topic: str) -> set[str]:
    rows = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines()]
    return {r["arxiv_id"] for r in rows if r.get("topic") == topic}


def test_coverage_finds_more_than_the_literal_phrase_and_explains_why(
        mirror: MirrorServer, mirror_settings: Settings, embedder) -> None:
    client = services.arxiv_client(mirror_settings)
    relevant = labelled(TOPIC)
    outcome = coverage_search(client, embedder, TOPIC, budget=10, max_results=20)
    literal_hits = {p.arxiv_id for p in client.search(phrase_query(TOPIC), max_results=20)} & relevant
    found = {c.paper.arxiv_id for c in outcome.candidates} & relevant
    assert len(found) > len(literal_hits)
    assert outcome.requests == len(mirror.api_hits()) - 1 <= 10  # minus the literal check above
    assert [r.kind for r in outcome.rounds][:4] == ["topic", "phrasings", "feedback", "feedback"]
    assert outcome.queries[0].source == "words" and outcome.vocabulary
    assert outcome.stopped
    for rank, candidate in enumerate(outcome.candidates, start=1):
        assert candidate.reasons[0].startswith("found by query '")
        assert "(round " in candidate.reasons[0]
        assert candidate.reasons[-1].startswith(f"relevance {candidate.score:.2f}, rank {rank} of "
                                                f"{outcome.pool}: meaning ")
        assert candidate.paper.found_by
    scores = [c.score for c in outcome.candidates]
    assert scores == sorted(scores, reverse=True)
    by_subtopic = [c for c in outcome.candidates if any("sub-topic" in r for r in c.reasons)]
    assert by_subtopic or any("the field's own words" in r for c in outcome.candidates
                              for r in c.reasons)


@pytest.mark.parametrize("budget", [1, 3])
def test_the_budget_is_never_exceeded_even_when_arxiv_answers_429(
        budget: int, mirror: MirrorServer, mirror_settings: Settings, embedder) -> None:
    client = services.arxiv_client(mirror_settings)
    mirror.faults.extend([Fault(429), Fault(429)])
    outcome = coverage_search(client, embedder, TOPIC, budget=budget)
    assert len(mirror.api_hits()) == outcome.requests <= budget
    assert [h.status for h in mirror.api_hits()][:2] == [429, 429][:budget]
    if budget == 1:
        assert outcome.candidates == [] and "budget of 1 requests is spent" in outcome.stopped
    else:
        assert outcome.candidates and "spent" in outcome.stopped


def test_fake_planner_phrasings_are_asked_with_the_filters(mirror: MirrorServer,
                                                          mirror_settings: Settings, embedder) -> None:
    reply = '{"phrasings": ["talking face generation"], "subtopics": ["lip synchronization"]}'
    client = services.arxiv_client(mirror_settings)
    outcome = coverage_search(client, embedder, TOPIC, budget=10, categories=["cs.CV"],
                              since=date(2024, 1, 1), planner=model_planner(FakeListChatModel(responses=[reply])),
                              strategy="expand")
    asked = {q.phrase: q for q in outcome.queries}
    assert asked["talking face generation"].source == "planner"
    assert asked["talking face generation"].round == outcome.rounds[-1].round
    assert all("cat:cs.CV" in q.query and "submittedDate:[202401010000" in q.query
               for q in outcome.queries)
    segtalker = next(c for c in outcome.candidates if c.paper.arxiv_id == "2409.03605")
    assert asked["talking face generation"].query in segtalker.paper.found_by
    assert len(mirror.api_hits()) == outcome.requests <= 10


def test_a_failing_fake_planner_is_a_warning_not_a_failure(mirror: MirrorServer,
                                                          mirror_settings: Settings, embedder) -> None:
    client = services.arxiv_client(mirror_settings)
    silent = FakeListChatModel(responses=["no idea", "still no idea"])
    outcome = coverage_search(client, embedder, TOPIC, budget=10, planner=model_planner(silent),
                              strategy="expand")
    assert any("planner model gave no expansions" in w for w in outcome.warnings)
    assert outcome.candidates


def test_arxiv_failing_mid_search_keeps_what_was_found(mirror: MirrorServer,
                                                       mirror_settings: Settings, embedder) -> None:
    client = services.arxiv_client(mirror_settings)
    client.search(with_filters(broad_query(TOPIC)), max_results=BROAD_RESULTS,
                  page_size=BROAD_RESULTS)  # round 0 from the cache
    mirror.faults.append(Fault(400, body=error_feed("malformed query"), content_type="application/atom+xml"))
    refused = coverage_search(client, embedder, TOPIC, budget=4, strategy="broad")
    assert refused.queries[1].error.startswith("arXiv rejected the query: malformed query")
    assert any(q.returned for q in refused.queries[2:])  # the next queries went on
    mirror.always = Fault(503)
    down = coverage_search(client, embedder, TOPIC, budget=10)  # what was cached still answers
    assert down.stopped.startswith("arXiv failed, kept what was found: arXiv is unavailable: 503")
    assert {c.paper.arxiv_id for c in down.candidates} >= {"2409.02657", "2409.03270"}


def test_the_topic_query_failing_is_an_error(mirror: MirrorServer, mirror_settings: Settings,
                                             embedder) -> None:
    from tools.http import FetchError

    mirror.always = Fault(503)
    with pytest.raises(FetchError, match="unavailable"):
        coverage_search(services.arxiv_client(mirror_settings), embedder, TOPIC, budget=10)


def test_planned_queries_are_asked_in_the_expansion_round(mirror: MirrorServer,
                                                         mirror_settings: Settings, embedder) -> None:
    client = services.arxiv_client(mirror_settings)
    outcome = coverage_search(client, embedder, TOPIC, budget=10, strategy="expand",
                              queries=["Talking Head Generation", "talking face generation",
                                       "ti:talking AND cat:cs.CV"])
    planned = [(q.phrase, q.source) for q in outcome.queries if q.source == "plan"]
    assert planned == [("talking face generation", "plan")]  # the topic and raw queries are not phrases
    assert [q.source for q in outcome.queries][:2] == ["words", "phrasings"]
    assert len(mirror.api_hits()) == outcome.requests <= 10


@pytest.mark.parametrize("strategy", ["broad", "expand", "coverage"])
def test_no_strategy_is_silently_empty_when_the_words_find_something(
        strategy: str, mirror: MirrorServer, mirror_settings: Settings, embedder) -> None:
    # No paper has this phrase, nor its sub-phrases: only some of the words, here and there.
    topic = "Vision-Based Traffic Accident Detection and Anticipation"
    outcome = coverage_search(services.arxiv_client(mirror_settings), embedder, topic,
                              budget=10, max_results=20, strategy=strategy)
    assert outcome.queries[0].source == "words" and outcome.queries[0].returned > 0
    assert len(outcome.candidates) == 20
    assert outcome.stopped and len(mirror.api_hits()) == outcome.requests <= 10


def test_the_same_search_asks_the_same_queries_from_the_cache(
        mirror: MirrorServer, mirror_settings: Settings, embedder) -> None:
    client = services.arxiv_client(mirror_settings)
    first = coverage_search(client, embedder, TOPIC, budget=10, strategy="coverage")
    again = coverage_search(client, embedder, TOPIC, budget=10, strategy="coverage")
    assert [q.query for q in again.queries] == [q.query for q in first.queries]
    assert again.requests == 0 and len(mirror.api_hits()) == first.requests
