"""The guard every role's model gets, exercised with fake chat models (no hosted LLM here)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from agent.llm.errors import LLMCallFailed, is_retryable, rejects_temperature
from agent.llm.factory import guard
from agent.llm.thinking import ThinkFilter, strip_think
from agent.llm.usage import UsageRecorder
from agent.settings import LLMSettings

FAST = LLMSettings(max_retries=2, backoff_base_s=0.001, backoff_max_s=0.01)


class RateLimitError(Exception):
    """Shaped like the OpenAI/Anthropic SDKs' error: a status code and a response with headers."""

    def __init__(self, message: str, status_code: int = 429) -> None:
        super().__init__(message)
        self.status_code = status_code


class ScriptedFakeChatModel(BaseChatModel):
    """A fake chat model that raises or answers from a script and records what it was sent."""

    script: list[Any]
    temperature: float | None = 0.2
    sent: list[dict[str, Any]] = []

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.sent.append({"temperature": self.temperature, "messages": messages})
        outcome = self.script.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        if callable(outcome):
            outcome = outcome(self)
        message = outcome if isinstance(outcome, AIMessage) else AIMessage(outcome)
        return ChatResult(generations=[ChatGeneration(message=message)])


def test_think_blocks_are_stripped_from_a_fake_models_reply() -> None:
    fake = GenericFakeChatModel(messages=iter(["<think>plan: cite 9999.99999</think>\nThe answer."]))
    assert guard(fake, "fake:generic", "writer", FAST).invoke("q").content == "The answer."


def test_think_filter_handles_tags_split_across_stream_chunks() -> None:
    pieces = ["<thi", "nk>secret ", "plan</th", "ink>  Visible", " text <", "b> end"]
    stream = ThinkFilter()
    out = "".join(stream.feed(p) for p in pieces) + stream.flush()
    assert out == "Visible text <b> end"
    unclosed = ThinkFilter()
    assert unclosed.feed("<think>never closed") + unclosed.flush() == ""
    assert strip_think("reasoning only</think>answer") == "answer"
    assert strip_think("no tags here") == "no tags here"


def test_streaming_through_the_guard_drops_think_text_from_a_fake_model() -> None:
    fake = GenericFakeChatModel(messages=iter(["<think>hidden words</think>Shown words here."]))
    chunks = list(guard(fake, "fake:generic", "chat", FAST).stream("q"))
    assert "".join(str(c.content) for c in chunks) == "Shown words here."
    assert len(chunks) > 2


def test_tool_calls_from_a_fake_model_are_dropped_and_bind_tools_is_refused() -> None:
    reply = AIMessage("Approved.", tool_calls=[{"name": "approve_draft", "args": {}, "id": "1"}])
    model = guard(ScriptedFakeChatModel(script=[reply]), "fake:scripted", "writer", FAST)
    answer = model.invoke("q")
    assert answer.tool_calls == [] and answer.response_metadata["dropped_tool_calls"] == ["approve_draft"]
    with pytest.raises(LLMCallFailed, match="take no tools"):
        model.bind_tools([{"name": "approve_draft", "description": "x", "parameters": {}}])


def test_rate_limits_are_retried_and_counted_with_a_fake_model() -> None:
    fake = ScriptedFakeChatModel(script=[RateLimitError("slow down"), RateLimitError("again", 503), "ok"])
    usage = UsageRecorder()
    model = guard(fake, "fake:scripted", "writer", FAST, usage)
    assert model.invoke("q").content == "ok"
    snapshot = usage.snapshot()
    assert snapshot["retries"] == 2 and snapshot["calls"] == 1 and snapshot["errors"] == 0


def test_retries_end_in_a_typed_failure_that_says_so() -> None:
    fake = ScriptedFakeChatModel(script=[RateLimitError("rate limited")] * 3)
    usage = UsageRecorder()
    with pytest.raises(LLMCallFailed, match=r"fake:scripted \(writer\): rate limited \(gave up after 3 tries\)"):
        guard(fake, "fake:scripted", "writer", FAST, usage).invoke("q")
    assert len(fake.sent) == 3 and usage.snapshot()["errors"] == 1


def test_errors_that_retrying_cannot_fix_are_not_retried() -> None:
    auth = ScriptedFakeChatModel(script=[RateLimitError("invalid api key", 401)])
    with pytest.raises(LLMCallFailed, match="refused the credentials"):
        guard(auth, "fake:scripted", "chat", FAST).invoke("q")
    assert len(auth.sent) == 1
    bug = ScriptedFakeChatModel(script=[KeyError("a bug in our code")])
    with pytest.raises(KeyError):
        guard(bug, "fake:scripted", "chat", FAST).invoke("q")


def test_a_temperature_refusal_is_retried_without_it_and_remembered() -> None:
    refusal = RateLimitError("Unsupported parameter: 'temperature' is not supported with this model.", 400)
    fake = ScriptedFakeChatModel(script=[refusal, "first", "second"])
    model = guard(fake, "fake:scripted", "writer", FAST)
    assert model.invoke("q").content == "first"
    assert model.invoke("q").content == "second"
    assert [s["temperature"] for s in fake.sent] == [0.2, None, None]


def test_async_calls_retry_too_with_a_fake_model() -> None:
    fake = ScriptedFakeChatModel(script=[TimeoutError("read timed out"), "<think>x</think>done"])
    assert asyncio.run(guard(fake, "fake:scripted", "chat", FAST).ainvoke("q")).content == "done"


def test_which_models_reject_temperature() -> None:
    for name in ("o1", "o3-mini", "o4-mini", "o1-preview", "gpt-5", "gpt-5-mini", "o3-2025-04-16"):
        assert rejects_temperature(name), name
    for name in ("gpt-4o-mini", "gpt-5-chat-latest", "claude-sonnet-4-5", "qwen3:8b", "olmo-2"):
        assert not rejects_temperature(name), name


def test_retryable_errors_are_recognised_without_importing_an_sdk() -> None:
    assert is_retryable(RateLimitError("x", 429)) and is_retryable(TimeoutError())
    assert not is_retryable(RateLimitError("x", 400)) and not is_retryable(ValueError())

    class APIConnectionError(Exception):
        pass

    assert is_retryable(APIConnectionError())


def test_token_counting_never_falls_back_to_a_downloaded_tokenizer() -> None:
    model = guard(GenericFakeChatModel(messages=iter([])), "fake:generic", "chat", FAST)
    assert model.get_num_tokens("x" * 400) == 100


class _ChunkFake(BaseChatModel):
    """A fake streaming model that fails before its first chunk once."""

    failures: int = 1

    @property
    def _llm_type(self) -> str:
        return "chunk-fake"

    def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
        raise NotImplementedError

    def _stream(self, messages: Any, stop: Any = None, run_manager: Any = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        if self.failures:
            self.failures -= 1
            raise RateLimitError("busy")
        for piece in ["Hel", "lo"]:
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


def test_a_stream_that_fails_before_its_first_chunk_is_retried_with_a_fake_model() -> None:
    model = guard(_ChunkFake(), "fake:chunks", "chat", FAST)
    assert "".join(str(c.content) for c in model.stream("q")) == "Hello"
