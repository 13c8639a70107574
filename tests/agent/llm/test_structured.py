"""Structured output: validation and a bounded repair retry, with fake chat models."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from pydantic import BaseModel, Field

from agent.llm.errors import StructuredOutputError
from agent.llm.factory import guard
from agent.llm.structured import extract_json, structured
from agent.settings import LLMSettings


class SearchPlan(BaseModel):
    queries: list[str] = Field(min_length=1)
    year_from: int


class RecordingFakeChatModel(FakeListChatModel):
    """A fake list model that keeps every prompt it was sent."""

    prompts: list[list[str]] = []

    def _call(self, messages, *args, **kwargs):  # type: ignore[override]
        self.prompts.append([str(m.content) for m in messages])
        return super()._call(messages, *args, **kwargs)


def test_a_valid_reply_in_a_code_fence_validates_first_time_with_a_fake_model() -> None:
    fake = RecordingFakeChatModel(responses=['Sure!\n```json\n{"queries": ["talking head"], "year_from": 2020}\n```'])
    plan = structured(fake, SearchPlan, "Plan a search on talking heads.")
    assert plan == SearchPlan(queries=["talking head"], year_from=2020)
    [prompt] = fake.prompts
    assert prompt[-1].startswith("Plan a search on talking heads.") and '"year_from"' in prompt[-1]


def test_an_invalid_reply_is_repaired_once_with_the_error_shown_to_a_fake_model() -> None:
    fake = RecordingFakeChatModel(responses=['{"queries": [], "year_from": "soon"}',
                                             '{"queries": ["audio-driven portrait"], "year_from": 2021}'])
    plan = structured(guard(fake, "fake:list", "planner", LLMSettings()), SearchPlan, "Plan.")
    assert plan.queries == ["audio-driven portrait"]
    repair = fake.prompts[1]
    assert "queries" in repair[-1] and "year_from" in repair[-1] and "not valid" in repair[-1]
    assert repair[-2] == '{"queries": [], "year_from": "soon"}'


def test_the_repair_is_bounded_and_ends_in_a_clear_error_with_a_fake_model() -> None:
    fake = RecordingFakeChatModel(responses=["I cannot do JSON.", "Still prose.", '{"queries": ["x"], "year_from": 1}'])
    with pytest.raises(StructuredOutputError, match="no valid SearchPlan after 2 tries: no JSON object"):
        structured(fake, SearchPlan, "Plan.", retries=1)
    assert len(fake.prompts) == 2


def test_with_structured_output_on_a_guarded_fake_model() -> None:
    fake = FakeListChatModel(responses=['<think>{"queries": "wrong"}</think>{"queries": ["a"], "year_from": 2024}'])
    runnable = guard(fake, "fake:list", "planner", LLMSettings()).with_structured_output(SearchPlan)
    assert runnable.invoke("Plan.") == SearchPlan(queries=["a"], year_from=2024)


def test_extract_json_respects_braces_inside_strings() -> None:
    assert extract_json('x {"a": "}{", "b": {"c": "\\"}"}} y') == '{"a": "}{", "b": {"c": "\\"}"}}'
    with pytest.raises(ValueError, match="not closed"):
        extract_json('{"a": 1')
