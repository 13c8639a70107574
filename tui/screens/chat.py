"""The chat: slash commands and questions, answered in the conversation as work finishes.

Every command runs its backend call in a thread worker and shows a placeholder until the
result replaces it, so the prompt keeps taking keys (type the next question while an ingest
reads PDFs). Free text asks the library, or goes to the tool-calling assistant when `llm.chat`
is set (`tui.screens.chat_assistant`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from agent.summary.render import render_summary_markdown
from tools.errors import explain
from tools.paper import split_arxiv_id
from tui.app_node import AppNode
from tui.commands import CommandError, Parsed, parse, review_arguments, split_items
from tui.messages import LibraryChanged, PaperRequested
from tui.screens.chat_assistant import run_assistant
from tui.screens.pick import PickScreen
from tui.widgets.chat_log import AnswerMarkdown, ChatLog, ErrorLine, Notice, Pending, UserMessage
from tui.widgets.command_input import CommandInput
from tui.widgets.header import AppHeader
from tui.widgets.results import IngestCard, SearchResults, digest_markdown
from tui.widgets.run_progress import RunCard

WELCOME = ("Ask a question about your library, or type [b]/[/b] for commands: [b]/search[/b] a topic, "
           "[b]/ingest[/b] papers, [b]/review[/b] a topic. F1 lists every key.")
Show = Callable[[Any], "Widget | list[Widget] | None"]


class ChatScreen(AppNode, Screen):
    """The conversation with the assistant."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "sources", "Sources"),
        Binding("ctrl+l", "clear", "Clear"),
        Binding("escape", "focus_prompt", "Prompt", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.turns: list[tuple[str, str]] = []
        """The conversation as (role, text), for the assistant's context."""
        self.assistant: Any = None

    def compose(self) -> ComposeResult:
        yield AppHeader("chat")
        yield ChatLog(id="log")
        yield CommandInput(id="command")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        model = self.app.backend.chat_model_name()
        mode = (f"Free text goes to the assistant ([b]{model}[/b]); it shows each tool it uses." if model
                else "No chat model is set (llm.chat): answers quote the papers, each claim cited.")
        self.log_view.say(Notice(f"{WELCOME}\n[dim]{mode}[/]"))
        self.query_one("#completions").can_focus = False
        self.query_one("#prompt").focus()

    @property
    def log_view(self) -> ChatLog:
        return self.query_one(ChatLog)

    # -- dispatch -------------------------------------------------------------------------------

    @on(CommandInput.Submitted)
    def submitted(self, event: CommandInput.Submitted) -> None:
        self.log_view.say(UserMessage(event.value))
        try:
            parsed = parse(event.value)
        except CommandError as error:
            self.log_view.say(ErrorLine(str(error)))
            return
        if parsed is None:
            self.free_text(event.value)
        else:
            self.run_command(parsed)

    def run_command(self, parsed: Parsed) -> None:
        """Run a slash command (also used by the tests and the tmux script)."""
        getattr(self, f"command_{parsed.name}")(parsed.argument)

    def background(self, label: str, job: Callable[[], Any], show: Show, name: str = "") -> Pending:
        """Run `job` in a thread worker behind a placeholder; `show` turns its result into widgets."""
        pending = Pending(label)
        self.log_view.say(pending)
        self.run_worker(lambda: self._background(pending, job, show), thread=True, group="chat",
                        exit_on_error=False, name=name or label)
        return pending

    def _background(self, pending: Pending, job: Callable[[], Any], show: Show) -> None:
        try:
            result = job()
        except Exception as error:  # noqa: BLE001 - the chat's one place for failures: message and hint, the app goes on
            self.app.call_from_thread(self._failed, pending, error)
            return
        self.app.call_from_thread(self._done, pending, show, result)

    def _done(self, pending: Pending, show: Show, result: Any) -> None:
        shown = show(result)
        widgets = shown if isinstance(shown, list) else [shown] if shown is not None else []
        if not widgets:
            pending.remove()
            return
        self.log_view.replace(pending, widgets[0])
        for widget in widgets[1:]:
            self.log_view.mount(widget, after=widgets[widgets.index(widget) - 1])

    def _failed(self, pending: Pending, error: BaseException) -> None:
        self.log_view.replace(pending, ErrorLine(explain(error)))

    # -- commands -------------------------------------------------------------------------------

    def command_search(self, topic: str) -> None:
        count = self.app.settings.tui.search_results

        def show(outcome: Any) -> list[Widget]:
            if not outcome.results:
                return [Notice(f"arXiv found nothing for “{topic}”.", markup=False)]
            ids = " ".join(p.arxiv_id for p in outcome.results[:3])
            return [SearchResults(topic, outcome),
                    Notice(f"[dim]Read some in full: /ingest {ids} …  ·  or review them: /review {topic}[/]")]

        self.background(f"searching arXiv for “{topic}”", lambda: self.app.backend.search(topic, count), show)

    def command_ingest(self, argument: str) -> None:
        items = split_items(argument)
        card = IngestCard(items)
        self.log_view.say(card)

        def progress(done: int, total: int, item: str) -> None:
            self.app.call_from_thread(card.progress, done, total, item)

        def show(results: list[Any]) -> None:
            card.finish(results)
            self.post_message(LibraryChanged())

        pending = self.background("", lambda: self.app.backend.ingest(items, progress), show, name="ingest")
        pending.display = False

    def command_ask(self, question: str) -> None:
        self.turns.append(("user", question))
        self.background("reading the library", lambda: self.app.backend.ask(question), self._show_answer)

    def _show_answer(self, answer: Any) -> list[Widget]:
        self.turns.append(("assistant", answer.answer))
        if answer.mode == "empty":
            return [Notice(answer.answer + " Try /ingest ID or /search TOPIC.", markup=False)]
        title = f"{len({p.arxiv_id for p in answer.passages})} papers · {answer.mode}"
        widgets: list[Widget] = [AnswerMarkdown(answer.answer, title=title)]
        if answer.notice:
            widgets.append(Notice(f"[dim]{answer.notice}[/]"))
        if answer.removed_citations:
            widgets.append(Notice(f"[dim]removed citations that match no passage: "
                                  f"{', '.join(answer.removed_citations)}[/]"))
        widgets.append(Notice("[dim]Click a citation, or ctrl+o, to open the paper.[/]"))
        return widgets

    def command_review(self, argument: str) -> None:
        topic, max_papers = review_arguments(argument, self.app.settings.tui.review_papers)
        run_id = self.app.start_review(topic, max_papers)
        self.log_view.say(RunCard(run_id))
        self.log_view.say(Notice("[dim]It pauses for you at the papers, outline and draft; progress in Runs (F3).[/]"))

    def command_summarize(self, argument: str) -> None:
        arxiv_id = _paper_id(argument)

        def show(summary: Any) -> Widget:
            return AnswerMarkdown(render_summary_markdown(summary), title=f"summary · {summary.mode}")

        self.background(f"summarizing {arxiv_id}", lambda: self.app.backend.summarize(arxiv_id), show)

    def command_digest(self, keyword: str) -> None:
        self.background("building the digest", lambda: self.app.backend.digest(keyword),
                        lambda digest: AnswerMarkdown(digest_markdown(digest), title="digest"))

    def command_runs(self, _: str) -> None:
        self.app.switch_mode("runs")

    def command_library(self, _: str) -> None:
        self.app.switch_mode("library")

    def command_open(self, argument: str) -> None:
        self.post_message(PaperRequested(_paper_id(argument)))

    def command_clear(self, _: str) -> None:
        self.action_clear()

    def command_help(self, _: str) -> None:
        self.app.action_help()

    # -- free text ------------------------------------------------------------------------------

    def free_text(self, text: str) -> None:
        """Ask the library, or hand the message to the assistant when a chat model is set."""
        if not self.app.backend.chat_model_name():
            self.command_ask(text)
            return
        run_assistant(self, text)

    # -- actions --------------------------------------------------------------------------------

    def action_sources(self) -> None:
        """Pick one of the papers the latest answer cites, and open it."""
        citations = self.log_view.last_citations()
        if not citations:
            self.notify("No answer with citations yet: ask a question first.")
            return
        options = [(c.label, c) for c in citations]

        def chosen(citation: Any) -> None:
            if citation is not None:
                self.post_message(PaperRequested(citation.arxiv_id, citation))

        self.app.push_screen(PickScreen("Open a cited paper", options), chosen)

    def action_clear(self) -> None:
        self.log_view.remove_children()
        self.turns.clear()

    def action_focus_prompt(self) -> None:
        self.query_one("#prompt").focus()


def _paper_id(text: str) -> str:
    """A library key from `2501.12948v2`, an arXiv URL or a `local-…` key (as typed otherwise)."""
    text = text.strip()
    if text.startswith("local-"):
        return text
    try:
        return split_arxiv_id(text)[0]
    except ValueError:
        return text
