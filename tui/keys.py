"""The keys that work everywhere in the TUI (the app's own), apart from the app so that the help
screen can list them without importing the app that opens it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_BINDINGS: list[BindingType] = [
    Binding("f1", "help", "Help", priority=True),
    # The header shows the modes with their keys, so the footer keeps its room for the screen's own.
    Binding("f2", "switch_mode('chat')", "Chat", priority=True, show=False),
    Binding("f3", "switch_mode('runs')", "Runs", priority=True, show=False),
    Binding("f4", "switch_mode('library')", "Library", priority=True, show=False),
    Binding("ctrl+t", "toggle_theme", "Theme", priority=True, show=False),
    Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
]
