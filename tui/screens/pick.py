"""Pick one item from a short list (the papers an answer cites)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class PickScreen(ModalScreen[Any]):
    """Dismissed with the chosen value, or None (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, title: str, options: list[tuple[str, Any]]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.values = [value for _, value in options]
        self.labels = [label for label, _ in options]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pick"):
            yield Static(f"[b]{escape(self.title_text)}[/b]  [dim]enter opens · esc closes[/]")
            yield OptionList(*(Option(escape(label), id=str(i)) for i, label in enumerate(self.labels)))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.values[int(str(event.option.id))])
