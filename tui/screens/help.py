"""The help screen: every key of every screen and every slash command, read from the code itself
(the screens' `BINDINGS` and `tui.commands.COMMANDS`), so it cannot go stale."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from tui.commands import COMMANDS

EXTRA_KEYS = {
    "Chat": [("/", "open the command list (↑/↓ move, tab or enter takes one)"),
             ("↑ / ↓", "earlier lines you sent"), ("click a citation", "open the cited paper")],
    "Papers gate": [("space", "tick or untick the highlighted paper")],
}


def key_table(title: str, bindings: list[Any], extra: list[tuple[str, str]] | None = None) -> str:
    """A Markdown table of a screen's keys."""
    rows = [(_key(b.key), b.description) for b in bindings if isinstance(b, Binding) and b.description]
    rows += extra or []
    if not rows:
        return ""
    return "\n".join([f"### {title}", "", "| key | does |", "|---|---|", *(f"| `{k}` | {d} |" for k, d in rows), ""])


def _key(keys: str) -> str:
    names = {"slash": "/", "plus": "+", "equals_sign": "=", "escape": "esc", "delete": "del"}
    return " / ".join(names.get(k, k) for k in keys.split(",")[:2])


def help_markdown() -> str:
    """Every key and command, by screen."""
    from tui.app import AutoresearchApp
    from tui.screens.chat import ChatScreen
    from tui.screens.gate_draft import DraftGate
    from tui.screens.gate_outline import OutlineGate
    from tui.screens.gate_papers import PapersGate
    from tui.screens.gates import GateScreen
    from tui.screens.library import LibraryScreen
    from tui.screens.paper import PaperScreen
    from tui.screens.runs import RunsScreen

    parts = ["## Slash commands", "", "| command | does |", "|---|---|"]
    parts += [f"| `/{c.name} {c.usage}`".rstrip() + f" | {c.help} |" for c in COMMANDS]
    parts += ["", "Free text asks the library (or the assistant, with `llm.chat` set).", "", "## Keys", ""]
    gate = list(GateScreen.BINDINGS)
    for title, bindings in (("Everywhere", AutoresearchApp.BINDINGS), ("Chat", ChatScreen.BINDINGS),
                            ("Runs", RunsScreen.BINDINGS), ("Library", LibraryScreen.BINDINGS),
                            ("Paper", PaperScreen.BINDINGS), ("Papers gate", gate + PapersGate.BINDINGS),
                            ("Outline gate", gate + OutlineGate.BINDINGS), ("Draft gate", gate + DraftGate.BINDINGS)):
        parts.append(key_table(title, list(bindings), EXTRA_KEYS.get(title)))
    parts.append("`ctrl+p` opens the command palette (themes, screens, quit).")
    return "\n".join(parts)


class HelpScreen(ModalScreen[None]):
    """Keys and commands; esc or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss(None)", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help"):
            yield Static("[b]autoresearch — keys and commands[/b]  [dim]esc closes[/]")
            with VerticalScroll(id="help-body"):
                yield Markdown(help_markdown())

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
