"""The one-line header every mode shows: the app's name, the modes with their keys, the status."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

MODES = (("chat", "Chat", "F2"), ("runs", "Runs", "F3"), ("library", "Library", "F4"))


class AppHeader(Horizontal):
    """`autoresearch  Chat F2  Runs F3  Library F4 ……… 12 papers · 1 waiting for you`."""

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        yield Static("autoresearch", id="brand")
        for mode, label, key in MODES:
            tab = Static(f"{label} [dim]{key}[/]", classes="mode-tab", id=f"tab-{mode}")
            tab.set_class(mode == self.mode, "-active")
            yield tab
        yield Static("", id="status")

    def on_mount(self) -> None:
        self.watch(self.app, "status_line", self._show_status)

    def _show_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def on_click(self, event) -> None:
        """Clicking a mode's tab switches to it."""
        widget = event.widget
        if widget is not None and widget.id and widget.id.startswith("tab-"):
            self.app.switch_mode(widget.id[4:])
