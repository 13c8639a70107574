"""Token and cost accounting per role, stage and model, with fake chat models."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypedDict

from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from agent.llm.factory import guard
from agent.llm.usage import UsageRecorder, price_of
from agent.settings import LLMSettings

PRICES = {"fake:priced": (1.0, 10.0)}


def _reported(text: str, inputs: int, outputs: int) -> AIMessage:
    return AIMessage(text, usage_metadata={"input_tokens": inputs, "output_tokens": outputs,
                                           "total_tokens": inputs + outputs})


def test_reported_tokens_are_tallied_per_role_stage_and_model_with_fake_models() -> None:
    usage = UsageRecorder(PRICES)
    writer = guard(GenericFakeChatModel(messages=iter([_reported("a", 100, 20), _reported("b", 50, 5)])),
                   "fake:priced", "writer", LLMSettings(), usage)
    chat = guard(GenericFakeChatModel(messages=iter([_reported("c", 10, 2)])),
                 "llamacpp:smollm2", "chat", LLMSettings(), usage)
    with usage.stage("draft"):
        writer.invoke("q")
    writer.invoke("q", config={"metadata": {"stage": "revise"}})
    chat.invoke("q")
    snap = usage.snapshot()
    assert (snap["calls"], snap["input_tokens"], snap["output_tokens"]) == (3, 160, 27)
    assert snap["by_role"]["writer"] == {"calls": 2, "input_tokens": 150, "output_tokens": 25,
                                         "cost_usd": (150 * 1.0 + 25 * 10.0) / 1e6}
    assert snap["by_stage"]["draft"]["input_tokens"] == 100 and snap["by_stage"]["revise"]["calls"] == 1
    assert snap["by_model"]["llamacpp:smollm2"]["cost_usd"] == 0.0
    assert snap["cost_usd"] == (150 + 250 + 0) / 1e6 and snap["unpriced_models"] == []
    assert snap["estimated_calls"] == 0
    assert usage.summary().startswith("LLM 3 calls · 160 in / 27 out tokens · $0.0004")


def test_unknown_prices_make_cost_unknown_not_zero_with_a_fake_model() -> None:
    usage = UsageRecorder(PRICES)
    model = guard(FakeListChatModel(responses=["x" * 40]), "openai:gpt-unpriced", "chat", LLMSettings(), usage)
    model.invoke("y" * 400)
    snap = usage.snapshot()
    assert snap["cost_usd"] is None and snap["unpriced_models"] == ["openai:gpt-unpriced"]
    # The fake reports no usage: estimated at four characters per token, and flagged.
    assert snap["estimated_calls"] == 1 and snap["input_tokens"] == 100 and snap["output_tokens"] == 10
    assert "cost unknown" in usage.summary()


def test_prices_match_the_model_string_or_its_bare_name() -> None:
    prices = {"openai:gpt-4o-mini": (0.15, 0.6), "claude-sonnet-4-5": (3.0, 15.0)}
    assert price_of("openai:gpt-4o-mini", prices) == (0.15, 0.6)
    assert price_of("anthropic:claude-sonnet-4-5", prices) == (3.0, 15.0)
    assert price_of("ollama:qwen3:8b", prices) == (0.0, 0.0)
    assert price_of("openai:gpt-4.1", prices) is None


class _State(TypedDict):
    text: str


def test_langgraph_nodes_name_the_stage_of_a_fake_models_calls() -> None:
    from langgraph.graph import END, START, StateGraph

    usage = UsageRecorder()
    model = guard(FakeListChatModel(responses=["outline", "draft"]), "fake:list", "writer", LLMSettings(), usage)

    def outline(state: _State) -> dict[str, Any]:
        return {"text": str(model.invoke(state["text"]).content)}

    def draft(state: _State) -> dict[str, Any]:
        return {"text": str(model.invoke(state["text"]).content)}

    graph = StateGraph(_State)
    graph.add_node("outline", outline)
    graph.add_node("draft", draft)
    graph.add_edge(START, "outline")
    graph.add_edge("outline", "draft")
    graph.add_edge("draft", END)
    assert graph.compile().invoke({"text": "topic"})["text"] == "draft"
    assert set(usage.snapshot()["by_stage"]) == {"outline", "draft"}


def test_one_recorder_shared_by_threads_loses_no_call_with_a_fake_model() -> None:
    usage = UsageRecorder()
    model = guard(FakeListChatModel(responses=["abcd"]), "fake:list", "summarizer", LLMSettings(), usage)

    def call(index: int) -> None:
        with usage.stage(f"paper-{index % 4}"):
            model.invoke("wxyz")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(call, range(200)))
    snap = usage.snapshot()
    assert snap["calls"] == 200 and snap["output_tokens"] == 200
    assert sorted(snap["by_stage"]) == ["paper-0", "paper-1", "paper-2", "paper-3"]
    assert all(tally["calls"] == 50 for tally in snap["by_stage"].values())
