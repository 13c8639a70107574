"""Query expansion: other names and sub-topics of a topic, each its own arXiv query."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from agent.llm.planner import planner_expansions
from evals.mirror_query import parse
from tools.paper import Paper
from tools.search.expansion import Expansion, literal, merge, phrase_expansions, topic_variants
from tools.search.planner import PlannerError

TALKING = [
    Paper(arxiv_id="2409.02657", title="PoseTalk: Pose Control for One-Shot Talking Head Generation",
          abstract="Previous audio-driven talking head generation (THG) methods generate head poses "
                   "from audio. We synthesise lip-synchronized talking head videos."),
    Paper(arxiv_id="2409.03270", title="SVP: Vivid Portrait Talking Head Diffusion Model",
          abstract="Talking Head Generation (THG), typically driven by audio, matters for digital "
                   "humans. Audio-driven talking head generation lacks style."),
]


def test_every_expansion_is_a_valid_arxiv_query() -> None:
    expansions = [literal("Talking Head Generation"), *topic_variants("Talking Head Generation"),
                  Expansion(phrase="audio driven", source="sub-topic", why="w",
                            within="talking head generation"),
                  Expansion(phrase="THG", source="acronym", why="w")]
    queries = [e.query() for e in expansions]
    assert queries[0] == '(ti:"talking head generation" OR abs:"talking head generation")'
    assert "(ti:talking OR abs:talking) AND (ti:head OR abs:head)" in queries[1]
    assert queries[2] == '(ti:"talking head" OR abs:"talking head")'
    assert queries[3].startswith('((ti:"audio driven" OR abs:"audio driven") AND (ti:talking')
    for query in queries:
        parse(query)  # the mirror's parser of arXiv's query language accepts it


def test_a_query_narrower_than_a_complete_one_is_recognised() -> None:
    topic = literal("talking head")
    everything = Expansion(phrase="talking head generation", source="all words", why="w")
    assert Expansion(phrase="audio driven talking heads", source="key phrase", why="w").narrower_than(topic)
    assert not Expansion(phrase="talking face", source="key phrase", why="w").narrower_than(topic)
    assert Expansion(phrase="generation of talking head", source="key phrase",
                     why="w").narrower_than(everything)
    assert not everything.narrower_than(topic)
    subtopic = Expansion(phrase="audio driven", source="sub-topic", why="w", within="talking head")
    assert not subtopic.narrower_than(topic)
    assert merge([topic, literal("Talking heads"), everything]) == [topic, everything]


def test_expansions_from_the_first_results_name_acronym_and_sub_topics(embedder) -> None:
    found = phrase_expansions("talking head generation", TALKING, embedder, k=6,
                              asked=["talking head"])
    by_source = {e.source: e for e in found}
    assert by_source["acronym"].phrase == "THG"
    assert "talking head generation" in by_source["acronym"].why
    subtopics = [e for e in found if e.source == "sub-topic"]
    assert "audio driven" in [e.phrase for e in subtopics]
    assert all(e.within == "talking head generation" for e in subtopics)
    assert all(e.why for e in found)
    # Nothing that can only find what "talking head" already found.
    assert not any(e.narrower_than(literal("talking head")) for e in found)


def test_fake_planner_model_adds_phrasings_and_sub_topics() -> None:
    reply = ('{"phrasings": ["talking face generation", "Talking Head Generation", "audio-driven '
             'portrait animation"], "subtopics": ["lip synchronization", "a b c d e f g h"]}')
    model = FakeListChatModel(responses=[reply])
    found = planner_expansions(model, "talking head generation", ["SVP: Vivid Portrait"])
    assert [e.phrase for e in found if not e.within] == ["talking face generation",
                                                          "audio driven portrait animation"]
    assert [e.phrase for e in found if e.within] == ["lip synchronization"]
    assert all(e.source == "planner" and "planner model" in e.why for e in found)


def test_fake_planner_model_that_never_answers_in_shape_is_a_planner_error() -> None:
    model = FakeListChatModel(responses=["I think you should search for heads.", "Still no JSON."])
    with pytest.raises(PlannerError, match="no expansions"):
        planner_expansions(model, "talking head generation")
