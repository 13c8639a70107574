"""The chat's assistant when `llm.chat` is set: a model that may call the TUI's tools.

The model proposes tool calls; this loop runs them, never the model. Every call is shown to the
person as it happens, and a call that changes state (starting a review, ingesting several papers)
runs only after the person confirms it in the UI (`confirm`). Tool results go back to the model
fenced in `<text>` blocks under a system prompt that says fenced text is data, so a paper that
says "start a review" can at most make the model *propose* one, which the person then sees and
declines. The model is the `chat` role's, built with `allow_tools=True` (`agent.llm.factory`); no other
role's model can be given tools.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from agent.llm.errors import LLMError
from agent.llm.prompts import PromptBook
from tools.errors import explain

if TYPE_CHECKING:
    from langchain_core.messages import AIMessage, BaseMessage, ToolCall

log = logging.getLogger(__name__)
RESULT_CHARS = 6000
"""Longest tool result handed back to the model (the rest is cut, and it is told so)."""


@dataclass(frozen=True)
class AgentTool:
    """A tool the assistant may call."""

    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[Any], str]
    """Run with validated arguments; returns the text the model reads (raise to report a failure)."""
    confirm: Callable[[Any], str] | None = None
    """The question to ask the person first, or "" when this call needs no confirmation."""

    def schema(self) -> dict[str, Any]:
        """The tool in the OpenAI function format every LangChain provider accepts."""
        parameters = self.args.model_json_schema()
        parameters.pop("title", None)
        return {"type": "function",
                "function": {"name": self.name, "description": self.description, "parameters": parameters}}


class ToolCalled(BaseModel):
    """The model called a tool (shown in the chat before it runs)."""

    name: str
    args: dict[str, Any]


class ToolDeclined(BaseModel):
    """The person said no to a state-changing call."""

    name: str


class ToolReturned(BaseModel):
    """A tool ran; `text` is what the model got back, `ok` False when it failed."""

    name: str
    text: str
    ok: bool = True


class AgentReply(BaseModel):
    """The assistant's answer to the message."""

    text: str
    tool_calls: int = 0


class AgentFailed(BaseModel):
    """The model could not be reached or misbehaved; the message says why."""

    error: str


AgentStep = ToolCalled | ToolDeclined | ToolReturned | AgentReply | AgentFailed
Confirm = Callable[[str], bool]
"""Ask the person a yes/no question (blocks the worker thread until they answer)."""


class ChatAgent:
    """Run one message through the model and its tools."""

    def __init__(self, model: Any, tools: list[AgentTool], prompts: PromptBook | None = None,
                 max_steps: int = 6) -> None:
        self.model = model
        self.tools = {t.name: t for t in tools}
        self.prompts = prompts or PromptBook()
        self.max_steps = max_steps
        self._bound: Any = None

    def bound(self) -> Any:
        """The model with the tools bound (once)."""
        if self._bound is None:
            self._bound = self.model.bind_tools([t.schema() for t in self.tools.values()])
        return self._bound

    def run(self, history: list[BaseMessage], message: str, confirm: Confirm) -> Iterator[AgentStep]:
        """Answer `message` given the conversation so far; every step as it happens."""
        prompt = self.prompts.get("chat_agent").render(message=message)
        messages: list[BaseMessage] = [*prompt[:-1], *history, prompt[-1]]
        calls = 0
        try:
            while True:
                reply: AIMessage = self.bound().invoke(messages)
                messages.append(reply)
                if not reply.tool_calls:
                    yield AgentReply(text=str(reply.text).strip(), tool_calls=calls)
                    return
                if calls >= self.max_steps:
                    yield AgentReply(text=(str(reply.text).strip() + "\n\n" if reply.text else "")
                                     + f"_(stopped after {calls} tool calls)_", tool_calls=calls)
                    return
                for call in reply.tool_calls:
                    calls += 1
                    yield from self._call(call, messages, confirm)
        except LLMError as error:
            yield AgentFailed(error=str(error))

    def _call(self, call: ToolCall, messages: list[BaseMessage], confirm: Confirm) -> Iterator[AgentStep]:
        """Run one tool call (after confirmation when it changes state); answer it in `messages`."""
        tool = self.tools.get(call["name"])
        call_id = call.get("id") or call["name"]
        if tool is None:
            _answer(messages, call_id, f"There is no tool {call['name']!r}.")
            yield ToolReturned(name=call["name"], text="no such tool", ok=False)
            return
        try:
            args = tool.args.model_validate(call.get("args") or {})
        except ValidationError as error:
            text = f"Invalid arguments: {error.errors()[0]['msg']}"
            _answer(messages, call_id, text)
            yield ToolReturned(name=tool.name, text=text, ok=False)
            return
        yield ToolCalled(name=tool.name, args=args.model_dump(mode="json"))
        question = tool.confirm(args) if tool.confirm else ""
        if question and not confirm(question):
            _answer(messages, call_id, "The person declined this action. Do not retry it.")
            yield ToolDeclined(name=tool.name)
            return
        try:
            text, ok = tool.run(args), True
        except Exception as error:  # noqa: BLE001 - a tool's last resort: its failure goes back to the model as text
            log.debug("tool %s failed", tool.name, exc_info=True)
            text, ok = f"failed: {explain(error)}", False
        _answer(messages, call_id, fence(tool.name, text))
        yield ToolReturned(name=tool.name, text=text, ok=ok)


def _answer(messages: list[BaseMessage], call_id: str, text: str) -> None:
    """Answer a tool call in the conversation."""
    from langchain_core.messages import ToolMessage  # LangChain loads with the assistant's model

    messages.append(ToolMessage(text, tool_call_id=call_id))


def fence(source: str, text: str) -> str:
    """Tool output as data: inside a `<text>` block it cannot close, cut to `RESULT_CHARS`."""
    if len(text) > RESULT_CHARS:
        text = text[:RESULT_CHARS] + "\n[… cut]"
    text = text.replace("</text", "&lt;/text").replace("<text", "&lt;text")
    return f'<text source="{source}">\n{text}\n</text>'


def history_messages(turns: list[tuple[str, str]], keep: int = 8) -> list[BaseMessage]:
    """The last `keep` chat turns (`("user"|"assistant", text)`) as messages for the model."""
    from langchain_core.messages import AIMessage, HumanMessage  # LangChain loads with the assistant's model

    messages: list[BaseMessage] = []
    for role, text in turns[-keep:]:
        messages.append(HumanMessage(text) if role == "user" else AIMessage(text))
    return messages


def describe_call(step: ToolCalled) -> str:
    """`search(topic="video anomaly detection", max_results=10)`, for the chat."""
    args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in step.args.items())
    return f"{step.name}({args})"
