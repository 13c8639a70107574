"""A chat model may pick section names, only among the phrases the papers use (fake chat models:
no hosted LLM can run here)."""

from __future__ import annotations

import itertools

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from review_corpus import THG, VAD, abstract_only, seed_papers

from agent.review.naming_llm import model_namer
from agent.review.outline import build_outline, paper_text
from tools.text.naming import name_problem


def fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=itertools.cycle([AIMessage(r) for r in replies]))


def test_the_model_picks_by_number_and_anything_else_keeps_the_first() -> None:
    names = ["Surveillance videos", "Weakly supervised learning", "Anomalous events"]
    assert model_namer(fake("2"), "vad")(names, ["A title"]) == "Weakly supervised learning"
    assert model_namer(fake("Number 3."), "vad")(names, ["A title"]) == "Anomalous events"
    assert model_namer(fake("7"), "vad")(names, ["A title"]) is None
    assert model_namer(fake("a brand new name"), "vad")(names, ["A title"]) is None


def test_outline_names_chosen_by_a_model_still_pass_the_naming_rule(embedder) -> None:
    papers = [abstract_only(p) for topic in (VAD, THG) for p in seed_papers(topic, 6)]
    picked: list[tuple[list[str], str]] = []

    def last(names: list[str], titles: list[str]) -> str:
        picked.append((names, names[-1]))
        return names[-1]

    outline = build_outline("video", papers, embedder, namer=last)
    texts = {p.paper.arxiv_id: paper_text(p) for p in papers}
    topic = [t for t in outline.themes if t.kind == "topic"]
    assert topic and picked
    for theme in topic:
        assert any(theme.title == name for _, name in picked)
        assert not name_problem(theme.title, [texts[i] for i in theme.paper_ids])
