"""What every approval screen shares: the gate modal (approve, later) and the one-line editor.

A gate screen is a modal over whatever mode is showing. It is dismissed with an
`agent.review.approval.Decision` (by `tui`), or with None when the person chooses to answer later: the
run stays paused, listed in Runs, and answerable from the CLI or Slack as well.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input

from agent.review.approval import Decision


class GateScreen(ModalScreen[Decision | None]):
    """What every gate screen has: the run, approve (ctrl+s), later (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "approve", "Approve"),
        Binding("escape", "later", "Later"),
    ]

    def __init__(self, run_id: str, request: Any) -> None:
        super().__init__(classes="gate-screen")
        self.run_id = run_id
        self.request = request

    def action_later(self) -> None:
        self.dismiss(None)

    def decide(self, **fields: Any) -> None:
        """Dismiss with a decision by the TUI."""
        self.dismiss(Decision(by="tui", **fields))


class LineEditor(Input):
    """A one-line editor that gives escape back as "cancel" (not "answer later")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "submit", "Save", show=False),  # while typing, ctrl+s saves the line, never approves
    ]

    class Cancelled(Message):
        """Editing was cancelled (the editor hid itself)."""

    def open(self, placeholder: str, value: str = "") -> None:
        """Show the editor with a prompt and a starting value, and focus it."""
        self.placeholder, self.value = placeholder, value
        self.display = True
        self.focus()

    def close(self) -> None:
        """Hide the editor."""
        self.value = ""
        self.display = False

    def action_cancel(self) -> None:
        self.close()
        self.post_message(self.Cancelled())
