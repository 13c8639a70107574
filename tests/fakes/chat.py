"""Fake chat models for code paths that need a hosted LLM (which cannot run here).

`ScriptedFakeChatModel` answers through a Python function of the last user message and records
every prompt it got, so tests can check both what the code asked and what it did with the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


class ScriptedFakeChatModel(BaseChatModel):
    """A chat model whose answer is `reply(last user message)`; raises if `reply` raises."""

    reply: Callable[[str], str]
    prompts: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.prompts.append(list(messages))
        answer = self.reply(str(messages[-1].content))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=answer))])


def fake_translation(text: str) -> str:
    """A stand-in "translation": recognisably different from the input, and deterministic."""
    return f"【译】{text}"
