"""The chat's side of the tool-calling assistant: run it in a worker, show each step, confirm.

Each tool call appears in the conversation as it is made (`⚙ search(topic=…)`) with a line for
what it returned; a state-changing call opens a confirmation screen and waits for the person.
When the chat model cannot take tools (a provider without tool calling, a broken config), the
message is answered by `ask` instead, and the chat says why.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from agent.llm.errors import LLMError
from agent.llm.prompts import PromptBook
from tools.errors import explain
from tui.agent_tools import build_tools
from tui.chat_agent import (
    AgentFailed,
    AgentReply,
    ChatAgent,
    ToolCalled,
    ToolDeclined,
    ToolReturned,
    describe_call,
    history_messages,
)
from tui.screens.confirm import ConfirmScreen
from tui.widgets.chat_log import AnswerMarkdown, ErrorLine, Notice, Pending, ToolLine
from tui.widgets.run_progress import RunCard

if TYPE_CHECKING:
    from tui.screens.chat import ChatScreen


def run_assistant(screen: ChatScreen, text: str) -> None:
    """Answer `text` with the assistant, in a thread worker."""
    history = list(screen.turns)
    screen.turns.append(("user", text))
    pending = Pending("thinking")
    screen.log_view.say(pending)
    screen.run_worker(lambda: _work(screen, history, text, pending), thread=True, group="chat",
                      exit_on_error=False, name="assistant")


def _assistant(screen: ChatScreen) -> Any:
    """The assistant (built once per chat; raises when the chat model cannot take tools)."""
    if screen.assistant is None:
        app = screen.app
        model = app.backend.agent_model()
        tools = build_tools(app.backend, lambda topic, n: _start_review(screen, topic, n))
        agent = ChatAgent(model, tools, PromptBook(app.settings.llm.prompts), app.settings.tui.agent_steps)
        agent.bound()  # fails now (no tool support) rather than mid-conversation
        screen.assistant = agent
    return screen.assistant


def _work(screen: ChatScreen, history: list[tuple[str, str]], text: str, pending: Pending) -> None:
    app = screen.app
    try:
        agent = _assistant(screen)
    except LLMError as error:
        app.call_from_thread(_fallback, screen, text, pending, explain(error))
        return
    try:
        for step in agent.run(history_messages(history), text, lambda question: _confirm(screen, question)):
            app.call_from_thread(_show, screen, step, pending)
    except Exception as error:  # noqa: BLE001 - a provider's unexpected error: one line, the chat goes on
        app.call_from_thread(_show, screen, AgentFailed(error=explain(error)), pending)


def _fallback(screen: ChatScreen, text: str, pending: Pending, why: str) -> None:
    pending.remove()
    screen.turns.pop()
    screen.log_view.say(Notice(f"[dim]The chat model cannot use tools ({why}); asking the library instead.[/]"))
    screen.command_ask(text)


def _show(screen: ChatScreen, step: Any, pending: Pending) -> None:
    log = screen.log_view
    if isinstance(step, ToolCalled):
        log.mount(ToolLine(f"⚙ {describe_call(step)}"), before=pending)
    elif isinstance(step, ToolDeclined):
        log.mount(ToolLine(f"  ↳ {step.name}: you declined", ok=False), before=pending)
    elif isinstance(step, ToolReturned):
        first = step.text.strip().splitlines()[0] if step.text.strip() else "(nothing)"
        log.mount(ToolLine(f"  ↳ {first[:100]}", ok=step.ok), before=pending)
    elif isinstance(step, AgentReply):
        screen.turns.append(("assistant", step.text))
        log.replace(pending, AnswerMarkdown(step.text or "_(no answer)_", title="assistant"))
    elif isinstance(step, AgentFailed):
        log.replace(pending, ErrorLine(f"the chat model failed: {step.error}"))


def _confirm(screen: ChatScreen, question: str) -> bool:
    """Ask the person (from the worker thread) and wait for the answer."""
    answer: Future[bool] = Future()
    screen.app.call_from_thread(screen.app.push_screen, ConfirmScreen(question),
                                lambda yes: answer.set_result(bool(yes)))
    return answer.result()


def _start_review(screen: ChatScreen, topic: str, max_papers: int) -> str:
    """The review tool: start the run in the app (from the worker thread) and show its card."""
    def start() -> str:
        run_id = screen.app.start_review(topic, max_papers)
        screen.log_view.say(RunCard(run_id))
        return run_id

    run_id = screen.app.call_from_thread(start)
    return (f"Started review run {run_id} on {topic!r}. It pauses at the papers gate: the person approves "
            "the papers, then the outline and the draft, in the app.")
