"""The chat's prompt: a one-line input with slash-command completion and history.

Typing `/` opens the list of commands above the prompt, narrowing as you type; ↑/↓ move in it,
Tab or Enter takes the highlighted one. The only match also shows as ghost text (→ accepts it).
Without the list, ↑/↓ walk through what you sent before.
"""

from __future__ import annotations

from typing import ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.commands import complete, suggestion

PLACEHOLDER = "Ask your library, or / for commands"


class CommandSuggester(Suggester):
    """Ghost text for a slash command when only one fits."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return suggestion(value)


class PromptInput(Input):
    """The input line; completion and history keys are handled by `CommandInput`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("tab", "accept", "Complete", show=False),
        Binding("escape", "dismiss", "Close list", show=False),
    ]

    @property
    def command_input(self) -> CommandInput:
        """The `CommandInput` this line sits in (its parent: it is only ever composed there)."""
        return cast("CommandInput", self.parent)

    def action_move(self, step: int) -> None:
        self.command_input.move(step)

    def action_accept(self) -> None:
        if not self.command_input.accept():
            self.screen.focus_next()

    def action_dismiss(self) -> None:
        self.command_input.close_completions()


class CommandInput(Vertical):
    """Completion list + prompt; posts `CommandInput.Submitted` with the line."""

    class Submitted(Message):
        """A line was sent."""

        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history: list[str] = []
        self._back = 0

    def compose(self) -> ComposeResult:
        yield OptionList(id="completions")
        yield PromptInput(placeholder=PLACEHOLDER, suggester=CommandSuggester(), id="prompt")

    @property
    def input(self) -> PromptInput:
        return self.query_one(PromptInput)

    @property
    def completions(self) -> OptionList:
        return self.query_one("#completions", OptionList)

    @property
    def completing(self) -> bool:
        return self.has_class("-completing")

    @on(Input.Changed, "#prompt")
    def _changed(self, event: Input.Changed) -> None:
        matches = complete(event.value)
        options = self.completions
        options.clear_options()
        if matches:
            options.add_options(Option(f"[b]/{c.name}[/] [dim]{c.usage}[/]  {c.help}", id=c.name) for c in matches)
            options.highlighted = 0
        self.set_class(bool(matches), "-completing")

    @on(Input.Submitted, "#prompt")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.completing and self._needs_completion(event.value):
            self.accept()
            return
        value = event.value.strip()
        if not value:
            return
        self.history.append(value)
        self._back = 0
        self.input.value = ""
        self.post_message(self.Submitted(value))

    def _needs_completion(self, value: str) -> bool:
        """Enter on `/se` takes the highlighted command; on a whole `/help` it sends it."""
        return value.strip()[1:].lower() not in {c.name for c in complete(value.strip())}

    @on(OptionList.OptionSelected, "#completions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._take(str(event.option.id))

    def accept(self) -> bool:
        """Take the highlighted command; False when the list is closed."""
        options = self.completions
        if not self.completing or options.highlighted is None:
            return False
        self._take(str(options.get_option_at_index(options.highlighted).id))
        return True

    def _take(self, name: str) -> None:
        self.input.value = f"/{name} "
        self.input.cursor_position = len(self.input.value)
        self.close_completions()
        self.input.focus()

    def close_completions(self) -> None:
        self.remove_class("-completing")

    def move(self, step: int) -> None:
        """↑/↓: move in the completion list, or walk the history."""
        if self.completing:
            options = self.completions
            options.highlighted = ((options.highlighted or 0) + step) % max(options.option_count, 1)
            return
        if not self.history:
            return
        self._back = max(0, min(len(self.history), self._back - step))
        self.input.value = self.history[-self._back] if self._back else ""
        self.input.cursor_position = len(self.input.value)
        self.close_completions()
