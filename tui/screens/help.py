"""The help screen: every key of every screen and every slash command, read from the code itself
(the screens' `BINDINGS` and `tui.commands.COMMANDS`), so it cannot go stale."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.commands import COMMANDS
from tui.keys import APP_BINDINGS
from tui.screens.chat import ChatScreen
from tui.screens.gate_base import GateScreen
from tui.screens.gate_draft import DraftGate
from tui.screens.gate_outline import OutlineGate
from tui.screens.gate_papers import PapersGate
from tui.screens.library import LibraryScreen
from tui.screens.paper import PaperScreen
from tui.screens.runs import RunsScreen

EXTRA_KEYS = {
    "Chat": [("/", "open the command list (↑/↓ move, tab or enter takes one)"),
             ("↑ / ↓", "the lines you sent before"), ("click", "a citation opens the cited paper")],
    "Runs": [("enter", "answer the highlighted run's gate")],
    "Library": [("enter", "open the highlighted paper"), ("click", "a column header sorts by it")],
    "Papers gate": [("space", "tick or untick the highlighted paper")],
}
KEY_NAMES = {"slash": "/", "plus": "+", "equals_sign": "=", "escape": "esc", "delete": "del"}


def _key(keys: str) -> str:
    return " / ".join(KEY_NAMES.get(k, k) for k in keys.split(",")[:2])


def _table() -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column(style="bold", no_wrap=True, min_width=14)
    table.add_column(ratio=1)
    return table


def key_table(bindings: list[Any], extra: list[tuple[str, str]] | None = None) -> Table:
    """A screen's keys: those with a description, then the extra ones."""
    table = _table()
    for binding in bindings:
        if isinstance(binding, Binding) and binding.description:
            table.add_row(_key(binding.key), binding.description)
    for key, does in extra or []:
        table.add_row(key, does)
    return table


def command_table() -> Table:
    """Every slash command with its argument."""
    table = _table()
    for command in COMMANDS:
        usage = f"[dim]{escape(command.usage)}[/]  " if command.usage else ""
        table.add_row(f"/{command.name}", usage + command.help)
    return table


def sections() -> list[tuple[str, Table]]:
    """(title, table) for the commands and every screen's keys."""
    gate = list(GateScreen.BINDINGS)
    screens = (("Everywhere", APP_BINDINGS), ("Chat", ChatScreen.BINDINGS),
               ("Runs", RunsScreen.BINDINGS), ("Library", LibraryScreen.BINDINGS),
               ("Paper", PaperScreen.BINDINGS), ("Papers gate", gate + PapersGate.BINDINGS),
               ("Outline gate", gate + OutlineGate.BINDINGS), ("Draft gate", gate + DraftGate.BINDINGS))
    return [("Slash commands (free text asks the library)", command_table())] + [
        (title, key_table(list(bindings), EXTRA_KEYS.get(title))) for title, bindings in screens]


class HelpScreen(ModalScreen[None]):
    """Keys and commands; esc or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "dismiss(None)", "Close")]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help"):
            yield Static("[b]Keys and commands[/b]  [dim]esc closes · ctrl+p: command palette[/]")
            with VerticalScroll(id="help-body"):
                for title, table in sections():
                    yield Static(title, classes="help-title")
                    yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
