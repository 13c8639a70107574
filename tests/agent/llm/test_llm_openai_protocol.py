"""The real langchain-openai client against a fake OpenAI-compatible server on 127.0.0.1.

The hosted LLM is the only fake here: requests, retries, headers and usage reports go over real
HTTP through the real SDK, the way a vLLM / LM Studio / llama.cpp server would be used.
"""

from __future__ import annotations

import pytest

from agent.llm.errors import LLMCallFailed
from agent.llm.factory import chat_model
from agent.llm.usage import UsageRecorder
from agent.settings import Settings, load_settings
from evals.fake_openai import FakeOpenAIServer, Fault


def _settings(server: FakeOpenAIServer, **llm: object) -> Settings:
    return load_settings(llm={"writer": "openai:gpt-4o-mini", "planner": "openai:o3-mini",
                              "base_url": server.base_url, "backoff_base_s": 0.01,
                              "backoff_max_s": 0.05, "max_retries": 2,
                              "prices": {"openai:gpt-4o-mini": (0.15, 0.6)}, **llm})


def test_rate_limits_and_overload_are_retried_over_http_by_a_fake_openai_server(
        fake_openai: FakeOpenAIServer) -> None:
    usage = UsageRecorder(_settings(fake_openai).llm.prices)
    model = chat_model(_settings(fake_openai), "writer", usage=usage)
    fake_openai.fail(Fault(429, retry_after="0"), Fault(503, "The server is overloaded"))
    fake_openai.script("<think>let me think</think>Talking heads [@a].")
    assert model.invoke("q").content == "Talking heads [@a]."
    assert len(fake_openai.state.requests) == 3  # the SDK's own retries are off: ours count
    snap = usage.snapshot()
    assert snap["retries"] == 2 and snap["calls"] == 1
    assert snap["by_model"]["openai:gpt-4o-mini"]["input_tokens"] == 1  # the server's usage report
    assert snap["cost_usd"] == round((1 * 0.15 + snap["output_tokens"] * 0.6) / 1e6, 8)


def test_giving_up_on_a_fake_openai_server_is_a_typed_failure(fake_openai: FakeOpenAIServer) -> None:
    model = chat_model(_settings(fake_openai), "writer")
    fake_openai.fail(*[Fault(429)] * 3)
    with pytest.raises(LLMCallFailed, match=r"429.*gave up after 3 tries"):
        model.invoke("q")
    fake_openai.fail(Fault(401, "Incorrect API key provided", retry_after=None))
    with pytest.raises(LLMCallFailed, match="refused the credentials"):
        model.invoke("q")


def test_a_temperature_refusal_from_a_fake_openai_server_is_retried_without_it(
        fake_openai: FakeOpenAIServer) -> None:
    fake_openai.state.reject_temperature = True
    model = chat_model(_settings(fake_openai), "writer")
    assert model.invoke("one").content == "ok" and model.invoke("two").content == "ok"
    sent = [("temperature" in body) for body in fake_openai.state.requests]
    assert sent == [True, False, False]


def test_a_reasoning_model_is_never_sent_temperature_by_the_fake_openai_server_log(
        fake_openai: FakeOpenAIServer) -> None:
    chat_model(_settings(fake_openai), "planner").invoke("plan")
    [body] = fake_openai.state.requests
    assert body["model"] == "o3-mini" and "temperature" not in body


def test_streaming_from_a_fake_openai_server_is_filtered_and_accounted(
        fake_openai: FakeOpenAIServer) -> None:
    usage = UsageRecorder()
    model = chat_model(_settings(fake_openai), "writer", usage=usage)
    fake_openai.script("<think>secret</think>Streamed answer.")
    text = "".join(str(chunk.content) for chunk in model.stream("q"))
    assert text == "Streamed answer."
    assert fake_openai.state.requests[0]["stream"] is True
    assert usage.snapshot()["calls"] == 1
