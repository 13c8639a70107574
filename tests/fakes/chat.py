"""Fake chat models for code paths that need a hosted LLM (which cannot run here).

`ScriptedFakeChatModel` answers through a Python function of the last user message and records
every prompt it got, so tests can check both what the code asked and what it did with the answer.
Wrap it with `agent.llm.factory.guard` (see `guarded`) to get the same error typing as a real model.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from agent.settings import LLMSettings


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


def guarded(fake: BaseChatModel, role: str = "translator", name: str = "fake:model") -> BaseChatModel:
    """The fake wrapped like every real model (typed errors), without retries."""
    from agent.llm.factory import guard

    return guard(fake, name, role, LLMSettings(max_retries=0))


def fenced_text(prompt: str) -> str:
    """The text inside a translate prompt's `<text>` fence, unescaped (the prompt itself otherwise)."""
    found = re.search(r"<text>\n?(.*?)\n?</text>", prompt, re.DOTALL)
    return html.unescape(found.group(1)) if found else prompt


def fake_translation(prompt: str) -> str:
    """A stand-in "translation": recognisably different from the input, and deterministic."""
    return f"【译】{fenced_text(prompt)}"


class ToolCallingFakeChatModel(BaseChatModel):
    """A fake of a hosted tool-calling model: replies come from `script(messages)`, which may
    return an `AIMessage` with `tool_calls`. `bind_tools` formats tools like a provider would and
    records them, so tests can check what the model was offered."""

    script: Callable[[list[BaseMessage]], AIMessage]
    prompts: list[list[BaseMessage]] = Field(default_factory=list)
    offered: list[list[str]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "tool-calling-fake"

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        names = [t["function"]["name"] if "function" in t else t["name"] for t in tools]
        self.offered.append(names)
        return self.bind(tools=list(tools), **kwargs)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        self.prompts.append(list(messages))
        return ChatResult(generations=[ChatGeneration(message=self.script(list(messages)))])
