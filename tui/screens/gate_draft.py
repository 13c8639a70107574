"""The draft gate: read the verified draft, then approve it or send it back with feedback."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Input, Markdown, Static

from agent.review.approval import DraftRequest
from tui.screens.gate_base import GateScreen, LineEditor


def draft_facts(request: DraftRequest) -> str:
    """`revision 0 · extractive · 1,204 words · 31 citations (0 unresolved, 2 unsupported) · 2 revisions left`."""
    c = request.citations
    words = len(request.markdown.split())
    return (f"revision {request.revision} · {escape(request.writer)} · {words:,} words · "
            f"{c.get('total', 0)} citations ({c.get('unresolved', 0)} unresolved, "
            f"{c.get('unsupported', 0)} unsupported) · {request.revisions_left} revisions left")


class DraftGate(GateScreen):
    """Approve the draft (ctrl+s), or revise it with feedback (r)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("r", "revise", "Revise")]
    request: DraftRequest

    def compose(self) -> ComposeResult:
        with Vertical(classes="gate"):
            yield Static(f"[b]Approve the draft[/b] “{escape(self.request.title)}”  [dim]run {self.run_id}[/]",
                         classes="gate-title")
            yield Static(draft_facts(self.request), id="draft-facts", classes="gate-subtitle")
            if self.request.notes:
                yield Static("\n".join(f"note: {escape(n)}" for n in self.request.notes), id="draft-notes")
            with VerticalScroll(id="draft-box"):
                yield Markdown(self.request.markdown, id="draft", open_links=False)
            yield LineEditor(id="feedback")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#feedback", LineEditor).display = False
        self.query_one("#draft-box").focus()

    def action_revise(self) -> None:
        if self.request.revisions_left <= 0:
            self.notify(f"No revisions left (revision {self.request.revision} is the last): approve it, "
                        "or cancel the run from Runs.", severity="warning")
            return
        self.query_one(LineEditor).open("What should change? (enter sends the draft back, esc cancels)")

    @on(Input.Submitted, "#feedback")
    def _feedback(self, event: Input.Submitted) -> None:
        feedback = event.value.strip()
        if not feedback:
            self.notify("Write what should change, or press esc.", severity="warning")
            return
        self.decide(action="revise", feedback=feedback)

    @on(LineEditor.Cancelled)
    def _cancelled(self) -> None:
        self.query_one("#draft-box").focus()

    def action_approve(self) -> None:
        self.decide(action="approve")
