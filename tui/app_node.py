"""`AppNode`: gives a screen or widget `self.app` typed as the `AutoresearchApp` it runs in.

Textual types `app` as a plain `App`, so reading `self.app.backend` or `self.app.run_views` would
need a cast at every use. Mixing this in first (`class RunsScreen(AppNode, Screen)`) narrows it once.
The app's module is imported only for the type checker: at run time `tui.app` imports the screens
lazily, and the screens must not import it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from tui.app import AutoresearchApp


class AppNode(MessagePump):
    """A mixin for the TUI's screens and widgets: `self.app` is the `AutoresearchApp`."""

    @property
    def app(self) -> AutoresearchApp:
        """The running app (always an `AutoresearchApp`: these screens are shown by no other)."""
        return cast("AutoresearchApp", super().app)
