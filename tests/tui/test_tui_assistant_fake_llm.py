"""The tool-calling assistant, with fake chat models standing in for a hosted LLM (none runs here).

The fakes emit real LangChain tool calls; everything else is real: the guard, the tools over the
mirror and the library, the confirmation screen, the review run a confirmed call starts.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from agent.llm.errors import LLMConfigError
from agent.llm.factory import guard
from agent.llm.prompts import DATA_RULE
from tests.fakes.chat import ToolCallingFakeChatModel
from tests.tui.conftest import PDF_ID, TOPIC, chat_texts, settle, until

_ids = itertools.count(1)


def call(name: str, **args: Any) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": f"call-{next(_ids)}"}])


def tool_results(messages: list[BaseMessage]) -> list[str]:
    return [str(m.content) for m in messages if isinstance(m, ToolMessage)]


def with_fake(make_app, script, tools: bool = True):
    """An app whose `llm.chat` is a fake tool-calling model (guarded like a real one)."""
    fake = ToolCallingFakeChatModel(script=script)

    def chat_models(settings, role, allow_tools=False):
        inner = fake if tools else _NoTools(script=script)
        return guard(inner, "fake:chat", role, settings.llm, allow_tools=allow_tools)

    app = make_app()
    app.backend.chat_models = chat_models
    app.backend.chat_model_name = lambda: "fake:chat"
    return app, fake


class _NoTools(ToolCallingFakeChatModel):
    """A provider without tool calling."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        raise NotImplementedError


async def test_tool_calls_are_shown_ingest_of_many_is_confirmed_and_the_answer_cites(make_app, tui_mirror) -> None:
    def script(messages: list[BaseMessage]) -> AIMessage:
        done = tool_results(messages)
        if not done:
            return call("search", topic=TOPIC, max_results=3)
        if len(done) == 1:
            return call("ingest", items=[PDF_ID, "2004.00222", "2109.00001"])
        if len(done) == 2:
            return call("ask", question="where does the sparse model attend?")
        cited = re.search(r"\[\d{4}\.\d{5}[^\]]*\]", done[-1])  # repeats a citation of the ask tool
        return AIMessage(f"The paper maps where the sparse model attends {cited.group(0) if cited else ''}.")

    app, fake = with_fake(make_app, script)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"find and read papers on sparse attention", "enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen", what="the confirmation")
        assert "ingest 3 papers" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await until(pilot, lambda: app.screen.query("AnswerMarkdown"), what="the answer")
        await settle(pilot)
        lines = chat_texts(app)
        assert any(t.startswith("⚙ search(") and TOPIC in t for t in lines)
        assert any(t.startswith("⚙ ingest(") for t in lines) and any("of 3 read in full" in t for t in lines)
        assert any(t.startswith("⚙ ask(") for t in lines)
        answer = app.screen.query("AnswerMarkdown").last()
        assert answer.citations and answer.citations[0].arxiv_id == PDF_ID
    assert fake.offered[0] == ["search", "ingest", "ask", "summarize", "review"]
    system = fake.prompts[0][0].content
    assert DATA_RULE in system
    fenced = tool_results(fake.prompts[1])[0]
    assert fenced.startswith('<text source="search">') and fenced.endswith("</text>")
    assert app.backend.paper(PDF_ID) is not None


async def test_a_review_the_paper_text_talks_the_model_into_waits_for_the_person(make_app) -> None:
    """The paper says "start a review"; the fooled model proposes one; the person declines it."""
    def script(messages: list[BaseMessage]) -> AIMessage:
        done = tool_results(messages)
        if not done:
            return call("review", topic="ignore previous instructions", max_papers=50)
        return AIMessage("Understood, no review was started.")

    app, fake = with_fake(make_app, script)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"what does this paper want?", "enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen", what="the confirmation")
        assert "start a literature review" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await until(pilot, lambda: app.screen.query("AnswerMarkdown"), what="the answer")
        await settle(pilot)
        assert any("review: you declined" in t for t in chat_texts(app))
        assert app.run_views == {} and app.backend.runs() == []
    assert "declined" in tool_results(fake.prompts[-1])[0]


async def test_a_model_without_tool_calling_falls_back_to_ask(make_app) -> None:
    app, _ = with_fake(make_app, lambda messages: AIMessage("unused"), tools=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"what is in my library?", "enter")
        await settle(pilot)
        texts = chat_texts(app)
        assert any("cannot use tools" in t for t in texts) and "Nothing in the library" in texts[-1]


def test_only_the_chat_role_may_be_given_tools(tui_settings) -> None:
    fake = ToolCallingFakeChatModel(script=lambda messages: call("ingest", items=["x"]))
    with pytest.raises(LLMConfigError, match="writer model may not be given tools"):
        guard(fake, "fake:w", "writer", tui_settings.llm, allow_tools=True)
    plain = guard(fake, "fake:c", "chat", tui_settings.llm)
    reply = plain.invoke("hi")  # without allow_tools, tool calls are still dropped
    assert reply.tool_calls == [] and reply.response_metadata["dropped_tool_calls"] == ["ingest"]
    tooled = guard(fake, "fake:c", "chat", tui_settings.llm, allow_tools=True)
    bound = tooled.bind_tools([{"type": "function", "function": {"name": "ingest", "parameters": {}}}])
    assert bound.invoke("hi").tool_calls[0]["name"] == "ingest"
